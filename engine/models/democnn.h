#pragma once

#include "models/classifier.h"

#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/pooling.h>

#include <cstdint>

namespace fts {

/// The bundled demo backbone: a small ResNet for 28x28 images (Fashion-MNIST):
/// a 3x3 stem at full resolution, three stages of one BasicBlock each (widths
/// w, 2w, 4w, each halving the resolution: 28 -> 14 -> 7 -> 4), global average
/// pooling and the head fc. About 10 M multiply-adds per image at w = 32, so
/// the demo fine-tunes in seconds on two CPU cores.
/// Module names follow torchvision's ResNet (conv1, bn1, layer1..3, fc), so
/// the freeze presets and the layer tree read the same as for ResNet-18.
class DemoCnnImpl : public ClassifierImpl {
public:
    explicit DemoCnnImpl(std::int64_t numClasses, std::int64_t width = 32);

    torch::Tensor forward(torch::Tensor x) override;
    torch::Tensor forwardFeatures(torch::Tensor x) override;
    torch::Tensor forwardHead(torch::Tensor features) override;
    std::string headPath() const override { return "fc"; }
    std::int64_t numClasses() const override { return m_fc->options.out_features(); }
    std::int64_t headInputs() const override { return m_fc->options.in_features(); }
    void resetHead(std::int64_t numClasses) override;

private:
    torch::nn::Conv2d m_conv1{nullptr};
    torch::nn::BatchNorm2d m_bn1{nullptr};
    torch::nn::Sequential m_layer1{nullptr}, m_layer2{nullptr}, m_layer3{nullptr};
    torch::nn::AdaptiveAvgPool2d m_avgpool{nullptr};
    torch::nn::Linear m_fc{nullptr};
};
TORCH_MODULE(DemoCnn);

}  // namespace fts
