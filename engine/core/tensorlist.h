#pragma once

#include <ATen/core/Tensor.h>

#include <string>
#include <utility>
#include <vector>

namespace fts {

/// Named tensors in the order a weight file or a model lists them.
using NamedTensor = std::pair<std::string, at::Tensor>;
using TensorList = std::vector<NamedTensor>;

}  // namespace fts
