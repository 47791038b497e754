#pragma once

// Torch-free: what an export bundle holds besides the weights, for people who
// take the model back into Python.

#include <filesystem>
#include <string>
#include <vector>

namespace fts {

/// The text of predict.py (engine/export/predict.py.in, embedded at build
/// time): rebuilds the model from model.json + model.pth with torchvision (or
/// its own definition of demo_cnn), applies the evaluation preprocessing and
/// prints the same top-k as `finetune-cli predict`; `--onnx FILE` exports ONNX.
const std::string& predictScriptText();

/// Writes OUTDIR/predict.py and, from RUNDIR/events.jsonl when it has epochs,
/// OUTDIR/metrics.csv, OUTDIR/loss.png and OUTDIR/accuracy.png. Returns the
/// file names written. Throws fts::Error naming a file that cannot be written.
std::vector<std::string> writeExportExtras(const std::filesystem::path& runDir,
                                           const std::filesystem::path& outDir);

}  // namespace fts
