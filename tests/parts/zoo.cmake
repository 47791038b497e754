# part: zoo (tests)
# The model zoo against a local HTTP server (fixtures/zoo_server.py); the
# server's request log is read with a plain QTcpSocket.
find_package(Qt6 6.2 REQUIRED COMPONENTS Network)
fts_test(tst_modelzoo LINK fts_engine_zoo)
target_link_libraries(tst_modelzoo PRIVATE Qt6::Network)
add_dependencies(tst_modelzoo finetune-cli)
set_tests_properties(tst_modelzoo PROPERTIES TIMEOUT 300)

if(FTS_BUILD_GUI AND TARGET fts_ui)
  fts_ui_test(tst_downloaddialog)
  target_link_libraries(tst_downloaddialog PRIVATE Qt6::Network)
  target_compile_definitions(tst_downloaddialog PRIVATE FTS_PYTHON="${FTS_PYTHON}")
endif()
