# part: gradcam (sources)
# Grad-CAM heat maps (export room) and the learning-rate range test (train room).
target_sources(fts_engine_export PRIVATE
  ${PROJECT_SOURCE_DIR}/engine/export/gradcam.cpp
  ${PROJECT_SOURCE_DIR}/engine/export/gradcam.h)
target_sources(fts_engine_train PRIVATE
  ${PROJECT_SOURCE_DIR}/engine/train/lrfinder.cpp
  ${PROJECT_SOURCE_DIR}/engine/train/lrfinder.h)
target_sources(finetune-cli PRIVATE
  ${PROJECT_SOURCE_DIR}/app/cli/lrfindcommand.cpp
  ${PROJECT_SOURCE_DIR}/app/cli/lrfindcommand.h)
if(TARGET fts_ui)
  target_sources(fts_ui PRIVATE
    ${PROJECT_SOURCE_DIR}/ui/lrfinderdialog.cpp ${PROJECT_SOURCE_DIR}/ui/lrfinderdialog.h
    ${PROJECT_SOURCE_DIR}/ui/lrcurveview.cpp ${PROJECT_SOURCE_DIR}/ui/lrcurveview.h)
endif()
