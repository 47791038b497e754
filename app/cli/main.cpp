// finetune-cli: the headless face of the engine. Parses arguments and hands
// each subcommand to clicommands.cpp; the contract is in DESIGN.md.
#include "clicommands.h"

#include "core/compat.h"
#include "core/version.h"

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char** argv)
{
    CLI::App app{"finetune-cli: fine-tune pretrained image classifiers from the command line"};
    app.set_version_flag("--version", std::string("finetune-cli ") + FTS_VERSION_STRING +
                                          " (LibTorch " + fts::compat::torchVersion() + ")");
    app.require_subcommand(1);

    bool modelsJson = false;
    auto* models = app.add_subcommand("models", "List the architectures the engine can build");
    models->add_flag("--json", modelsJson, "Print JSON instead of a table");

    std::string inspectFile;
    bool inspectJson = false;
    auto* inspect = app.add_subcommand("inspect", "List the tensors of a weight file (safetensors, torch.save zip or legacy)");
    inspect->add_option("FILE", inspectFile, "Weight file")->required();
    inspect->add_flag("--json", inspectJson, "Print JSON instead of a table");

    fts::cli::PredictOptions predict;
    auto* pred = app.add_subcommand("predict", "Classify images with a model and its weights");
    pred->add_option("--model", predict.model, "Architecture (see `finetune-cli models`)")->required();
    pred->add_option("--weights", predict.weights, "Weight file (safetensors or .pth)")->required();
    pred->add_option("--classes", predict.classesFile, "Text file with one class name per line");
    pred->add_option("--image-size", predict.imageSize, "Crop size S (default: the model's)")
        ->check(CLI::Range(16, 2048));
    pred->add_option("--topk", predict.topk, "How many classes to print per image")
        ->check(CLI::Range(1, 1000));
    pred->add_flag("--json", predict.json, "Print JSON");
    pred->add_option("IMAGE", predict.images, "Image files or folders")->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }

    if (*models)
        return fts::cli::runModels(modelsJson);
    if (*inspect)
        return fts::cli::runInspect(inspectFile, inspectJson);
    if (*pred)
        return fts::cli::runPredict(predict);
    return 2;
}
