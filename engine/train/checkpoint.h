#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace torch::nn {
class Module;
}
namespace torch::optim {
class Optimizer;
}

namespace fts {

struct TrainSettings;

/// What a checkpoint records besides weights and optimizer state.
struct CheckpointState {
    int epoch = 0;              // epochs completed (the next run continues at epoch + 1)
    double bestAccuracy = 0.0;  // best validation accuracy so far
    int bestEpoch = 0;
    double lastAccuracy = 0.0;  // validation accuracy of `epoch`
    std::uint64_t seed = 0;
    /// The settings that must match to resume (resumeSettings()), and their digest.
    std::map<std::string, std::string> settings;
    std::string settingsDigest;
};

/// Layout, inside `dir` (RUNDIR/checkpoint):
///   epoch-NNNN/model.safetensors   the model's state dict
///   epoch-NNNN/optimizer.pt        torch::serialize archive of the optimizer
///   epoch-NNNN/state.json          CheckpointState
///   latest.json                    {"epoch": N, "dir": "epoch-NNNN"}
/// The epoch folder is written completely, then latest.json is replaced
/// atomically, then older epoch folders are removed: a crash at any point
/// leaves latest.json pointing at a complete checkpoint. Throws fts::Error.
void writeCheckpoint(const std::filesystem::path& dir, const torch::nn::Module& model,
                     torch::optim::Optimizer& optimizer, CheckpointState state);

/// True when dir/latest.json exists.
bool hasCheckpoint(const std::filesystem::path& dir);

/// The epoch folder latest.json points at. Throws fts::Error naming the file.
std::filesystem::path latestCheckpoint(const std::filesystem::path& dir);

/// Reads state.json of the latest checkpoint.
CheckpointState readCheckpointState(const std::filesystem::path& dir);

/// Loads the latest checkpoint's weights (all of them must fit) and, when
/// given, the optimizer state. Throws fts::Error naming the file at fault.
CheckpointState loadCheckpoint(const std::filesystem::path& dir, torch::nn::Module& model,
                               torch::optim::Optimizer* optimizer);

/// The settings that change what a resumed run computes. Epochs may grow on
/// resume and are not among them; threads, device and workers do not change
/// results and are not either.
std::map<std::string, std::string> resumeSettings(const TrainSettings& settings, int imageSize,
                                                  const std::vector<std::string>& classes,
                                                  std::size_t trainImages, std::size_t valImages);

/// Digest (SHA-256 hex) of a settings map.
std::string settingsDigest(const std::map<std::string, std::string>& settings);

/// "batch_size is 16 now but 32 in the checkpoint", one entry per difference.
std::vector<std::string> settingsDifferences(const std::map<std::string, std::string>& saved,
                                             const std::map<std::string, std::string>& now);

}  // namespace fts
