#include "models/efficientnet.h"

#include <torch/nn/modules/dropout.h>

#include <algorithm>
#include <utility>

namespace fts {

MBConvImpl::MBConvImpl(const MBConvConfig& c, double stochasticDepthProb,
                       const BatchNormSettings& bn)
    : torch::nn::Module("MBConv") {
    TORCH_CHECK(c.stride == 1 || c.stride == 2, "MBConv: stride must be 1 or 2, got ", c.stride);
    m_useResConnect = c.stride == 1 && c.inputChannels == c.outChannels;
    const std::int64_t expanded =
        makeDivisible(static_cast<double>(c.inputChannels) * c.expandRatio, 8);

    torch::nn::Sequential block;
    if (expanded != c.inputChannels) {
        Conv2dNormActivationImpl::Options expand;
        expand.kernel = 1;
        expand.activation = Activation::SiLU;
        expand.bn = bn;
        block->push_back(Conv2dNormActivation(c.inputChannels, expanded, expand));
    }
    Conv2dNormActivationImpl::Options depthwise;
    depthwise.kernel = c.kernel;
    depthwise.stride = c.stride;
    depthwise.groups = expanded;
    depthwise.activation = Activation::SiLU;
    depthwise.bn = bn;
    block->push_back(Conv2dNormActivation(expanded, expanded, depthwise));
    const std::int64_t squeeze = std::max<std::int64_t>(1, c.inputChannels / 4);
    block->push_back(SqueezeExcitation(expanded, squeeze, Activation::SiLU, Activation::Sigmoid));
    Conv2dNormActivationImpl::Options project;
    project.kernel = 1;
    project.activation = Activation::None;
    project.bn = bn;
    block->push_back(Conv2dNormActivation(expanded, c.outChannels, project));
    m_block = register_module("block", block);
    m_stochasticDepth = register_module("stochastic_depth", StochasticDepth(stochasticDepthProb));
}

torch::Tensor MBConvImpl::forward(torch::Tensor x) {
    torch::Tensor result = m_block->forward(x);
    if (m_useResConnect) result = m_stochasticDepth->forward(result) + x;
    return result;
}

EfficientNetImpl::EfficientNetImpl(std::int64_t numClasses, double dropout,
                                   double stochasticDepthProb)
    : ClassifierImpl("EfficientNet") {
    const BatchNormSettings bn;  // B0: nn.BatchNorm2d's defaults
    // expand ratio, kernel, stride, in, out, layers (width and depth 1.0:
    // channels are already multiples of 8).
    const MBConvConfig stages[] = {
        {1, 3, 1, 32, 16, 1},  {6, 3, 2, 16, 24, 2},   {6, 5, 2, 24, 40, 2},  {6, 3, 2, 40, 80, 3},
        {6, 5, 1, 80, 112, 3}, {6, 5, 2, 112, 192, 4}, {6, 3, 1, 192, 320, 1}};
    std::int64_t totalBlocks = 0;
    for (const MBConvConfig& stage : stages) totalBlocks += stage.numLayers;

    torch::nn::Sequential features;
    Conv2dNormActivationImpl::Options stem;
    stem.stride = 2;
    stem.activation = Activation::SiLU;
    stem.bn = bn;
    features->push_back(Conv2dNormActivation(3, stages[0].inputChannels, stem));

    std::int64_t blockId = 0;
    for (const MBConvConfig& stage : stages) {
        NestedSequential blocks;
        for (std::int64_t i = 0; i < stage.numLayers; ++i) {
            MBConvConfig config = stage;
            if (i > 0) {
                config.inputChannels = config.outChannels;
                config.stride = 1;
            }
            // Stochastic depth grows linearly with the block's depth.
            const double p = stochasticDepthProb * static_cast<double>(blockId) /
                             static_cast<double>(totalBlocks);
            blocks->push_back(MBConv(config, p, bn));
            ++blockId;
        }
        features->push_back(blocks);
    }
    const std::int64_t lastConvInput = stages[6].outChannels;
    const std::int64_t lastConvOutput = 4 * lastConvInput;
    Conv2dNormActivationImpl::Options lastConv;
    lastConv.kernel = 1;
    lastConv.activation = Activation::SiLU;
    lastConv.bn = bn;
    features->push_back(Conv2dNormActivation(lastConvInput, lastConvOutput, lastConv));
    m_features = register_module("features", features);
    m_avgpool = register_module(
        "avgpool", torch::nn::AdaptiveAvgPool2d(torch::nn::AdaptiveAvgPool2dOptions(1)));

    m_head = torch::nn::Linear(lastConvOutput, numClasses);
    m_classifier = register_module(
        "classifier",
        torch::nn::Sequential(torch::nn::Dropout(torch::nn::DropoutOptions(dropout)), m_head));
    initialiseTorchvision(*this, LinearInit::UniformFanOut);
}

torch::Tensor EfficientNetImpl::forwardFeatures(torch::Tensor x) {
    return m_avgpool->forward(m_features->forward(x)).flatten(1);
}

torch::Tensor EfficientNetImpl::forward(torch::Tensor x) {
    return m_classifier->forward(forwardFeatures(std::move(x)));
}

torch::Tensor EfficientNetImpl::forwardHead(torch::Tensor features) {
    return m_classifier->forward(features);
}

bool EfficientNetImpl::featuresDeterministic() const {
    // Stochastic depth inside the blocks drops samples while training.
    return !m_features->is_training();
}

void EfficientNetImpl::resetHead(std::int64_t numClasses) {
    m_head = makeHead(headInputs(), numClasses, LinearInit::UniformFanOut, *m_head);
    m_classifier = replace_module("classifier", withHead(m_classifier, m_head));
}

}  // namespace fts
