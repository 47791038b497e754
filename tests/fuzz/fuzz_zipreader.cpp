// libFuzzer harness: the zip reader (engine/weights/zipreader.*): the central
// directory and every stored entry must stay inside the buffer.

#include "core/error.h"
#include "weights/zipreader.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const fts::ZipReader zip(data, size, "fuzz.zip");
        std::uint64_t sum = 0;
        for (const auto& entry : zip.entries()) {
            if (zip.find(entry.name) != &entry) return 1;  // names are unique
            try {
                const auto span = zip.read(entry);
                if (span.data < data || span.data + span.size > data + size) __builtin_trap();
                for (std::size_t i = 0; i < span.size; ++i) sum += span.data[i];
            } catch (const fts::Error&) {
            }
        }
        if (sum == 1) return 1;
    } catch (const fts::Error&) {
    }
    return 0;
}
