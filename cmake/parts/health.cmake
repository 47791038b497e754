# part: health (sources)
# The dataset health check before training: unreadable files, class balance,
# exact and near-duplicate images (pHash) and training/validation leakage.
target_sources(fts_engine_data PRIVATE
  ${PROJECT_SOURCE_DIR}/engine/data/healthcheck.cpp
  ${PROJECT_SOURCE_DIR}/engine/data/healthcheck.h)
target_sources(finetune-cli PRIVATE
  ${PROJECT_SOURCE_DIR}/app/cli/checkcommand.cpp
  ${PROJECT_SOURCE_DIR}/app/cli/checkcommand.h)
if(TARGET fts_ui)
  target_sources(fts_ui PRIVATE
    ${PROJECT_SOURCE_DIR}/ui/healthpanel.cpp
    ${PROJECT_SOURCE_DIR}/ui/healthpanel.h)
endif()
