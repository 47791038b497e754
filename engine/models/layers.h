#pragma once

// Building blocks shared by the torchvision-compatible architectures: the
// activations LibTorch 1.13 lacks as modules, torchvision's
// Conv2dNormActivation / SqueezeExcitation / StochasticDepth (ops/misc.py,
// ops/stochastic_depth.py), and torchvision's initialisation.

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/any.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/pooling.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <utility>

namespace fts {

/// torchvision's _make_divisible: rounds v to the nearest multiple of divisor
/// (at least minValue, default divisor) without going more than 10% below v.
std::int64_t makeDivisible(double v, std::int64_t divisor, std::int64_t minValue = 0);

enum class Activation { None, ReLU, ReLU6, Hardswish, Hardsigmoid, SiLU, Sigmoid };

/// A parameter-free activation module for `activation`; an empty AnyModule for
/// Activation::None.
torch::nn::AnyModule makeActivation(Activation activation);

/// x * relu6(x + 3) / 6, as torch.nn.Hardswish (LibTorch 1.13 has the
/// function only).
class HardswishImpl : public torch::nn::Module {
public:
    HardswishImpl() : torch::nn::Module("Hardswish") {}
    torch::Tensor forward(const torch::Tensor& x);
    void pretty_print(std::ostream& stream) const override;
};
TORCH_MODULE(Hardswish);

/// relu6(x + 3) / 6, as torch.nn.Hardsigmoid.
class HardsigmoidImpl : public torch::nn::Module {
public:
    HardsigmoidImpl() : torch::nn::Module("Hardsigmoid") {}
    torch::Tensor forward(const torch::Tensor& x);
    void pretty_print(std::ostream& stream) const override;
};
TORCH_MODULE(Hardsigmoid);

/// torchvision.ops.StochasticDepth in "row" mode: in training, zeroes whole
/// samples of the batch with probability p and scales the survivors by
/// 1 / (1 - p); the identity in eval mode or when p is 0.
class StochasticDepthImpl : public torch::nn::Module {
public:
    explicit StochasticDepthImpl(double p);
    torch::Tensor forward(const torch::Tensor& x);
    double p() const { return m_p; }
    void pretty_print(std::ostream& stream) const override;

private:
    double m_p;
};
TORCH_MODULE(StochasticDepth);

/// BatchNorm2d settings of an architecture (torch's defaults; MobileNetV3
/// uses eps 0.001, momentum 0.01).
struct BatchNormSettings {
    double eps = 1e-5;
    double momentum = 0.1;
};

torch::nn::BatchNorm2d makeBatchNorm(std::int64_t channels, const BatchNormSettings& bn);

/// torchvision.ops.Conv2dNormActivation: children "0" Conv2d (bias-free,
/// padding (kernel - 1) / 2 * dilation), "1" BatchNorm2d, "2" the activation
/// (absent for Activation::None).
class Conv2dNormActivationImpl : public torch::nn::Module {
public:
    struct Options {
        std::int64_t kernel = 3;
        std::int64_t stride = 1;
        std::int64_t groups = 1;
        std::int64_t dilation = 1;
        Activation activation = Activation::ReLU;
        BatchNormSettings bn;
    };
    Conv2dNormActivationImpl(std::int64_t in, std::int64_t out, const Options& options);
    torch::Tensor forward(torch::Tensor x);

private:
    torch::nn::Conv2d m_conv{nullptr};
    torch::nn::BatchNorm2d m_bn{nullptr};
    torch::nn::AnyModule m_activation;
};
TORCH_MODULE(Conv2dNormActivation);

/// torchvision.ops.SqueezeExcitation: children avgpool, fc1, fc2 (1x1 convs
/// with bias), activation, scale_activation; returns x * scale(x).
class SqueezeExcitationImpl : public torch::nn::Module {
public:
    SqueezeExcitationImpl(std::int64_t inputChannels, std::int64_t squeezeChannels,
                          Activation activation = Activation::ReLU,
                          Activation scaleActivation = Activation::Sigmoid);
    torch::Tensor forward(const torch::Tensor& x);

private:
    torch::nn::AdaptiveAvgPool2d m_avgpool{nullptr};
    torch::nn::Conv2d m_fc1{nullptr};
    torch::nn::Conv2d m_fc2{nullptr};
    torch::nn::AnyModule m_activation;
    torch::nn::AnyModule m_scaleActivation;
};
TORCH_MODULE(SqueezeExcitation);

/// A Sequential that can sit inside another Sequential (torch::nn::Sequential
/// cannot: its forward is a template). EfficientNet's stages are these; the
/// module tree shows them as "Sequential".
class NestedSequentialImpl : public torch::nn::SequentialImpl {
public:
    using torch::nn::SequentialImpl::SequentialImpl;
    torch::Tensor forward(torch::Tensor x) {
        return torch::nn::SequentialImpl::forward<torch::Tensor>(std::move(x));
    }
};
TORCH_MODULE(NestedSequential);

/// How an architecture initialises its Linear layers.
enum class LinearInit {
    PyTorchDefault,  // nn.Linear's own reset (ResNet)
    Normal001,       // N(0, 0.01), bias 0 (MobileNetV2/V3)
    UniformFanOut,   // U(-1/sqrt(out), 1/sqrt(out)), bias 0 (EfficientNet)
};

/// torchvision's initialisation over every module under root: Conv2d
/// kaiming_normal_(fan_out, relu) with zero bias, BatchNorm weight 1 bias 0,
/// Linear per `linear`.
void initialiseTorchvision(torch::nn::Module& root, LinearInit linear);
void initialiseLinear(torch::nn::LinearImpl& linear, LinearInit init);

/// A new Sequential with the same child modules (shared, same names) as
/// `sequential` except the last, which is `head`: how a classifier head inside
/// a Sequential is replaced, since Sequential::forward runs its own list, not
/// the registered children.
torch::nn::Sequential withHead(const torch::nn::Sequential& sequential, torch::nn::Linear head);

/// A fresh Linear(in, out) initialised per `init`, on the device and dtype of
/// `like` and in like's training mode.
torch::nn::Linear makeHead(std::int64_t in, std::int64_t out, LinearInit init,
                           const torch::nn::LinearImpl& like);

}  // namespace fts
