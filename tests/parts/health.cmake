# part: health (tests)
# The dataset health check: pHash, and a generated ImageFolder pair with one
# of each problem among distinct images (OpenCV writes the test images).
if(FTS_WITH_OPENCV)
  find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs)
  fts_test(tst_healthcheck LINK fts_engine_data)
  add_dependencies(tst_healthcheck finetune-cli)
  target_link_libraries(tst_healthcheck PRIVATE ${OpenCV_LIBS})
  target_include_directories(tst_healthcheck SYSTEM PRIVATE ${OpenCV_INCLUDE_DIRS})
endif()
if(COMMAND fts_ui_test AND FTS_WITH_OPENCV)  # the check decodes images
  fts_ui_test(tst_healthpanel)
endif()
