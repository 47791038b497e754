#pragma once

#include <torch/optim/optimizer.h>

#include <memory>
#include <string>
#include <vector>

namespace fts {

class ClassifierImpl;
struct TrainSettings;

/// The optimizer of a run with its parameter groups: the head (settings.lr)
/// and, when any of it trains, the backbone (settings.lr *
/// settings.backboneLrScale). Only parameters with requires_grad take part,
/// so apply the FreezePlan first.
struct OptimizerSetup {
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    std::vector<double> baseLr;           // per parameter group, same order
    std::vector<std::string> groupNames;  // "head", "backbone"
};

/// sgd (momentum, nesterov) | adam | adamw, weight decay from the settings.
/// Throws fts::Error for an unknown optimizer or when nothing trains.
OptimizerSetup makeOptimizer(const TrainSettings& settings, ClassifierImpl& model);

/// Sets every group's lr to baseLr[i] * factor.
void applyLrFactor(OptimizerSetup& setup, double factor);

/// The lr of group `group` as the optimizer holds it now.
double currentLr(const torch::optim::Optimizer& optimizer, std::size_t group = 0);

}  // namespace fts
