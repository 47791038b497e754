#pragma once

#include <string>
#include <vector>

namespace fts {

class ClassifierImpl;

/// Which parameters train. Built from --freeze: "none", "backbone" (all but
/// the head), or comma-separated module paths, each freezing that module and
/// everything under it ("conv1,bn1,layer1,layer2").
class FreezePlan {
public:
    /// Throws fts::Error naming an unknown module path and suggesting the
    /// top-level ones.
    static FreezePlan parse(const std::string& spec, const ClassifierImpl& model);

    bool isFrozen(const std::string& parameterName) const;
    const std::vector<std::string>& frozenPaths() const { return m_paths; }
    bool freezesBackbone() const { return m_backbone; }
    /// The canonical spec ("none", "backbone" or the sorted path list).
    std::string spec() const;

    /// requires_grad(false) on every frozen parameter.
    void apply(ClassifierImpl& model) const;
    /// model.train(), then eval() on every BatchNorm whose parameters are all
    /// frozen, so its running statistics do not change. Call every epoch.
    void setTrainMode(ClassifierImpl& model) const;

    /// Frozen / total parameter counts (for "trainable: N of M").
    long long trainableParameters(const ClassifierImpl& model) const;

private:
    std::vector<std::string> m_paths;
    std::string m_headPath;
    bool m_backbone = false;
};

/// The "last block + head" preset as a freeze spec, the engine's twin of the
/// GUI layer tree's preset: every module that comes before lastBlockPath at
/// each level of its path is frozen ("layer3" in a model of conv1, bn1,
/// layer1..3, fc gives "bn1,conv1,layer1,layer2"). "backbone" (head only)
/// when lastBlockPath is empty or not a module of the model.
std::string lastBlockFreezeSpec(const ClassifierImpl& model, const std::string& lastBlockPath);

}  // namespace fts
