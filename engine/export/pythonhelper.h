#pragma once

// Torch-free: runs the bundle's predict.py with a Python that has PyTorch,
// for what only PyTorch does well (ONNX export).

#include <filesystem>
#include <string>

namespace fts {

/// The first Python that can `import torch, torchvision`: `preferred` when
/// given (then only it), else $FTS_PYTHON, python3, python. Empty when none.
/// `tried` (optional) receives the candidates tried, for a message.
std::string findPythonWithTorch(const std::string& preferred, std::string* tried = nullptr);

/// Runs `PYTHON BUNDLE/predict.py --onnx ONNXFILE` and waits. Throws
/// fts::Error with the last lines the script printed when it fails.
void exportOnnxWithPython(const std::filesystem::path& bundleDir,
                          const std::filesystem::path& onnxFile, const std::string& python);

}  // namespace fts
