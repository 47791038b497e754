#pragma once

#include "core/tensorlist.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace fts {

enum class WeightFormat { Unknown, Safetensors, TorchZip, TorchLegacy, TorchScript };

/// "safetensors", "torch.save (zip)", "torch.save (legacy)", "TorchScript", "unknown".
std::string weightFormatName(WeightFormat format);

/// Decides by content (magic bytes), never by file extension.
WeightFormat detectWeightFormat(const std::uint8_t* data, std::size_t size);

struct WeightFile {
    WeightFormat format = WeightFormat::Unknown;
    TensorList tensors;
    std::map<std::string, std::string> metadata;  // safetensors __metadata__
    std::vector<std::string> otherEntries;        // non-tensor checkpoint entries
};

/// Loads any supported weight file. Throws FormatError("<file>: <problem>") for
/// malformed or unsupported files (a TorchScript archive is recognised and
/// refused here with a message saying so).
WeightFile loadWeightFile(const std::filesystem::path& file);
WeightFile parseWeightFile(const std::uint8_t* data, std::size_t size, const std::string& source);

struct TensorInfo {
    std::string name;
    std::string dtype;  // "float32", "int64", ...
    std::vector<std::int64_t> shape;
    std::int64_t numel = 0;
};
std::vector<TensorInfo> describeTensors(const TensorList& tensors);

/// "float32", "float16", "bfloat16", "int64", ... (the names torch prints).
std::string dtypeName(const at::Tensor& tensor);

}  // namespace fts
