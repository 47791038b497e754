#pragma once

// torchvision's MobileNetV3 small and large (models/mobilenetv3.py), width
// 1.0, no dilation, with torchvision's module names. BatchNorm2d uses
// eps 0.001 and momentum 0.01, as torchvision's.

#include "models/classifier.h"
#include "models/layers.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/pooling.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

namespace fts {

/// One row of Tables 1 and 2 of the MobileNetV3 paper.
struct MobileNetV3BlockConfig {
    std::int64_t inputChannels;
    std::int64_t kernel;
    std::int64_t expandedChannels;
    std::int64_t outChannels;
    bool useSe;
    bool useHardswish;  // "HS", else "RE" (ReLU)
    std::int64_t stride;
};

/// MobileNetV3's inverted residual: block = [1x1 expand (if the width
/// changes), kxk depthwise, SqueezeExcitation (hardsigmoid) if useSe,
/// 1x1 project]; residual when the stride is 1 and the channels match.
/// Shown as "InvertedResidual", like torchvision's.
class InvertedResidualV3Impl : public torch::nn::Module {
public:
    InvertedResidualV3Impl(const MobileNetV3BlockConfig& config, const BatchNormSettings& bn);
    torch::Tensor forward(torch::Tensor x);

private:
    bool m_useResConnect = false;
    torch::nn::Sequential m_block{nullptr};
};
TORCH_MODULE(InvertedResidualV3);

/// features, avgpool, classifier = [Linear, Hardswish, Dropout(0.2), Linear]
/// (the head is "classifier.3").
class MobileNetV3Impl : public ClassifierImpl {
public:
    enum class Variant { Small, Large };
    explicit MobileNetV3Impl(Variant variant, std::int64_t numClasses = 1000, double dropout = 0.2);

    torch::Tensor forward(torch::Tensor x) override;
    /// The input of the head, so it runs classifier.0..2 (Linear, Hardswish,
    /// Dropout) after the pooling: [N, 1024 | 1280].
    torch::Tensor forwardFeatures(torch::Tensor x) override;
    torch::Tensor forwardHead(torch::Tensor features) override;
    bool featuresDeterministic() const override;
    std::string headPath() const override { return "classifier.3"; }
    std::int64_t numClasses() const override { return m_head->options.out_features(); }
    std::int64_t headInputs() const override { return m_head->options.in_features(); }
    void resetHead(std::int64_t numClasses) override;

private:
    torch::nn::Sequential m_features{nullptr};
    torch::nn::AdaptiveAvgPool2d m_avgpool{nullptr};
    torch::nn::Sequential m_classifier{nullptr};
    torch::nn::Linear m_head{nullptr};
};
TORCH_MODULE(MobileNetV3);

}  // namespace fts
