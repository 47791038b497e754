# part: experiment (sources)
# Fine-tuning strategies compared side by side (finetune-cli experiment) and
# the self-contained HTML class report (finetune-cli report).
target_sources(fts_engine_train PRIVATE
  ${PROJECT_SOURCE_DIR}/engine/train/experiment.cpp
  ${PROJECT_SOURCE_DIR}/engine/train/experiment.h)
target_sources(fts_engine_export PRIVATE
  ${PROJECT_SOURCE_DIR}/engine/export/htmlreport.cpp
  ${PROJECT_SOURCE_DIR}/engine/export/htmlreport.h)
if(FTS_WITH_OPENCV)
  find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs)  # report thumbnails
  target_link_libraries(fts_engine_export PRIVATE ${OpenCV_LIBS})
  target_include_directories(fts_engine_export SYSTEM PRIVATE ${OpenCV_INCLUDE_DIRS})
endif()
target_sources(finetune-cli PRIVATE
  ${PROJECT_SOURCE_DIR}/app/cli/experimentcommand.cpp
  ${PROJECT_SOURCE_DIR}/app/cli/experimentcommand.h)
