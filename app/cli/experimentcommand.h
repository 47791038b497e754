#pragma once

#include "train/settings.h"

#include <optional>
#include <string>

namespace CLI {
class App;
class Option;
}  // namespace CLI

// finetune-cli experiment and finetune-cli report.
namespace fts::cli {

/// Trains each strategy of `strategies` ("head,last,full,scratch" or a
/// subset) with `base` into OUT/<strategy>/, then writes OUT/experiment.json
/// and OUT/report.html. Ctrl-C stops the current run (resumable) and skips
/// the rest. Exit 0 when every run completed, 1 when one failed, 130 when
/// cancelled. `headBase`, when given, is the head strategy's own recipe.
int runExperiment(const TrainSettings& base, const std::string& strategies,
                  const std::string& outDir, const TrainSettings* headBase = nullptr);

/// Writes the HTML report of a run directory (default: RUNDIR/report.html)
/// or, when the folder holds experiment.json, of an experiment.
int runReport(const std::string& runDir, const std::string& outFile);

/// The `experiment` and `report` subcommands: registers them on `app` (the
/// object must outlive app.parse()); run() after parsing executes the chosen
/// one, or returns nothing when neither was chosen.
class ExperimentCommands {
public:
    explicit ExperimentCommands(CLI::App& app);
    ExperimentCommands(const ExperimentCommands&) = delete;
    ExperimentCommands& operator=(const ExperimentCommands&) = delete;

    std::optional<int> run();

private:
    CLI::App* m_experiment = nullptr;
    CLI::App* m_report = nullptr;
    TrainSettings m_settings;
    bool m_demo = false;
    std::string m_strategies = "head,last,full,scratch";
    std::string m_out;
    std::string m_reportRun;
    std::string m_reportOut;
};

}  // namespace fts::cli
