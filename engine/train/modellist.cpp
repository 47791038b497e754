#include "models/registry.h"
#include "train/modeldescription.h"

namespace fts {

std::vector<ModelSummary> listModels() {
    std::vector<ModelSummary> out;
    for (const ModelInfo& info : modelRegistry()) {
        ModelSummary s;
        s.name = info.name;
        s.family = info.family;
        s.description = info.description;
        s.inputSize = info.inputSize;
        s.imagenetParameters = info.imagenetParameters;
        s.hasDownloadableWeights = !info.weightsUrl.empty();
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace fts
