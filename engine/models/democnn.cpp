#include "models/democnn.h"

#include "models/layers.h"
#include "models/resnet.h"

#include <torch/nn/functional/activation.h>

namespace fts {
namespace {

namespace nn = torch::nn;

nn::Sequential stage(std::int64_t in, std::int64_t out, std::int64_t stride) {
    nn::Sequential downsample{nullptr};
    if (stride != 1 || in != out)
        downsample =
            nn::Sequential(nn::Conv2d(nn::Conv2dOptions(in, out, 1).stride(stride).bias(false)),
                           nn::BatchNorm2d(out));
    return nn::Sequential(BasicBlock(in, out, stride, downsample));
}

}  // namespace

DemoCnnImpl::DemoCnnImpl(std::int64_t numClasses, std::int64_t width) : ClassifierImpl("DemoCnn") {
    m_conv1 =
        register_module("conv1", nn::Conv2d(nn::Conv2dOptions(3, width, 3).padding(1).bias(false)));
    m_bn1 = register_module("bn1", nn::BatchNorm2d(width));
    m_layer1 = register_module("layer1", stage(width, width, 2));
    m_layer2 = register_module("layer2", stage(width, 2 * width, 2));
    m_layer3 = register_module("layer3", stage(2 * width, 4 * width, 2));
    m_avgpool = register_module("avgpool", nn::AdaptiveAvgPool2d(nn::AdaptiveAvgPool2dOptions(1)));
    m_fc = register_module("fc", nn::Linear(4 * width, numClasses));
    initialiseTorchvision(*this, LinearInit::PyTorchDefault);
}

torch::Tensor DemoCnnImpl::forwardFeatures(torch::Tensor x) {
    x = torch::relu(m_bn1->forward(m_conv1->forward(x)));
    x = m_layer3->forward(m_layer2->forward(m_layer1->forward(x)));
    return m_avgpool->forward(x).flatten(1);
}

torch::Tensor DemoCnnImpl::forward(torch::Tensor x) {
    return m_fc->forward(forwardFeatures(std::move(x)));
}

torch::Tensor DemoCnnImpl::forwardHead(torch::Tensor features) {
    return m_fc->forward(features);
}

void DemoCnnImpl::resetHead(std::int64_t numClasses) {
    m_fc =
        replace_module("fc", makeHead(headInputs(), numClasses, LinearInit::PyTorchDefault, *m_fc));
}

}  // namespace fts
