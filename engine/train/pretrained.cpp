#include "train/pretrained.h"

#include "models/classifier.h"

namespace fts {

PretrainedLoad loadPretrained(ClassifierImpl& model, const TensorList& weights) {
    PretrainedLoad out;
    const std::string head = model.headPath();
    const std::string headWeight = head + ".weight";
    for (const auto& [name, tensor] : weights) {
        if (namesEntry(name, headWeight) && tensor.dim() == 2 &&
            tensor.size(0) == model.numClasses() && tensor.size(1) == model.headInputs())
            out.headFromFile = true;
    }
    LoadOptions options;
    if (!out.headFromFile) options.skipPrefixes.push_back(head);
    out.report = loadStateDict(model, weights, options);

    const auto underHead = [&](const std::string& name) {
        return name == head || name.rfind(head + ".", 0) == 0;
    };
    for (const auto& name : out.report.missing)
        if (!underHead(name)) out.missingBackbone.push_back(name);
    for (const auto& m : out.report.mismatched)
        if (!underHead(m.name)) out.mismatchedBackbone.push_back(m.name);
    return out;
}

}  // namespace fts
