#include "models/torchscriptbackbone.h"

#include "core/error.h"
#include "core/fileio.h"
#include "models/registry.h"
#include "weights/weightfile.h"

#include <c10/util/Exception.h>
#include <torch/nn/modules/linear.h>
#include <torch/script.h>

#include <fstream>
#include <system_error>

namespace fs = std::filesystem;

namespace fts {

/// Owns the script module. The proxies below hold handles to its submodules
/// (a jit::Module is a reference to a shared object).
struct ScriptBackbone {
    torch::jit::Module module;
};

namespace {

// "__torch__.torch.nn.modules.batchnorm.___torch_mangle_3.BatchNorm2d" -> "BatchNorm2d"
std::string scriptTypeName(const torch::jit::Module& m) {
    const auto& qualified = m.type()->name();
    return qualified ? qualified->name() : std::string("ScriptModule");
}

// The `training` attribute of this one module (torch.nn.Module.train sets it
// on each module; TorchScript code reads it at run time).
void setOwnTraining(const torch::jit::Module& m, bool on) {
    if (const auto slot = m._ivalue()->type()->findAttributeSlot("training"))
        m._ivalue()->setSlot(*slot, on);
}

void mirror(torch::nn::Module& proxy, const torch::jit::Module& script);

// A submodule of the script as the nn::Module tree shows it: its type name is
// the Python class name; its parameters and buffers are the script's tensors.
class ScriptChildImpl : public torch::nn::Module {
public:
    explicit ScriptChildImpl(const torch::jit::Module& script)
        : torch::nn::Module(scriptTypeName(script)), m_script(script) {
        mirror(*this, m_script);
    }
    void train(bool on = true) override {
        torch::nn::Module::train(on);
        setOwnTraining(m_script, on);
    }

private:
    torch::jit::Module m_script;
};

void mirror(torch::nn::Module& proxy, const torch::jit::Module& script) {
    // Every parameter trains unless --freeze says otherwise, whatever
    // requires_grad the file was saved with.
    for (const auto& p : script.named_parameters(/*recurse=*/false))
        proxy.register_parameter(p.name, p.value, /*requires_grad=*/true);
    for (const auto& b : script.named_buffers(/*recurse=*/false))
        proxy.register_buffer(b.name, b.value);
    for (const auto& c : script.named_children())
        proxy.register_module(c.name, std::make_shared<ScriptChildImpl>(c.value));
}

std::string firstLine(const std::exception& e) {
    const auto* c10Error = dynamic_cast<const c10::Error*>(&e);
    std::string text = c10Error ? c10Error->what_without_backtrace() : e.what();
    const auto newline = text.find('\n');
    if (newline != std::string::npos) text.erase(newline);
    while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
    return printable(text);
}

const char* const kExportHint =
    "export the backbone in Python with torch.jit.script(model).save(FILE) (or torch.jit.trace) "
    "after replacing its classifier with torch.nn.Identity()";

// Why a file that torch::jit::load refused is not a backbone.
[[noreturn]] void refuse(const fs::path& file, const std::exception& loadError) {
    const std::string name = displayPath(file);
    std::vector<std::uint8_t> bytes;
    try {
        bytes = readFileBytes(file);
    } catch (const Error&) {
        throw Error(name + ": cannot be read as a TorchScript backbone: " + firstLine(loadError));
    }
    const WeightFormat format = detectWeightFormat(bytes.data(), bytes.size());
    switch (format) {
        case WeightFormat::Safetensors:
        case WeightFormat::TorchZip:
        case WeightFormat::TorchLegacy:
            throw Error(name + ": is a state dict (" + weightFormatName(format) +
                        "), not a TorchScript backbone; use it with --model ARCH --weights FILE, "
                        "or " +
                        kExportHint);
        case WeightFormat::TorchScript:
            throw Error(name + ": this TorchScript archive cannot be loaded: " +
                        firstLine(loadError) + "; " + kExportHint);
        case WeightFormat::Unknown:
            break;
    }
    throw Error(name +
                ": is not a TorchScript file (torch.jit.save writes a zip archive with code/ and "
                "constants.pkl); " +
                kExportHint);
}

}  // namespace

bool isTorchScriptModel(std::string_view name) {
    return name == kTorchScriptModel;
}

const ModelInfo& torchScriptModelInfo() {
    static const ModelInfo info = [] {
        ModelInfo m;
        m.name = kTorchScriptModel;
        m.family = "TorchScript";
        m.description =
            "A backbone exported from PyTorch (torch.jit.script or torch.jit.trace, its "
            "classifier replaced by nn.Identity) with a new linear head; ImageNet mean/std, 224 "
            "px unless --image-size says otherwise.";
        // inputSize, mean and std: the ModelInfo defaults (ImageNet, 224).
        m.headPath = "head";
        return m;
    }();
    return info;
}

TorchScriptClassifierImpl::TorchScriptClassifierImpl(std::shared_ptr<ScriptBackbone> script,
                                                     std::int64_t features, bool poolsFeatureMap,
                                                     std::int64_t numClasses, fs::path source)
    : ClassifierImpl("TorchScriptClassifier"),
      m_script(std::move(script)),
      m_features(features),
      m_pool(poolsFeatureMap),
      m_source(std::move(source)) {
    mirror(*this, m_script->module);
    // "head", unless the backbone already uses that name.
    m_headPath = "head";
    const auto taken = [this](const std::string& name) {
        for (const auto& c : named_children())
            if (c.key() == name) return true;
        for (const auto& p : named_parameters(/*recurse=*/false))
            if (p.key() == name) return true;
        for (const auto& b : named_buffers(/*recurse=*/false))
            if (b.key() == name) return true;
        return false;
    };
    while (taken(m_headPath)) m_headPath = "fts_" + m_headPath;
    m_head = register_module(m_headPath, torch::nn::Linear(features, numClasses));
}

torch::Tensor TorchScriptClassifierImpl::forward(torch::Tensor x) {
    return forwardHead(forwardFeatures(std::move(x)));
}

torch::Tensor TorchScriptClassifierImpl::forwardFeatures(torch::Tensor x) {
    torch::Tensor y = m_script->module.forward({std::move(x)}).toTensor();
    if (m_pool) y = torch::adaptive_avg_pool2d(y, {1, 1}).flatten(1);
    return y;
}

torch::Tensor TorchScriptClassifierImpl::forwardHead(torch::Tensor features) {
    return m_head->forward(features);
}

bool TorchScriptClassifierImpl::featuresDeterministic() const {
    for (const auto& item : named_modules(/*name_prefix=*/"", /*include_self=*/false)) {
        const std::string type = item.value()->name();
        if (item.value()->is_training() && type.find("Dropout") != std::string::npos) return false;
    }
    return true;
}

std::int64_t TorchScriptClassifierImpl::numClasses() const {
    return m_head->options.out_features();
}

void TorchScriptClassifierImpl::resetHead(std::int64_t numClasses) {
    if (numClasses < 1)
        throw Error("A model needs at least one class; got " + std::to_string(numClasses) + ".");
    auto head = torch::nn::Linear(m_features, numClasses);
    head->to(m_head->weight.device());
    m_head = replace_module(m_headPath, head);
}

std::string TorchScriptClassifierImpl::backboneType() const {
    return scriptTypeName(m_script->module);
}

void TorchScriptClassifierImpl::train(bool on) {
    ClassifierImpl::train(on);
    setOwnTraining(m_script->module, on);
}

void TorchScriptClassifierImpl::saveBackbone(const fs::path& file) const {
    fs::path partial = file;
    partial += ".partial";
    try {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        if (!out) throw Error(displayPath(partial) + ": cannot be written");
        m_script->module.save(out);
        out.close();
        if (!out) throw Error(displayPath(partial) + ": writing failed (disk full?)");
        fs::rename(partial, file);
    } catch (const Error&) {
        std::error_code ec;
        fs::remove(partial, ec);
        throw;
    } catch (const std::exception& e) {
        std::error_code ec;
        fs::remove(partial, ec);
        throw Error(displayPath(file) + ": cannot save the TorchScript backbone: " + firstLine(e));
    }
}

std::shared_ptr<TorchScriptClassifierImpl> loadTorchScriptClassifier(const fs::path& file,
                                                                     std::int64_t numClasses,
                                                                     int imageSize) {
    const std::string name = displayPath(file);
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        throw Error(name +
                    ": no such file; give the TorchScript backbone (torch.jit.save) with "
                    "--weights FILE");
    if (numClasses < 1)
        throw Error("A model needs at least one class; got " + std::to_string(numClasses) + ".");
    if (imageSize < 0 || imageSize > 4096)
        throw Error("the image size must be between 1 and 4096 (it is " +
                    std::to_string(imageSize) + ")");
    const int size = imageSize > 0 ? imageSize : torchScriptModelInfo().inputSize;

    auto script = std::make_shared<ScriptBackbone>();
    try {
        // A stream, not a path string: non-ASCII paths work on Windows too.
        std::ifstream in(file, std::ios::binary);
        if (!in) throw Error(name + ": cannot be opened");
        script->module = torch::jit::load(in, torch::Device(torch::kCPU));
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        refuse(file, e);
    }
    if (!script->module.find_method("forward"))
        throw Error(name + ": the TorchScript module has no forward method; " + kExportHint);

    // One forward pass of zeros in eval mode (BatchNorm on one image would
    // refuse train mode) finds the feature size.
    torch::Tensor features;
    script->module.eval();
    try {
        torch::NoGradGuard noGrad;
        const c10::IValue out = script->module.forward({torch::zeros({1, 3, size, size})});
        if (!out.isTensor())
            throw Error(name + ": its forward returns " + out.tagKind() +
                        ", not one tensor of features; " + kExportHint);
        features = out.toTensor();
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(name + ": its forward fails on an image batch [1, 3, " + std::to_string(size) +
                    ", " + std::to_string(size) + "]: " + firstLine(e) + "; " + kExportHint);
    }
    const bool pool = features.dim() == 4;
    if ((features.dim() != 2 && !pool) || features.size(0) != 1 || features.size(1) < 1 ||
        !features.is_floating_point()) {
        std::string shape;
        for (const auto s : features.sizes())
            shape += (shape.empty() ? "" : ", ") + std::to_string(s);
        throw Error(name + ": its forward returns a tensor of shape [" + shape +
                    "] for one image; a backbone must return features [N, F] (or a feature map "
                    "[N, F, h, w]); " +
                    kExportHint);
    }
    return std::make_shared<TorchScriptClassifierImpl>(std::move(script), features.size(1), pool,
                                                       numClasses, file);
}

bool isTorchScriptFile(const fs::path& file) {
    try {
        const auto bytes = readFileBytes(file);
        return detectWeightFormat(bytes.data(), bytes.size()) == WeightFormat::TorchScript;
    } catch (const Error&) {
        return false;
    }
}

TorchScriptSummary inspectTorchScript(const fs::path& file, int imageSize) {
    if (!isTorchScriptFile(file)) throw Error(displayPath(file) + ": is not a TorchScript archive");
    TorchScriptSummary out;
    out.imageSize = imageSize > 0 ? imageSize : torchScriptModelInfo().inputSize;
    try {
        const auto model = loadTorchScriptClassifier(file, 1, out.imageSize);
        out.usable = true;
        out.features = model->headInputs();
        out.poolsFeatureMap = model->poolsFeatureMap();
        out.type = model->backboneType();
        for (const auto& item : model->named_parameters())
            if (item.key().rfind(model->headPath() + ".", 0) != 0)
                out.parameters += item.value().numel();
        out.tensors = static_cast<std::int64_t>(model->named_parameters().size() +
                                                model->named_buffers().size()) -
                      2;  // without the head's weight and bias
        for (const auto& c : model->named_children())
            if (c.key() != model->headPath()) out.children.emplace_back(c.key(), c.value()->name());
    } catch (const Error& e) {
        out.usable = false;
        out.problem = e.what();
        const std::string prefix = displayPath(file) + ": ";
        if (out.problem.rfind(prefix, 0) == 0) out.problem.erase(0, prefix.size());
    }
    return out;
}

Classifier createModelFor(std::string_view name, const std::string& weightsFile,
                          std::int64_t numClasses, int imageSize) {
    if (isTorchScriptModel(name)) {
        if (weightsFile.empty())
            throw Error(
                "--model torchscript is read from a file: give the TorchScript backbone "
                "(saved with torch.jit.save) with --weights FILE");
        return loadTorchScriptClassifier(fs::u8path(weightsFile), numClasses, imageSize);
    }
    return createModel(name, numClasses);
}

}  // namespace fts
