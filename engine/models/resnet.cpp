#include "models/resnet.h"

#include "models/layers.h"

#include <utility>

namespace fts {
namespace {

torch::nn::Conv2d conv3x3(std::int64_t in, std::int64_t out, std::int64_t stride = 1) {
    return torch::nn::Conv2d(
        torch::nn::Conv2dOptions(in, out, 3).stride(stride).padding(1).bias(false));
}

torch::nn::Conv2d conv1x1(std::int64_t in, std::int64_t out, std::int64_t stride = 1) {
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 1).stride(stride).bias(false));
}

torch::nn::BatchNorm2d bn(std::int64_t channels) {
    return torch::nn::BatchNorm2d(channels);
}

}  // namespace

BasicBlockImpl::BasicBlockImpl(std::int64_t inplanes, std::int64_t planes, std::int64_t stride,
                               torch::nn::Sequential downsample)
    : torch::nn::Module("BasicBlock") {
    m_conv1 = register_module("conv1", conv3x3(inplanes, planes, stride));
    m_bn1 = register_module("bn1", bn(planes));
    m_relu = register_module("relu", torch::nn::ReLU());
    m_conv2 = register_module("conv2", conv3x3(planes, planes));
    m_bn2 = register_module("bn2", bn(planes));
    if (!downsample.is_empty()) m_downsample = register_module("downsample", std::move(downsample));
}

torch::Tensor BasicBlockImpl::forward(torch::Tensor x) {
    torch::Tensor identity = m_downsample.is_empty() ? x : m_downsample->forward(x);
    torch::Tensor out = m_relu->forward(m_bn1->forward(m_conv1->forward(x)));
    out = m_bn2->forward(m_conv2->forward(out));
    return m_relu->forward(out + identity);
}

BottleneckImpl::BottleneckImpl(std::int64_t inplanes, std::int64_t planes, std::int64_t stride,
                               torch::nn::Sequential downsample)
    : torch::nn::Module("Bottleneck") {
    const std::int64_t width = planes;  // groups = 1, base_width = 64
    m_conv1 = register_module("conv1", conv1x1(inplanes, width));
    m_bn1 = register_module("bn1", bn(width));
    m_conv2 = register_module("conv2", conv3x3(width, width, stride));
    m_bn2 = register_module("bn2", bn(width));
    m_conv3 = register_module("conv3", conv1x1(width, planes * expansion));
    m_bn3 = register_module("bn3", bn(planes * expansion));
    m_relu = register_module("relu", torch::nn::ReLU());
    if (!downsample.is_empty()) m_downsample = register_module("downsample", std::move(downsample));
}

torch::Tensor BottleneckImpl::forward(torch::Tensor x) {
    torch::Tensor identity = m_downsample.is_empty() ? x : m_downsample->forward(x);
    torch::Tensor out = m_relu->forward(m_bn1->forward(m_conv1->forward(x)));
    out = m_relu->forward(m_bn2->forward(m_conv2->forward(out)));
    out = m_bn3->forward(m_conv3->forward(out));
    return m_relu->forward(out + identity);
}

ResNetImpl::ResNetImpl(Block block, const std::array<std::int64_t, 4>& layers,
                       std::int64_t numClasses)
    : ClassifierImpl("ResNet") {
    m_conv1 = register_module(
        "conv1",
        torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 64, 7).stride(2).padding(3).bias(false)));
    m_bn1 = register_module("bn1", bn(64));
    m_relu = register_module("relu", torch::nn::ReLU());
    m_maxpool = register_module(
        "maxpool", torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(3).stride(2).padding(1)));
    m_layer1 = register_module("layer1", makeLayer(block, 64, layers[0], 1));
    m_layer2 = register_module("layer2", makeLayer(block, 128, layers[1], 2));
    m_layer3 = register_module("layer3", makeLayer(block, 256, layers[2], 2));
    m_layer4 = register_module("layer4", makeLayer(block, 512, layers[3], 2));
    m_avgpool = register_module(
        "avgpool", torch::nn::AdaptiveAvgPool2d(torch::nn::AdaptiveAvgPool2dOptions(1)));
    m_fc = register_module("fc", torch::nn::Linear(m_inplanes, numClasses));
    initialiseTorchvision(*this, LinearInit::PyTorchDefault);
}

torch::nn::Sequential ResNetImpl::makeLayer(Block block, std::int64_t planes, std::int64_t blocks,
                                            std::int64_t stride) {
    const std::int64_t expansion =
        block == Block::Basic ? BasicBlockImpl::expansion : BottleneckImpl::expansion;
    torch::nn::Sequential downsample{nullptr};
    if (stride != 1 || m_inplanes != planes * expansion)
        downsample = torch::nn::Sequential(conv1x1(m_inplanes, planes * expansion, stride),
                                           bn(planes * expansion));

    torch::nn::Sequential layer;
    for (std::int64_t i = 0; i < blocks; ++i) {
        const std::int64_t s = i == 0 ? stride : 1;
        torch::nn::Sequential ds = i == 0 ? downsample : torch::nn::Sequential{nullptr};
        if (block == Block::Basic)
            layer->push_back(BasicBlock(m_inplanes, planes, s, ds));
        else
            layer->push_back(Bottleneck(m_inplanes, planes, s, ds));
        m_inplanes = planes * expansion;
    }
    return layer;
}

torch::Tensor ResNetImpl::forwardFeatures(torch::Tensor x) {
    x = m_maxpool->forward(m_relu->forward(m_bn1->forward(m_conv1->forward(x))));
    x = m_layer4->forward(m_layer3->forward(m_layer2->forward(m_layer1->forward(x))));
    return m_avgpool->forward(x).flatten(1);
}

torch::Tensor ResNetImpl::forward(torch::Tensor x) {
    return m_fc->forward(forwardFeatures(std::move(x)));
}

torch::Tensor ResNetImpl::forwardHead(torch::Tensor features) {
    return m_fc->forward(features);
}

void ResNetImpl::resetHead(std::int64_t numClasses) {
    m_fc =
        replace_module("fc", makeHead(headInputs(), numClasses, LinearInit::PyTorchDefault, *m_fc));
}

ResNet resnet18(std::int64_t numClasses) {
    return ResNet(ResNetImpl::Block::Basic, std::array<std::int64_t, 4>{2, 2, 2, 2}, numClasses);
}
ResNet resnet34(std::int64_t numClasses) {
    return ResNet(ResNetImpl::Block::Basic, std::array<std::int64_t, 4>{3, 4, 6, 3}, numClasses);
}
ResNet resnet50(std::int64_t numClasses) {
    return ResNet(ResNetImpl::Block::Bottleneck, std::array<std::int64_t, 4>{3, 4, 6, 3},
                  numClasses);
}

}  // namespace fts
