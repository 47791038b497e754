// libFuzzer harness: the CIFAR-10 binary reader (engine/data/cifarsource.*).
// Input layout (see tests/fuzz/fuzzinput.h):
//   flags:u8  metaLength:u32le  batches.meta.txt  data_batch_1.bin
// flags bit 0: write batches.meta.txt; bit 1: open the folder instead of the file.

#include "core/error.h"
#include "data/cifarsource.h"
#include "fuzzinput.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace fz = fts::fuzz;
    fz::InputCursor in(data, size);
    const std::uint8_t flags = in.byte();
    const std::string meta = in.take(in.length());
    const std::string batch = in.rest();

    const auto& dir = fz::scratchFolder();
    fz::removeFile(dir / "batches.meta.txt");
    fz::writeFile(dir / "data_batch_1.bin", batch);
    if (flags & 1) fz::writeFile(dir / "batches.meta.txt", meta);
    try {
        const fts::CifarSource source((flags & 2) ? dir : dir / "data_batch_1.bin");
        std::size_t n = source.description().size();
        const std::size_t count = source.size();
        for (std::size_t i : {std::size_t(0), count - 1}) {
            n += source.load(i).pixels.size() + source.itemName(i).size();
            if (source.label(i) < 0 ||
                source.label(i) >= static_cast<int>(source.classNames().size()))
                __builtin_trap();
        }
        if (n == 1) return 1;
    } catch (const fts::Error&) {
    }
    return 0;
}
