#pragma once

#include <string>
#include <vector>

// finetune-cli download, and the "imagenet" value of train --weights.
namespace fts::cli {

struct DownloadOptions {
    std::vector<std::string> archs;  // registry names
    std::vector<std::string> urls;   // --url: any torchvision-style file (name-<sha256>.pth)
    bool all = false;                // every architecture with ImageNet weights
    bool list = false;               // print what is cached, download nothing
};

/// Downloads (or finds in PyTorch's cache) the ImageNet weights of each
/// architecture, printing progress on stderr and each verified file's path on
/// stdout. Ctrl-C stops with the partial file kept for a resume (exit 130).
int runDownload(const DownloadOptions& options);

/// For `train --weights imagenet`: replaces `weights` by the cached torchvision
/// file of `arch`, downloading it first when needed. Returns 0, or the exit
/// status after printing the error.
int resolveImagenetWeights(const std::string& arch, std::string& weights);

}  // namespace fts::cli
