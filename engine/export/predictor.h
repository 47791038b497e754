#pragma once

#include "data/evaltransform.h"
#include "export/classscore.h"
#include "models/classifier.h"

#include <filesystem>
#include <string>
#include <vector>

namespace fts {

// ClassScore, Prediction: export/classscore.h (torch-free).

/// Runs a classifier on image files with the evaluation preprocessing.
/// Lives on the thread that calls it (autograd is off inside predict()).
class Predictor {
public:
    Predictor(Classifier model, std::vector<std::string> labels, int cropSize, Normalization norm);

    /// Throws fts::Error naming the image when it cannot be decoded.
    Prediction predictFile(const std::filesystem::path& image, int topk) const;
    /// The same for an image already decoded; `path` is copied into the result.
    Prediction predictImage(const RgbImage& image, const std::string& path, int topk) const;
    /// Softmax probabilities for a batch of preprocessed images [N, 3, S, S].
    at::Tensor probabilities(const at::Tensor& batch) const;

    int cropSize() const { return m_cropSize; }
    const std::vector<std::string>& labels() const { return m_labels; }

private:
    Classifier m_model;
    std::vector<std::string> m_labels;
    int m_cropSize;
    Normalization m_norm;
};

/// "class 0", "class 1", ... for a head without names; or the lines of a
/// classes file (one label per line, UTF-8). Throws fts::Error naming the file
/// when its line count differs from numClasses.
std::vector<std::string> defaultLabels(int numClasses);
std::vector<std::string> readLabelsFile(const std::filesystem::path& file, int numClasses);

}  // namespace fts
