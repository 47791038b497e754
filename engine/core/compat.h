#pragma once

// The one place where Debian's LibTorch 1.13 and official LibTorch 2.x differ
// for this code base. Anything version-dependent goes here, nowhere else.

#include <torch/version.h>

#define FTS_TORCH_VERSION_AT_LEAST(major, minor) \
    (TORCH_VERSION_MAJOR > (major) ||            \
     (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

namespace fts::compat {

/// "1.13.1", "2.4.0", ...
inline const char* torchVersion() {
    return TORCH_VERSION;
}

}  // namespace fts::compat
