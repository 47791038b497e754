#pragma once

// Torch-free: the run's metrics per epoch, read back from events.jsonl.

#include <filesystem>
#include <optional>
#include <vector>

namespace fts {

/// One finished epoch of a run (an "epoch" line of events.jsonl). A value the
/// run did not record (no validation data, a NaN loss) is empty.
struct EpochRecord {
    int epoch = 0;  // 1-based
    std::optional<double> trainLoss;
    std::optional<double> trainAccuracy;  // 0..1
    std::optional<double> valLoss;
    std::optional<double> valAccuracy;  // 0..1
    std::optional<double> lr;
    std::optional<double> seconds;  // wall time of the epoch
};

/// The epochs of EVENTS (events.jsonl), ordered by epoch number; when an epoch
/// appears more than once (a resumed run), its last line wins. Lines that are
/// not JSON (a torn last line) are ignored. Throws fts::Error naming the file
/// when it cannot be read.
std::vector<EpochRecord> readEpochRecords(const std::filesystem::path& eventsFile);

/// metrics.csv: header
/// epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds
/// and one row per epoch; an unrecorded value is an empty field. Written
/// atomically; throws fts::Error naming the file.
void writeMetricsCsv(const std::filesystem::path& file, const std::vector<EpochRecord>& epochs);

}  // namespace fts
