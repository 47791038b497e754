# part: runs (sources)
# The run history: run directories and experiment folders read back
# (torch-free), and the GUI's "Runs" tab with overlaid curves and the
# settings that differ between runs.
target_sources(fts_engine_export PRIVATE
  ${PROJECT_SOURCE_DIR}/engine/export/runhistory.cpp
  ${PROJECT_SOURCE_DIR}/engine/export/runhistory.h)
if(TARGET fts_ui)
  target_sources(fts_ui PRIVATE
    ${PROJECT_SOURCE_DIR}/ui/runhistorymodel.cpp
    ${PROJECT_SOURCE_DIR}/ui/runhistorymodel.h
    ${PROJECT_SOURCE_DIR}/ui/runcomparisonview.cpp
    ${PROJECT_SOURCE_DIR}/ui/runcomparisonview.h
    ${PROJECT_SOURCE_DIR}/ui/runhistorypanel.cpp
    ${PROJECT_SOURCE_DIR}/ui/runhistorypanel.h)
endif()
