#include "weights/statedictloader.h"

#include <torch/nn/module.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace fts {
namespace {

std::string shapeText(const std::vector<std::int64_t>& shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

std::string nameList(const std::vector<std::string>& names, std::size_t max) {
    std::string s;
    for (std::size_t i = 0; i < names.size() && i < max; ++i) s += (i ? ", " : "") + names[i];
    if (names.size() > max) s += ", and " + std::to_string(names.size() - max) + " more";
    return s;
}

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

// Every parameter and buffer of the model, by state-dict name.
std::map<std::string, at::Tensor> modelEntries(torch::nn::Module& model) {
    std::map<std::string, at::Tensor> entries;
    for (const auto& p : model.named_parameters(/*recurse=*/true))
        entries.emplace(p.key(), p.value());
    for (const auto& b : model.named_buffers(/*recurse=*/true)) entries.emplace(b.key(), b.value());
    return entries;
}

// Checkpoints wrap state dicts ("module." from DataParallel, "model." or
// "state_dict." from training scripts). Pick the prefix under which the most
// file entries name a model entry; "" wins ties.
std::string bestPrefix(const TensorList& weights, const std::map<std::string, at::Tensor>& model) {
    std::map<std::string, int> score;
    for (const auto& [name, tensor] : weights) {
        if (model.count(name)) ++score[""];
        for (std::size_t dot = name.find('.'); dot != std::string::npos;
             dot = name.find('.', dot + 1)) {
            if (model.count(name.substr(dot + 1))) ++score[name.substr(0, dot + 1)];
        }
    }
    std::string best;
    int bestScore = score[""];
    for (const auto& [prefix, n] : score) {
        if (n > bestScore) {
            best = prefix;
            bestScore = n;
        }
    }
    return best;
}

bool underPrefix(const std::string& name, const std::string& modulePath) {
    return name.size() > modulePath.size() && name.compare(0, modulePath.size(), modulePath) == 0 &&
           name[modulePath.size()] == '.';
}

}  // namespace

std::string LoadReport::describe(std::size_t maxNames) const {
    std::vector<std::string> lines;
    if (!missing.empty())
        lines.push_back(
            plural(missing.size(), "weight of the model is", "weights of the model are") +
            " missing from the file: " + nameList(missing, maxNames));
    if (!unexpected.empty())
        lines.push_back(
            plural(unexpected.size(), "entry of the file is", "entries of the file are") +
            " not in the model: " + nameList(unexpected, maxNames));
    if (!mismatched.empty()) {
        std::vector<std::string> items;
        for (const auto& m : mismatched)
            items.push_back(m.name + " (model " + shapeText(m.modelShape) + ", file " +
                            shapeText(m.fileShape) + ")");
        lines.push_back(plural(mismatched.size(), "weight has", "weights have") +
                        " a different shape in the file: " + nameList(items, maxNames));
    }
    if (lines.empty())
        lines.push_back("all " + std::to_string(loaded) + " weights loaded" +
                        (skipped.empty()
                             ? ""
                             : " (" + std::to_string(skipped.size()) + " skipped on purpose)"));
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
    return out;
}

LoadReport loadStateDict(torch::nn::Module& model, const TensorList& weights,
                         const LoadOptions& options) {
    LoadReport report;
    const auto entries = modelEntries(model);
    report.strippedPrefix = bestPrefix(weights, entries);

    const auto skippedByOption = [&](const std::string& name) {
        return std::any_of(options.skipPrefixes.begin(), options.skipPrefixes.end(),
                           [&](const std::string& p) { return name == p || underPrefix(name, p); });
    };

    std::set<std::string> seen;
    torch::NoGradGuard noGrad;
    for (const auto& [fileName, tensor] : weights) {
        if (!report.strippedPrefix.empty() &&
            fileName.compare(0, report.strippedPrefix.size(), report.strippedPrefix) != 0) {
            // Outside the chosen prefix: other checkpoint contents (optimizer, ...).
            report.skipped.push_back(fileName);
            continue;
        }
        const std::string name = fileName.substr(report.strippedPrefix.size());
        const auto it = entries.find(name);
        if (it == entries.end()) {
            report.unexpected.push_back(fileName);
            continue;
        }
        seen.insert(name);
        if (skippedByOption(name)) {
            report.skipped.push_back(name);
            continue;
        }
        at::Tensor target = it->second;
        if (target.sizes() != tensor.sizes()) {
            report.mismatched.push_back({name, target.sizes().vec(), tensor.sizes().vec()});
            continue;
        }
        target.copy_(tensor);  // converts dtype and device
        ++report.loaded;
    }
    for (const auto& [name, tensor] : entries) {
        if (!seen.count(name) && !skippedByOption(name)) report.missing.push_back(name);
    }
    return report;
}

bool namesEntry(const std::string& fileName, const std::string& modelName) {
    if (fileName == modelName) return true;
    return fileName.size() > modelName.size() &&
           fileName.compare(fileName.size() - modelName.size(), modelName.size(), modelName) == 0 &&
           fileName[fileName.size() - modelName.size() - 1] == '.';
}

TensorList stateDictOf(const torch::nn::Module& model) {
    TensorList out;
    // PyTorch's order: each module's own parameters, then its own buffers,
    // module by module in pre-order.
    for (const auto& item : model.named_modules(/*name_prefix=*/"", /*include_self=*/true)) {
        const std::string prefix = item.key().empty() ? "" : item.key() + ".";
        for (const auto& p : item.value()->named_parameters(/*recurse=*/false))
            out.emplace_back(prefix + p.key(),
                             p.value().detach().to(at::kCPU).contiguous().clone());
        for (const auto& b : item.value()->named_buffers(/*recurse=*/false))
            out.emplace_back(prefix + b.key(),
                             b.value().detach().to(at::kCPU).contiguous().clone());
    }
    return out;
}

}  // namespace fts
