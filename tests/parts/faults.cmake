# part: faults (tests)

# Fuzz regression: every seed and every crash file found by scripts/fuzz.sh
# goes through the same harness function, without libFuzzer (replaymain.cpp).
set(_fts_fuzz_dir ${PROJECT_SOURCE_DIR}/tests/fuzz)
foreach(_h IN LISTS FTS_FUZZ_HARNESSES)
  if(_h STREQUAL "projectfile")
    if(NOT TARGET fts_ui)
      continue()
    endif()
    set(_link fts_ui)
  else()
    set(_link ${FTS_FUZZ_LINK_${_h}})
  endif()
  add_executable(fuzzreplay_${_h} ${_fts_fuzz_dir}/fuzz_${_h}.cpp ${_fts_fuzz_dir}/replaymain.cpp)
  target_link_libraries(fuzzreplay_${_h} PRIVATE ${_link})
  target_include_directories(fuzzreplay_${_h} PRIVATE ${_fts_fuzz_dir})
  add_test(NAME fuzzreplay_${_h}
           COMMAND fuzzreplay_${_h} ${_fts_fuzz_dir}/corpus/${_h} ${_fts_fuzz_dir}/crashes/${_h})
  set_tests_properties(fuzzreplay_${_h} PROPERTIES ENVIRONMENT "${_fts_test_env}" TIMEOUT 300
                                                    LABELS fuzz)
endforeach()

# Faults injected into finetune-cli children (kill -9, full disk, NaN, Ctrl-C).
fts_test(tst_faults LABELS faults)
add_dependencies(tst_faults finetune-cli)
