#pragma once

// Tiny IDX data sets for tests that train: 28x28 grey images of noise with a
// bright vertical band whose position is the class, learnt in an epoch or two.
// dir/<prefix>-images-idx3-ubyte and dir/<prefix>-labels-idx1-ubyte.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace bandidx {

struct Options {
    int classes = 3;
    int perClass = 8;
    /// The first `mislabelled` images of each class carry the next class's
    /// band: no model gets them right (confidently wrong images to show).
    int mislabelled = 0;
    /// Class c's band covers x in [2 + c * bandStep, 2 + c * bandStep + bandWidth).
    int bandStep = 9;
    int bandWidth = 6;
    /// Image order: all of class 0, then class 1, ... or one of each in turn.
    bool interleaved = false;
    unsigned seed = 1;
};

inline void put32(std::vector<std::uint8_t>& bytes, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(std::uint8_t(value >> shift));
}

inline void writeBytes(const std::filesystem::path& file, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

inline void write(const std::filesystem::path& dir, const std::string& prefix, const Options& o) {
    std::mt19937 rng(o.seed);
    std::uniform_int_distribution<int> noise(0, 70);
    std::vector<std::uint8_t> images, labels;
    const int count = o.perClass * o.classes;
    put32(images, 0x803);
    put32(images, std::uint32_t(count));
    put32(images, 28);
    put32(images, 28);
    put32(labels, 0x801);
    put32(labels, std::uint32_t(count));
    const auto image = [&](int c, int k) {
        const int band = k < o.mislabelled ? (c + 1) % o.classes : c;
        const int from = 2 + band * o.bandStep;
        for (int y = 0; y < 28; ++y)
            for (int x = 0; x < 28; ++x) {
                const bool in = x >= from && x < from + o.bandWidth;
                images.push_back(std::uint8_t(noise(rng) + (in ? 180 : 0)));
            }
        labels.push_back(std::uint8_t(c));
    };
    if (o.interleaved) {
        for (int k = 0; k < o.perClass; ++k)
            for (int c = 0; c < o.classes; ++c) image(c, k);
    } else {
        for (int c = 0; c < o.classes; ++c)
            for (int k = 0; k < o.perClass; ++k) image(c, k);
    }
    writeBytes(dir / (prefix + "-images-idx3-ubyte"), images);
    writeBytes(dir / (prefix + "-labels-idx1-ubyte"), labels);
}

}  // namespace bandidx
