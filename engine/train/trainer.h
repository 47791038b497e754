#pragma once

#include "train/observer.h"
#include "train/settings.h"

#include <atomic>
#include <memory>

namespace fts {

class DataSource;

/// One training run, start to finish, on the thread that calls run(): the
/// model, the optimizer, the loaders' consumer side and every autograd guard
/// live there. Other threads may only call requestStop() and setPaused().
///
/// Writes the run directory of DESIGN.md (config.json, events.jsonl,
/// checkpoint/, best.safetensors, predictions.csv, confusion.csv,
/// summary.json) and reports to the observer as it goes.
class Trainer {
public:
    explicit Trainer(TrainSettings settings);

    /// Never throws: a failure ends the run with status "failed" and a
    /// message that names the file or setting at fault, in the summary and
    /// in observer->finished().
    RunSummary run(TrainObserver* observer = nullptr);

    /// Honoured within one batch; the run ends "cancelled" after writing a
    /// resumable checkpoint of the last completed epoch.
    void requestStop() { m_stop.store(true); }
    void setPaused(bool paused) { m_paused.store(paused); }
    bool isPaused() const { return m_paused.load(); }

    const TrainSettings& settings() const { return m_settings; }

    /// Train on these sources instead of opening settings.dataPath /
    /// settings.valPath (tests, generated or already opened data). A null
    /// `val` splits `train` by settings.valSplit and settings.seed. The paths
    /// in the settings, if any, are then only recorded in config.json.
    void setDataSources(std::shared_ptr<const DataSource> train,
                        std::shared_ptr<const DataSource> val = nullptr);

private:
    TrainSettings m_settings;
    std::shared_ptr<const DataSource> m_trainSource;
    std::shared_ptr<const DataSource> m_valSource;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_paused{false};
};

}  // namespace fts
