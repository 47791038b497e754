#include "models/moduletree.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>

namespace fts {
namespace {

bool startsWith(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

ModuleNode buildNode(const torch::nn::Module& module, const std::string& path,
                     const std::string& name) {
    ModuleNode node;
    node.path = path;
    node.name = name;
    node.type = moduleTypeName(module);
    for (const auto& parameter : module.named_parameters(/*recurse=*/false))
        node.ownParameters += parameter.value().numel();
    node.totalParameters = node.ownParameters;
    for (const auto& child : module.named_children()) {
        const std::string childPath = path.empty() ? child.key() : path + "." + child.key();
        node.children.push_back(buildNode(*child.value(), childPath, child.key()));
        node.totalParameters += node.children.back().totalParameters;
    }
    return node;
}

}  // namespace

ModuleNode buildModuleTree(const torch::nn::Module& root) {
    return buildNode(root, "", "");
}

std::string moduleTypeName(const torch::nn::Module& module) {
    // Subclasses of Sequential that only add a non-template forward (so they
    // nest) are Sequentials to a reader.
    if (dynamic_cast<const torch::nn::SequentialImpl*>(&module)) return "Sequential";
    std::string name = module.name();
    for (const char* prefix : {"torch::nn::", "fts::"}) {
        if (startsWith(name, prefix)) {
            name.erase(0, std::string(prefix).size());
            break;
        }
    }
    // A name from another namespace or a nested class: keep the last part
    // unless it is a template ("BatchNormImplBase<2, ...>").
    if (name.find('<') == std::string::npos) {
        const auto colons = name.rfind("::");
        if (colons != std::string::npos) name.erase(0, colons + 2);
    }
    const std::string impl = "Impl";
    if (name.size() > impl.size() &&
        name.compare(name.size() - impl.size(), impl.size(), impl) == 0)
        name.erase(name.size() - impl.size());
    return name;
}

}  // namespace fts
