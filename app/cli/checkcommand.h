#pragma once

#include "data/healthcheck.h"

#include <cstdint>
#include <optional>
#include <string>

namespace CLI {
class App;
}  // namespace CLI

// finetune-cli check: the dataset health check (engine/data/healthcheck.h).
namespace fts::cli {

/// Checks --data (and --val, or the --val-split hold-out) and prints the
/// findings as text or JSON. Exit 0 whatever it finds (warnings are not
/// errors); 1 when the data cannot be opened.
int runCheck(const std::string& data, const std::string& val, const HealthCheckOptions& options,
             bool json);

/// Registers the `check` subcommand on `app` (the object must outlive
/// app.parse()); run() after parsing executes it, or returns nothing when it
/// was not chosen.
class CheckCommand {
public:
    explicit CheckCommand(CLI::App& app);
    CheckCommand(const CheckCommand&) = delete;
    CheckCommand& operator=(const CheckCommand&) = delete;

    std::optional<int> run();

private:
    CLI::App* m_check = nullptr;
    std::string m_data;
    std::string m_val;
    HealthCheckOptions m_options;
    bool m_json = false;
};

}  // namespace fts::cli
