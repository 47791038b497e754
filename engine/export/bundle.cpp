#include "export/bundle.h"

#include "core/error.h"
#include "core/fileio.h"
#include "core/version.h"
#include "export/exportextras.h"
#include "models/registry.h"
#include "models/torchscriptbackbone.h"
#include "weights/safetensors.h"
#include "weights/statedictloader.h"
#include "weights/weightfile.h"

#include <ATen/ATen.h>
#include <torch/serialize.h>
#include <nlohmann/json.hpp>

#include <fstream>

namespace fs = std::filesystem;
using nlohmann::json;

namespace fts {
namespace {

json readJson(const fs::path& file) {
    const auto bytes = readFileBytes(file, /*maxBytes=*/64u << 20);
    json j = json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object())
        throw FormatError(displayPath(file), "is not a JSON object");
    return j;
}

template <typename T>
T field(const json& j, const char* key, const fs::path& file) {
    if (!j.contains(key))
        throw FormatError(displayPath(file), std::string("has no \"") + key + "\"");
    try {
        return j.at(key).get<T>();
    } catch (const json::exception&) {
        throw FormatError(displayPath(file), std::string("\"") + key + "\" has the wrong type");
    }
}

// The model's registry entry, with the normalisation it was trained with.
BundleModelInfo describeFromRun(const fs::path& runDir) {
    const fs::path configFile = runDir / "config.json";
    const fs::path summaryFile = runDir / "summary.json";
    if (!fs::exists(configFile))
        throw Error(displayPath(runDir) + ": not a run directory (no config.json)");
    const json config = readJson(configFile);
    BundleModelInfo d;
    d.architecture = field<std::string>(config, "model", configFile);
    const ModelInfo* info = findModel(d.architecture);
    if (!info)
        throw FormatError(displayPath(configFile),
                          "names the unknown model '" + d.architecture + "'");
    d.inputSize = config.contains("image_size") ? config["image_size"].get<int>() : info->inputSize;
    if (d.inputSize <= 0) d.inputSize = info->inputSize;
    if (isTorchScriptModel(d.architecture) && config.contains("weights") &&
        config["weights"].is_object() && config["weights"].contains("file") &&
        config["weights"]["file"].is_string())
        d.backboneFile = config["weights"]["file"].get<std::string>();
    d.norm.mean = info->mean;
    d.norm.std = info->std;
    if (config.contains("data") && config["data"].is_object() && config["data"].contains("classes"))
        d.classes = field<std::vector<std::string>>(config["data"], "classes", configFile);
    if (fs::exists(summaryFile)) {
        const json summary = readJson(summaryFile);
        if (d.classes.empty() && summary.contains("classes"))
            d.classes = field<std::vector<std::string>>(summary, "classes", summaryFile);
        if (summary.contains("best_val_accuracy") && summary["best_val_accuracy"].is_number())
            d.valAccuracy = summary["best_val_accuracy"].get<double>();
    }
    if (d.classes.empty())
        throw Error(displayPath(runDir) +
                    ": the run records no class names (config.json / summary.json)");
    return d;
}

// best.safetensors, or the last checkpoint's weights.
fs::path runWeights(const fs::path& runDir) {
    if (fs::exists(runDir / "best.safetensors")) return runDir / "best.safetensors";
    const fs::path latest = runDir / "checkpoint" / "latest.json";
    if (fs::exists(latest)) {
        const json j = readJson(latest);
        for (const char* key : {"dir", "directory", "path"}) {
            if (j.contains(key) && j[key].is_string()) {
                fs::path dir = fs::u8path(j[key].get<std::string>());
                if (dir.is_relative()) dir = runDir / "checkpoint" / dir;
                if (fs::exists(dir / "model.safetensors")) return dir / "model.safetensors";
            }
        }
    }
    throw Error(displayPath(runDir) +
                ": has no trained weights yet (no best.safetensors, no checkpoint)");
}

LoadedModel build(const BundleModelInfo& d, const TensorList& weights, const std::string& source) {
    LoadedModel out;
    out.description = d;
    out.model = createModelFor(d.architecture, d.backboneFile,
                               static_cast<std::int64_t>(d.classes.size()), d.inputSize);
    const LoadReport report = loadStateDict(*out.model, weights);
    if (!report.complete())
        throw Error(source + ": does not fit " + d.architecture + " with " +
                    std::to_string(d.classes.size()) + " classes: " + report.describe(4));
    out.model->eval();
    return out;
}

json describeJson(const BundleModelInfo& d) {
    const int resize = resizeSizeFor(d.inputSize);
    return {{"format", "finetune-studio-model"},
            {"format_version", 1},
            {"architecture", d.architecture},
            {"classes", d.classes},
            {"num_classes", d.classes.size()},
            {"input_size", d.inputSize},
            {"resize_size", resize},
            {"mean", d.norm.mean},
            {"std", d.norm.std},
            {"preprocessing",
             "decode, convert to RGB, resize the shorter side to " + std::to_string(resize) +
                 " (bilinear, antialiased), centre-crop " + std::to_string(d.inputSize) + "x" +
                 std::to_string(d.inputSize) + ", scale to [0,1], normalise with mean/std"},
            {"weights", "model.safetensors"},
            {"weights_pth", "model.pth"},
            {"val_accuracy", d.valAccuracy >= 0 ? json(d.valAccuracy) : json(nullptr)},
            {"app_version", FTS_VERSION_STRING}};
}

void writeText(const fs::path& file, const std::string& text) {
    writeFileAtomically(file, text.data(), text.size());
}

}  // namespace

// The files of a bundle, written into outDir (exportBundle's staging folder).
static void writeBundleFiles(const fs::path& runDir, const fs::path& outDir) {
    const BundleModelInfo d = describeFromRun(runDir);
    const fs::path weightsFile = runWeights(runDir);
    const WeightFile wf = loadWeightFile(weightsFile);
    // Load into the real model first: an export that does not fit is refused
    // here, not discovered later in Python.
    const LoadedModel loaded = build(d, wf.tensors, displayPath(weightsFile));
    const TensorList state = stateDictOf(*loaded.model);

    std::error_code ec;
    fs::create_directories(outDir, ec);
    if (ec) throw Error(displayPath(outDir) + ": cannot create the folder (" + ec.message() + ")");

    writeSafetensors(outDir / "model.safetensors", state,
                     {{"format", "pt"}, {"architecture", d.architecture}});

    // A plain dict {name: tensor}: torch.load reads it and torchvision's
    // load_state_dict accepts it (torch::pickle_save writes the zip format).
    c10::Dict<std::string, at::Tensor> dict;
    for (const auto& [name, tensor] : state) dict.insert(name, tensor);
    const std::vector<char> pth = torch::pickle_save(c10::IValue(dict));
    writeFileAtomically(outDir / "model.pth", pth.data(), pth.size());

    json description = describeJson(d);
    if (const auto* script = dynamic_cast<const TorchScriptClassifierImpl*>(loaded.model.get())) {
        // The fine-tuned backbone as TorchScript; the head is "head.*" in the
        // weight files (logits = features @ head.weight.T + head.bias).
        script->saveBackbone(outDir / "backbone.pt");
        description["backbone"] = "backbone.pt";
        description["head"] = script->headPath();
    }
    writeText(outDir / "model.json", description.dump(2) + "\n");
    // predict.py, metrics.csv and the charts (export/exportextras.h).
    writeExportExtras(runDir, outDir);
}

void exportBundle(const fs::path& runDir, const fs::path& outDir) {
    // The bundle is written whole into a staging folder inside outDir, then
    // moved in file by file (renames need no space): a failure while writing
    // (a full disk) leaves an earlier export in outDir as it was, never half
    // new and half old.
    std::error_code ec;
    fs::create_directories(outDir, ec);
    if (ec) throw Error(displayPath(outDir) + ": cannot create the folder (" + ec.message() + ")");
    const fs::path staging = outDir / ".export-partial";
    removeTree(staging);
    try {
        writeBundleFiles(runDir, staging);
        for (const auto& entry : fs::directory_iterator(staging)) {
            fs::rename(entry.path(), outDir / entry.path().filename(), ec);
            if (ec)
                throw Error(displayPath(outDir / entry.path().filename()) +
                            ": cannot be replaced (" + ec.message() + ")");
        }
    } catch (...) {
        removeTree(staging);
        throw;
    }
    removeTree(staging);
}

LoadedModel loadBundle(const fs::path& bundleDir) {
    const fs::path jsonFile = bundleDir / "model.json";
    if (!fs::exists(jsonFile))
        throw Error(displayPath(bundleDir) + ": not an export bundle (no model.json)");
    const json j = readJson(jsonFile);
    BundleModelInfo d;
    d.architecture = field<std::string>(j, "architecture", jsonFile);
    d.classes = field<std::vector<std::string>>(j, "classes", jsonFile);
    d.inputSize = field<int>(j, "input_size", jsonFile);
    d.norm.mean = field<std::array<float, 3>>(j, "mean", jsonFile);
    d.norm.std = field<std::array<float, 3>>(j, "std", jsonFile);
    if (j.contains("val_accuracy") && j["val_accuracy"].is_number())
        d.valAccuracy = j["val_accuracy"].get<double>();
    if (!findModel(d.architecture))
        throw FormatError(displayPath(jsonFile),
                          "names the unknown model '" + d.architecture + "'");
    if (d.classes.empty() || d.inputSize <= 0)
        throw FormatError(displayPath(jsonFile), "has no classes or no input size");
    const std::string weightsName = j.contains("weights") && j["weights"].is_string()
                                        ? j["weights"].get<std::string>()
                                        : std::string("model.safetensors");
    if (weightsName.find('/') != std::string::npos || weightsName.find('\\') != std::string::npos ||
        weightsName == "..")
        throw FormatError(displayPath(jsonFile),
                          "\"weights\" must be a file name inside the bundle");
    const fs::path weightsFile = bundleDir / fs::u8path(weightsName);
    if (isTorchScriptModel(d.architecture)) {
        const std::string backbone = j.contains("backbone") && j["backbone"].is_string()
                                         ? j["backbone"].get<std::string>()
                                         : std::string("backbone.pt");
        if (backbone.find('/') != std::string::npos || backbone.find('\\') != std::string::npos ||
            backbone == "..")
            throw FormatError(displayPath(jsonFile),
                              "\"backbone\" must be a file name inside the bundle");
        d.backboneFile = (bundleDir / fs::u8path(backbone)).u8string();
    }
    return build(d, loadWeightFile(weightsFile).tensors, displayPath(weightsFile));
}

LoadedModel loadRun(const fs::path& runDir) {
    const BundleModelInfo d = describeFromRun(runDir);
    const fs::path weightsFile = runWeights(runDir);
    return build(d, loadWeightFile(weightsFile).tensors, displayPath(weightsFile));
}

}  // namespace fts
