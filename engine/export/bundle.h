#pragma once

#include "data/evaltransform.h"
#include "export/bundleexport.h"
#include "models/classifier.h"

#include <filesystem>
#include <string>
#include <vector>

namespace fts {

/// What a fine-tuned model needs besides its weights: model.json of an export
/// bundle, or the equivalent read from a run directory.
struct BundleModelInfo {
    std::string architecture;          // registry name
    std::vector<std::string> classes;  // in head order
    int inputSize = 224;               // crop S
    Normalization norm;
    double valAccuracy = -1.0;  // best validation accuracy, when known
    /// architecture "torchscript": the TorchScript backbone file (a run's
    /// --weights file, or the bundle's backbone.pt)
    std::string backboneFile;
};

struct LoadedModel {
    Classifier model;
    BundleModelInfo description;
};

// exportBundle(runDir, outDir): see export/bundleexport.h (torch-free).

/// Loads an export bundle (model.json + model.safetensors).
LoadedModel loadBundle(const std::filesystem::path& bundleDir);

/// Loads the best weights of a run directory.
LoadedModel loadRun(const std::filesystem::path& runDir);

}  // namespace fts
