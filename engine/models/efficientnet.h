#pragma once

// torchvision's EfficientNet-B0 (models/efficientnet.py), with torchvision's
// module names. B0 uses BatchNorm2d's defaults (eps 1e-5, momentum 0.1) in
// torchvision 0.14; only B5-B7 use eps 0.001, momentum 0.01.

#include "models/classifier.h"
#include "models/layers.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/pooling.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

namespace fts {

/// One stage of Table 1 of the EfficientNet paper.
struct MBConvConfig {
    double expandRatio;
    std::int64_t kernel;
    std::int64_t stride;
    std::int64_t inputChannels;
    std::int64_t outChannels;
    std::int64_t numLayers;
};

/// block = [1x1 expand (if the ratio is not 1), kxk depthwise,
/// SqueezeExcitation (SiLU, sigmoid), 1x1 project], then stochastic_depth on
/// the residual branch (train mode only) when the stride is 1 and the
/// channels match.
class MBConvImpl : public torch::nn::Module {
public:
    MBConvImpl(const MBConvConfig& config, double stochasticDepthProb, const BatchNormSettings& bn);
    torch::Tensor forward(torch::Tensor x);

private:
    bool m_useResConnect = false;
    torch::nn::Sequential m_block{nullptr};
    StochasticDepth m_stochasticDepth{nullptr};
};
TORCH_MODULE(MBConv);

/// features (stem, 7 stages of MBConv, 1x1 conv), avgpool,
/// classifier = [Dropout(0.2), Linear] (the head is "classifier.1").
class EfficientNetImpl : public ClassifierImpl {
public:
    /// EfficientNet-B0: width and depth multipliers 1.0.
    explicit EfficientNetImpl(std::int64_t numClasses = 1000, double dropout = 0.2,
                              double stochasticDepthProb = 0.2);

    torch::Tensor forward(torch::Tensor x) override;
    torch::Tensor forwardFeatures(torch::Tensor x) override;
    torch::Tensor forwardHead(torch::Tensor features) override;
    bool featuresDeterministic() const override;
    std::string headPath() const override { return "classifier.1"; }
    std::int64_t numClasses() const override { return m_head->options.out_features(); }
    std::int64_t headInputs() const override { return m_head->options.in_features(); }
    void resetHead(std::int64_t numClasses) override;

private:
    torch::nn::Sequential m_features{nullptr};
    torch::nn::AdaptiveAvgPool2d m_avgpool{nullptr};
    torch::nn::Sequential m_classifier{nullptr};
    torch::nn::Linear m_head{nullptr};
};
TORCH_MODULE(EfficientNet);

}  // namespace fts
