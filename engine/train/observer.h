#pragma once

#include "data/datasource.h"
#include "data/imagedecode.h"

#include <cstdint>
#include <string>
#include <vector>

namespace fts {

struct BatchProgress {
    int epoch = 0;  // 1-based
    int epochs = 0;
    int batch = 0;  // 1-based, within the epoch
    int batches = 0;
    double loss = 0.0;          // this batch
    double learningRate = 0.0;  // head group
    double imagesPerSecond = 0.0;
    double secondsLeft = 0.0;  // estimate for the whole run
};

/// Validation precision / recall / F1 of one class.
struct ClassReport {
    std::string name;
    double precision = 0.0;
    double recall = 0.0;
    double f1 = 0.0;
    std::int64_t support = 0;  // validation images of the class
};

struct EpochMetrics {
    int epoch = 0;
    int epochs = 0;
    double trainLoss = 0.0;
    double trainAccuracy = 0.0;
    double valLoss = 0.0;
    double valAccuracy = 0.0;
    double learningRate = 0.0;
    double seconds = 0.0;
    double imagesPerSecond = 0.0;       // training images per second this epoch
    bool best = false;                  // best validation accuracy so far
    std::vector<ClassReport> perClass;  // validation, this epoch
};

struct SamplePrediction {
    std::string item;  // path or file#record
    int trueLabel = 0;
    int predicted = 0;
    double confidence = 0.0;  // softmax probability of `predicted`
    RgbImage thumbnail;       // small (<= 96 px) RGB copy of the image
};

/// One validation image's prediction after an epoch, for the gallery, the
/// confusion matrix and the inspector.
struct ValidationPrediction {
    std::string item;  // path or file#record (DataSource::itemName)
    int trueLabel = 0;
    int predicted = 0;
    double confidence = 0.0;  // softmax probability of `predicted`
    double loss = 0.0;        // cross-entropy of this image
    std::vector<int> topIndices;          // up to 5 classes, most probable first
    std::vector<float> topProbabilities;  // their softmax probabilities
    /// <= 96 px RGB, the image as the model sees it in validation (after the
    /// evaluation transform, before normalisation). Sent only the first time
    /// an item is reported in a run; empty afterwards (it cannot change).
    RgbImage thumbnail;
};

struct RunSummary {
    std::string status = "failed";  // completed | cancelled | failed
    std::string error;
    int epochsCompleted = 0;
    double bestValAccuracy = 0.0;
    double finalValAccuracy = 0.0;
    std::size_t trainImages = 0;
    std::size_t valImages = 0;
    std::vector<std::string> classes;
    std::vector<SkippedFile> skippedFiles;
    double imagesPerSecond = 0.0;
    double wallSeconds = 0.0;
    std::vector<ClassReport> perClass;  // validation, last completed epoch
};

/// Called on the training thread. Implementations must be quick (the GUI's
/// turns each call into a queued signal; the CLI's prints). The Trainer
/// itself writes events.jsonl, whoever observes.
class TrainObserver {
public:
    virtual ~TrainObserver() = default;
    virtual void runStarted(const std::vector<std::string>& classNames, std::size_t trainImages,
                            std::size_t valImages) {}
    virtual void batchFinished(const BatchProgress& progress) {}
    virtual void epochFinished(const EpochMetrics& metrics) {}
    virtual void samplesPredicted(int epoch, const std::vector<SamplePrediction>& samples) {}
    /// Return true to receive validationPredicted() (costs one thumbnail per
    /// validation image, once per run). Asked once, when the run starts.
    virtual bool wantsValidationPredictions() const { return false; }
    /// Every validation image's prediction, after each epoch's validation.
    virtual void validationPredicted(int epoch, const std::vector<ValidationPrediction>& rows) {}
    /// A few predictions on the training batch just computed (thumbnails of
    /// the augmented images the model trained on), at most about twice a
    /// second: the GUI's live strip.
    virtual void trainingSamples(int epoch, int batch, const std::vector<SamplePrediction>& samples) {}
    virtual void filesSkipped(const std::vector<SkippedFile>& files) {}
    virtual void message(const std::string& text) {}  // "resuming from epoch 3", warnings
    virtual void finished(const RunSummary& summary) {}
};

}  // namespace fts
