#include "train/experiment.h"

#include "core/error.h"
#include "core/fileio.h"
#include "core/version.h"
#include "models/classifier.h"
#include "models/registry.h"
#include "train/freezeplan.h"
#include "train/trainer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>

namespace fts {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Forwards a run's events to the caller's observer and keeps the curves.
class RecordingObserver : public TrainObserver {
public:
    explicit RecordingObserver(TrainObserver* next) : m_next(next) {}

    void runStarted(const std::vector<std::string>& classNames, std::size_t trainImages,
                    std::size_t valImages) override {
        classes = classNames;
        if (m_next) m_next->runStarted(classNames, trainImages, valImages);
    }
    void batchFinished(const BatchProgress& progress) override {
        if (m_next) m_next->batchFinished(progress);
    }
    void epochFinished(const EpochMetrics& metrics) override {
        EpochMetrics copy = metrics;
        copy.perClass.clear();
        // A resumed epoch replaces the one recorded before.
        epochs.erase(std::remove_if(epochs.begin(), epochs.end(),
                                    [&](const EpochMetrics& e) { return e.epoch == copy.epoch; }),
                     epochs.end());
        epochs.push_back(copy);
        if (m_next) m_next->epochFinished(metrics);
    }
    void filesSkipped(const std::vector<SkippedFile>& files) override {
        if (m_next) m_next->filesSkipped(files);
    }
    void message(const std::string& text) override {
        if (m_next) m_next->message(text);
    }
    void finished(const RunSummary& summary) override {
        if (m_next) m_next->finished(summary);
    }

    std::vector<std::string> classes;
    std::vector<EpochMetrics> epochs;

private:
    TrainObserver* m_next;
};

json number(double value) {
    return std::isfinite(value) ? json(value) : json(nullptr);
}

json strategySettingsJson(const TrainSettings& s) {
    return {
        {"freeze", s.freeze},
        {"weights", s.weightsFile.empty()
                        ? std::string("random initialisation")
                        : "pretrained (" + fs::u8path(s.weightsFile).filename().u8string() + ")"},
        {"backbone_lr_scale", s.backboneLrScale},
        {"lr", s.lr},
        {"augment", s.augment}};
}

json readJsonFile(const fs::path& file) {
    std::ifstream in(file);
    if (!in) return json();
    return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

}  // namespace

const std::vector<std::string>& experimentStrategies() {
    static const std::vector<std::string> names{"head", "last", "full", "scratch"};
    return names;
}

std::string experimentStrategyTitle(const std::string& strategy) {
    if (strategy == "head") return "Head only (frozen backbone)";
    if (strategy == "last") return "Last block + head";
    if (strategy == "full") return "Everything, from pretrained weights";
    if (strategy == "scratch") return "Everything, from scratch (random weights)";
    return strategy;
}

std::vector<std::string> parseExperimentStrategies(const std::string& list) {
    std::vector<std::string> wanted;
    std::size_t start = 0;
    while (start <= list.size()) {
        const auto comma = list.find(',', start);
        std::string name =
            list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        name.erase(0, name.find_first_not_of(" \t"));
        name.erase(name.find_last_not_of(" \t") + 1);
        if (!name.empty()) {
            const auto& all = experimentStrategies();
            if (std::find(all.begin(), all.end(), name) == all.end())
                throw Error("--strategies: unknown strategy '" + name +
                            "'; choose from head, last, full, scratch");
            if (std::find(wanted.begin(), wanted.end(), name) != wanted.end())
                throw Error("--strategies: '" + name + "' is named twice");
            wanted.push_back(name);
        }
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    if (wanted.empty())
        throw Error("--strategies: no strategy named; choose from head, last, full, scratch");
    std::vector<std::string> ordered;
    for (const auto& name : experimentStrategies())
        if (std::find(wanted.begin(), wanted.end(), name) != wanted.end()) ordered.push_back(name);
    return ordered;
}

TrainSettings strategySettings(const TrainSettings& base, const std::string& strategy) {
    TrainSettings s = base;
    s.resume = false;
    if (strategy == "head") {
        s.freeze = "backbone";
    } else if (strategy == "last") {
        const ModelInfo* info = findModel(s.model);
        if (!info) createModel(s.model, 2);  // throws naming the known models
        // The spec depends only on the module tree: any head size will do.
        Classifier model = createModel(s.model, 2);
        s.freeze = lastBlockFreezeSpec(*model, info->backboneLastBlock);
    } else if (strategy == "full") {
        s.freeze = "none";
    } else if (strategy == "scratch") {
        s.freeze = "none";
        s.weightsFile.clear();
        s.backboneLrScale = 1.0;  // no layer is pretrained: all are new
    } else {
        throw Error("unknown strategy '" + strategy + "'; choose from head, last, full, scratch");
    }
    return s;
}

Experiment::Experiment(ExperimentSettings settings) : m_settings(std::move(settings)) {
    if (m_settings.strategies.empty()) m_settings.strategies = experimentStrategies();
}

void Experiment::requestStop() {
    m_stop.store(true);
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_trainer) m_trainer->requestStop();
}

ExperimentResult Experiment::run(ExperimentObserver* observer) {
    if (m_settings.outDir.empty()) throw Error("the experiment needs an output folder (--out)");
    const fs::path out = fs::u8path(m_settings.outDir);
    fs::create_directories(out);
    const auto& names = m_settings.strategies;
    // Set every strategy up first, so that a bad model name fails before any training.
    std::vector<TrainSettings> settings;
    for (const auto& name : names) {
        const auto own = m_settings.strategyBase.find(name);
        TrainSettings s = strategySettings(
            own != m_settings.strategyBase.end() ? own->second : m_settings.base, name);
        s.outDir = (out / name).u8string();
        settings.push_back(std::move(s));
    }

    ExperimentResult result;
    result.status = "completed";
    std::vector<std::string> classes;
    const int count = static_cast<int>(names.size());
    for (int i = 0; i < count && !m_stop.load(); ++i) {
        if (observer)
            observer->strategyStarted(i, count, names[std::size_t(i)], settings[std::size_t(i)]);
        StrategyResult r;
        r.strategy = names[std::size_t(i)];
        r.runDir = settings[std::size_t(i)].outDir;
        r.settings = settings[std::size_t(i)];
        RecordingObserver recorder(observer ? observer->runObserver() : nullptr);
        {
            Trainer trainer(r.settings);
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                m_trainer = &trainer;
            }
            if (m_stop.load()) trainer.requestStop();
            r.summary = trainer.run(&recorder);
            std::lock_guard<std::mutex> lock(m_mutex);
            m_trainer = nullptr;
        }
        r.epochs = recorder.epochs;
        const json config = readJsonFile(fs::u8path(r.runDir) / "config.json");
        if (config.is_object()) {
            r.trainableParameters = config.value("trainable_parameters", 0LL);
            r.totalParameters = config.value("total_parameters", 0LL);
        }
        if (classes.empty()) classes = r.summary.classes;
        if (r.summary.status == "cancelled")
            result.status = "cancelled";
        else if (r.summary.status != "completed" && result.status == "completed")
            result.status = "failed";
        if (observer) observer->strategyFinished(i, count, r);
        result.runs.push_back(std::move(r));
    }
    if (m_stop.load() && result.status == "completed") result.status = "cancelled";

    // experiment.json
    const TrainSettings& b = m_settings.base;
    json strategies = json::array();
    std::vector<json> perStrategy;
    for (const auto& r : result.runs) {
        json epochs = json::array();
        for (const auto& e : r.epochs)
            epochs.push_back({{"epoch", e.epoch},
                              {"train_loss", number(e.trainLoss)},
                              {"train_accuracy", number(e.trainAccuracy)},
                              {"val_loss", number(e.valLoss)},
                              {"val_accuracy", number(e.valAccuracy)},
                              {"seconds", number(e.seconds)}});
        const json s = strategySettingsJson(r.settings);
        perStrategy.push_back(s);
        strategies.push_back({{"name", r.strategy},
                              {"title", experimentStrategyTitle(r.strategy)},
                              {"run_dir", fs::u8path(r.runDir).filename().u8string()},
                              {"status", r.summary.status},
                              {"error", r.summary.error},
                              {"settings", s},
                              {"epochs", epochs},
                              {"final_val_accuracy", number(r.summary.finalValAccuracy)},
                              {"best_val_accuracy", number(r.summary.bestValAccuracy)},
                              {"wall_seconds", number(r.summary.wallSeconds)},
                              {"trainable_parameters", r.trainableParameters},
                              {"total_parameters", r.totalParameters}});
    }
    json differs = json::array();
    for (const char* key : {"freeze", "weights", "backbone_lr_scale", "lr", "augment"}) {
        bool same = true;
        for (const auto& s : perStrategy) same = same && s[key] == perStrategy.front()[key];
        if (!same) differs.push_back(key);
    }
    const json doc = {{"format", "finetune-studio-experiment"},
                      {"version", 1},
                      {"app_version", FTS_VERSION_STRING},
                      {"status", result.status},
                      {"model", b.model},
                      {"weights", b.weightsFile},
                      {"data", b.dataPath},
                      {"val_path", b.valPath},
                      {"val_split", b.valPath.empty() ? json(b.valSplit) : json(nullptr)},
                      {"epochs", b.epochs},
                      {"batch_size", b.batchSize},
                      {"lr", b.lr},
                      {"optimizer", b.optimizer},
                      {"scheduler", b.scheduler},
                      {"augment", b.augment},
                      {"image_size", b.imageSize},
                      {"seed", b.seed},
                      {"device", b.device},
                      {"classes", classes},
                      {"differs", differs},
                      {"strategies", strategies}};
    const std::string text = doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
    writeFileAtomically(out / "experiment.json", text.data(), text.size());
    return result;
}

}  // namespace fts
