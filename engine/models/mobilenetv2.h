#pragma once

// torchvision's MobileNetV2 (models/mobilenetv2.py), width 1.0, with
// torchvision's module names.

#include "models/classifier.h"
#include "models/layers.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

namespace fts {

/// MobileNetV2's inverted residual: conv = [1x1 expand (if t != 1),
/// 3x3 depthwise, 1x1 project Conv2d, BatchNorm2d], residual when the stride
/// is 1 and the channels match.
class InvertedResidualImpl : public torch::nn::Module {
public:
    InvertedResidualImpl(std::int64_t inp, std::int64_t oup, std::int64_t stride,
                         std::int64_t expandRatio);
    torch::Tensor forward(torch::Tensor x);

private:
    bool m_useResConnect = false;
    torch::nn::Sequential m_conv{nullptr};
};
TORCH_MODULE(InvertedResidual);

/// features (Sequential 0..18), classifier = [Dropout(0.2), Linear] (the head
/// is "classifier.1"); global average pooling is functional, as in torchvision.
class MobileNetV2Impl : public ClassifierImpl {
public:
    explicit MobileNetV2Impl(std::int64_t numClasses = 1000, double dropout = 0.2);

    torch::Tensor forward(torch::Tensor x) override;
    torch::Tensor forwardFeatures(torch::Tensor x) override;
    torch::Tensor forwardHead(torch::Tensor features) override;
    std::string headPath() const override { return "classifier.1"; }
    std::int64_t numClasses() const override { return m_head->options.out_features(); }
    std::int64_t headInputs() const override { return m_head->options.in_features(); }
    void resetHead(std::int64_t numClasses) override;

private:
    torch::nn::Sequential m_features{nullptr};
    torch::nn::Sequential m_classifier{nullptr};
    torch::nn::Linear m_head{nullptr};
};
TORCH_MODULE(MobileNetV2);

}  // namespace fts
