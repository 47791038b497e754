#pragma once

#include <cstdint>
#include <string>

namespace fts {

/// Every setting of a training run, as the CLI and GUI submit it. Resolved
/// values (the model's input size when imageSize is 0, the device actually
/// used, thread count, weights hash) are written to config.json.
struct TrainSettings {
    // Model
    std::string model = "resnet18";
    std::string weightsFile;      // empty: random init (training from scratch)
    std::string freeze = "none";  // none | backbone | comma-separated module paths

    // Data
    std::string dataPath;
    std::string valPath;  // empty: split dataPath by valSplit
    double valSplit = 0.2;
    int imageSize = 0;              // 0: the model's input size
    std::string augment = "light";  // none | light | strong

    // Optimisation
    int epochs = 10;
    int batchSize = 32;
    double lr = 1e-3;                 // learning rate of the head (new layers)
    double backboneLrScale = 0.1;     // backbone lr = lr * this (unfrozen backbone)
    std::string optimizer = "adamw";  // sgd | adam | adamw
    double momentum = 0.9;            // sgd
    bool nesterov = false;            // sgd
    double weightDecay = 1e-4;
    std::string scheduler = "cosine";  // none | step | cosine
    int warmupEpochs = 0;
    int stepSize = 0;  // step: epochs per decay (0: epochs / 3)
    double stepGamma = 0.1;
    std::uint64_t seed = 42;

    // Machine
    std::string device = "auto";  // auto | cpu | cuda | cuda:N
    /// fp32 | bf16 (autocast on CUDA GPUs of compute capability 8.0+; see
    /// precisionProblem() in train/devices.h)
    std::string precision = "fp32";
    int threads = 0;              // intra-op threads; 0: all cores
    int loaderWorkers = 0;        // 0: chosen from threads
    /// Memory for caches, in MiB (0: no caches): the frozen backbone's
    /// features (train/featurecache.h) first, the rest for decoded images at
    /// training resolution (data/loader.h).
    int cacheBudgetMb = 1024;

    // Output
    std::string outDir;         // the run directory (required)
    bool resume = false;        // continue from outDir/checkpoint
    int samplePredictions = 8;  // thumbnails per epoch for the gallery
};

}  // namespace fts
