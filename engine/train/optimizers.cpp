#include "train/optimizers.h"

#include "core/error.h"
#include "models/classifier.h"
#include "train/settings.h"

#include <torch/optim/adam.h>
#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>

#include <cmath>

namespace fts {
namespace {

bool isUnder(const std::string& name, const std::string& path) {
    return name == path || (name.size() > path.size() && name.compare(0, path.size(), path) == 0 &&
                            name[path.size()] == '.');
}

}  // namespace

OptimizerSetup makeOptimizer(const TrainSettings& s, ClassifierImpl& model) {
    if (!(s.lr > 0.0) || !std::isfinite(s.lr))
        throw Error("--lr must be a positive number (it is " + std::to_string(s.lr) + ")");
    if (!(s.backboneLrScale >= 0.0) || !std::isfinite(s.backboneLrScale))
        throw Error("the backbone learning-rate scale must be 0 or more");
    if (!(s.weightDecay >= 0.0)) throw Error("--weight-decay must be 0 or more");

    const std::string head = model.headPath();
    std::vector<torch::Tensor> headParams, backboneParams;
    for (const auto& p : model.named_parameters(/*recurse=*/true)) {
        if (!p.value().requires_grad()) continue;
        (isUnder(p.key(), head) ? headParams : backboneParams).push_back(p.value());
    }

    OptimizerSetup setup;
    std::vector<torch::optim::OptimizerParamGroup> groups;
    const double backboneLr = s.lr * s.backboneLrScale;
    if (!headParams.empty()) {
        groups.emplace_back(headParams);
        setup.baseLr.push_back(s.lr);
        setup.groupNames.push_back("head");
    }
    if (!backboneParams.empty() && backboneLr > 0.0) {
        groups.emplace_back(backboneParams);
        setup.baseLr.push_back(backboneLr);
        setup.groupNames.push_back("backbone");
    }
    if (groups.empty())
        throw Error("--freeze '" + s.freeze + "' leaves no parameter to train; freeze less");

    // Every group gets its own copy of the options (lr set per group below).
    const auto withOptions = [&](auto options) {
        for (std::size_t i = 0; i < groups.size(); ++i) {
            auto copy = std::make_unique<decltype(options)>(options);
            copy->lr(setup.baseLr[i]);
            groups[i].set_options(std::move(copy));
        }
        return options;
    };
    if (s.optimizer == "sgd") {
        if (s.nesterov && !(s.momentum > 0.0))
            throw Error("--optimizer sgd with nesterov needs a momentum above 0");
        auto options = withOptions(torch::optim::SGDOptions(s.lr)
                                       .momentum(s.momentum)
                                       .nesterov(s.nesterov)
                                       .weight_decay(s.weightDecay));
        setup.optimizer = std::make_unique<torch::optim::SGD>(groups, options);
    } else if (s.optimizer == "adam") {
        auto options = withOptions(torch::optim::AdamOptions(s.lr).weight_decay(s.weightDecay));
        setup.optimizer = std::make_unique<torch::optim::Adam>(groups, options);
    } else if (s.optimizer == "adamw") {
        auto options = withOptions(torch::optim::AdamWOptions(s.lr).weight_decay(s.weightDecay));
        setup.optimizer = std::make_unique<torch::optim::AdamW>(groups, options);
    } else {
        throw Error("--optimizer: unknown optimizer '" + s.optimizer + "'; use sgd, adam or adamw");
    }
    // With LibTorch 2.15 a group's learning rate set before construction
    // does not survive it (the backbone read back the default, the head's
    // rate; 1.13 keeps it): set each group's rate once constructed.
    applyLrFactor(setup, 1.0);
    return setup;
}

void applyLrFactor(OptimizerSetup& setup, double factor) {
    auto& groups = setup.optimizer->param_groups();
    for (std::size_t i = 0; i < groups.size() && i < setup.baseLr.size(); ++i)
        groups[i].options().set_lr(setup.baseLr[i] * factor);
}

double currentLr(const torch::optim::Optimizer& optimizer, std::size_t group) {
    const auto& groups = optimizer.param_groups();
    return group < groups.size() ? groups[group].options().get_lr() : 0.0;
}

}  // namespace fts
