#pragma once

#include "core/tensorlist.h"

#include <cstdint>
#include <string>
#include <vector>

namespace torch::nn {
class Module;
}

namespace fts {

/// What happened when a state dict was copied into a model.
struct LoadReport {
    struct Mismatch {
        std::string name;
        std::vector<std::int64_t> modelShape;
        std::vector<std::int64_t> fileShape;
    };
    int loaded = 0;
    std::vector<std::string> missing;     // in the model, not in the file
    std::vector<std::string> unexpected;  // in the file, not in the model
    std::vector<Mismatch> mismatched;     // in both, shapes differ (not loaded)
    std::vector<std::string> skipped;     // deliberately not loaded (options.skipPrefixes)
    std::string strippedPrefix;           // e.g. "module." from DataParallel

    bool complete() const { return missing.empty() && unexpected.empty() && mismatched.empty(); }
    /// Plain words, one line per problem, capped so a wrong file does not
    /// print a thousand lines: "3 weights in the model are missing from the file: ...".
    std::string describe(std::size_t maxNamesPerList = 8) const;
};

struct LoadOptions {
    /// Entries under these module paths are not loaded (e.g. the head when
    /// fine-tuning for a different class count). "fc" skips fc.weight, fc.bias.
    std::vector<std::string> skipPrefixes;
};

/// Copies every parameter and buffer whose name and shape match; converts
/// dtype and device to the model's. Never throws for missing/unexpected keys:
/// the caller decides from the report.
LoadReport loadStateDict(torch::nn::Module& model, const TensorList& weights,
                         const LoadOptions& options = {});

/// True when a file entry names the model entry `modelName`, directly or under
/// a checkpoint prefix: "fc.weight", "module.fc.weight", "model.fc.weight".
bool namesEntry(const std::string& fileName, const std::string& modelName);

/// The model's parameters and buffers as a TensorList (CPU, contiguous), in
/// torchvision's state-dict order.
TensorList stateDictOf(const torch::nn::Module& model);

}  // namespace fts
