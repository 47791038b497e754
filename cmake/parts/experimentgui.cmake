# part: experimentgui (sources)
# The GUI's one-click transfer-learning experiment: fts::Experiment on its own
# thread (ExperimentRunner + ExperimentWorker) and the dialog that shows the
# strategies' results live.
if(TARGET fts_ui)
  target_sources(fts_ui PRIVATE
    ${PROJECT_SOURCE_DIR}/ui/experimentworker.cpp ${PROJECT_SOURCE_DIR}/ui/experimentworker.h
    ${PROJECT_SOURCE_DIR}/ui/experimentrunner.cpp ${PROJECT_SOURCE_DIR}/ui/experimentrunner.h
    ${PROJECT_SOURCE_DIR}/ui/experimentdialog.cpp ${PROJECT_SOURCE_DIR}/ui/experimentdialog.h)
endif()
