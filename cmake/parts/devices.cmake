# part: devices (sources)
# A LibTorch with CUDA (official builds, PyPI CUDA wheels) lists its CUDA
# libraries in TORCH_CUDA_LIBRARIES, and its torch::cudart target brings the
# CUDA runtime headers. train/devices.cpp then asks the CUDA runtime for GPU
# names, memory and compute capability (bf16 needs 8.0+) and can empty the
# caching allocator after an out-of-memory error. A source property, so the
# engine's shared precompiled header is unaffected.
if(TORCH_CUDA_LIBRARIES)
  set_property(SOURCE ${PROJECT_SOURCE_DIR}/engine/train/devices.cpp
               TARGET_DIRECTORY fts_engine_train
               APPEND PROPERTY COMPILE_DEFINITIONS FTS_CUDA_RUNTIME=1)
  message(STATUS "devices: CUDA LibTorch: GPU names, memory and bf16 support are queried")
endif()

# LibTorch 2.10 and later ask for C++20 (TorchConfig.cmake adds cxx_std_20 to
# the torch target). The code base is C++17, where u8"" literals and
# std::filesystem::path::u8string() are char-based; C++20 makes them char8_t.
# Keep the C++17 meaning rather than spell every use twice.
if(TARGET torch)
  get_target_property(_fts_torch_features torch INTERFACE_COMPILE_FEATURES)
  if(_fts_torch_features AND "cxx_std_20" IN_LIST _fts_torch_features)
    if(MSVC)
      target_compile_options(fts_policy INTERFACE $<$<COMPILE_LANGUAGE:CXX>:/Zc:char8_t->)
    else()
      target_compile_options(fts_policy INTERFACE $<$<COMPILE_LANGUAGE:CXX>:-fno-char8_t>)
    endif()
    message(STATUS "devices: LibTorch wants C++20: building with char-based u8 strings (-fno-char8_t)")
  endif()
endif()
