# part: exports (sources)
# Exports that Python loads (predict.py, metrics.csv, charts), ONNX through
# Python, batch prediction over folders, and the GUI's "Predict on a folder…".

# predict.py.in embedded as a byte array (no raw-string length limits), so an
# installed app needs no extra files. Re-generated when the template changes.
set(_fts_predict_in ${PROJECT_SOURCE_DIR}/engine/export/predict.py.in)
set(_fts_predict_h ${PROJECT_BINARY_DIR}/generated/export/predictscript.h)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_fts_predict_in})
file(READ ${_fts_predict_in} _fts_predict_hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," _fts_predict_hex "${_fts_predict_hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)"
       "\\1\n" _fts_predict_hex "${_fts_predict_hex}")
file(WRITE ${_fts_predict_h}.tmp
  "#pragma once\n// Generated from engine/export/predict.py.in by cmake/parts/exports.cmake.\n"
  "namespace fts {\nconstexpr unsigned char kPredictScript[] = {\n${_fts_predict_hex}};\n}  // namespace fts\n")
configure_file(${_fts_predict_h}.tmp ${_fts_predict_h} COPYONLY)

target_sources(fts_engine_export PRIVATE
  ${PROJECT_SOURCE_DIR}/engine/export/metricscsv.cpp
  ${PROJECT_SOURCE_DIR}/engine/export/chartimage.cpp
  ${PROJECT_SOURCE_DIR}/engine/export/exportextras.cpp
  ${_fts_predict_h})
target_include_directories(fts_engine_export PRIVATE ${PROJECT_BINARY_DIR}/generated/export)
if(FTS_WITH_OPENCV)
  find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs)  # for the chart PNGs
  target_link_libraries(fts_engine_export PRIVATE ${OpenCV_LIBS})
  target_include_directories(fts_engine_export SYSTEM PRIVATE ${OpenCV_INCLUDE_DIRS})
endif()
target_sources(fts_engine_export PRIVATE
  ${PROJECT_SOURCE_DIR}/engine/export/batchprediction.cpp)
target_sources(fts_engine_export PRIVATE
  ${PROJECT_SOURCE_DIR}/engine/export/pythonhelper.cpp)
target_sources(finetune-cli PRIVATE ${PROJECT_SOURCE_DIR}/app/cli/predictcsv.cpp)
if(TARGET fts_ui)
  target_sources(fts_ui PRIVATE
    ${PROJECT_SOURCE_DIR}/ui/folderprediction.cpp ${PROJECT_SOURCE_DIR}/ui/folderprediction.h)
endif()
