#include "models/layers.h"

#include <torch/nn/functional/activation.h>
#include <torch/nn/init.h>
#include <torch/nn/modules/activation.h>

#include <algorithm>
#include <cmath>

namespace fts {

std::int64_t makeDivisible(double v, std::int64_t divisor, std::int64_t minValue) {
    if (minValue <= 0) minValue = divisor;
    std::int64_t rounded =
        std::max(minValue, static_cast<std::int64_t>(v + static_cast<double>(divisor) / 2.0) /
                               divisor * divisor);
    // Make sure that rounding down does not go down by more than 10%.
    if (static_cast<double>(rounded) < 0.9 * v) rounded += divisor;
    return rounded;
}

torch::nn::AnyModule makeActivation(Activation activation) {
    switch (activation) {
        case Activation::None:
            return {};
        case Activation::ReLU:
            return torch::nn::AnyModule(torch::nn::ReLU());
        case Activation::ReLU6:
            return torch::nn::AnyModule(torch::nn::ReLU6());
        case Activation::Hardswish:
            return torch::nn::AnyModule(Hardswish());
        case Activation::Hardsigmoid:
            return torch::nn::AnyModule(Hardsigmoid());
        case Activation::SiLU:
            return torch::nn::AnyModule(torch::nn::SiLU());
        case Activation::Sigmoid:
            return torch::nn::AnyModule(torch::nn::Sigmoid());
    }
    return {};
}

torch::Tensor HardswishImpl::forward(const torch::Tensor& x) {
    return torch::hardswish(x);
}

void HardswishImpl::pretty_print(std::ostream& stream) const {
    stream << "fts::Hardswish()";
}

torch::Tensor HardsigmoidImpl::forward(const torch::Tensor& x) {
    return torch::hardsigmoid(x);
}

void HardsigmoidImpl::pretty_print(std::ostream& stream) const {
    stream << "fts::Hardsigmoid()";
}

StochasticDepthImpl::StochasticDepthImpl(double p) : torch::nn::Module("StochasticDepth"), m_p(p) {
    TORCH_CHECK(p >= 0.0 && p <= 1.0, "StochasticDepth: drop probability must be in [0, 1], got ",
                p);
}

torch::Tensor StochasticDepthImpl::forward(const torch::Tensor& x) {
    if (!is_training() || m_p == 0.0) return x;
    const double survival = 1.0 - m_p;
    std::vector<std::int64_t> size(static_cast<std::size_t>(x.dim()), 1);
    size[0] = x.size(0);  // "row" mode: one draw per sample
    torch::Tensor noise = torch::empty(size, x.options()).bernoulli_(survival);
    if (survival > 0.0) noise.div_(survival);
    return x * noise;
}

void StochasticDepthImpl::pretty_print(std::ostream& stream) const {
    stream << "fts::StochasticDepth(p=" << m_p << ", mode=row)";
}

torch::nn::BatchNorm2d makeBatchNorm(std::int64_t channels, const BatchNormSettings& bn) {
    return torch::nn::BatchNorm2d(
        torch::nn::BatchNorm2dOptions(channels).eps(bn.eps).momentum(bn.momentum));
}

Conv2dNormActivationImpl::Conv2dNormActivationImpl(std::int64_t in, std::int64_t out,
                                                   const Options& options)
    : torch::nn::Module("Conv2dNormActivation") {
    const std::int64_t padding = (options.kernel - 1) / 2 * options.dilation;
    m_conv =
        register_module("0", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, options.kernel)
                                                   .stride(options.stride)
                                                   .padding(padding)
                                                   .dilation(options.dilation)
                                                   .groups(options.groups)
                                                   .bias(false)));
    m_bn = register_module("1", makeBatchNorm(out, options.bn));
    m_activation = makeActivation(options.activation);
    if (!m_activation.is_empty()) register_module("2", m_activation.ptr());
}

torch::Tensor Conv2dNormActivationImpl::forward(torch::Tensor x) {
    x = m_bn->forward(m_conv->forward(x));
    if (!m_activation.is_empty()) x = m_activation.forward(x);
    return x;
}

SqueezeExcitationImpl::SqueezeExcitationImpl(std::int64_t inputChannels,
                                             std::int64_t squeezeChannels, Activation activation,
                                             Activation scaleActivation)
    : torch::nn::Module("SqueezeExcitation") {
    m_avgpool = register_module(
        "avgpool", torch::nn::AdaptiveAvgPool2d(torch::nn::AdaptiveAvgPool2dOptions(1)));
    m_fc1 = register_module(
        "fc1", torch::nn::Conv2d(torch::nn::Conv2dOptions(inputChannels, squeezeChannels, 1)));
    m_fc2 = register_module(
        "fc2", torch::nn::Conv2d(torch::nn::Conv2dOptions(squeezeChannels, inputChannels, 1)));
    m_activation = makeActivation(activation);
    m_scaleActivation = makeActivation(scaleActivation);
    TORCH_CHECK(!m_activation.is_empty() && !m_scaleActivation.is_empty(),
                "SqueezeExcitation needs both activations");
    register_module("activation", m_activation.ptr());
    register_module("scale_activation", m_scaleActivation.ptr());
}

torch::Tensor SqueezeExcitationImpl::forward(const torch::Tensor& x) {
    torch::Tensor scale = m_avgpool->forward(x);
    scale = m_activation.forward(m_fc1->forward(scale));
    scale = m_scaleActivation.forward(m_fc2->forward(scale));
    return scale * x;
}

void initialiseLinear(torch::nn::LinearImpl& linear, LinearInit init) {
    torch::NoGradGuard noGrad;
    switch (init) {
        case LinearInit::PyTorchDefault:
            linear.reset_parameters();
            break;
        case LinearInit::Normal001:
            torch::nn::init::normal_(linear.weight, /*mean=*/0.0, /*std=*/0.01);
            if (linear.bias.defined()) torch::nn::init::zeros_(linear.bias);
            break;
        case LinearInit::UniformFanOut: {
            const double range = 1.0 / std::sqrt(static_cast<double>(linear.weight.size(0)));
            torch::nn::init::uniform_(linear.weight, -range, range);
            if (linear.bias.defined()) torch::nn::init::zeros_(linear.bias);
            break;
        }
    }
}

void initialiseTorchvision(torch::nn::Module& root, LinearInit linear) {
    torch::NoGradGuard noGrad;
    // include_self=false: the architectures call this from their constructors,
    // before a shared_ptr owns them (and the root is never a Conv/BN/Linear).
    for (const auto& module : root.modules(/*include_self=*/false)) {
        if (auto* conv = module->as<torch::nn::Conv2d>()) {
            // kaiming_normal_(mode="fan_out"): torchvision's nonlinearity is
            // "relu" (ResNet) or the default leaky_relu with a = 0 (the
            // others), the same gain sqrt(2).
            torch::nn::init::kaiming_normal_(conv->weight, /*a=*/0.0, torch::kFanOut, torch::kReLU);
            if (conv->bias.defined()) torch::nn::init::zeros_(conv->bias);
        } else if (auto* bn = module->as<torch::nn::BatchNorm2d>()) {
            torch::nn::init::ones_(bn->weight);
            torch::nn::init::zeros_(bn->bias);
        } else if (auto* fc = module->as<torch::nn::Linear>()) {
            initialiseLinear(*fc, linear);
        }
    }
}

torch::nn::Sequential withHead(const torch::nn::Sequential& sequential, torch::nn::Linear head) {
    torch::nn::Sequential result;
    const auto names = sequential->named_children().keys();
    TORCH_CHECK(!names.empty() && names.size() == sequential->size(),
                "withHead: unexpected Sequential");
    auto it = sequential->begin();
    for (std::size_t i = 0; i + 1 < sequential->size(); ++i, ++it)
        result->push_back(std::string(names[i]), *it);  // AnyModule copies share the module
    result->push_back(std::string(names.back()), std::move(head));
    result->train(sequential->is_training());
    return result;
}

torch::nn::Linear makeHead(std::int64_t in, std::int64_t out, LinearInit init,
                           const torch::nn::LinearImpl& like) {
    torch::nn::Linear head(torch::nn::LinearOptions(in, out));
    initialiseLinear(*head, init);
    head->to(like.weight.device(), like.weight.scalar_type());
    head->train(like.is_training());
    return head;
}

}  // namespace fts
