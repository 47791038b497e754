#pragma once

// The one place where Debian's LibTorch 1.13 and official LibTorch 2.x differ
// for this code base. Anything version-dependent goes here, nowhere else.

#include <ATen/autocast_mode.h>
#include <c10/core/DeviceType.h>
#include <c10/core/ScalarType.h>
#include <c10/util/Exception.h>
#include <torch/version.h>

#include <cstdint>
#include <string>

#define FTS_TORCH_VERSION_AT_LEAST(major, minor) \
    (TORCH_VERSION_MAJOR > (major) ||            \
     (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

namespace fts::compat {

/// "1.13.1", "2.4.0", ...
inline const char* torchVersion() {
    return TORCH_VERSION;
}

/// Autocast (automatic mixed precision) of the calling thread for CUDA:
/// LibTorch 1.13 has set_enabled / set_autocast_gpu_dtype, 2.4 and later
/// set_autocast_enabled / set_autocast_dtype per device type (the old names
/// are deprecated there). The state is thread-local: call it on the training
/// thread, around the forward pass only.
inline void setCudaAutocast(bool enabled, c10::ScalarType dtype) {
#if FTS_TORCH_VERSION_AT_LEAST(2, 4)
    at::autocast::set_autocast_dtype(c10::DeviceType::CUDA, dtype);
    at::autocast::set_autocast_enabled(c10::DeviceType::CUDA, enabled);
#else
    at::autocast::set_autocast_gpu_dtype(dtype);
    at::autocast::set_enabled(enabled);
#endif
}

inline bool cudaAutocastEnabled() {
#if FTS_TORCH_VERSION_AT_LEAST(2, 4)
    return at::autocast::is_autocast_enabled(c10::DeviceType::CUDA);
#else
    return at::autocast::is_enabled();
#endif
}

inline c10::ScalarType cudaAutocastDtype() {
#if FTS_TORCH_VERSION_AT_LEAST(2, 4)
    return at::autocast::get_autocast_dtype(c10::DeviceType::CUDA);
#else
    return at::autocast::get_autocast_gpu_dtype();
#endif
}

/// CUDA autocast to `dtype` while the guard lives (the forward pass and the
/// loss), as Python's `with torch.autocast("cuda", dtype)`: leaving the
/// outermost guard clears the cast cache, so that the next step casts the
/// updated weights again. Does nothing when `enabled` is false. Thread-local;
/// construct and destroy it on the training thread.
class CudaAutocastGuard {
public:
    CudaAutocastGuard(bool enabled, c10::ScalarType dtype) : m_enabled(enabled) {
        if (!m_enabled) return;
        m_previousEnabled = cudaAutocastEnabled();
        m_previousDtype = cudaAutocastDtype();
        setCudaAutocast(true, dtype);
        at::autocast::increment_nesting();
    }
    ~CudaAutocastGuard() {
        if (!m_enabled) return;
        if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
        setCudaAutocast(m_previousEnabled, m_previousDtype);
    }
    CudaAutocastGuard(const CudaAutocastGuard&) = delete;
    CudaAutocastGuard& operator=(const CudaAutocastGuard&) = delete;

private:
    bool m_enabled;
    bool m_previousEnabled = false;
    c10::ScalarType m_previousDtype = c10::ScalarType::Float;
};

/// Throws what the CUDA caching allocator throws when the GPU's memory is
/// exhausted: c10::OutOfMemoryError in both versions (1.13 inherits Error's
/// constructors, 2.x declares them; both take a SourceLocation and text).
[[noreturn]] inline void throwOutOfMemory(const std::string& text) {
    throw c10::OutOfMemoryError(
        c10::SourceLocation{__func__, __FILE__, static_cast<std::uint32_t>(__LINE__)}, text);
}

}  // namespace fts::compat
