#include "train/modeldescription.h"
#include "train/pretrained.h"

#include "core/error.h"
#include "core/fileio.h"
#include "models/democnn.h"
#include "models/efficientnet.h"
#include "models/layers.h"
#include "models/mobilenetv2.h"
#include "models/mobilenetv3.h"
#include "models/registry.h"
#include "models/resnet.h"
#include "models/torchscriptbackbone.h"
#include "train/freezeplan.h"
#include "weights/statedictloader.h"
#include "weights/weightfile.h"

#include <torch/nn/functional/pooling.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/pooling.h>
#include <torch/types.h>
#include <torch/utils.h>

#include <filesystem>
#include <optional>

namespace fts {
namespace {

namespace nn = torch::nn;

// The class count of the registry's own head: ImageNet's 1000, the demo's 5.
std::int64_t defaultClasses(const std::string& arch) {
    return arch == "demo_cnn" ? 5 : 1000;
}

std::string join(const std::string& path, const std::string& name) {
    return path.empty() ? name : path + "." + name;
}

// Traces output shapes by applying the model's modules one after another, in
// registration order, as the architectures' forward() does. Only module types
// whose forward is known to be applied that way are traced; anything else
// ends the trace (no guessing).
class ShapeTracer {
public:
    explicit ShapeTracer(std::map<std::string, std::vector<std::int64_t>>& shapes)
        : m_shapes(shapes) {}

    // Applies `module` (at `path`) to x. Returns nullopt when its type is not
    // traced.
    std::optional<torch::Tensor> apply(const std::shared_ptr<nn::Module>& module,
                                       const std::string& path, torch::Tensor x) {
        nn::Module* m = module.get();
        if (auto* seq = dynamic_cast<nn::SequentialImpl*>(m)) return applySequential(*seq, path, x);
        if (auto* cna = dynamic_cast<Conv2dNormActivationImpl*>(m)) {
            // Its forward is conv, bn, activation in order: the children trace exactly.
            for (const auto& child : cna->named_children()) {
                auto y = apply(child.value(), join(path, child.key()), x);
                if (!y) return std::nullopt;
                x = *y;
            }
            return record(path, x);
        }
        if (auto* linear = dynamic_cast<nn::LinearImpl*>(m))
            return record(path, linear->forward(poolForLinear(x)));
        auto y = applyLeaf(m, x);
        if (!y) return std::nullopt;
        return record(path, *y);
    }

private:
    torch::Tensor record(const std::string& path, torch::Tensor x) {
        const auto sizes = x.sizes().vec();
        m_shapes[path] = std::vector<std::int64_t>(sizes.begin() + 1, sizes.end());
        return x;
    }

    // torchvision's forward pools and flattens a 4-D feature map before the
    // classifier's Linear.
    static torch::Tensor poolForLinear(torch::Tensor x) {
        if (x.dim() != 4) return x;
        return torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1);
    }

    std::optional<torch::Tensor> applySequential(nn::SequentialImpl& seq, const std::string& path,
                                                 torch::Tensor x) {
        const auto children = seq.named_children();
        if (children.size() != seq.size()) return std::nullopt;  // not a plain Sequential
        if (seq.size() > 0) {
            nn::Module* first = children[0].value().get();
            if (dynamic_cast<nn::DropoutImpl*>(first) || dynamic_cast<nn::LinearImpl*>(first))
                x = poolForLinear(x);
        }
        std::size_t i = 0;
        for (auto it = seq.begin(); it != seq.end(); ++it, ++i) {
            const std::string childPath = join(path, children[i].key());
            const auto& child = children[i].value();
            if (dynamic_cast<nn::SequentialImpl*>(child.get()) ||
                dynamic_cast<Conv2dNormActivationImpl*>(child.get()) ||
                dynamic_cast<nn::LinearImpl*>(child.get())) {
                auto y = apply(child, childPath, x);
                if (!y) return std::nullopt;
                x = *y;
            } else {
                // Sequential's own forward calls exactly this.
                x = record(childPath, it->forward(x));
            }
        }
        return record(path, x);
    }

    // Modules with a single-tensor forward applied as they are.
    static std::optional<torch::Tensor> applyLeaf(nn::Module* m, const torch::Tensor& x) {
        if (auto* p = dynamic_cast<nn::Conv2dImpl*>(m)) return p->forward(x);
        if (auto* p = dynamic_cast<nn::BatchNorm2dImpl*>(m)) return p->forward(x);
        if (auto* p = dynamic_cast<nn::ReLUImpl*>(m)) return p->forward(x);
        if (auto* p = dynamic_cast<nn::ReLU6Impl*>(m)) return p->forward(x);
        if (auto* p = dynamic_cast<nn::SiLUImpl*>(m)) return p->forward(x);
        if (auto* p = dynamic_cast<nn::SigmoidImpl*>(m)) return p->forward(x);
        if (auto* p = dynamic_cast<HardswishImpl*>(m)) return p->forward(x);
        if (auto* p = dynamic_cast<HardsigmoidImpl*>(m)) return p->forward(x);
        if (auto* p = dynamic_cast<nn::MaxPool2dImpl*>(m)) return p->forward(x);
        if (auto* p = dynamic_cast<nn::AdaptiveAvgPool2dImpl*>(m)) return p->forward(x);
        if (auto* p = dynamic_cast<nn::DropoutImpl*>(m)) return p->forward(x);
        if (auto* p = dynamic_cast<nn::FlattenImpl*>(m)) return p->forward(x);
        if (auto* p = dynamic_cast<BasicBlockImpl*>(m)) return p->forward(x);
        if (auto* p = dynamic_cast<BottleneckImpl*>(m)) return p->forward(x);
        if (auto* p = dynamic_cast<InvertedResidualImpl*>(m)) return p->forward(x);
        if (auto* p = dynamic_cast<InvertedResidualV3Impl*>(m)) return p->forward(x);
        if (auto* p = dynamic_cast<MBConvImpl*>(m)) return p->forward(x);
        if (auto* p = dynamic_cast<SqueezeExcitationImpl*>(m)) return p->forward(x);
        return std::nullopt;
    }

    std::map<std::string, std::vector<std::int64_t>>& m_shapes;
};

void traceShapes(ClassifierImpl& model, int imageSize, ModelDescription& d) {
    torch::NoGradGuard noGrad;
    model.eval();
    // Zeros, not noise: shapes do not depend on the values, and this keeps the
    // description free of any random draw.
    torch::Tensor x = torch::zeros({1, 3, imageSize, imageSize});
    ShapeTracer tracer(d.outputShapes);
    for (const auto& child : model.named_children()) {
        std::optional<torch::Tensor> y;
        try {
            y = tracer.apply(child.value(), child.key(), x);
        } catch (const std::exception&) {
            // E.g. an image size too small for the model's downsampling.
        }
        if (!y) break;  // the shapes after an untraced module stay absent
        x = *y;
    }
}

// Loads the file as the trainer does; fills the report (words and numbers).
void loadWeights(ClassifierImpl& model, const std::string& arch, const std::string& weightsFile,
                 ModelDescription& d) {
    const std::string file = displayPath(std::filesystem::path(weightsFile));
    std::error_code ec;
    if (!std::filesystem::is_regular_file(std::filesystem::path(weightsFile), ec))
        throw Error(file + ": no such file; choose an existing weights file or none");
    WeightFile weights;
    try {
        weights = loadWeightFile(weightsFile);
    } catch (const Error& e) {
        const std::string what = e.what();
        if (what.find(file) != std::string::npos) throw;
        throw Error(file + ": " + what);
    }
    const std::string head = model.headPath();
    const std::int64_t numClasses = model.numClasses();
    const PretrainedLoad loaded = loadPretrained(model, weights.tensors);
    const LoadReport& report = loaded.report;
    const bool headFits = loaded.headFromFile;
    if (report.loaded == 0)
        throw Error(file + ": no weight name matches " + arch +
                    "; pick the file made for this model or another model");
    const std::size_t backboneProblems =
        loaded.missingBackbone.size() + loaded.mismatchedBackbone.size();

    const std::size_t entries = stateDictOf(model).size();
    std::string text = "Loaded " + std::to_string(report.loaded) + " of " +
                       std::to_string(entries) + " tensors from " + file + "; ";
    if (headFits)
        text += "the head (" + head + ") comes from the file too, already for " +
                std::to_string(numClasses) + " classes.";
    else
        text += "the head (" + head + ") is new for " + std::to_string(numClasses) + " classes.";
    if (!report.strippedPrefix.empty())
        text += " Names had the prefix '" + report.strippedPrefix + "'.";
    if (!report.unexpected.empty())
        text += " " + std::to_string(report.unexpected.size()) +
                " entries of the file are not part of " + arch + " and were not used.";
    if (backboneProblems > 0)
        text += " Training will refuse this file: " + std::to_string(backboneProblems) +
                " backbone weights are missing from it or have another shape.";
    d.weightsReport = text;
    d.weightsLoaded = report.loaded;
    d.weightsTotal = static_cast<int>(entries);
    d.headFromFile = headFits;
    d.weightsUnused = static_cast<int>(report.unexpected.size());
    d.backboneProblems = static_cast<int>(backboneProblems);
}

}  // namespace

ModelDescription describeModel(const std::string& arch, const std::string& weightsFile,
                               std::int64_t numClasses, int imageSize) {
    const ModelInfo* info = findModel(arch);
    if (!info) createModel(arch, 1);  // throws naming the known models
    if (numClasses <= 0) numClasses = defaultClasses(arch);
    if (imageSize < 0 || imageSize > 4096)
        throw Error("the image size must be between 1 and 4096 (it is " +
                    std::to_string(imageSize) + ")");

    // A TorchScript backbone is its file: built from it, not loaded into it.
    const bool script = isTorchScriptModel(arch);
    Classifier model = createModelFor(arch, weightsFile, numClasses, imageSize);
    ModelDescription d;
    d.arch = info->name;
    d.family = info->family;
    d.imageSize = imageSize > 0 ? imageSize : info->inputSize;
    d.numClasses = model->numClasses();
    d.headPath = model->headPath();
    d.lastBlockPath = info->backboneLastBlock;
    d.weightsFile = weightsFile;
    if (script) {
        const std::size_t entries = stateDictOf(*model).size();
        d.weightsLoaded = static_cast<int>(entries) - 2;  // all but the head's weight and bias
        d.weightsTotal = static_cast<int>(entries);
        d.weightsReport = "TorchScript backbone " +
                          displayPath(std::filesystem::u8path(weightsFile)) + ": " +
                          std::to_string(model->headInputs()) + " features; the head (" +
                          model->headPath() + ") is new for " + std::to_string(numClasses) +
                          " classes.";
    } else if (!weightsFile.empty()) {
        loadWeights(*model, arch, weightsFile, d);
    }
    d.tree = buildModuleTree(*model);
    for (const auto& p : model->parameters()) d.totalParameters += p.numel();
    if (script) {  // its submodules' forward passes are not traced one by one
        d.outputShapes[model->headPath()] = {model->numClasses()};
        // "Last block": the last top-level module with parameters before the head.
        for (const auto& child : d.tree.children)
            if (child.path != d.headPath && child.totalParameters > 0) d.lastBlockPath = child.path;
    }
    else
        traceShapes(*model, d.imageSize, d);
    return d;
}

long long engineTrainableParameters(const std::string& arch, std::int64_t numClasses,
                                    const std::string& freezeSpec) {
    if (numClasses <= 0) numClasses = defaultClasses(arch);
    Classifier model = createModel(arch, numClasses);
    return FreezePlan::parse(freezeSpec, *model).trainableParameters(*model);
}

}  // namespace fts
