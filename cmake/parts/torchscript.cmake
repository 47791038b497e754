# part: torchscript (sources)
# TorchScript backbones (--model torchscript --weights FILE): a models-room
# class that needs the weights room's format detection for its errors.
target_sources(fts_engine_models PRIVATE
  ${PROJECT_SOURCE_DIR}/engine/models/torchscriptbackbone.cpp
  ${PROJECT_SOURCE_DIR}/engine/models/torchscriptbackbone.h
  ${PROJECT_SOURCE_DIR}/engine/models/torchscriptname.h)
target_link_libraries(fts_engine_models PUBLIC fts_engine_weights)
