#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace torch::nn {
class Module;
}

namespace fts {

/// One node of a model's tree of named modules, as the layer tree shows it.
struct ModuleNode {
    std::string path;                  // "layer1.0.conv1" ("" for the root)
    std::string name;                  // "conv1" (last path element)
    std::string type;                  // "Conv2d", "BatchNorm2d", "Sequential", "BasicBlock", ...
    std::int64_t ownParameters = 0;    // parameters registered directly on this module
    std::int64_t totalParameters = 0;  // including all descendants
    std::vector<ModuleNode> children;
};

ModuleNode buildModuleTree(const torch::nn::Module& root);

/// Pretty type name of a module: "torch::nn::Conv2dImpl" -> "Conv2d".
std::string moduleTypeName(const torch::nn::Module& module);

}  // namespace fts
