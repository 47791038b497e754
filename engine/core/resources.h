#pragma once

#include <filesystem>

namespace fts {

/// The folder of the bundled demo (resources/demo: the Fashion-MNIST subset
/// and the pretrained demo backbone). Looked up, in order: $FTS_DEMO_DIR;
/// <executable>/../share/finetune-studio/demo (an installed app);
/// the source tree it was built from (a developer build). Throws fts::Error
/// saying where it looked when none holds the demo.
std::filesystem::path demoDirectory();

/// The running executable's path ("" when the platform cannot tell).
std::filesystem::path executablePath();

}  // namespace fts
