#pragma once

#include "train/observer.h"
#include "train/settings.h"

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace fts {

/// The fine-tuning strategies an experiment compares, in this order:
///   head     the pretrained backbone frozen, only the head trains
///   last     the last block of the backbone and the head train
///            (lastBlockFreezeSpec, the layer tree's "last block" preset)
///   full     everything trains, from the pretrained weights
///   scratch  everything trains, from random weights (no weights file; the
///            backbone learning rate is the head's: no layer is pretrained)
const std::vector<std::string>& experimentStrategies();

/// "Head only (frozen backbone)", ... for reports; the name itself when unknown.
std::string experimentStrategyTitle(const std::string& strategy);

/// Parses "head,last,full,scratch" (any subset, any order, no repeats) into
/// the canonical order. Throws fts::Error naming an unknown strategy.
std::vector<std::string> parseExperimentStrategies(const std::string& list);

/// `base` changed for one strategy (freeze, weightsFile, backboneLrScale);
/// outDir is left as it is. "last" builds the model once to find its last
/// block. Throws fts::Error for an unknown strategy or model.
TrainSettings strategySettings(const TrainSettings& base, const std::string& strategy);

struct ExperimentSettings {
    TrainSettings base;  // shared settings; base.outDir is ignored
    /// A strategy's own shared settings instead of `base` (the demo's head
    /// recipe: a larger learning rate, no augmentation); by strategy name.
    std::map<std::string, TrainSettings> strategyBase;
    std::vector<std::string> strategies;  // empty: all four
    std::string outDir;                   // runs go to outDir/<strategy>/
};

/// One strategy's result, as experiment.json records it.
struct StrategyResult {
    std::string strategy;
    std::string runDir;  // outDir/<strategy>
    TrainSettings settings;
    RunSummary summary;
    std::vector<EpochMetrics> epochs;  // perClass left empty
    long long trainableParameters = 0;
    long long totalParameters = 0;
};

struct ExperimentResult {
    std::string status = "failed";  // completed | cancelled | failed (some strategy failed)
    std::vector<StrategyResult> runs;
};

/// Told about each strategy's run; all calls on the experiment's thread.
class ExperimentObserver {
public:
    virtual ~ExperimentObserver() = default;
    virtual void strategyStarted(int index, int count, const std::string& strategy,
                                 const TrainSettings& settings) {}
    virtual void strategyFinished(int index, int count, const StrategyResult& result) {}
    /// Receives every run's training events (may be null).
    virtual TrainObserver* runObserver() { return nullptr; }
};

/// Trains the strategies one after another on the thread that calls run(),
/// each into a normal run directory, then writes outDir/experiment.json:
///   {"format":"finetune-studio-experiment","version":1,"model","weights",
///    "data","val_path","val_split","epochs","batch_size","lr","image_size","seed",
///    "classes":[...],"differs":["freeze",...] (keys of "settings"),
///    "strategies":[{"name","title","run_dir","status","error",
///      "settings":{"freeze","weights","backbone_lr_scale","lr","augment"},
///      "epochs":[{"epoch","train_loss","train_accuracy","val_loss","val_accuracy","seconds"}],
///      "final_val_accuracy","best_val_accuracy","wall_seconds",
///      "trainable_parameters","total_parameters"}]}
/// ("differs" lists the settings keys whose values are not the same for all
/// strategies run). Other threads may only call requestStop().
class Experiment {
public:
    explicit Experiment(ExperimentSettings settings);

    /// A failed strategy does not stop the others; a stop request cancels the
    /// current run (resumable) and skips the rest. Throws fts::Error only when
    /// experiment.json cannot be written or a strategy cannot be set up.
    ExperimentResult run(ExperimentObserver* observer = nullptr);

    void requestStop();

private:
    ExperimentSettings m_settings;
    std::atomic<bool> m_stop{false};
    std::mutex m_mutex;                  // guards m_trainer
    class Trainer* m_trainer = nullptr;  // the run in progress, owned by run()
};

}  // namespace fts
