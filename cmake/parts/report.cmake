# part: report (sources)
# The class report in the person's language, written off the GUI thread
# (ui/reportwriter.h over export/htmlreport.h).
if(TARGET fts_ui)
  target_sources(fts_ui PRIVATE
    ${PROJECT_SOURCE_DIR}/ui/reportwriter.cpp
    ${PROJECT_SOURCE_DIR}/ui/reportwriter.h)
endif()
