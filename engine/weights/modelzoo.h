#pragma once

#include "weights/httpdownload.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Torch-free: the GUI includes this header.
namespace fts {

/// One pretrained weights file as torchvision publishes it: the file name
/// ends in "-<first 8+ hex digits of its SHA-256>.pth".
struct ZooEntry {
    std::string arch;          // "resnet18"; empty for a file given by URL
    std::string url;           // where it is downloaded from
    std::string fileName;      // "resnet18-f37072fd.pth": its name in the cache
    std::string sha256Prefix;  // "f37072fd"
};

/// The torchvision ImageNet-1k weights of every registry architecture that
/// has them (demo_cnn has none), in the registry's order. The host part of
/// each URL is replaced by $FTS_MODEL_ZOO_URL when that is set (tests).
std::vector<ZooEntry> modelZoo();

/// The entry for `arch`; nullopt for an architecture without ImageNet weights.
std::optional<ZooEntry> imagenetWeights(std::string_view arch);

/// An entry for any torchvision-style URL (".../name-<sha256 prefix>.pth").
/// Throws fts::Error when the file name carries no hash prefix.
ZooEntry zooEntryForUrl(const std::string& url);

/// Where PyTorch keeps downloaded weights, so either side reuses the other's
/// files: $TORCH_HOME/hub/checkpoints, else $XDG_CACHE_HOME/torch/hub/
/// checkpoints, else ~/.cache/torch/hub/checkpoints.
std::filesystem::path torchHubCheckpointDir();

/// Where `entry` is (or would be) cached, and its partial download beside it.
std::filesystem::path cachedPath(const ZooEntry& entry);
std::filesystem::path partialPath(const ZooEntry& entry);

struct ZooProgress {
    enum class Stage { Checking, Downloading, Verifying };
    Stage stage = Stage::Checking;
    std::int64_t received = 0;  // bytes, counting a resumed part
    std::int64_t total = -1;    // bytes; -1 while unknown
};
using ZooProgressFn = std::function<void(const ZooProgress&)>;

/// Returns the verified cached file of `entry`, downloading it first when it
/// is missing: into "<file>.partial" beside it, resumed when a partial file
/// is there and the server allows ranges, checked against the SHA-256 prefix
/// in its name, then renamed into place. A cached file whose hash does not
/// match is downloaded again. Returns an empty path when `cancel` became true
/// (the partial file stays and a later call resumes it). Throws DownloadError
/// naming the URL (no network, HTTP error, wrong hash: the partial file is
/// deleted) or the file (cannot write). `progress` and `cancel` are used on
/// the calling thread.
std::filesystem::path fetchWeights(const ZooEntry& entry, const ZooProgressFn& progress = {},
                                   const std::atomic<bool>* cancel = nullptr,
                                   const HttpOptions& options = {});

}  // namespace fts
