# part: datasetfixes (sources)
# Fixing the data from the gallery: relabel or exclude images (with undo);
# the changes reach the ImageFolder only on confirmation, as file moves.
target_sources(fts_engine_data PRIVATE
  ${PROJECT_SOURCE_DIR}/engine/data/datasetedit.cpp
  ${PROJECT_SOURCE_DIR}/engine/data/datasetedit.h)
if(TARGET fts_ui)
  target_sources(fts_ui PRIVATE
    ${PROJECT_SOURCE_DIR}/ui/datasetedits.cpp
    ${PROJECT_SOURCE_DIR}/ui/datasetedits.h)
endif()
