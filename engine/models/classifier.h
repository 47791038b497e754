#pragma once

#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <string>

namespace fts {

/// The common face of every image classifier the engine trains: an nn::Module
/// with torchvision's module names (so torchvision state dicts load
/// unchanged), a forward pass from normalised images to logits, and one final
/// Linear layer, the head, that can be replaced for a new class count.
class ClassifierImpl : public torch::nn::Module {
public:
    /// x: float [N, 3, H, W], normalised with the model's mean/std. Returns
    /// logits [N, numClasses].
    virtual torch::Tensor forward(torch::Tensor x) = 0;

    /// Everything before the head, pooled and flattened: [N, headInputs()].
    virtual torch::Tensor forwardFeatures(torch::Tensor x) = 0;

    /// The rest of forward(): forward(x) == forwardHead(forwardFeatures(x)).
    /// The head Linear and any parameter-free layers right before it (dropout).
    virtual torch::Tensor forwardHead(torch::Tensor features) = 0;

    /// True when forwardFeatures() draws no random numbers in the module's
    /// current train/eval state (no active dropout or stochastic depth before
    /// the head). BatchNorm statistics are the caller's concern. The feature
    /// cache (train/featurecache.h) applies only then.
    virtual bool featuresDeterministic() const { return true; }

    /// Module path of the head Linear in torchvision's naming ("fc",
    /// "classifier.1", "classifier.3").
    virtual std::string headPath() const = 0;
    virtual std::int64_t numClasses() const = 0;
    virtual std::int64_t headInputs() const = 0;

    /// Replaces the head with a freshly initialised Linear(headInputs(), n).
    virtual void resetHead(std::int64_t numClasses) = 0;

protected:
    explicit ClassifierImpl(const std::string& name) : torch::nn::Module(name) {}
};

using Classifier = std::shared_ptr<ClassifierImpl>;

}  // namespace fts
