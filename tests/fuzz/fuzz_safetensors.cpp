// libFuzzer harness: the safetensors reader (engine/weights/safetensors.*).
// Any input must either parse or throw fts::Error; what parses must write
// out and read back to the same tensors.

#include "core/error.h"
#include "weights/safetensors.h"

#include <ATen/ATen.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fts::SafetensorsContent content;
    try {
        content = fts::parseSafetensors(data, size, "fuzz.safetensors");
    } catch (const fts::Error&) {
        return 0;
    }
    const auto bytes = fts::serializeSafetensors(content.tensors, content.metadata);
    const auto again = fts::parseSafetensors(bytes.data(), bytes.size(), "roundtrip.safetensors");
    if (again.tensors.size() != content.tensors.size() || again.metadata != content.metadata)
        std::abort();
    for (const auto& [name, tensor] : content.tensors) {
        bool found = false;
        for (const auto& [name2, tensor2] : again.tensors)
            if (name2 == name) {
                found = true;
                if (tensor2.sizes() != tensor.sizes() ||
                    tensor2.scalar_type() != tensor.scalar_type())
                    std::abort();
                // Bitwise: NaN payloads must survive too.
                if (tensor.numel() > 0 &&
                    std::memcmp(tensor.data_ptr(), tensor2.data_ptr(), tensor.nbytes()) != 0)
                    std::abort();
            }
        if (!found) std::abort();
    }
    return 0;
}
