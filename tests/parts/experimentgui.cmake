# part: experimentgui (tests)
# The experiment runner and dialog on tiny generated IDX data with the demo network.
if(COMMAND fts_ui_test)
  fts_ui_test(tst_experimentrunner)
  fts_ui_test(tst_experimentdialog)
endif()
