// libFuzzer harness: torch.save files, zip and legacy (engine/weights/
// torchcheckpoint.*, unpickler.*, zipreader.*). Any input must either parse
// or throw fts::Error, without allocating more than the file justifies.

#include "core/error.h"
#include "weights/torchcheckpoint.h"

#include <ATen/ATen.h>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const fts::TorchCheckpoint ckpt = fts::parseTorchCheckpoint(data, size, "fuzz.pth");
        // Touch every tensor's data: views must lie inside their storages.
        std::uint64_t sum = 0;
        for (const auto& [name, tensor] : ckpt.tensors) {
            if (!tensor.defined()) std::abort();
            const at::Tensor bytes = tensor.contiguous();
            const auto* p = static_cast<const std::uint8_t*>(bytes.data_ptr());
            for (std::size_t i = 0; i < bytes.nbytes(); ++i) sum += p[i];
        }
        if (sum == 1) return 1;  // keeps the loop from being optimised away
    } catch (const fts::Error&) {
    }
    return 0;
}
