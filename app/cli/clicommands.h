#pragma once

#include <string>
#include <vector>

// The subcommands of finetune-cli. Each returns the process exit status and
// prints errors as one line on stderr naming the file and the problem.
namespace fts::cli {

int runModels(bool json);
int runInspect(const std::string& file, bool json);

struct PredictOptions {
    std::string model;
    std::string weights;
    std::string classesFile;
    int imageSize = 0;      // 0: the model's default
    int topk = 5;
    bool json = false;
    std::vector<std::string> images;   // files or folders
};
int runPredict(const PredictOptions& options);

}  // namespace fts::cli
