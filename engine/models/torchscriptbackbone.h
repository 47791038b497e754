#pragma once

#include "models/classifier.h"
#include "models/torchscriptname.h"

#include <torch/nn/modules/linear.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fts {

struct ModelInfo;

bool isTorchScriptModel(std::string_view name);

/// What the engine assumes about a TorchScript backbone before reading it:
/// input size 224 and ImageNet's mean/std (the file does not say), head "head".
const ModelInfo& torchScriptModelInfo();

struct ScriptBackbone;  // the torch::jit::Module, kept out of this header

/// A TorchScript backbone plus a new Linear head (module path "head"). The
/// backbone's named submodules appear under their own names ("conv1",
/// "layer1.0.bn1"), their parameters and buffers are the script's own tensors
/// (shared, not copied), so the freeze plan, the optimizer, state dicts,
/// checkpoints and .to(device) act on the script; train()/eval() reach every
/// submodule of the script. A traced backbone keeps the train/eval behaviour
/// it was traced in (tracing records Python's `self.training` as a constant).
class TorchScriptClassifierImpl : public ClassifierImpl {
public:
    TorchScriptClassifierImpl(std::shared_ptr<ScriptBackbone> script, std::int64_t features,
                              bool poolsFeatureMap, std::int64_t numClasses,
                              std::filesystem::path source);

    torch::Tensor forward(torch::Tensor x) override;
    torch::Tensor forwardFeatures(torch::Tensor x) override;
    torch::Tensor forwardHead(torch::Tensor features) override;
    bool featuresDeterministic() const override;
    std::string headPath() const override { return m_headPath; }
    std::int64_t numClasses() const override;
    std::int64_t headInputs() const override { return m_features; }
    void resetHead(std::int64_t numClasses) override;
    void train(bool on = true) override;

    /// The file the backbone was read from.
    const std::filesystem::path& sourceFile() const { return m_source; }
    /// True when forward returns a feature map that forwardFeatures pools.
    bool poolsFeatureMap() const { return m_pool; }
    /// The backbone's Python class ("ResNet").
    std::string backboneType() const;

    /// Writes the backbone with its current weights as TorchScript (loadable
    /// with torch.jit.load and by loadTorchScriptClassifier). Throws fts::Error.
    void saveBackbone(const std::filesystem::path& file) const;

private:
    std::shared_ptr<ScriptBackbone> m_script;
    std::int64_t m_features = 0;
    bool m_pool = false;
    std::filesystem::path m_source;
    std::string m_headPath;
    torch::nn::Linear m_head{nullptr};
};

/// Loads a TorchScript backbone on the CPU, finds its feature size with one
/// forward pass of zeros [1, 3, S, S] (S = imageSize, 0: 224) and adds a new
/// head for numClasses. Throws fts::Error naming the file when it is missing,
/// a state dict, not a TorchScript archive, has no forward, or its forward
/// fails or returns something other than one [N, F] / [N, F, h, w] tensor.
/// A TorchScript file is code: load only files from a trusted source.
std::shared_ptr<TorchScriptClassifierImpl> loadTorchScriptClassifier(
    const std::filesystem::path& file, std::int64_t numClasses, int imageSize = 0);

/// True when the file is a TorchScript archive (torch.jit.save: a zip with
/// code/ or constants.pkl), by content. False for missing or unreadable files.
bool isTorchScriptFile(const std::filesystem::path& file);

/// What `finetune-cli inspect` says about a TorchScript archive.
struct TorchScriptSummary {
    std::string type;     // the Python class: "ResNet"
    bool usable = false;  // loads as a backbone (loadTorchScriptClassifier)
    std::string problem;  // why not, when !usable
    int imageSize = 224;  // the size of the probing forward pass
    std::int64_t features = 0;
    bool poolsFeatureMap = false;
    std::int64_t parameters = 0;  // values of the backbone's parameters
    std::int64_t tensors = 0;     // entries of its state dict
    /// Top-level submodules: {name, Python class}.
    std::vector<std::pair<std::string, std::string>> children;
};

/// Loads the archive as a backbone would be (running its forward once on
/// zeros) and summarises it; a file that is not usable is described with
/// `problem` set. Throws fts::Error only when the file is not a TorchScript
/// archive at all.
TorchScriptSummary inspectTorchScript(const std::filesystem::path& file, int imageSize = 0);

/// createModel() for every model name: registry architectures are built
/// (random init), `torchscript` is loaded from `weightsFile` as above.
Classifier createModelFor(std::string_view name, const std::string& weightsFile,
                          std::int64_t numClasses, int imageSize = 0);

}  // namespace fts
