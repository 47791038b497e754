#include "clicommands.h"

#include "core/error.h"
#include "core/fileio.h"
#include "export/bundle.h"
#include "export/batchprediction.h"
#include "export/predictor.h"
#include "export/pythonhelper.h"
#include "models/registry.h"
#include "models/torchscriptbackbone.h"
#include "progressprinter.h"
#include "train/demopreset.h"
#include "train/devices.h"
#include "train/probe.h"
#include "train/trainer.h"
#include "weights/statedictloader.h"
#include "weights/weightfile.h"

#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using nlohmann::json;

namespace fts::cli {
namespace {

// The contract: one line on stderr that names the file and the problem.
void printError(std::string message) {
    for (std::size_t i = message.find('\n'); i != std::string::npos; i = message.find('\n', i))
        message.replace(i, 1, "; ");
    std::cerr << "error: " << message << std::endl;
}

std::string shapeText(const std::vector<std::int64_t>& shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

std::string withThousands(std::int64_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    int count = 0;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        if (count && count % 3 == 0 && *it != '-') out.insert(out.begin(), ',');
        out.insert(out.begin(), *it);
        ++count;
    }
    return out;
}

// Debian's LibTorch starts with one intra-op thread; use every core this
// process may use (affinity and cgroup quota).
void useAllCores() {
    at::set_num_threads(usableCores());
}

// Explicit files are always tried; folders contribute their images,
// decided by content (the image policy's detector) as `predict --csv` and
// training do, recursively, in byte-wise path order. A file that looks like
// an image but cannot be read is reported and counted as a failure.
std::vector<fs::path> collectImages(const std::vector<std::string>& args, int* failures) {
    std::vector<fs::path> paths;
    paths.reserve(args.size());
    for (const auto& a : args) paths.push_back(fs::u8path(a));
    const ImageCollection collection = collectImagesToPredict(paths, {});
    for (const auto& skipped : collection.skipped) {
        printError(skipped.path + ": " + skipped.reason);
        ++*failures;
    }
    std::vector<fs::path> out;
    out.reserve(collection.images.size());
    for (const auto& image : collection.images) out.push_back(image.file);
    return out;
}

// The number of classes a state dict's head was trained for.
std::int64_t headClassCount(const TensorList& tensors, const std::string& headPath,
                            const std::string& file) {
    const std::string key = headPath + ".weight";
    for (const auto& [name, t] : tensors) {
        if (namesEntry(name, key) && t.dim() == 2) return t.size(0);
    }
    throw Error(file + ": has no '" + key +
                "' tensor, so it is not a complete model of this architecture (run `finetune-cli "
                "inspect` on it to see what it holds)");
}

// Trainer currently running, for the Ctrl-C handler (an atomic store is
// async-signal-safe; requestStop() is one).
std::atomic<Trainer*> g_runningTrainer{nullptr};

extern "C" void onInterrupt(int) {
    if (Trainer* t = g_runningTrainer.load()) t->requestStop();
}

}  // namespace

int predictImages(const Predictor& predictor, const PredictOptions& options, int classes);
int predictToCsv(const Predictor& predictor, const PredictOptions& options, int classes);

int runModels(bool asJson) {
    const auto& models = modelRegistry();
    if (asJson) {
        json arr = json::array();
        for (const auto& m : models) {
            arr.push_back({{"name", m.name},
                           {"family", m.family},
                           {"description", m.description},
                           {"input_size", m.inputSize},
                           {"mean", m.mean},
                           {"std", m.std},
                           {"head", m.headPath},
                           {"last_block", m.backboneLastBlock},
                           {"parameters", m.imagenetParameters},
                           {"weights_url", m.weightsUrl},
                           {"weights_sha256_prefix", m.weightsSha256Prefix}});
        }
        std::cout << arr.dump(2) << std::endl;
        return 0;
    }
    std::cout << std::left << std::setw(20) << "MODEL" << std::setw(14) << "FAMILY" << std::setw(7)
              << "INPUT" << std::setw(14) << "PARAMETERS"
              << "HEAD" << '\n';
    for (const auto& m : models) {
        std::cout << std::left << std::setw(20) << m.name << std::setw(14) << m.family
                  << std::setw(7) << m.inputSize << std::setw(14)
                  << withThousands(m.imagenetParameters) << m.headPath << '\n';
    }
    return 0;
}

// A TorchScript archive: code, not a state dict; said so, with what
// `train --model torchscript --weights FILE` would make of it.
int inspectTorchScriptFile(const fs::path& file, bool asJson) {
    const TorchScriptSummary ts = inspectTorchScript(file);
    const std::string name = displayPath(file);
    if (asJson) {
        json children = json::array();
        for (const auto& [child, type] : ts.children)
            children.push_back({{"name", child}, {"type", type}});
        json out = {{"file", name},         {"format", "TorchScript"},
                    {"type", ts.type},      {"usable_as_backbone", ts.usable},
                    {"image_size", ts.imageSize}, {"features", ts.features},
                    {"parameters", ts.parameters}, {"tensors", ts.tensors},
                    {"children", children}};
        if (!ts.usable) out["problem"] = ts.problem;
        std::cout << out.dump(2) << std::endl;
        return 0;
    }
    if (!ts.usable) {
        std::cout << name << ": TorchScript archive (torch.jit.save), not usable as a backbone: "
                  << ts.problem << '\n';
        return 0;
    }
    std::cout << name << ": TorchScript archive (torch.jit.save), a " << ts.type << " backbone: "
              << ts.features << " features at " << ts.imageSize << " px"
              << (ts.poolsFeatureMap ? " (feature map, average-pooled)" : "") << ", "
              << ts.tensors << " tensors, " << withThousands(ts.parameters)
              << " parameters\n  modules:";
    for (const auto& [child, type] : ts.children) std::cout << ' ' << child << " (" << type << ')';
    std::cout << "\n  fine-tune it with: finetune-cli train --model torchscript --weights " << name
              << " ...\n  (a TorchScript file is code: use files from a trusted source)\n";
    return 0;
}

int runInspect(const std::string& fileArg, bool asJson) {
    const fs::path file = fs::u8path(fileArg);
    try {
        if (isTorchScriptFile(file)) return inspectTorchScriptFile(file, asJson);
        const WeightFile wf = loadWeightFile(file);
        const auto infos = describeTensors(wf.tensors);
        std::int64_t total = 0;
        for (const auto& i : infos) total += i.numel;
        if (asJson) {
            json tensors = json::array();
            for (const auto& i : infos)
                tensors.push_back({{"name", i.name}, {"dtype", i.dtype}, {"shape", i.shape}});
            json out = {{"file", displayPath(file)}, {"format", weightFormatName(wf.format)},
                        {"tensors", tensors},        {"parameters", total},
                        {"metadata", wf.metadata},   {"other_entries", wf.otherEntries}};
            std::cout << out.dump(2) << std::endl;
            return 0;
        }
        std::size_t width = 4;
        for (const auto& i : infos) width = std::max(width, i.name.size());
        std::cout << displayPath(file) << ": " << weightFormatName(wf.format) << ", "
                  << infos.size() << " tensors, " << withThousands(total) << " values\n";
        for (const auto& i : infos)
            std::cout << "  " << std::left << std::setw(static_cast<int>(width) + 2) << i.name
                      << std::setw(10) << i.dtype << shapeText(i.shape) << '\n';
        for (const auto& [k, v] : wf.metadata)
            std::cout << "  metadata " << k << " = " << v << '\n';
        if (!wf.otherEntries.empty()) {
            std::cout << "  other entries (not tensors):";
            for (const auto& e : wf.otherEntries) std::cout << ' ' << e;
            std::cout << '\n';
        }
        return 0;
    } catch (const std::exception& e) {
        printError(e.what());
        return 1;
    }
}

int runPredict(const PredictOptions& options) {
    try {
        if (!options.run.empty() || !options.bundle.empty()) {
            useAllCores();
            const LoadedModel loaded = options.run.empty() ? loadBundle(fs::u8path(options.bundle))
                                                           : loadRun(fs::u8path(options.run));
            const auto& d = loaded.description;
            std::vector<std::string> labels = d.classes;
            if (!options.classesFile.empty())
                labels = readLabelsFile(fs::u8path(options.classesFile),
                                        static_cast<int>(labels.size()));
            return predictImages(
                Predictor(loaded.model, std::move(labels),
                          options.imageSize > 0 ? options.imageSize : d.inputSize, d.norm),
                options, static_cast<int>(d.classes.size()));
        }
        const ModelInfo* info = findModel(options.model);
        if (!info) {
            std::string known;
            for (const auto& m : modelRegistry()) known += (known.empty() ? "" : ", ") + m.name;
            throw Error("unknown model '" + options.model + "' (known: " + known + ")");
        }
        useAllCores();
        const fs::path weightsPath = fs::u8path(options.weights);
        const std::string weightsName = displayPath(weightsPath);
        const WeightFile wf = loadWeightFile(weightsPath);
        const std::int64_t classes = headClassCount(wf.tensors, info->headPath, weightsName);

        Classifier model = createModel(info->name, classes);
        const LoadReport report = loadStateDict(*model, wf.tensors);
        if (!report.complete())
            throw Error(weightsName + ": does not fit " + info->name + ": " + report.describe(4));

        std::vector<std::string> labels =
            options.classesFile.empty()
                ? defaultLabels(static_cast<int>(classes))
                : readLabelsFile(fs::u8path(options.classesFile), static_cast<int>(classes));
        const int crop = options.imageSize > 0 ? options.imageSize : info->inputSize;
        Normalization norm;
        norm.mean = info->mean;
        norm.std = info->std;
        return predictImages(Predictor(model, std::move(labels), crop, norm), options,
                             static_cast<int>(classes));
    } catch (const std::exception& e) {
        printError(e.what());
        return 1;
    }
}

int predictImages(const Predictor& predictor, const PredictOptions& options, int classes) {
    if (!options.csv.empty()) return predictToCsv(predictor, options, classes);
    try {
        int failures = 0;
        const auto images = collectImages(options.images, &failures);
        if (images.empty()) {
            if (failures > 0) return 1;  // each problem has had its line
            throw Error("no image files found in the given paths");
        }
        const int topk = std::min<int>(options.topk, classes);

        json results = json::array();
        for (const auto& image : images) {
            Prediction p;
            try {
                p = predictor.predictFile(image, topk);
            } catch (const std::exception& e) {
                printError(e.what());
                ++failures;
                continue;
            }
            if (options.json) {
                json top = json::array();
                for (const auto& s : p.top)
                    top.push_back(
                        {{"index", s.index}, {"label", s.label}, {"probability", s.probability}});
                results.push_back({{"path", p.path}, {"top", top}});
            } else {
                std::cout << p.path << '\n';
                for (std::size_t i = 0; i < p.top.size(); ++i) {
                    std::ostringstream pct;
                    pct << std::fixed << std::setprecision(2) << 100.0 * p.top[i].probability
                        << '%';
                    std::cout << "  " << (i + 1) << ". " << std::left << std::setw(24)
                              << p.top[i].label << std::right << std::setw(8) << pct.str() << '\n';
                }
            }
        }
        if (options.json) std::cout << results.dump(2) << std::endl;
        return failures == 0 ? 0 : 1;
    } catch (const std::exception& e) {
        printError(e.what());
        return 1;
    }
}

int runTrain(const TrainSettings& typed) {
    // config.json records the weights file; stored absolute, a run can be
    // exported or resumed from any working directory (a TorchScript backbone
    // is read from it again).
    TrainSettings settings = typed;
    std::error_code ec;
    if (!settings.weightsFile.empty() && std::filesystem::exists(settings.weightsFile, ec)) {
        const auto absolute = std::filesystem::absolute(settings.weightsFile, ec);
        if (!ec) settings.weightsFile = absolute.lexically_normal().string();
    }
    Trainer trainer(settings);
    ProgressPrinter printer;
    g_runningTrainer.store(&trainer);
    auto previous = std::signal(SIGINT, onInterrupt);
    const RunSummary summary = trainer.run(&printer);
    std::signal(SIGINT, previous);
    g_runningTrainer.store(nullptr);
    if (summary.status == "completed") {
        std::cout << "run directory: " << settings.outDir << std::endl;
        return 0;
    }
    if (summary.status == "cancelled") {
        std::cout << "cancelled; continue with the same command and --resume" << std::endl;
        return 130;
    }
    printError(summary.error.empty() ? std::string("the run failed") : summary.error);
    return 1;
}

int runDemo(const std::string& mode, int epochs, const std::string& outDir, int threads,
            std::uint64_t seed, const std::string& device, const std::string& precision) {
    TrainSettings settings;
    try {
        settings = demoSettings(mode);
    } catch (const std::exception& e) {
        printError(e.what());
        return 1;
    }
    if (epochs > 0) settings.epochs = epochs;
    if (seed != 0) settings.seed = seed;
    settings.threads = threads;
    settings.device = device;
    settings.precision = precision;
    settings.outDir = outDir;
    std::cout << "demo (" << mode << "): " << settings.model << ", freeze " << settings.freeze
              << (settings.weightsFile.empty() ? ", from scratch"
                                               : ", from the pretrained backbone")
              << ", " << settings.epochs << " epochs" << std::endl;
    return runTrain(settings);
}

int runExport(const std::string& runDir, const std::string& outDir) {
    try {
        exportBundle(fs::u8path(runDir), fs::u8path(outDir));
        std::cout << "wrote " << outDir << "/model.safetensors, model.pth, model.json";
        for (const char* extra :
             {"backbone.pt", "predict.py", "metrics.csv", "loss.png", "accuracy.png"})
            if (fs::exists(fs::u8path(outDir) / extra)) std::cout << ", " << extra;
        std::cout << "\nin Python: python3 " << outDir << "/predict.py IMAGE..." << std::endl;
        return 0;
    } catch (const std::exception& e) {
        printError(e.what());
        return 1;
    }
}

int runOnnxExport(const std::string& outDir, const std::string& python) {
    try {
        std::string tried;
        const std::string found = findPythonWithTorch(python, &tried);
        if (found.empty())
            throw Error("ONNX export needs PyTorch: none of " + tried +
                        " can import torch and torchvision; install them (pip install torch "
                        "torchvision) or name a Python that has them with --python or FTS_PYTHON");
        const fs::path onnx = fs::u8path(outDir) / "model.onnx";
        std::cout << "exporting ONNX with " << found << " ..." << std::endl;
        exportOnnxWithPython(fs::u8path(outDir), onnx, found);
        std::cout << "wrote " << displayPath(onnx) << std::endl;
        return 0;
    } catch (const std::exception& e) {
        printError(e.what());
        return 1;
    }
}

int runProbe(const TrainSettings& settings, int steps, int classes, bool json) {
    try {
        const ProbeResult r = runComputeProbe(settings, steps, classes);
        if (json) {
            std::cout << nlohmann::json{{"model", r.model},
                                        {"freeze", r.freeze},
                                        {"device", r.device},
                                        {"threads", r.threads},
                                        {"batch_size", r.batchSize},
                                        {"image_size", r.imageSize},
                                        {"steps", r.steps},
                                        {"seconds_per_step", r.secondsPerStep},
                                        {"median_seconds_per_step", r.medianSecondsPerStep},
                                        {"images_per_second", r.imagesPerSecond},
                                        {"trainable_parameters", r.trainableParameters}}
                             .dump()
                      << std::endl;
        } else {
            std::cout << std::fixed << std::setprecision(2) << r.model << " at " << r.imageSize
                      << " px, batch " << r.batchSize << ", freeze " << r.freeze << ", "
                      << r.threads << " threads on " << r.device << ": " << r.imagesPerSecond
                      << " images/s (" << r.secondsPerStep << " s per step, median "
                      << r.medianSecondsPerStep << " s, " << r.steps << " steps)" << std::endl;
        }
        return 0;
    } catch (const std::exception& e) {
        printError(e.what());
        return 1;
    }
}

}  // namespace fts::cli
