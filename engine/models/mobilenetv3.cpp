#include "models/mobilenetv3.h"

#include <torch/nn/modules/dropout.h>

#include <utility>
#include <vector>

namespace fts {
namespace {

// eps and momentum of torchvision's MobileNetV3 (TF's defaults).
constexpr BatchNormSettings kBatchNorm{/*eps=*/0.001, /*momentum=*/0.01};

std::vector<MobileNetV3BlockConfig> blockConfigs(MobileNetV3Impl::Variant variant) {
    constexpr bool RE = false;
    constexpr bool HS = true;
    if (variant == MobileNetV3Impl::Variant::Large) {
        return {
            {16, 3, 16, 16, false, RE, 1},   {16, 3, 64, 24, false, RE, 2},
            {24, 3, 72, 24, false, RE, 1},   {24, 5, 72, 40, true, RE, 2},
            {40, 5, 120, 40, true, RE, 1},   {40, 5, 120, 40, true, RE, 1},
            {40, 3, 240, 80, false, HS, 2},  {80, 3, 200, 80, false, HS, 1},
            {80, 3, 184, 80, false, HS, 1},  {80, 3, 184, 80, false, HS, 1},
            {80, 3, 480, 112, true, HS, 1},  {112, 3, 672, 112, true, HS, 1},
            {112, 5, 672, 160, true, HS, 2}, {160, 5, 960, 160, true, HS, 1},
            {160, 5, 960, 160, true, HS, 1},
        };
    }
    return {
        {16, 3, 16, 16, true, RE, 2},  {16, 3, 72, 24, false, RE, 2}, {24, 3, 88, 24, false, RE, 1},
        {24, 5, 96, 40, true, HS, 2},  {40, 5, 240, 40, true, HS, 1}, {40, 5, 240, 40, true, HS, 1},
        {40, 5, 120, 48, true, HS, 1}, {48, 5, 144, 48, true, HS, 1}, {48, 5, 288, 96, true, HS, 2},
        {96, 5, 576, 96, true, HS, 1}, {96, 5, 576, 96, true, HS, 1},
    };
}

}  // namespace

InvertedResidualV3Impl::InvertedResidualV3Impl(const MobileNetV3BlockConfig& c,
                                               const BatchNormSettings& bn)
    : torch::nn::Module("InvertedResidual") {
    TORCH_CHECK(c.stride == 1 || c.stride == 2, "InvertedResidual: stride must be 1 or 2, got ",
                c.stride);
    m_useResConnect = c.stride == 1 && c.inputChannels == c.outChannels;
    const Activation activation = c.useHardswish ? Activation::Hardswish : Activation::ReLU;

    torch::nn::Sequential block;
    if (c.expandedChannels != c.inputChannels) {
        Conv2dNormActivationImpl::Options expand;
        expand.kernel = 1;
        expand.activation = activation;
        expand.bn = bn;
        block->push_back(Conv2dNormActivation(c.inputChannels, c.expandedChannels, expand));
    }
    Conv2dNormActivationImpl::Options depthwise;
    depthwise.kernel = c.kernel;
    depthwise.stride = c.stride;
    depthwise.groups = c.expandedChannels;
    depthwise.activation = activation;
    depthwise.bn = bn;
    block->push_back(Conv2dNormActivation(c.expandedChannels, c.expandedChannels, depthwise));
    if (c.useSe) {
        const std::int64_t squeeze = makeDivisible(static_cast<double>(c.expandedChannels / 4), 8);
        block->push_back(SqueezeExcitation(c.expandedChannels, squeeze, Activation::ReLU,
                                           Activation::Hardsigmoid));
    }
    Conv2dNormActivationImpl::Options project;
    project.kernel = 1;
    project.activation = Activation::None;
    project.bn = bn;
    block->push_back(Conv2dNormActivation(c.expandedChannels, c.outChannels, project));
    m_block = register_module("block", block);
}

torch::Tensor InvertedResidualV3Impl::forward(torch::Tensor x) {
    torch::Tensor result = m_block->forward(x);
    if (m_useResConnect) result = result + x;
    return result;
}

MobileNetV3Impl::MobileNetV3Impl(Variant variant, std::int64_t numClasses, double dropout)
    : ClassifierImpl("MobileNetV3") {
    const std::vector<MobileNetV3BlockConfig> configs = blockConfigs(variant);
    const std::int64_t lastChannel = makeDivisible(variant == Variant::Large ? 1280.0 : 1024.0, 8);

    torch::nn::Sequential features;
    Conv2dNormActivationImpl::Options stem;
    stem.stride = 2;
    stem.activation = Activation::Hardswish;
    stem.bn = kBatchNorm;
    features->push_back(Conv2dNormActivation(3, configs.front().inputChannels, stem));
    for (const MobileNetV3BlockConfig& config : configs)
        features->push_back(InvertedResidualV3(config, kBatchNorm));
    const std::int64_t lastConvInput = configs.back().outChannels;
    const std::int64_t lastConvOutput = 6 * lastConvInput;
    Conv2dNormActivationImpl::Options lastConv;
    lastConv.kernel = 1;
    lastConv.activation = Activation::Hardswish;
    lastConv.bn = kBatchNorm;
    features->push_back(Conv2dNormActivation(lastConvInput, lastConvOutput, lastConv));
    m_features = register_module("features", features);
    m_avgpool = register_module(
        "avgpool", torch::nn::AdaptiveAvgPool2d(torch::nn::AdaptiveAvgPool2dOptions(1)));

    m_head = torch::nn::Linear(lastChannel, numClasses);
    m_classifier = register_module(
        "classifier",
        torch::nn::Sequential(torch::nn::Linear(lastConvOutput, lastChannel), Hardswish(),
                              torch::nn::Dropout(torch::nn::DropoutOptions(dropout)), m_head));
    initialiseTorchvision(*this, LinearInit::Normal001);
}

torch::Tensor MobileNetV3Impl::forwardFeatures(torch::Tensor x) {
    x = m_avgpool->forward(m_features->forward(x)).flatten(1);
    // classifier.0..2: the part of the classifier before the head.
    auto it = m_classifier->begin();
    for (std::size_t i = 0; i + 1 < m_classifier->size(); ++i, ++it) x = it->forward(x);
    return x;
}

torch::Tensor MobileNetV3Impl::forward(torch::Tensor x) {
    return m_head->forward(forwardFeatures(std::move(x)));
}

torch::Tensor MobileNetV3Impl::forwardHead(torch::Tensor features) {
    return m_head->forward(features);
}

bool MobileNetV3Impl::featuresDeterministic() const {
    // classifier.2, a Dropout, runs inside forwardFeatures().
    return !m_classifier->is_training();
}

void MobileNetV3Impl::resetHead(std::int64_t numClasses) {
    m_head = makeHead(headInputs(), numClasses, LinearInit::Normal001, *m_head);
    m_classifier = replace_module("classifier", withHead(m_classifier, m_head));
}

}  // namespace fts
