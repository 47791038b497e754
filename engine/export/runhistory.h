#pragma once

// Torch-free: the runs in a runs folder read back from their run directories
// (config.json, events.jsonl, summary.json) and experiment folders
// (experiment.json), for the GUI's run history and comparison.

#include <filesystem>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace fts {

inline constexpr double kNoRunValue = std::numeric_limits<double>::quiet_NaN();

/// One finished epoch of a run; NaN where the run did not record a value.
struct RunEpoch {
    int epoch = 0;  // 1-based
    double trainLoss = kNoRunValue;
    double trainAccuracy = kNoRunValue;  // 0..1
    double valLoss = kNoRunValue;
    double valAccuracy = kNoRunValue;  // 0..1
    double seconds = kNoRunValue;      // wall time of the epoch
    double lr = kNoRunValue;
};

/// What the run history shows of one run directory.
struct RunRecord {
    std::string dir;            // the run directory, UTF-8
    std::string name;           // its folder name
    std::string experiment;     // the experiment folder's name; "" for a standalone run
    std::string strategy;       // the experiment strategy (head, last, full, scratch); "" if none
    std::string strategyTitle;  // "Head only (frozen backbone)", ...; "" if none
    /// completed | cancelled | failed (summary.json); running (no summary yet
    /// and events.jsonl written to in the last few minutes) | unknown (no
    /// summary: the run was killed or is paused)
    std::string status = "unknown";
    std::string error;       // summary.json's error, if any
    double startedAt = 0.0;  // Unix seconds: the first event, else config.json's time
    std::string model;
    std::string freeze;   // canonical freeze spec
    std::string weights;  // the starting weights file; "" from scratch
    /// Flat, ordered, human-readable values by key: model, weights, freeze,
    /// epochs, batch_size, optimizer, lr, backbone_lr_scale, weight_decay,
    /// momentum, schedule, warmup_epochs, augment, image_size, precision, seed,
    /// device, data, validation, classes. Keys are stable (the GUI labels them).
    std::vector<std::pair<std::string, std::string>> settings;
    std::vector<RunEpoch> epochs;          // by epoch number; a resumed epoch's last line wins
    int plannedEpochs = 0;                 // config.json's epochs
    double bestValAccuracy = kNoRunValue;  // 0..1; NaN without a validation result
    double finalValAccuracy = kNoRunValue;
    double wallSeconds =
        kNoRunValue;  // summary.json's, else first to last event; NaN without events

    /// The value of a settings key; "" when the run has none.
    std::string setting(const std::string& key) const;
};

/// Reads one run directory. Throws fts::Error naming the file when
/// config.json is missing or damaged. A missing or partly written
/// events.jsonl or summary.json is tolerated (a run in progress or killed
/// shows what it has; a torn last line is ignored).
RunRecord loadRunRecord(const std::filesystem::path& dir);

struct RunScan {
    std::vector<RunRecord> runs;        // newest first
    std::vector<std::string> problems;  // one sentence per damaged folder, naming it
};

/// The runs of FOLDER: its direct children that are run directories, plus the
/// strategy runs of its experiment folders (experiment.json, or strategy
/// subfolders of an experiment still running), tagged with experiment and
/// strategy; newest first. Damaged folders go to `problems`; never throws.
/// A missing or empty folder gives an empty scan.
RunScan scanRuns(const std::filesystem::path& folder);

/// The settings keys (in first-seen order) whose values are not the same in
/// all RUNS; a key missing in some run counts as differing. Empty for fewer
/// than two runs.
std::vector<std::string> differingSettings(const std::vector<RunRecord>& runs);

}  // namespace fts
