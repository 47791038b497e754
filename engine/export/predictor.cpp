#include "export/predictor.h"

#include "core/error.h"
#include "core/fileio.h"
#include "data/datasource.h"

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include <fstream>

namespace fts {

Predictor::Predictor(Classifier model, std::vector<std::string> labels, int cropSize,
                     Normalization norm)
    : m_model(std::move(model)), m_labels(std::move(labels)), m_cropSize(cropSize), m_norm(norm) {
    if (!m_model) throw Error("Predictor needs a model");
}

at::Tensor Predictor::probabilities(const at::Tensor& batch) const {
    torch::NoGradGuard noGrad;
    m_model->eval();
    const at::Tensor logits = m_model->forward(batch);
    return at::softmax(logits.to(at::kFloat), /*dim=*/1);
}

Prediction Predictor::predictFile(const std::filesystem::path& image, int topk) const {
    return predictImage(decodeImageFile(image), displayPath(image), topk);
}

Prediction Predictor::predictImage(const RgbImage& rgb, const std::string& path, int topk) const {
    const at::Tensor input = evalTransform(rgb, m_cropSize, m_norm).unsqueeze(0);
    const at::Tensor probs = probabilities(input)[0];
    const auto k = std::min<std::int64_t>(topk, probs.size(0));
    const auto top = probs.topk(k);
    const at::Tensor values = std::get<0>(top).to(at::kDouble).contiguous();
    const at::Tensor indices = std::get<1>(top).contiguous();

    Prediction p;
    p.path = path;
    for (std::int64_t i = 0; i < k; ++i) {
        ClassScore s;
        s.index = static_cast<int>(indices[i].item<std::int64_t>());
        s.label = s.index < static_cast<int>(m_labels.size()) ? m_labels[s.index]
                                                              : "class " + std::to_string(s.index);
        s.probability = values[i].item<double>();
        p.top.push_back(std::move(s));
    }
    return p;
}

std::vector<std::string> defaultLabels(int numClasses) {
    std::vector<std::string> labels;
    labels.reserve(numClasses);
    for (int i = 0; i < numClasses; ++i) labels.push_back("class " + std::to_string(i));
    return labels;
}

std::vector<std::string> readLabelsFile(const std::filesystem::path& file, int numClasses) {
    const std::vector<std::string> labels = readClassNamesFile(file);
    if (static_cast<int>(labels.size()) != numClasses)
        throw Error(displayPath(file) + ": has " + std::to_string(labels.size()) +
                    " class names but the model has " + std::to_string(numClasses) +
                    " classes; write one name per line");
    return labels;
}

}  // namespace fts
