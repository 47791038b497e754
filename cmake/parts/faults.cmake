# part: faults (sources)
#
# libFuzzer harnesses (tests/fuzz/fuzz_<name>.cpp), built only in the separate
# clang build of scripts/fuzz.sh (-DFTS_FUZZ=ON, FTS_BUILD_GUI=OFF). The normal
# build replays their corpora and crash files instead (tests/parts/faults.cmake).
option(FTS_FUZZ "Build the libFuzzer harnesses (clang; see scripts/fuzz.sh)" OFF)

# name -> the engine rooms it needs
set(FTS_FUZZ_HARNESSES safetensors torchcheckpoint unpickler zipreader idx cifar projectfile)
set(FTS_FUZZ_LINK_safetensors fts_engine_weights)
set(FTS_FUZZ_LINK_torchcheckpoint fts_engine_weights)
set(FTS_FUZZ_LINK_unpickler fts_engine_weights)
set(FTS_FUZZ_LINK_zipreader fts_engine_weights)
set(FTS_FUZZ_LINK_idx fts_engine_data)
set(FTS_FUZZ_LINK_cifar fts_engine_data)

if(FTS_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "FTS_FUZZ needs clang (libFuzzer); use scripts/fuzz.sh")
  endif()
  # Everything compiled in this build carries the coverage instrumentation
  # and the sanitizers through CMAKE_CXX_FLAGS (set by scripts/fuzz.sh);
  # only the harness executables link libFuzzer's main.
  add_custom_target(fuzz_all)
  foreach(_h IN LISTS FTS_FUZZ_HARNESSES)
    add_executable(fuzz_${_h} ${PROJECT_SOURCE_DIR}/tests/fuzz/fuzz_${_h}.cpp)
    target_link_options(fuzz_${_h} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(fuzz_${_h} PRIVATE fts_policy)
    if(DEFINED FTS_FUZZ_LINK_${_h})
      target_link_libraries(fuzz_${_h} PRIVATE ${FTS_FUZZ_LINK_${_h}})
    endif()
    add_dependencies(fuzz_all fuzz_${_h})
  endforeach()
  # The project-file reader alone: Qt Core/Gui, without the widgets library.
  find_package(Qt6 6.2 REQUIRED COMPONENTS Core Gui)
  target_sources(fuzz_projectfile PRIVATE ${PROJECT_SOURCE_DIR}/ui/projectfile.cpp
                                          ${PROJECT_SOURCE_DIR}/ui/uitypes.cpp)
  target_include_directories(fuzz_projectfile PRIVATE ${PROJECT_SOURCE_DIR}/ui)
  target_link_libraries(fuzz_projectfile PRIVATE fts_engine_data Qt6::Core Qt6::Gui)
endif()
