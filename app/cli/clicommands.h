#pragma once

#include "train/settings.h"

#include <cstdint>
#include <string>
#include <vector>

// The subcommands of finetune-cli. Each returns the process exit status and
// prints errors as one line on stderr naming the file and the problem.
namespace fts::cli {

int runModels(bool json);
int runInspect(const std::string& file, bool json);

struct PredictOptions {
    std::string run;     // --run RUNDIR
    std::string bundle;  // --bundle DIR
    std::string model;
    std::string weights;
    std::string classesFile;
    int imageSize = 0;  // 0: the model's default
    int topk = 5;
    bool json = false;
    std::string csv;  // --csv FILE: batch mode (folders by content, bad files not fatal)
    std::vector<std::string> images;  // files or folders
};
int runPredict(const PredictOptions& options);

/// Trains with the given settings, printing progress; Ctrl-C stops after the
/// current batch with a resumable checkpoint. Exit 0 when completed, 1 when
/// failed, 130 when cancelled.
int runTrain(const TrainSettings& settings);
int runDemo(const std::string& mode, int epochs, const std::string& outDir, int threads,
            std::uint64_t seed = 0, const std::string& device = "auto",
            const std::string& precision = "fp32");
int runExport(const std::string& runDir, const std::string& outDir);
/// After runExport: OUTDIR/model.onnx through OUTDIR/predict.py with a Python
/// that has PyTorch (`python`, else $FTS_PYTHON, python3, python).
int runOnnxExport(const std::string& outDir, const std::string& python);
/// The compute probe (train/probe.h): prints images per second of the
/// training step on tensors already in memory.
int runProbe(const TrainSettings& settings, int steps, int classes, bool json);

}  // namespace fts::cli
