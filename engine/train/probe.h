#pragma once

#include "train/settings.h"

#include <string>

namespace fts {

/// What the compute probe measured.
struct ProbeResult {
    std::string model;
    std::string freeze;  // canonical spec
    std::string device;
    int threads = 0;
    int batchSize = 0;
    int imageSize = 0;
    int steps = 0;                      // timed steps (after warm-up)
    double secondsPerStep = 0.0;        // mean over the timed steps
    double medianSecondsPerStep = 0.0;  // less sensitive to a busy machine
    double imagesPerSecond = 0.0;       // batchSize / mean step time, as training counts it
    long long trainableParameters = 0;
};

/// The compute probe: the model's training step alone -- forward, loss,
/// backward and optimizer step on one batch of random tensors already in
/// memory -- with the settings' model, freeze plan (BatchNorm policy
/// included), optimizer, batch size, image size, threads and device; `steps`
/// timed steps after two untimed warm-up steps. Training throughput divided
/// by this is the data pipeline's efficiency. Throws fts::Error for bad
/// settings.
ProbeResult runComputeProbe(const TrainSettings& settings, int steps = 10, int classes = 3);

}  // namespace fts
