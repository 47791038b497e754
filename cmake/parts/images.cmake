# part: images (sources)
# The image policy: format by content, pixel limit, completeness, EXIF orientation.
target_sources(fts_engine_data PRIVATE
  ${PROJECT_SOURCE_DIR}/engine/data/imageformat.cpp
  ${PROJECT_SOURCE_DIR}/engine/data/imageformat.h)
