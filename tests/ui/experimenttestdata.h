#pragma once

// Tiny generated data for the experiment GUI tests (tst_experimentrunner,
// tst_experimentdialog): 28x28 grey IDX images, a bright vertical band whose
// position is the class, on noise; and settings that train the bundled demo
// network (demo_cnn with its pretrained backbone) on them for one epoch.

#include "../engine/bandidx.h"

#include "core/resources.h"
#include "train/settings.h"

#include <QString>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace experimenttest {

inline const std::vector<std::string>& classes() {
    static const std::vector<std::string> names{"left", "middle", "right"};
    return names;
}

/// dir/<prefix>-images-idx3-ubyte and dir/<prefix>-labels-idx1-ubyte: the
/// bands' data (tests/engine/bandidx.h), one image of each class in turn.
inline void writeIdx(const std::filesystem::path& dir, const std::string& prefix, int perClass,
                     unsigned seed) {
    bandidx::Options o;
    o.classes = int(classes().size());
    o.perClass = perClass;
    o.interleaved = true;
    o.seed = seed;
    bandidx::write(dir, prefix, o);
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
