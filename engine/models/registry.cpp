#include "models/registry.h"

#include "core/error.h"
#include "models/democnn.h"
#include "models/efficientnet.h"
#include "models/mobilenetv2.h"
#include "models/mobilenetv3.h"
#include "models/resnet.h"
#include "models/torchscriptbackbone.h"

#include <functional>

namespace fts {
namespace {

const char* const kDownloads = "https://download.pytorch.org/models/";

ModelInfo info(std::string name, std::string family, std::string description, std::string headPath,
               std::string backboneLastBlock, const std::string& weightsFile,
               std::string sha256Prefix, std::int64_t parameters) {
    ModelInfo m;
    m.name = std::move(name);
    m.family = std::move(family);
    m.description = std::move(description);
    m.headPath = std::move(headPath);
    m.backboneLastBlock = std::move(backboneLastBlock);
    m.weightsUrl = kDownloads + weightsFile;
    m.weightsSha256Prefix = std::move(sha256Prefix);
    m.imagenetParameters = parameters;
    return m;
}

// The bundled demo backbone (resources/demo): 28x28 Fashion-MNIST images,
// normalised with Fashion-MNIST's mean/std; its weights ship with the app.
ModelInfo demoInfo() {
    ModelInfo m;
    m.name = "demo_cnn";
    m.family = "Demo";
    m.description =
        "Demo CNN: a small ResNet for 28x28 images, pretrained by this app on five "
        "Fashion-MNIST classes; fine-tunes in seconds on any computer.";
    m.inputSize = 28;
    m.mean = {{0.2860f, 0.2860f, 0.2860f}};
    m.std = {{0.3530f, 0.3530f, 0.3530f}};
    m.headPath = "fc";
    m.backboneLastBlock = "layer3";
    // No ImageNet head: the count is with the demo's 5-class head.
    m.imagenetParameters = 309093;
    return m;
}

std::vector<ModelInfo> makeRegistry() {
    // Weights: torchvision's IMAGENET1K_V1 files (EfficientNet-B0 under the
    // 7f5810bc name that torchvision 0.16 gave it: its SHA-256 really starts
    // so; 0.14 named it 3dd342df) (all evaluated at a
    // 224 crop with ImageNet's mean/std, the ModelInfo defaults). Parameter
    // counts are torchvision's num_params; tst_models checks them against
    // the built models. backboneLastBlock is the last block before the
    // final 1x1 convolution / pooling.
    return {
        info("resnet18", "ResNet",
             "ResNet-18: 11.7M parameters, fast and a sound default for fine-tuning.", "fc",
             "layer4", "resnet18-f37072fd.pth", "f37072fd", 11689512),
        info("resnet34", "ResNet", "ResNet-34: 21.8M parameters, deeper basic-block ResNet.", "fc",
             "layer4", "resnet34-b627a593.pth", "b627a593", 21797672),
        info("resnet50", "ResNet",
             "ResNet-50: 25.6M parameters, bottleneck ResNet; accurate but slower.", "fc", "layer4",
             "resnet50-0676ba61.pth", "0676ba61", 25557032),
        info("mobilenet_v2", "MobileNetV2",
             "MobileNetV2: 3.5M parameters, light inverted-residual network.", "classifier.1",
             "features.17", "mobilenet_v2-b0353104.pth", "b0353104", 3504872),
        info("mobilenet_v3_small", "MobileNetV3",
             "MobileNetV3-Small: 2.5M parameters, the smallest and fastest model here.",
             "classifier.3", "features.11", "mobilenet_v3_small-047dcff4.pth", "047dcff4", 2542856),
        info("mobilenet_v3_large", "MobileNetV3",
             "MobileNetV3-Large: 5.5M parameters, fast with good accuracy.", "classifier.3",
             "features.15", "mobilenet_v3_large-8738ca79.pth", "8738ca79", 5483032),
        info("efficientnet_b0", "EfficientNet",
             "EfficientNet-B0: 5.3M parameters, the most accurate per parameter here.",
             "classifier.1", "features.7", "efficientnet_b0_rwightman-7f5810bc.pth", "7f5810bc",
             5288548),
        demoInfo(),
    };
}

Classifier build(std::string_view name, std::int64_t n) {
    if (name == "resnet18") return resnet18(n).ptr();
    if (name == "resnet34") return resnet34(n).ptr();
    if (name == "resnet50") return resnet50(n).ptr();
    if (name == "mobilenet_v2") return MobileNetV2(n).ptr();
    if (name == "mobilenet_v3_small") return MobileNetV3(MobileNetV3Impl::Variant::Small, n).ptr();
    if (name == "mobilenet_v3_large") return MobileNetV3(MobileNetV3Impl::Variant::Large, n).ptr();
    if (name == "efficientnet_b0") return EfficientNet(n).ptr();
    if (name == "demo_cnn") return DemoCnn(n).ptr();
    return nullptr;
}

}  // namespace

const std::vector<ModelInfo>& modelRegistry() {
    static const std::vector<ModelInfo> registry = makeRegistry();
    return registry;
}

const ModelInfo* findModel(std::string_view name) {
    // Not in the picker's list: a TorchScript backbone needs its file.
    if (isTorchScriptModel(name)) return &torchScriptModelInfo();
    for (const ModelInfo& m : modelRegistry()) {
        if (m.name == name) return &m;
    }
    return nullptr;
}

Classifier createModel(std::string_view name, std::int64_t numClasses) {
    if (!findModel(name)) {
        std::string known;
        for (const ModelInfo& m : modelRegistry()) known += (known.empty() ? "" : ", ") + m.name;
        throw Error("Unknown model '" + std::string(name) + "'. Known models: " + known + ".");
    }
    if (isTorchScriptModel(name))
        throw Error("The torchscript model is read from a file: give the TorchScript backbone "
                    "with --weights FILE.");
    if (numClasses < 1)
        throw Error("A model needs at least one class; got " + std::to_string(numClasses) + ".");
    return build(name, numClasses);
}

}  // namespace fts
