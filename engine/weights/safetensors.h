#pragma once

#include "core/tensorlist.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace fts {

/// The contents of a .safetensors file: tensors in file order plus the
/// optional "__metadata__" string map.
struct SafetensorsContent {
    TensorList tensors;
    std::map<std::string, std::string> metadata;
};

/// Parses a complete safetensors image held in memory. Everything the format
/// lets go wrong is checked before any tensor is allocated: header length cap
/// and bounds, JSON shape, known dtype, shape x dtype size == byte range (with
/// overflow checks), ranges inside the data area, no overlaps and no holes.
/// Throws FormatError("<source>: <problem>") otherwise. Tensors own their data.
SafetensorsContent parseSafetensors(const std::uint8_t* data, std::size_t size,
                                    const std::string& source);

/// Reads and parses a file (see parseSafetensors).
SafetensorsContent readSafetensors(const std::filesystem::path& file);

/// Serialises tensors (any device, any contiguity; they are copied to CPU) in
/// the canonical layout: header padded with spaces to a multiple of 8,
/// tensors sorted by alignment then name. Throws fts::Error for dtypes the
/// format cannot hold.
std::vector<std::uint8_t> serializeSafetensors(
    const TensorList& tensors, const std::map<std::string, std::string>& metadata = {});

/// serializeSafetensors + writeFileAtomically.
void writeSafetensors(const std::filesystem::path& file, const TensorList& tensors,
                      const std::map<std::string, std::string>& metadata = {});

}  // namespace fts
