#pragma once

#include "data/evaltransform.h"
#include "models/classifier.h"

#include <filesystem>
#include <string>
#include <vector>

namespace fts {

/// What a fine-tuned model needs besides its weights: model.json of an export
/// bundle, or the equivalent read from a run directory.
struct ModelDescription {
    std::string architecture;          // registry name
    std::vector<std::string> classes;  // in head order
    int inputSize = 224;               // crop S
    Normalization norm;
    double valAccuracy = -1.0;  // best validation accuracy, when known
};

struct LoadedModel {
    Classifier model;
    ModelDescription description;
};

/// Writes DIR/model.safetensors, DIR/model.pth (a plain dict that Python's
/// torch.load reads and torchvision's load_state_dict accepts) and
/// DIR/model.json (architecture, classes in order, input size, resize size,
/// mean/std, the preprocessing in words). From the run's best.safetensors,
/// or its last checkpoint when no epoch finished with validation. Every file
/// is written atomically. Throws fts::Error naming the run or file.
void exportBundle(const std::filesystem::path& runDir, const std::filesystem::path& outDir);

/// Loads an export bundle (model.json + model.safetensors).
LoadedModel loadBundle(const std::filesystem::path& bundleDir);

/// Loads the best weights of a run directory.
LoadedModel loadRun(const std::filesystem::path& runDir);

}  // namespace fts
