#pragma once

// Torch-free: one image's top-k, shared by the Predictor and batch prediction.

#include <string>
#include <vector>

namespace fts {

struct ClassScore {
    int index = 0;
    std::string label;
    double probability = 0.0;
};

struct Prediction {
    std::string path;
    std::vector<ClassScore> top;  // highest probability first
};

}  // namespace fts
