#include "export/gradcam.h"

#include "core/error.h"
#include "core/fileio.h"
#include "data/evaltransform.h"
#include "export/bundle.h"
#include "models/registry.h"

#include <ATen/ATen.h>
#include <torch/autograd.h>
#include <torch/nn/functional/pooling.h>
#include <torch/nn/functional/upsampling.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/pooling.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <mutex>

namespace fts {
namespace {

namespace fs = std::filesystem;
namespace F = torch::nn::functional;

using StageFn = std::function<at::Tensor(const at::Tensor&)>;

/// One step of the backbone with a 4-D output. A stage whose `path` names a
/// whole Sequential ("layer4") marks the output of its last child; it runs
/// nothing itself (empty fn).
struct Stage {
    std::string path;
    StageFn fn;
};

std::shared_ptr<torch::nn::Module> child(torch::nn::Module& model, const std::string& name) {
    for (const auto& item : model.named_children())
        if (item.key() == name) return item.value();
    return nullptr;
}

StageFn leafFn(const std::shared_ptr<torch::nn::Module>& m) {
    if (auto* conv = m->as<torch::nn::Conv2dImpl>())
        return [conv](const at::Tensor& x) { return conv->forward(x); };
    if (auto* bn = m->as<torch::nn::BatchNorm2dImpl>())
        return [bn](const at::Tensor& x) { return bn->forward(x); };
    if (auto* relu = m->as<torch::nn::ReLUImpl>())
        return [relu](const at::Tensor& x) { return relu->forward(x); };
    if (auto* pool = m->as<torch::nn::MaxPool2dImpl>())
        return [pool](const at::Tensor& x) { return pool->forward(x); };
    return nullptr;
}

/// A Sequential's children one by one ("features.0", ...), then its own path.
void appendSequential(std::vector<Stage>& stages, const std::string& path,
                      torch::nn::SequentialImpl& seq) {
    for (std::size_t i = 0; i < seq.size(); ++i) {
        torch::nn::AnyModule any = *(seq.begin() + static_cast<std::ptrdiff_t>(i));
        stages.push_back({path + '.' + std::to_string(i),
                          [any](const at::Tensor& x) mutable { return any.forward(x); }});
    }
    stages.push_back({path, nullptr});
}

}  // namespace

bool gradCamSupported(const std::string& architecture) {
    const ModelInfo* info = findModel(architecture);
    if (!info) return false;
    return info->family == "ResNet" || info->family == "Demo" || info->family == "MobileNetV2" ||
           info->family == "MobileNetV3" || info->family == "EfficientNet";
}

struct GradCam::Impl {
    Classifier model;
    BundleModelInfo description;
    std::string family;
    std::string defaultLayer;
    std::vector<Stage> stages;
    std::vector<std::string> layers;
    StageFn tail;  // the 4-D output of the last stage -> logits
    mutable std::mutex mutex;

    void build(const LoadedModel& loaded) {
        model = loaded.model;
        description = loaded.description;
        const ModelInfo* info = findModel(description.architecture);
        if (!info || !gradCamSupported(description.architecture))
            throw Error("Grad-CAM supports ResNet, MobileNet, EfficientNet and the demo CNN; \"" +
                        description.architecture + "\" is not one of them");
        family = info->family;
        defaultLayer = info->backboneLastBlock;
        ClassifierImpl& m = *model;
        auto pooled = [](const at::Tensor& x) {
            return F::adaptive_avg_pool2d(x, F::AdaptiveAvgPool2dFuncOptions(1)).flatten(1);
        };
        if (family == "ResNet" || family == "Demo") {
            for (const char* name : {"conv1", "bn1", "relu", "maxpool"}) {
                if (auto c = child(m, name)) {
                    StageFn fn = leafFn(c);
                    if (!fn)
                        throw Error(std::string("Grad-CAM: the stem module \"") + name +
                                    "\" has an unexpected type");
                    stages.push_back({name, std::move(fn)});
                }
                // The demo CNN applies its stem ReLU functionally.
                if (family == "Demo" && std::string(name) == "bn1")
                    stages.push_back({"relu", [](const at::Tensor& x) { return at::relu(x); }});
            }
            for (const char* name : {"layer1", "layer2", "layer3", "layer4"})
                if (auto c = child(m, name))
                    appendSequential(stages, name, *c->as<torch::nn::SequentialImpl>());
            tail = [this, pooled](const at::Tensor& x) { return model->forwardHead(pooled(x)); };
        } else {
            auto features = child(m, "features");
            auto classifier = child(m, "classifier");
            if (!features || !classifier)
                throw Error("Grad-CAM: the model has no features/classifier modules");
            appendSequential(stages, "features", *features->as<torch::nn::SequentialImpl>());
            auto* seq = classifier->as<torch::nn::SequentialImpl>();
            // MobileNetV3's classifier holds layers before the head; the
            // others' is dropout + head, which forwardHead() runs.
            tail = [this, pooled, seq](const at::Tensor& x) {
                return family == "MobileNetV3" ? seq->forward(pooled(x))
                                               : model->forwardHead(pooled(x));
            };
        }
        for (const auto& s : stages) layers.push_back(s.path);
        if (std::find(layers.begin(), layers.end(), defaultLayer) == layers.end())
            defaultLayer = layers.back();
    }
};

GradCam::GradCam(const fs::path& runOrBundle) : m(std::make_unique<Impl>()) {
    std::error_code ec;
    if (!fs::is_directory(runOrBundle, ec))
        throw Error(displayPath(runOrBundle) +
                    ": not a folder; choose a run directory or an export bundle");
    const LoadedModel loaded =
        fs::exists(runOrBundle / "model.json", ec) ? loadBundle(runOrBundle) : loadRun(runOrBundle);
    m->build(loaded);
}

GradCam::GradCam(const LoadedModel& model) : m(std::make_unique<Impl>()) {
    m->build(model);
}

GradCam::~GradCam() = default;

const std::string& GradCam::architecture() const {
    return m->description.architecture;
}
const std::vector<std::string>& GradCam::classes() const {
    return m->description.classes;
}
const std::vector<std::string>& GradCam::layers() const {
    return m->layers;
}
std::string GradCam::defaultLayer() const {
    return m->defaultLayer;
}

GradCamResult GradCam::compute(const RgbImage& image, int classIndex,
                               const std::string& layerPath) const {
    const std::lock_guard<std::mutex> lock(m->mutex);
    const std::string layer = layerPath.empty() ? m->defaultLayer : layerPath;
    if (std::find(m->layers.begin(), m->layers.end(), layer) == m->layers.end()) {
        std::string known;
        for (const auto& l : m->layers) known += (known.empty() ? "" : ", ") + l;
        throw Error("Grad-CAM: \"" + layer + "\" is not a layer of " + m->description.architecture +
                    "; choose one of " + known);
    }
    const int numClasses = static_cast<int>(m->model->numClasses());
    if (classIndex < -1 || classIndex >= numClasses)
        throw Error("Grad-CAM: class index " + std::to_string(classIndex) +
                    " is out of range; the model has " + std::to_string(numClasses) + " classes");

    const int size = m->description.inputSize;
    const at::Tensor input = evalTransform(image, size, m->description.norm).unsqueeze(0);
    m->model->eval();

    // Up to the target without autograd; from the target on with it, so the
    // gradient of the class score reaches exactly the target's activation.
    at::Tensor x = input;
    std::size_t i = 0;
    {
        torch::NoGradGuard noGrad;
        for (; i < m->stages.size(); ++i) {
            const Stage& s = m->stages[i];
            if (s.fn) x = s.fn(x);
            if (s.path == layer) break;
        }
    }
    const at::Tensor activation = x.detach().clone().requires_grad_(true);
    at::Tensor logits;
    {
        torch::AutoGradMode grad(/*enabled=*/true);
        x = activation;
        for (++i; i < m->stages.size(); ++i)
            if (m->stages[i].fn) x = m->stages[i].fn(x);
        logits = m->tail(x);
    }
    const at::Tensor probs = at::softmax(logits.detach().to(at::kFloat), 1)[0];
    GradCamResult r;
    r.predictedIndex = static_cast<int>(probs.argmax().item<std::int64_t>());
    r.classIndex = classIndex < 0 ? r.predictedIndex : classIndex;
    r.probability = probs[r.classIndex].item<double>();
    r.layer = layer;

    at::Tensor cam;
    {
        torch::AutoGradMode grad(/*enabled=*/true);
        const at::Tensor score = logits[0][r.classIndex];
        const at::Tensor g = torch::autograd::grad({score}, {activation})[0];
        const at::Tensor weights = g.mean({2, 3}, /*keepdim=*/true);  // [1, C, 1, 1]
        cam = at::relu((weights * activation.detach()).sum(1, /*keepdim=*/true));
    }
    cam = F::interpolate(cam, F::InterpolateFuncOptions()
                                  .size(std::vector<std::int64_t>{size, size})
                                  .mode(torch::kBilinear)
                                  .align_corners(false));
    const float peak = cam.max().item<float>();
    cam = peak > 0.0f ? cam / peak : at::zeros_like(cam);
    cam = cam.clamp(0.0, 1.0).reshape({size * size}).contiguous();
    r.width = r.height = size;
    r.heat.assign(cam.data_ptr<float>(), cam.data_ptr<float>() + size * size);

    // The crop back to 8-bit RGB from the normalised input.
    const auto& n = m->description.norm;
    const at::Tensor mean =
        at::tensor(std::vector<float>(n.mean.begin(), n.mean.end())).view({3, 1, 1});
    const at::Tensor sd =
        at::tensor(std::vector<float>(n.std.begin(), n.std.end())).view({3, 1, 1});
    const at::Tensor rgb = (input[0] * sd + mean)
                               .mul(255.0)
                               .round()
                               .clamp(0, 255)
                               .to(at::kByte)
                               .permute({1, 2, 0})
                               .contiguous();
    r.crop.width = r.crop.height = size;
    r.crop.pixels.assign(rgb.data_ptr<std::uint8_t>(), rgb.data_ptr<std::uint8_t>() + rgb.numel());
    r.overlay = overlayHeatMap(r.crop, r.heat);
    return r;
}

RgbImage overlayHeatMap(const RgbImage& image, const std::vector<float>& heat, float alpha) {
    RgbImage out = image;
    const std::size_t n = std::size_t(image.width) * std::size_t(image.height);
    if (heat.size() != n || image.pixels.size() != 3 * n)
        throw Error("overlayHeatMap: the heat map does not match the image size");
    for (std::size_t p = 0; p < n; ++p) {
        const float v = std::clamp(heat[p], 0.0f, 1.0f);
        // Jet: blue -> cyan -> green -> yellow -> red.
        const float rgb[3] = {std::clamp(1.5f - std::abs(4.0f * v - 3.0f), 0.0f, 1.0f),
                              std::clamp(1.5f - std::abs(4.0f * v - 2.0f), 0.0f, 1.0f),
                              std::clamp(1.5f - std::abs(4.0f * v - 1.0f), 0.0f, 1.0f)};
        for (int c = 0; c < 3; ++c) {
            const float base = image.pixels[3 * p + c];
            out.pixels[3 * p + c] = static_cast<std::uint8_t>(
                std::lround((1.0f - alpha) * base + alpha * 255.0f * rgb[c]));
        }
    }
    return out;
}

}  // namespace fts
