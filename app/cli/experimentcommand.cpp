#include "experimentcommand.h"
#include "progressprinter.h"

#include "core/fileio.h"
#include "export/htmlreport.h"
#include "train/experiment.h"

#include <atomic>
#include <csignal>
#include <filesystem>
#include <iomanip>
#include <iostream>

namespace fts::cli {
namespace {

namespace fs = std::filesystem;

std::atomic<bool> g_interrupted{false};

extern "C" void onExperimentInterrupt(int) {
    g_interrupted.store(true);
}

void printError(std::string message) {
    for (std::size_t i = message.find('\n'); i != std::string::npos; i = message.find('\n', i))
        message.replace(i, 1, "; ");
    std::cerr << "error: " << message << std::endl;
}

// Prints each run like `train` does, and turns Ctrl-C (a flag set by the
// signal handler) into Experiment::requestStop() on the training thread.
class ExperimentPrinter : public ExperimentObserver, public ProgressPrinter {
public:
    explicit ExperimentPrinter(Experiment& experiment) : m_experiment(experiment) {}

    void strategyStarted(int index, int count, const std::string& strategy,
                         const TrainSettings& s) override {
        std::cout << "\n[" << index + 1 << "/" << count << "] " << strategy << ": "
                  << experimentStrategyTitle(strategy) << " (freeze " << s.freeze << ", "
                  << (s.weightsFile.empty() ? "random weights" : "pretrained weights") << ")"
                  << std::endl;
    }
    void strategyFinished(int, int, const StrategyResult& r) override {
        std::cout << std::fixed << std::setprecision(3) << r.strategy << ": " << r.summary.status
                  << ", final val accuracy " << r.summary.finalValAccuracy << ", best "
                  << r.summary.bestValAccuracy << ", " << std::setprecision(1)
                  << r.summary.wallSeconds << " s, " << r.trainableParameters
                  << " trainable parameters" << std::endl;
        std::cout.unsetf(std::ios::floatfield);
    }
    TrainObserver* runObserver() override { return this; }
    void batchFinished(const BatchProgress& progress) override {
        if (g_interrupted.load()) m_experiment.requestStop();
        ProgressPrinter::batchFinished(progress);
    }

private:
    Experiment& m_experiment;
};

}  // namespace

int runExperiment(const TrainSettings& base, const std::string& strategies,
                  const std::string& outDir, const TrainSettings* headBase) {
    try {
        ExperimentSettings settings;
        settings.base = base;
        if (headBase) settings.strategyBase["head"] = *headBase;
        settings.strategies = parseExperimentStrategies(strategies);
        settings.outDir = outDir;
        Experiment experiment(settings);
        ExperimentPrinter printer(experiment);
        g_interrupted.store(false);
        auto previous = std::signal(SIGINT, onExperimentInterrupt);
        ExperimentResult result;
        try {
            result = experiment.run(&printer);
        } catch (...) {
            std::signal(SIGINT, previous);
            throw;
        }
        std::signal(SIGINT, previous);
        const fs::path out = fs::u8path(outDir);
        writeExperimentReport(out, out / "report.html");
        std::cout << "\nwrote " << displayPath(out / "experiment.json") << " and "
                  << displayPath(out / "report.html") << std::endl;
        if (result.status == "cancelled") return 130;
        if (result.status != "completed") {
            for (const auto& r : result.runs)
                if (r.summary.status == "failed")
                    printError(r.strategy + ": " +
                               (r.summary.error.empty() ? std::string("the run failed")
                                                        : r.summary.error));
            return 1;
        }
        return 0;
    } catch (const std::exception& e) {
        printError(e.what());
        return 1;
    }
}

int runReport(const std::string& runDir, const std::string& outFile) {
    try {
        const fs::path dir = fs::u8path(runDir);
        const fs::path out = outFile.empty() ? dir / "report.html" : fs::u8path(outFile);
        if (fs::exists(dir / "experiment.json"))
            writeExperimentReport(dir, out);
        else
            writeRunReport(dir, out);
        std::cout << "wrote " << displayPath(out) << std::endl;
        return 0;
    } catch (const std::exception& e) {
        printError(e.what());
        return 1;
    }
}

}  // namespace fts::cli

#include "train/demopreset.h"

#include <CLI/CLI.hpp>

namespace fts::cli {

ExperimentCommands::ExperimentCommands(CLI::App& app) {
    TrainSettings& s = m_settings;
    auto* e = m_experiment = app.add_subcommand(
        "experiment",
        "Train one model with four fine-tuning strategies (head only, last block + head, "
        "everything, from scratch) on the same data and compare them in OUT/report.html");
    e->add_flag("--demo", m_demo,
                "The bundled demo's model, weights and data (the other options override it)");
    e->add_option("--model", s.model, "Architecture (see `finetune-cli models`)");
    e->add_option("--weights", s.weightsFile,
                  "Pretrained weights (safetensors or .pth) for head, last and full");
    e->add_option("--data", s.dataPath,
                  "ImageFolder directory, IDX images file or CIFAR-10 folder");
    auto* val = e->add_option("--val", s.valPath, "Separate validation data (same classes)");
    e->add_option("--val-split", s.valSplit, "Fraction of --data held out for validation")
        ->check(CLI::Range(0.0, 0.9))
        ->excludes(val);
    e->add_option("--epochs", s.epochs, "Passes over the training data, per strategy")
        ->check(CLI::Range(1, 100000));
    e->add_option("--batch-size", s.batchSize, "Images per step")->check(CLI::Range(1, 65536));
    e->add_option("--lr", s.lr, "Learning rate of the head")->check(CLI::Range(1e-8, 10.0));
    e->add_option("--image-size", s.imageSize, "Crop size S (0: the model's)")
        ->check(CLI::Range(0, 2048));
    e->add_option("--seed", s.seed, "Random seed, the same for every strategy");
    e->add_option("--threads", s.threads, "Intra-op threads (0: all cores)")
        ->check(CLI::Range(0, 1024));
    e->add_option("--device", s.device, "auto, cpu, cuda or cuda:N");
    e->add_option("--strategies", m_strategies,
                  "Comma-separated subset of head, last, full, scratch")
        ->capture_default_str();
    e->add_option("--out", m_out, "Folder for the runs, experiment.json and report.html")
        ->required();

    auto* r = m_report = app.add_subcommand(
        "report", "Write a self-contained HTML report of a run directory or an experiment folder");
    r->add_option("--run", m_reportRun, "Run directory (or experiment folder)")->required();
    r->add_option("--out", m_reportOut, "HTML file to write (default: RUNDIR/report.html)");
}

std::optional<int> ExperimentCommands::run() {
    if (m_report && m_report->parsed()) return runReport(m_reportRun, m_reportOut);
    if (!m_experiment || !m_experiment->parsed()) return std::nullopt;
    TrainSettings s = m_settings;
    if (m_demo) {
        // The demo's "full" recipe is the shared one; options given override it.
        TrainSettings demo;
        try {
            demo = demoSettings("full");
        } catch (const std::exception& e) {
            printError(e.what());
            return 1;
        }
        const auto given = [&](const char* name) { return m_experiment->count(name) > 0; };
        if (given("--model")) demo.model = s.model;
        if (given("--weights")) demo.weightsFile = s.weightsFile;
        if (given("--data")) demo.dataPath = s.dataPath;
        if (given("--val")) demo.valPath = s.valPath;
        if (given("--val-split")) {
            demo.valPath.clear();
            demo.valSplit = s.valSplit;
        }
        if (given("--epochs")) demo.epochs = s.epochs;
        if (given("--batch-size")) demo.batchSize = s.batchSize;
        if (given("--lr")) demo.lr = s.lr;
        if (given("--image-size")) demo.imageSize = s.imageSize;
        if (given("--seed")) demo.seed = s.seed;
        demo.threads = s.threads;
        demo.device = s.device;
        s = demo;
        // A linear head on frozen features learns best with the demo's head
        // recipe (demopreset.cpp: lr 5e-2, no augmentation; with the shared
        // lr 1e-2 and light augmentation it scores below training from
        // scratch). Given --lr keeps one learning rate for all.
        const TrainSettings head = demoHeadRecipe(s, /*keepLearningRate=*/given("--lr"));
        return runExperiment(s, m_strategies, m_out, &head);
    } else if (m_experiment->count("--model") == 0 || m_experiment->count("--data") == 0) {
        printError(
            "experiment needs --model and --data (and --weights for the pretrained "
            "strategies), or --demo");
        return 2;
    }
    return runExperiment(s, m_strategies, m_out);
}

}  // namespace fts::cli
