// libFuzzer harness: the IDX reader (engine/data/idxsource.*), plain or
// gzipped. Input layout (see tests/fuzz/fuzzinput.h):
//   flags:u8  imagesLength:u32le  images  labelsLength:u32le  labels  classes.txt
// flags bit 0: write classes.txt (the rest of the input); bit 1: name the
// files *.gz (the reader looks at the bytes, not the name).

#include "core/error.h"
#include "data/idxsource.h"
#include "fuzzinput.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace fz = fts::fuzz;
    fz::InputCursor in(data, size);
    const std::uint8_t flags = in.byte();
    const std::string images = in.take(in.length());
    const std::string labels = in.take(in.length());
    const std::string classes = in.rest();

    const auto& dir = fz::scratchFolder();
    const std::string gz = (flags & 2) ? ".gz" : "";
    for (const char* name : {"t-images-idx3-ubyte", "t-labels-idx1-ubyte", "t-images-idx3-ubyte.gz",
                             "t-labels-idx1-ubyte.gz", "classes.txt"})
        fz::removeFile(dir / name);
    const auto imagesFile = dir / ("t-images-idx3-ubyte" + gz);
    fz::writeFile(imagesFile, images);
    fz::writeFile(dir / ("t-labels-idx1-ubyte" + gz), labels);
    if (flags & 1) fz::writeFile(dir / "classes.txt", classes);

    (void)fts::peekIdxMagic(imagesFile);
    try {
        const fts::IdxSource source(imagesFile);
        std::size_t n = source.description().size();
        const std::size_t count = source.size();
        for (std::size_t i : {std::size_t(0), count / 2, count - 1}) {
            const fts::RgbImage image = source.load(i);
            n += image.pixels.size() + source.itemName(i).size();
            if (source.label(i) < 0 ||
                source.label(i) >= static_cast<int>(source.classNames().size()))
                __builtin_trap();
        }
        if (n == 1) return 1;
    } catch (const fts::Error&) {
    }
    return 0;
}
