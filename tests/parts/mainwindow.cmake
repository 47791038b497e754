# part: mainwindow (tests)
# The main window's run history, experiment and class report, over the demo.
if(COMMAND fts_ui_test)
  fts_ui_test(tst_mainwindowhistory)
endif()
