#pragma once

#include "core/tensorlist.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace fts {

/// Which container a torch.save file uses.
enum class TorchCheckpointKind { Zip, Legacy };

struct TorchCheckpoint {
    TorchCheckpointKind kind = TorchCheckpointKind::Zip;
    /// Every tensor reachable through dicts (OrderedDict or dict) and lists,
    /// named by its dotted path: a bare state dict gives "conv1.weight", a
    /// {"model": state_dict} checkpoint gives "model.conv1.weight".
    TensorList tensors;
    /// Non-tensor leaves that were skipped (e.g. "epoch"), for `inspect`.
    std::vector<std::string> otherEntries;
};

/// Reads a file written by torch.save: the zip format (default since
/// PyTorch 1.6) or the legacy format, including torchvision's published
/// state dicts. The pickle is run by a restricted unpickler that executes
/// nothing: only the globals a state dict needs are accepted
/// (collections.OrderedDict, torch._utils._rebuild_tensor*/_rebuild_parameter,
/// torch.*Storage); any other global is refused with a FormatError that names
/// it. Sizes declared in the file are checked against the file before
/// anything is allocated.
TorchCheckpoint parseTorchCheckpoint(const std::uint8_t* data, std::size_t size,
                                     const std::string& source);

TorchCheckpoint readTorchCheckpoint(const std::filesystem::path& file);

}  // namespace fts
