#include "checkcommand.h"

#include "data/datasource.h"
#include "data/healthcheck.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>

namespace fts::cli {
namespace {

// Files listed under each warning in text mode (JSON lists them all).
constexpr std::size_t kTextFiles = 8;

const char* setName(HealthSet set) {
    return set == HealthSet::Training ? "train" : "val";
}

nlohmann::json toJson(const HealthReport& r) {
    using nlohmann::json;
    const auto counts = [](const HealthClassCounts& c) {
        json a = json::array();
        for (std::size_t i = 0; i < c.classNames.size(); ++i)
            a.push_back({{"class", c.classNames[i]}, {"images", c.counts[i]}});
        return a;
    };
    json j;
    j["summary"] = healthSummaryLine(r);
    j["trainingImages"] = r.trainingImages;
    j["validationImages"] = r.validationImages;
    j["validationIsSplit"] = r.validationIsSplit;
    j["unreadable"] = r.unreadable;
    j["leakedValidation"] = r.leakedValidation;
    j["imbalance"] = r.imbalance;
    j["cancelled"] = r.cancelled;
    j["training"] = counts(r.training);
    j["validation"] = counts(r.validation);
    json warnings = json::array();
    for (const auto& w : r.warnings) {
        json files = json::array();
        for (const auto& f : w.files)
            files.push_back({{"item", f.item}, {"class", f.className}, {"set", setName(f.set)}});
        warnings.push_back({{"kind", healthWarningKindId(w.kind)},
                            {"severity", healthSeverityId(w.severity)},
                            {"message", w.message},
                            {"files", files}});
    }
    j["warnings"] = warnings;
    return j;
}

void printText(const HealthReport& r) {
    std::cout << healthSummaryLine(r) << "\n";
    std::cout << "class";
    for (const auto& n : r.training.classNames) std::cout << "\t" << n;
    std::cout << "\ntrain";
    for (const auto c : r.training.counts) std::cout << "\t" << c;
    if (!r.validation.classNames.empty()) {
        std::cout << "\nval";
        for (const auto c : r.validation.counts) std::cout << "\t" << c;
    }
    std::cout << "\n";
    if (r.warnings.empty()) std::cout << "no findings\n";
    for (const auto& w : r.warnings) {
        std::cout << healthSeverityId(w.severity) << " [" << healthWarningKindId(w.kind) << "] "
                  << w.message << "\n";
        for (std::size_t i = 0; i < w.files.size() && i < kTextFiles; ++i) {
            const auto& f = w.files[i];
            std::cout << "    " << setName(f.set) << "  " << f.item;
            if (!f.className.empty()) std::cout << "  (" << f.className << ")";
            std::cout << "\n";
        }
        if (w.files.size() > kTextFiles)
            std::cout << "    ... and " << w.files.size() - kTextFiles << " more\n";
    }
    std::cout.flush();
}

}  // namespace

int runCheck(const std::string& data, const std::string& val, const HealthCheckOptions& options,
             bool json) {
    try {
        const auto train = openDataSource(data);
        std::unique_ptr<DataSource> validation;
        if (!val.empty()) validation = openDataSource(val);
        std::size_t lastPercent = 101;
        const auto progress = [&](std::size_t done, std::size_t total) {
            const std::size_t percent = total ? done * 100 / total : 100;
            if (percent != lastPercent && percent % 10 == 0) {
                std::cerr << "checking: " << done << "/" << total << " images\r" << std::flush;
                lastPercent = percent;
            }
        };
        const HealthReport report = checkDatasetHealth(*train, validation.get(), options,
                                                       json ? HealthProgress{} : progress);
        if (!json) std::cerr << std::string(40, ' ') << "\r" << std::flush;
        if (json)
            std::cout << toJson(report).dump(2) << std::endl;
        else
            printText(report);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << std::endl;
        return 1;
    }
}

CheckCommand::CheckCommand(CLI::App& app) {
    m_options.valSplit = 0.2;  // as train: TrainSettings::valSplit
    m_check = app.add_subcommand(
        "check",
        "Check a dataset before training: unreadable files, class balance, duplicates "
        "and training/validation leakage");
    m_check
        ->add_option("--data", m_data, "ImageFolder directory, IDX images file or CIFAR-10 folder")
        ->required();
    auto* val = m_check->add_option("--val", m_val, "Separate validation data");
    m_check
        ->add_option("--val-split", m_options.valSplit,
                     "Fraction of --data held out for validation, as train does (0: none)")
        ->check(CLI::Range(0.0, 0.9))
        ->excludes(val)
        ->capture_default_str();
    m_check->add_option("--seed", m_options.seed, "Seed of the split")->capture_default_str();
    m_check
        ->add_option("--near-distance", m_options.nearDuplicateDistance,
                     "Near duplicates: most differing bits of the 64-bit perceptual hash (-1: off)")
        ->check(CLI::Range(-1, 32))
        ->capture_default_str();
    m_check
        ->add_option("--near-correlation", m_options.nearDuplicateCorrelation,
                     "Near duplicates: least correlation of the 16x16 grayscale thumbnails")
        ->check(CLI::Range(-1.0, 1.0))
        ->capture_default_str();
    m_check
        ->add_option("--imbalance", m_options.imbalanceRatio,
                     "Warn when the largest class has this many times the smallest's images")
        ->check(CLI::Range(1.0, 1e9))
        ->capture_default_str();
    m_check->add_flag("--json", m_json, "Print JSON");
}

std::optional<int> CheckCommand::run() {
    if (!m_check || !*m_check) return std::nullopt;
    HealthCheckOptions options = m_options;
    if (!m_val.empty()) options.valSplit = 0.0;
    return runCheck(m_data, m_val, options, m_json);
}

}  // namespace fts::cli
