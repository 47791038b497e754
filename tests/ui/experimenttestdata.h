#pragma once

// Tiny generated data for the experiment GUI tests (tst_experimentrunner,
// tst_experimentdialog): 28x28 grey IDX images, a bright vertical band whose
// position is the class, on noise; and settings that train the bundled demo
// network (demo_cnn with its pretrained backbone) on them for one epoch.

#include "core/resources.h"
#include "train/settings.h"

#include <QString>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace experimenttest {

inline const std::vector<std::string>& classes() {
    static const std::vector<std::string> names{"left", "middle", "right"};
    return names;
}

inline void put32(std::vector<std::uint8_t>& b, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) b.push_back(std::uint8_t(v >> shift));
}

inline void writeBytes(const std::filesystem::path& file, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

/// dir/<prefix>-images-idx3-ubyte and dir/<prefix>-labels-idx1-ubyte.
inline void writeIdx(const std::filesystem::path& dir, const std::string& prefix, int perClass,
                     unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> noise(0, 70);
    std::vector<std::uint8_t> images, labels;
    const int count = perClass * int(classes().size());
    put32(images, 0x803);
    put32(images, std::uint32_t(count));
    put32(images, 28);
    put32(images, 28);
    put32(labels, 0x801);
    put32(labels, std::uint32_t(count));
    for (int k = 0; k < perClass; ++k)
        for (int c = 0; c < int(classes().size()); ++c) {
            for (int y = 0; y < 28; ++y)
                for (int x = 0; x < 28; ++x) {
                    const bool in = x >= 2 + c * 9 && x < 8 + c * 9;
                    images.push_back(std::uint8_t(noise(rng) + (in ? 180 : 0)));
                }
            labels.push_back(std::uint8_t(c));
        }
    writeBytes(dir / (prefix + "-images-idx3-ubyte"), images);
    writeBytes(dir / (prefix + "-labels-idx1-ubyte"), labels);
}

/// Writes train (trainPerClass images a class) and val data into `dir` and
/// returns settings for one epoch of the demo network on them, on one
/// thread of the CPU (the machine's other core is the GUI's).
inline fts::TrainSettings tinySettings(const QString& dir, int trainPerClass = 16) {
    const std::filesystem::path data = std::filesystem::u8path(dir.toStdString());
    std::filesystem::create_directories(data);
    writeIdx(data, "train", trainPerClass, /*seed=*/3);
    writeIdx(data, "val", /*perClass=*/6, /*seed=*/4);
    std::ofstream names(data / "classes.txt");
    for (const auto& name : classes()) names << name << '\n';

    fts::TrainSettings s;
    s.model = "demo_cnn";
    s.weightsFile = (fts::demoDirectory() / "backbone.safetensors").u8string();
    s.dataPath = (data / "train-images-idx3-ubyte").u8string();
    s.valPath = (data / "val-images-idx3-ubyte").u8string();
    s.imageSize = 28;
    s.epochs = 1;
    s.batchSize = 16;
    s.lr = 0.01;
    s.augment = "none";
    s.device = "cpu";
    s.threads = 1;
    s.loaderWorkers = 1;
    s.samplePredictions = 2;
    s.seed = 7;
    return s;
}

}  // namespace experimenttest
