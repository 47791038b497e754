#pragma once

#include "models/classifier.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fts {

/// What the engine knows about an architecture before building it.
struct ModelInfo {
    std::string name;         // "resnet18": the CLI's --model value
    std::string family;       // "ResNet", "MobileNetV2", ...
    std::string description;  // one sentence for the model picker
    int inputSize = 224;      // evaluation crop S (resize shorter side to round(S / 0.875))
    std::array<float, 3> mean{{0.485f, 0.456f, 0.406f}};
    std::array<float, 3> std{{0.229f, 0.224f, 0.225f}};
    std::string headPath;           // the final Linear: "fc", "classifier.1", "classifier.3"
    std::string backboneLastBlock;  // "layer4", "features.17", ... (the "last block" freeze preset)
    /// torchvision's ImageNet-1k weights (IMAGENET1K_V1) and the SHA-256
    /// prefix torchvision puts in the file name.
    std::string weightsUrl;
    std::string weightsSha256Prefix;
    std::int64_t imagenetParameters = 0;  // with the 1000-class head (demo_cnn: its 5-class head)
};

/// Every architecture, in the order the model picker shows them.
const std::vector<ModelInfo>& modelRegistry();

/// nullptr when unknown.
const ModelInfo* findModel(std::string_view name);

/// Builds a randomly initialised model (torchvision's initialisation) with a
/// head for numClasses. Throws fts::Error naming the known models when the
/// name is unknown.
Classifier createModel(std::string_view name, std::int64_t numClasses = 1000);

}  // namespace fts
