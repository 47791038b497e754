#include "models/mobilenetv2.h"

#include <torch/nn/functional/pooling.h>

#include <cmath>
#include <utility>

namespace fts {

InvertedResidualImpl::InvertedResidualImpl(std::int64_t inp, std::int64_t oup, std::int64_t stride,
                                           std::int64_t expandRatio)
    : torch::nn::Module("InvertedResidual") {
    TORCH_CHECK(stride == 1 || stride == 2, "InvertedResidual: stride must be 1 or 2, got ",
                stride);
    const auto hidden =
        static_cast<std::int64_t>(std::round(static_cast<double>(inp * expandRatio)));
    m_useResConnect = stride == 1 && inp == oup;

    Conv2dNormActivationImpl::Options pw;
    pw.kernel = 1;
    pw.activation = Activation::ReLU6;
    Conv2dNormActivationImpl::Options dw;
    dw.stride = stride;
    dw.groups = hidden;
    dw.activation = Activation::ReLU6;

    torch::nn::Sequential conv;
    if (expandRatio != 1) conv->push_back(Conv2dNormActivation(inp, hidden, pw));
    conv->push_back(Conv2dNormActivation(hidden, hidden, dw));
    conv->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(hidden, oup, 1).bias(false)));
    conv->push_back(torch::nn::BatchNorm2d(oup));
    m_conv = register_module("conv", conv);
}

torch::Tensor InvertedResidualImpl::forward(torch::Tensor x) {
    if (m_useResConnect) return x + m_conv->forward(x);
    return m_conv->forward(x);
}

MobileNetV2Impl::MobileNetV2Impl(std::int64_t numClasses, double dropout)
    : ClassifierImpl("MobileNetV2") {
    struct Stage {
        std::int64_t t, c, n, s;  // expansion, output channels, repeats, first stride
    };
    const Stage stages[] = {{1, 16, 1, 1}, {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                            {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
    std::int64_t input = makeDivisible(32.0, 8);
    const std::int64_t last = makeDivisible(1280.0, 8);

    Conv2dNormActivationImpl::Options stem;
    stem.stride = 2;
    stem.activation = Activation::ReLU6;
    torch::nn::Sequential features;
    features->push_back(Conv2dNormActivation(3, input, stem));
    for (const Stage& st : stages) {
        const std::int64_t output = makeDivisible(static_cast<double>(st.c), 8);
        for (std::int64_t i = 0; i < st.n; ++i) {
            features->push_back(InvertedResidual(input, output, i == 0 ? st.s : 1, st.t));
            input = output;
        }
    }
    Conv2dNormActivationImpl::Options lastConv;
    lastConv.kernel = 1;
    lastConv.activation = Activation::ReLU6;
    features->push_back(Conv2dNormActivation(input, last, lastConv));
    m_features = register_module("features", features);

    m_head = torch::nn::Linear(last, numClasses);
    m_classifier = register_module(
        "classifier",
        torch::nn::Sequential(torch::nn::Dropout(torch::nn::DropoutOptions(dropout)), m_head));
    initialiseTorchvision(*this, LinearInit::Normal001);
}

torch::Tensor MobileNetV2Impl::forwardFeatures(torch::Tensor x) {
    x = m_features->forward(x);
    return torch::nn::functional::adaptive_avg_pool2d(
               x, torch::nn::functional::AdaptiveAvgPool2dFuncOptions(1))
        .flatten(1);
}

torch::Tensor MobileNetV2Impl::forward(torch::Tensor x) {
    return m_classifier->forward(forwardFeatures(std::move(x)));
}

torch::Tensor MobileNetV2Impl::forwardHead(torch::Tensor features) {
    return m_classifier->forward(features);
}

void MobileNetV2Impl::resetHead(std::int64_t numClasses) {
    m_head = makeHead(headInputs(), numClasses, LinearInit::Normal001, *m_head);
    m_classifier = replace_module("classifier", withHead(m_classifier, m_head));
}

}  // namespace fts
