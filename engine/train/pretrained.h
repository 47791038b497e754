#pragma once

#include "core/tensorlist.h"
#include "weights/statedictloader.h"

#include <string>
#include <vector>

namespace fts {

class ClassifierImpl;

/// What copying pretrained weights into a model did, split the way training
/// judges it: problems in the backbone refuse the file; the head is expected
/// to be new when the class count differs.
struct PretrainedLoad {
    LoadReport report;
    bool headFromFile = false;  // the file's head already fits the model's head
    std::vector<std::string> missingBackbone;     // backbone weights the file lacks
    std::vector<std::string> mismatchedBackbone;  // backbone weights of another shape
};

/// Loads `weights` into `model` (whose head is already sized for the data):
/// the file's head is kept only when its shape equals the model's head,
/// otherwise skipped. Never throws for missing or extra names; the caller
/// decides from the result (the trainer and the GUI's model description).
PretrainedLoad loadPretrained(ClassifierImpl& model, const TensorList& weights);

}  // namespace fts
