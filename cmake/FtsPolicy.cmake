# One INTERFACE target carries the project's compile policy. Every target links
# it. Torch's own flags live only on fts_engine (and reach users through it).
add_library(fts_policy INTERFACE)
target_compile_features(fts_policy INTERFACE cxx_std_17)
# Torch's headers use the identifier `slots`, which Qt's keyword macro breaks:
# every target spells Q_SIGNALS / Q_SLOTS / Q_EMIT instead.
target_compile_definitions(fts_policy INTERFACE QT_NO_KEYWORDS)
if(MSVC)
  target_compile_options(fts_policy INTERFACE /W4 /permissive- /utf-8 /Zc:__cplusplus)
  target_compile_definitions(fts_policy INTERFACE NOMINMAX _USE_MATH_DEFINES)
else()
  target_compile_options(fts_policy INTERFACE -Wall -Wextra -Wpedantic
    -Wno-unused-parameter)   # torch headers are noisy with it
endif()

# Sanitizer builds (the `asan` preset).
option(FTS_SANITIZE "Build with AddressSanitizer and UBSan" OFF)
if(FTS_SANITIZE AND NOT MSVC)
  target_compile_options(fts_policy INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(fts_policy INTERFACE -fsanitize=address,undefined)
endif()
