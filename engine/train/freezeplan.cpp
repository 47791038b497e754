#include "train/freezeplan.h"

#include "core/error.h"
#include "models/classifier.h"

#include <torch/nn/modules/batchnorm.h>

#include <algorithm>
#include <map>
#include <set>

namespace fts {
namespace {

// "layer1" covers "layer1", "layer1.0.conv1.weight", but not "layer10.weight".
bool isUnder(const std::string& name, const std::string& path) {
    if (path.empty()) return true;
    return name == path || (name.size() > path.size() && name.compare(0, path.size(), path) == 0 &&
                            name[path.size()] == '.');
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

bool isBatchNorm(const torch::nn::Module& module) {
    // A TorchScript backbone's submodules carry their Python class name.
    return module.as<torch::nn::BatchNorm1dImpl>() || module.as<torch::nn::BatchNorm2dImpl>() ||
           module.as<torch::nn::BatchNorm3dImpl>() || module.name().rfind("BatchNorm", 0) == 0;
}

}  // namespace

FreezePlan FreezePlan::parse(const std::string& spec, const ClassifierImpl& model) {
    FreezePlan plan;
    plan.m_headPath = model.headPath();
    const std::string text = trimmed(spec);
    if (text.empty() || text == "none") return plan;
    if (text == "backbone") {
        plan.m_backbone = true;
        return plan;
    }

    std::set<std::string> known;
    std::vector<std::string> topLevel;
    for (const auto& item : model.named_modules(/*name_prefix=*/"", /*include_self=*/false)) {
        known.insert(item.key());
        if (item.key().find('.') == std::string::npos) topLevel.push_back(item.key());
    }
    // Parameters registered directly on a module are addressable too.
    for (const auto& p : model.named_parameters(/*recurse=*/true)) known.insert(p.key());

    std::set<std::string> paths;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = text.find(',', start);
        const std::string path = trimmed(
            text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (!path.empty()) {
            if (!known.count(path)) {
                std::string list;
                for (const auto& name : topLevel) list += (list.empty() ? "" : ", ") + name;
                throw Error("--freeze: the model has no module '" + path +
                            "'; use none, backbone, or module paths such as: " + list);
            }
            paths.insert(path);
        }
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    if (paths.empty())
        throw Error("--freeze: '" + spec +
                    "' names no module; use none, backbone, or module paths");
    // Drop paths already covered by another one ("layer1,layer1.0" -> "layer1").
    for (const auto& path : paths) {
        const bool covered = std::any_of(paths.begin(), paths.end(), [&](const std::string& other) {
            return other != path && isUnder(path, other);
        });
        if (!covered) plan.m_paths.push_back(path);
    }
    return plan;
}

bool FreezePlan::isFrozen(const std::string& parameterName) const {
    if (m_backbone) return !isUnder(parameterName, m_headPath);
    return std::any_of(m_paths.begin(), m_paths.end(),
                       [&](const std::string& path) { return isUnder(parameterName, path); });
}

std::string FreezePlan::spec() const {
    if (m_backbone) return "backbone";
    if (m_paths.empty()) return "none";
    std::string s;
    for (const auto& path : m_paths) s += (s.empty() ? "" : ",") + path;
    return s;
}

void FreezePlan::apply(ClassifierImpl& model) const {
    for (auto& p : model.named_parameters(/*recurse=*/true))
        if (isFrozen(p.key())) p.value().set_requires_grad(false);
}

void FreezePlan::setTrainMode(ClassifierImpl& model) const {
    model.train(/*on=*/true);
    for (const auto& item : model.named_modules(/*name_prefix=*/"", /*include_self=*/false)) {
        auto& module = *item.value();
        if (!isBatchNorm(module)) continue;
        const auto params = module.named_parameters(/*recurse=*/false);
        bool frozen = true;
        if (params.is_empty()) {
            frozen = isFrozen(item.key());  // no affine weights: follow the module path
        } else {
            for (const auto& p : params) frozen = frozen && isFrozen(item.key() + "." + p.key());
        }
        if (frozen) module.eval();
    }
}

long long FreezePlan::trainableParameters(const ClassifierImpl& model) const {
    long long count = 0;
    for (const auto& p : model.named_parameters(/*recurse=*/true))
        if (!isFrozen(p.key())) count += p.value().numel();
    return count;
}

std::string lastBlockFreezeSpec(const ClassifierImpl& model, const std::string& lastBlockPath) {
    if (lastBlockPath.empty()) return "backbone";
    std::map<std::string, const torch::nn::Module*> modules;
    for (const auto& item : model.named_modules(/*name_prefix=*/"", /*include_self=*/false))
        modules[item.key()] = item.value().get();
    if (!modules.count(lastBlockPath)) return "backbone";
    // Walk down the path: at every level, the children registered before the
    // one on the path come earlier in the network (as the layer tree shows them).
    std::vector<std::string> frozen;
    const torch::nn::Module* parent = &model;
    std::string prefix;
    std::size_t start = 0;
    while (start <= lastBlockPath.size()) {
        const auto dot = lastBlockPath.find('.', start);
        const std::string path = lastBlockPath.substr(0, dot);
        for (const auto& child : parent->named_children()) {
            const std::string childPath = prefix.empty() ? child.key() : prefix + "." + child.key();
            if (childPath == path) break;
            if (!child.value()->parameters(/*recurse=*/true).empty()) frozen.push_back(childPath);
        }
        parent = modules.at(path);
        prefix = path;
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    if (frozen.empty()) return "none";
    std::sort(frozen.begin(), frozen.end());
    std::string spec;
    for (const auto& path : frozen) spec += (spec.empty() ? "" : ",") + path;
    return spec;
}

}  // namespace fts
