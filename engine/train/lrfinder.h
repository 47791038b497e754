#pragma once

// Torch-free: the learning-rate range test (Leslie Smith, "Cyclical Learning
// Rates for Training Neural Networks", 2017) for the CLI's `lr-find` and the
// GUI's "Find learning rate…".

#include "train/settings.h"

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace fts {

class DataSource;

struct LrFinderOptions {
    int steps = 100;        // batches; the lr grows exponentially over them
    double startLr = 1e-7;  // of the head; the backbone gets lr * backboneLrScale
    double endLr = 10.0;
    double smoothing = 0.98;     // exponential moving average of the loss (bias-corrected)
    double divergeFactor = 4.0;  // stop when the smoothed loss exceeds this x the best
};

struct LrPoint {
    double lr = 0.0;
    double loss = 0.0;
    double smoothed = 0.0;
};

struct LrFinderResult {
    std::vector<LrPoint> points;
    /// The lr at the steepest descent of the smoothed loss (the most negative
    /// slope against log10 lr over a one-decade window, before the loss
    /// minimum; the first tenth of the curve is skipped as noise). When the curve is too short for
    /// that, a tenth of the lr at the minimum loss; `method` says which.
    double suggestedLr = 0.0;
    std::size_t suggestedIndex = 0;
    std::string method;  // "steepest descent" | "minimum / 10"
    double minimumLossLr = 0.0;
    bool diverged = false;  // stopped early: the loss exceeded divergeFactor x the best
    bool cancelled = false;
};

/// Trains a fresh copy of the model (the settings' --model, --weights,
/// --freeze, optimizer, augmentation, batch size, image size, threads) on
/// the training data with a growing lr and records the loss. Writes nothing
/// to disk; runs on the CPU on the thread that calls run(). Other threads may
/// only call requestStop().
class LrFinder {
public:
    LrFinder(TrainSettings settings, LrFinderOptions options = {});

    /// Use this data instead of opening settings.dataPath (tests, the GUI).
    void setDataSource(std::shared_ptr<const DataSource> train);

    /// Called after every step on the calling thread.
    using Progress = std::function<void(const LrPoint& point, int step, int steps)>;
    /// Throws fts::Error naming the setting or file at fault (no data, bad
    /// weights, nothing to train).
    LrFinderResult run(const Progress& progress = {});

    void requestStop() { m_stop.store(true); }

private:
    TrainSettings m_settings;
    LrFinderOptions m_options;
    std::shared_ptr<const DataSource> m_train;
    std::atomic<bool> m_stop{false};
};

/// The suggestion rule of LrFinderResult on a recorded curve (exposed for tests).
void suggestLearningRate(LrFinderResult& result);

/// CSV with header lr,loss,smoothed; written atomically; throws fts::Error
/// naming the file.
void writeLrFinderCsv(const std::filesystem::path& file, const LrFinderResult& result);

}  // namespace fts
