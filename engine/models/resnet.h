#pragma once

// torchvision's ResNet (models/resnet.py, the "v1.5" variant with the stride
// on the 3x3 convolution of a Bottleneck), with torchvision's module names.

#include "models/classifier.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/pooling.h>
#include <torch/nn/pimpl.h>

#include <array>
#include <cstdint>

namespace fts {

/// Two 3x3 convolutions: conv1, bn1, relu, conv2, bn2 and an optional
/// downsample (1x1 conv + BN) on the shortcut.
class BasicBlockImpl : public torch::nn::Module {
public:
    static constexpr std::int64_t expansion = 1;
    BasicBlockImpl(std::int64_t inplanes, std::int64_t planes, std::int64_t stride,
                   torch::nn::Sequential downsample);
    torch::Tensor forward(torch::Tensor x);

private:
    torch::nn::Conv2d m_conv1{nullptr}, m_conv2{nullptr};
    torch::nn::BatchNorm2d m_bn1{nullptr}, m_bn2{nullptr};
    torch::nn::ReLU m_relu{nullptr};
    torch::nn::Sequential m_downsample{nullptr};
};
TORCH_MODULE(BasicBlock);

/// 1x1 reduce, 3x3 (with the stride), 1x1 expand by 4: conv1..3, bn1..3,
/// relu, optional downsample.
class BottleneckImpl : public torch::nn::Module {
public:
    static constexpr std::int64_t expansion = 4;
    BottleneckImpl(std::int64_t inplanes, std::int64_t planes, std::int64_t stride,
                   torch::nn::Sequential downsample);
    torch::Tensor forward(torch::Tensor x);

private:
    torch::nn::Conv2d m_conv1{nullptr}, m_conv2{nullptr}, m_conv3{nullptr};
    torch::nn::BatchNorm2d m_bn1{nullptr}, m_bn2{nullptr}, m_bn3{nullptr};
    torch::nn::ReLU m_relu{nullptr};
    torch::nn::Sequential m_downsample{nullptr};
};
TORCH_MODULE(Bottleneck);

/// conv1, bn1, relu, maxpool, layer1..layer4, avgpool, fc (the head).
class ResNetImpl : public ClassifierImpl {
public:
    enum class Block { Basic, Bottleneck };
    ResNetImpl(Block block, const std::array<std::int64_t, 4>& layers, std::int64_t numClasses);

    torch::Tensor forward(torch::Tensor x) override;
    torch::Tensor forwardFeatures(torch::Tensor x) override;
    torch::Tensor forwardHead(torch::Tensor features) override;
    std::string headPath() const override { return "fc"; }
    std::int64_t numClasses() const override { return m_fc->options.out_features(); }
    std::int64_t headInputs() const override { return m_fc->options.in_features(); }
    void resetHead(std::int64_t numClasses) override;

private:
    torch::nn::Sequential makeLayer(Block block, std::int64_t planes, std::int64_t blocks,
                                    std::int64_t stride);

    std::int64_t m_inplanes = 64;
    torch::nn::Conv2d m_conv1{nullptr};
    torch::nn::BatchNorm2d m_bn1{nullptr};
    torch::nn::ReLU m_relu{nullptr};
    torch::nn::MaxPool2d m_maxpool{nullptr};
    torch::nn::Sequential m_layer1{nullptr}, m_layer2{nullptr}, m_layer3{nullptr},
        m_layer4{nullptr};
    torch::nn::AdaptiveAvgPool2d m_avgpool{nullptr};
    torch::nn::Linear m_fc{nullptr};
};
TORCH_MODULE(ResNet);

ResNet resnet18(std::int64_t numClasses = 1000);
ResNet resnet34(std::int64_t numClasses = 1000);
ResNet resnet50(std::int64_t numClasses = 1000);

}  // namespace fts
