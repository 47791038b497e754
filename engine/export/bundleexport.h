#pragma once

// Torch-free: the GUI includes this to export a run.

#include <filesystem>

namespace fts {

/// Writes DIR/model.safetensors, DIR/model.pth (a plain dict that Python's
/// torch.load reads and torchvision's load_state_dict accepts) and
/// DIR/model.json (architecture, classes in order, input size, resize size,
/// mean/std, the preprocessing in words). From the run's best.safetensors,
/// or its last checkpoint when no epoch finished with validation. Also
/// DIR/predict.py, and DIR/metrics.csv, loss.png, accuracy.png when the run
/// has finished epochs (export/exportextras.h). Every file is written
/// atomically. Throws fts::Error naming the run or file.
void exportBundle(const std::filesystem::path& runDir, const std::filesystem::path& outDir);

}  // namespace fts
