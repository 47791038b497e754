#pragma once

#include "train/lrfinder.h"
#include "train/settings.h"

#include <optional>
#include <string>

namespace CLI {
class App;
}  // namespace CLI

// finetune-cli lr-find: the learning-rate range test (engine/train/lrfinder.h).
namespace fts::cli {

/// Registers the `lr-find` subcommand on `app` (the object must outlive
/// app.parse()); run() after parsing executes it, or returns nothing when it
/// was not chosen. Prints the curve's progress and the suggestion; writes
/// the CSV (lr,loss,smoothed) when --csv is given. Exit 0, or 1 on an error.
class LrFindCommand {
public:
    explicit LrFindCommand(CLI::App& app);
    LrFindCommand(const LrFindCommand&) = delete;
    LrFindCommand& operator=(const LrFindCommand&) = delete;

    std::optional<int> run();

private:
    CLI::App* m_command = nullptr;
    TrainSettings m_settings;
    LrFinderOptions m_options;
    std::string m_csv;
};

}  // namespace fts::cli
