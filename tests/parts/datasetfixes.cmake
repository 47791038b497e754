# part: datasetfixes (tests)
# Planning and making the file moves on real files in a temporary folder, and
# the pending edits with undo, the confirmation and the gallery's menu.
fts_test(tst_datasetedit LINK fts_engine_data)
if(COMMAND fts_ui_test)
  fts_ui_test(tst_datasetedits)
endif()
