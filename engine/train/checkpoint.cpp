#include "train/checkpoint.h"

#include "core/error.h"
#include "core/fileio.h"
#include "train/rundirectory.h"
#include "train/settings.h"
#include "weights/safetensors.h"
#include "weights/statedictloader.h"

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <sstream>

namespace fts {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string epochDirName(int epoch) {
    char name[32];
    std::snprintf(name, sizeof name, "epoch-%04d", epoch);
    return name;
}

json readJson(const fs::path& file) {
    const auto bytes = readFileBytes(file, /*maxBytes=*/std::uint64_t(16) << 20);
    try {
        return json::parse(bytes.begin(), bytes.end());
    } catch (const json::exception& e) {
        throw Error(displayPath(file) + ": the file is not valid JSON (" + e.what() +
                    "); the checkpoint is damaged");
    }
}

void writeJson(const fs::path& file, const json& value) {
    const std::string text = value.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
    writeFileAtomically(file, text.data(), text.size());
}

std::string number(double value) {
    std::ostringstream os;
    os.precision(17);
    os << value;
    return os.str();
}

}  // namespace

void writeCheckpoint(const fs::path& dir, const torch::nn::Module& model,
                     torch::optim::Optimizer& optimizer, CheckpointState state) {
    const std::string name = epochDirName(state.epoch);
    const fs::path epochDir = dir / name;
    std::error_code ec;
    removeTree(epochDir);  // a leftover of an interrupted attempt at this epoch
    fs::create_directories(epochDir, ec);
    if (ec)
        throw Error(displayPath(epochDir) + ": cannot create the checkpoint folder (" +
                    ec.message() + ")");

    writeSafetensors(epochDir / "model.safetensors", stateDictOf(model));

    torch::serialize::OutputArchive archive;
    optimizer.save(archive);
    std::ostringstream bytes;
    archive.save_to(bytes);
    const std::string optimizerBytes = bytes.str();
    writeFileAtomically(epochDir / "optimizer.pt", optimizerBytes.data(), optimizerBytes.size());

    if (state.settingsDigest.empty()) state.settingsDigest = settingsDigest(state.settings);
    writeJson(epochDir / "state.json", json{{"epoch", state.epoch},
                                            {"best_accuracy", state.bestAccuracy},
                                            {"best_epoch", state.bestEpoch},
                                            {"last_accuracy", state.lastAccuracy},
                                            {"seed", state.seed},
                                            {"settings", state.settings},
                                            {"settings_digest", state.settingsDigest}});

    // The commit point: from here on the new checkpoint is the latest.
    writeJson(dir / "latest.json", json{{"epoch", state.epoch}, {"dir", name}});

    // Older epochs go after the commit point, and so do the temporary
    // siblings of latest.json a kill left mid-write (writeFileAtomically's
    // "NAME.tmp-N"; this run is the folder's only writer). Listed first,
    // removed after the listing (not while iterating). A failure only leaves
    // a stale entry.
    std::vector<fs::path> stale;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const auto other = entry.path().filename().string();
        if (entry.is_directory() && other.rfind("epoch-", 0) == 0 && other != name)
            stale.push_back(entry.path());
        else if (!entry.is_directory() && other.rfind("latest.json.tmp-", 0) == 0)
            stale.push_back(entry.path());
    }
    for (const auto& old : stale) {
        if (fs::is_directory(old, ec))
            removeTree(old);
        else
            fs::remove(old, ec);
    }
}

bool hasCheckpoint(const fs::path& dir) {
    std::error_code ec;
    return fs::is_regular_file(dir / "latest.json", ec);
}

fs::path latestCheckpoint(const fs::path& dir) {
    const fs::path latest = dir / "latest.json";
    if (!hasCheckpoint(dir))
        throw Error(displayPath(latest) +
                    ": no checkpoint to resume from; start a new run instead");
    const json j = readJson(latest);
    if (!j.is_object() || !j.contains("dir") || !j["dir"].is_string())
        throw Error(displayPath(latest) +
                    ": does not name a checkpoint folder; the checkpoint is damaged");
    const std::string name = j["dir"].get<std::string>();
    if (name.empty() || name.find('/') != std::string::npos ||
        name.find('\\') != std::string::npos || name == "." || name == "..")
        throw Error(displayPath(latest) + ": names an invalid checkpoint folder '" + name + "'");
    const fs::path epochDir = dir / name;
    std::error_code ec;
    if (!fs::is_directory(epochDir, ec))
        throw Error(displayPath(epochDir) +
                    ": the checkpoint folder that latest.json names is missing");
    return epochDir;
}

CheckpointState readCheckpointState(const fs::path& dir) {
    const fs::path file = latestCheckpoint(dir) / "state.json";
    const json j = readJson(file);
    CheckpointState state;
    try {
        state.epoch = j.at("epoch").get<int>();
        state.bestAccuracy = j.at("best_accuracy").get<double>();
        state.bestEpoch = j.value("best_epoch", 0);
        state.lastAccuracy = j.value("last_accuracy", 0.0);
        state.seed = j.at("seed").get<std::uint64_t>();
        state.settings = j.at("settings").get<std::map<std::string, std::string>>();
        state.settingsDigest = j.value("settings_digest", std::string());
    } catch (const json::exception& e) {
        throw Error(displayPath(file) + ": a field is missing or of the wrong type (" + e.what() +
                    "); the checkpoint is damaged");
    }
    return state;
}

CheckpointState loadCheckpoint(const fs::path& dir, torch::nn::Module& model,
                               torch::optim::Optimizer* optimizer) {
    const fs::path epochDir = latestCheckpoint(dir);
    CheckpointState state = readCheckpointState(dir);

    const fs::path weightsFile = epochDir / "model.safetensors";
    const auto weights = readSafetensors(weightsFile);
    const LoadReport report = loadStateDict(model, weights.tensors);
    if (!report.complete())
        throw Error(displayPath(weightsFile) +
                    ": does not fit the model of this run: " + report.describe());

    if (optimizer) {
        const fs::path optimizerFile = epochDir / "optimizer.pt";
        const auto bytes = readFileBytes(optimizerFile);
        try {
            std::istringstream in(std::string(bytes.begin(), bytes.end()));
            torch::serialize::InputArchive archive;
            archive.load_from(in);
            optimizer->load(archive);
        } catch (const std::exception&) {
            throw Error(displayPath(optimizerFile) +
                        ": the optimizer state cannot be loaded; the checkpoint is damaged or "
                        "belongs to other settings");
        }
    }
    return state;
}

std::map<std::string, std::string> resumeSettings(const TrainSettings& s, int imageSize,
                                                  const std::vector<std::string>& classes,
                                                  std::size_t trainImages, std::size_t valImages) {
    std::string classList;
    for (const auto& c : classes) classList += (classList.empty() ? "" : ",") + c;
    return {
        {"model", s.model},
        {"weights", s.weightsFile},
        {"freeze", s.freeze},
        {"data", s.dataPath},
        {"val", s.valPath},
        {"val_split", s.valPath.empty() ? number(s.valSplit) : std::string()},
        {"classes", classList},
        {"train_images", std::to_string(trainImages)},
        {"val_images", std::to_string(valImages)},
        {"image_size", std::to_string(imageSize)},
        {"augment", s.augment},
        {"batch_size", std::to_string(s.batchSize)},
        {"lr", number(s.lr)},
        {"backbone_lr_scale", number(s.backboneLrScale)},
        {"optimizer", s.optimizer},
        {"momentum", number(s.momentum)},
        {"nesterov", s.nesterov ? "true" : "false"},
        {"weight_decay", number(s.weightDecay)},
        {"scheduler", s.scheduler},
        {"warmup_epochs", std::to_string(s.warmupEpochs)},
        {"step_size", std::to_string(s.stepSize)},
        {"step_gamma", number(s.stepGamma)},
        {"seed", std::to_string(s.seed)},
    };
}

std::string settingsDigest(const std::map<std::string, std::string>& settings) {
    std::string text;
    for (const auto& [key, value] : settings) text += key + "=" + value + "\n";
    return sha256Hex(text.data(), text.size());
}

std::vector<std::string> settingsDifferences(const std::map<std::string, std::string>& saved,
                                             const std::map<std::string, std::string>& now) {
    const auto shown = [](const std::string& v) {
        return v.empty() ? std::string("(none)") : "'" + v + "'";
    };
    std::vector<std::string> differences;
    for (const auto& [key, value] : now) {
        const auto it = saved.find(key);
        const std::string before = it == saved.end() ? std::string() : it->second;
        if (before != value)
            differences.push_back(key + " is " + shown(value) + " now but " + shown(before) +
                                  " in the checkpoint");
    }
    for (const auto& [key, value] : saved)
        if (!now.count(key))
            differences.push_back(key + " was " + shown(value) + " in the checkpoint");
    return differences;
}

}  // namespace fts
