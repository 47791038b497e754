#pragma once

#include "models/moduletree.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace fts {

/// What the GUI's model panel and layer tree show about a model, without any
/// torch type: the tree of real named modules, output shapes, the head and
/// the "last block" preset. Torch-free on purpose (ui/ includes it).
struct ModelDescription {
    std::string arch;             // registry name ("resnet18", "demo_cnn")
    std::string family;           // "ResNet"
    int imageSize = 224;          // the size the shapes were traced at
    std::int64_t numClasses = 0;  // outputs of the head
    ModuleNode tree;              // root = the whole model (path "")
    /// Output shape of a module for one image (no batch dimension), by module
    /// path: "layer1" -> {64, 56, 56}, "fc" -> {10}. Modules whose output
    /// cannot be traced on their own (inside a residual block) are absent.
    std::map<std::string, std::vector<std::int64_t>> outputShapes;
    std::string headPath;       // "fc"
    std::string lastBlockPath;  // "layer4"
    std::int64_t totalParameters = 0;
    std::string weightsFile;  // empty: random initialisation
    /// One or two plain sentences about the weights file, e.g. "Loaded 60 of
    /// 62 tensors; the head (fc) is new for 5 classes." Empty without a file.
    std::string weightsReport;
    /// The same facts as numbers, for a GUI that words them in its own language.
    int weightsLoaded = 0;          // tensors copied from the file
    int weightsTotal = 0;           // tensors of the model
    bool headFromFile = false;      // the file's head already fits numClasses
    int weightsUnused = 0;          // entries of the file that are not part of the model
    int backboneProblems = 0;       // backbone weights missing or of another shape (training refuses)
};

/// One entry of the model picker (the registry, torch-free).
struct ModelSummary {
    std::string name;         // "resnet18"
    std::string family;       // "ResNet"
    std::string description;  // one sentence
    int inputSize = 224;
    std::int64_t imagenetParameters = 0;  // with the 1000-class head (demo_cnn: its 5-class head)
    bool hasDownloadableWeights = false;  // torchvision publishes ImageNet weights
};

/// Every registry architecture, in the picker's order (implemented in modellist.cpp).
std::vector<ModelSummary> listModels();

/// Builds `arch` with a head for numClasses, loads weightsFile when given
/// (as training will: the head is skipped when its shape differs), and traces
/// output shapes at imageSize (0: the model's input size). Throws fts::Error
/// naming the file or the model when something is wrong. Takes a moment for
/// big models: call it off the GUI thread.
ModelDescription describeModel(const std::string& arch, const std::string& weightsFile,
                               std::int64_t numClasses, int imageSize = 0);

/// The engine's own count of trainable parameters for a freeze spec
/// (FreezePlan::parse + trainableParameters on a freshly built model).
/// Throws fts::Error for an unknown module path.
long long engineTrainableParameters(const std::string& arch, std::int64_t numClasses,
                                    const std::string& freezeSpec);

}  // namespace fts
