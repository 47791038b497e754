#pragma once

#include "data/datasource.h"
#include "train/observer.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fts {

class ConfusionMatrix;
struct TrainSettings;

/// Settings as the run resolved them (config.json).
struct ResolvedSettings {
    std::string device;  // "cpu", "cuda:0"
    int threads = 1;
    int loaderWorkers = 1;
    int imageSize = 224;
    std::string freezeSpec;     // canonical
    std::string weightsSha256;  // of settings.weightsFile; empty without one
    std::string trainData;      // DataSource::description()
    std::string valData;
    std::vector<std::string> classes;
    std::size_t trainImages = 0;
    std::size_t valImages = 0;
    long long trainableParameters = 0;
    long long totalParameters = 0;
    int stepSize = 0;  // the step schedule's step actually used
    /// Images per training step after an out-of-memory halving (0: none;
    /// config.json "batch_size_after_out_of_memory").
    int stepBatchSize = 0;
};

/// One validation image's result (predictions.csv).
struct ItemPrediction {
    std::string item;
    int trueLabel = 0;
    int predicted = 0;
    double confidence = 0.0;
    double loss = 0.0;
};

/// The run directory of DESIGN.md. Every file except events.jsonl is
/// replaced atomically (temporary file + rename); events.jsonl is appended
/// one JSON object per line, flushed per line. Used on the training thread.
///
/// events.jsonl lines:
///   {"type":"batch","epoch","epochs","batch","batches","loss","lr","images_per_second","seconds_left"}
///   {"type":"epoch","epoch","epochs","train_loss","train_accuracy","val_loss","val_accuracy",
///    "lr","seconds","images_per_second","best"}
///   {"type":"skipped","files":[{"path","reason"}]}
///   {"type":"message","text"}
///   {"type":"finished", ...summary.json's keys}
/// Every line also has "time": seconds since the Unix epoch.
class RunDirectory {
public:
    /// Creates the folder (and parents). Throws fts::Error naming it.
    explicit RunDirectory(std::filesystem::path dir);

    const std::filesystem::path& path() const { return m_dir; }
    std::filesystem::path checkpointDir() const { return m_dir / "checkpoint"; }
    std::filesystem::path bestWeightsPath() const { return m_dir / "best.safetensors"; }

    void writeConfig(const TrainSettings& settings, const ResolvedSettings& resolved);
    void writePredictions(const std::vector<ItemPrediction>& rows,
                          const std::vector<std::string>& classNames);
    void writeConfusion(const ConfusionMatrix& matrix, const std::vector<std::string>& classNames);
    void writeSummary(const RunSummary& summary);

    /// events.jsonl. `truncate` starts a fresh file (a new run); resume appends.
    void openEvents(bool truncate);
    void batchEvent(const BatchProgress& progress);
    void epochEvent(const EpochMetrics& metrics);
    void skippedEvent(const std::vector<SkippedFile>& files);
    void messageEvent(const std::string& text);
    void finishedEvent(const RunSummary& summary);

private:
    void appendLine(const std::string& line);
    void writeText(const std::string& name, const std::string& text);

    std::filesystem::path m_dir;
    std::ofstream m_events;
};

/// SHA-256 (FIPS 180-4) as 64 lowercase hex digits. Streams the file in
/// chunks; throws fts::Error naming it when it cannot be read.
std::string sha256Hex(const void* data, std::size_t size);
std::string sha256OfFile(const std::filesystem::path& file);

}  // namespace fts
