# part: zoo (sources)
# The model zoo: torchvision's ImageNet weights downloaded on request (libcurl)
# into PyTorch's own cache. A small room of its own: the HTTP client and the
# cache are Qt-free and torch-free in their headers (the GUI includes them).
find_package(CURL REQUIRED)
add_library(fts_engine_zoo STATIC
  ${PROJECT_SOURCE_DIR}/engine/weights/httpdownload.cpp
  ${PROJECT_SOURCE_DIR}/engine/weights/httpdownload.h
  ${PROJECT_SOURCE_DIR}/engine/weights/modelzoo.cpp
  ${PROJECT_SOURCE_DIR}/engine/weights/modelzoo.h)
target_include_directories(fts_engine_zoo PUBLIC ${PROJECT_SOURCE_DIR}/engine)
# models: the registry's URLs; train: sha256OfFile (train/rundirectory.h).
target_link_libraries(fts_engine_zoo PUBLIC fts_policy fts_engine_core
                                     PRIVATE fts_engine_models fts_engine_train CURL::libcurl)
set_target_properties(fts_engine_zoo PROPERTIES POSITION_INDEPENDENT_CODE ON)
target_link_libraries(fts_engine INTERFACE fts_engine_zoo)

# finetune-cli download, and train --weights imagenet.
if(TARGET finetune-cli)
  target_sources(finetune-cli PRIVATE
    ${PROJECT_SOURCE_DIR}/app/cli/downloadcommand.cpp
    ${PROJECT_SOURCE_DIR}/app/cli/downloadcommand.h)
endif()

# The GUI's download dialog (model panel).
if(TARGET fts_ui)
  target_sources(fts_ui PRIVATE
    ${PROJECT_SOURCE_DIR}/ui/downloaddialog.cpp
    ${PROJECT_SOURCE_DIR}/ui/downloaddialog.h)
endif()
