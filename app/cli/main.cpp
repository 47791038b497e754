// finetune-cli: the headless face of the engine. Parses arguments and hands
// each subcommand to clicommands.cpp; the contract is in DESIGN.md.
#include "checkcommand.h"
#include "clicommands.h"
#include "downloadcommand.h"
#include "experimentcommand.h"
#include "lrfindcommand.h"

#include "core/compat.h"
#include "core/version.h"
#include "train/demopreset.h"

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char** argv) {
    CLI::App app{"finetune-cli: fine-tune pretrained image classifiers from the command line"};
    app.set_version_flag("--version", std::string("finetune-cli ") + FTS_VERSION_STRING +
                                          " (LibTorch " + fts::compat::torchVersion() + ")");
    app.require_subcommand(1);

    bool modelsJson = false;
    auto* models = app.add_subcommand("models", "List the architectures the engine can build");
    models->add_flag("--json", modelsJson, "Print JSON instead of a table");

    std::string inspectFile;
    bool inspectJson = false;
    auto* inspect = app.add_subcommand(
        "inspect", "List the tensors of a weight file (safetensors, torch.save zip or legacy)");
    inspect->add_option("FILE", inspectFile, "Weight file")->required();
    inspect->add_flag("--json", inspectJson, "Print JSON instead of a table");

    // train: DESIGN.md's contract. Defaults are TrainSettings' own.
    fts::TrainSettings ts;
    auto* train =
        app.add_subcommand("train", "Fine-tune a model on a dataset and write a run directory");
    train->add_option("--model", ts.model, "Architecture (see `finetune-cli models`)")->required();
    train->add_option("--weights", ts.weightsFile,
                      "Pretrained weights (safetensors or .pth), or `imagenet` for torchvision's "
                      "(downloaded when not cached); omit to train from scratch");
    train
        ->add_option("--data", ts.dataPath,
                     "ImageFolder directory, IDX images file or CIFAR-10 folder")
        ->required();
    auto* val = train->add_option("--val", ts.valPath, "Separate validation data (same classes)");
    train->add_option("--val-split", ts.valSplit, "Fraction of --data held out for validation")
        ->check(CLI::Range(0.0, 0.9))
        ->excludes(val)
        ->capture_default_str();
    train->add_option("--freeze", ts.freeze, "none, backbone, or comma-separated module paths")
        ->capture_default_str();
    train->add_option("--epochs", ts.epochs, "Passes over the training data")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    train->add_option("--batch-size", ts.batchSize, "Images per step")
        ->check(CLI::Range(1, 65536))
        ->capture_default_str();
    train->add_option("--lr", ts.lr, "Learning rate of the new head")
        ->check(CLI::Range(1e-8, 10.0))
        ->capture_default_str();
    train
        ->add_option("--backbone-lr-scale", ts.backboneLrScale,
                     "Backbone learning rate = lr x this")
        ->check(CLI::Range(0.0, 10.0))
        ->capture_default_str();
    train->add_option("--optimizer", ts.optimizer, "sgd, adam or adamw")
        ->check(CLI::IsMember({"sgd", "adam", "adamw"}))
        ->capture_default_str();
    train->add_option("--momentum", ts.momentum, "SGD momentum")
        ->check(CLI::Range(0.0, 0.999))
        ->capture_default_str();
    train->add_flag("--nesterov", ts.nesterov, "Nesterov momentum (SGD)");
    train->add_option("--weight-decay", ts.weightDecay, "L2 penalty (decoupled for AdamW)")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    train->add_option("--scheduler", ts.scheduler, "none, step or cosine")
        ->check(CLI::IsMember({"none", "step", "cosine"}))
        ->capture_default_str();
    train->add_option("--warmup-epochs", ts.warmupEpochs, "Linear learning-rate warm-up")
        ->check(CLI::Range(0, 1000))
        ->capture_default_str();
    train->add_option("--image-size", ts.imageSize, "Crop size S (0: the model's)")
        ->check(CLI::Range(0, 2048));
    train->add_option("--augment", ts.augment, "none, light or strong")
        ->check(CLI::IsMember({"none", "light", "strong"}))
        ->capture_default_str();
    train->add_option("--seed", ts.seed, "Random seed (split, order, augmentation, initialisation)")
        ->capture_default_str();
    train->add_option("--device", ts.device, "auto, cpu, cuda or cuda:N")->capture_default_str();
    train->add_option("--precision", ts.precision,
                      "fp32, or bf16 (autocast; CUDA GPUs of compute capability 8.0+)")
        ->check(CLI::IsMember({"fp32", "bf16"}))
        ->capture_default_str();
    train->add_option("--threads", ts.threads, "Intra-op threads (0: all cores)")
        ->check(CLI::Range(0, 1024));
    train
        ->add_option("--cache-budget-mb", ts.cacheBudgetMb,
                     "Memory for the feature and decoded-image caches, in MiB (0: none)")
        ->check(CLI::Range(0, 1 << 20))
        ->capture_default_str();
    train->add_option("--out", ts.outDir, "Run directory to write")->required();
    train->add_flag("--resume", ts.resume, "Continue the run in --out from its last checkpoint");

    std::string demoMode = fts::defaultDemoMode();
    std::string demoOut;
    int demoEpochs = 0;
    int demoThreads = 0;
    std::uint64_t demoSeed = 0;
    auto* demo = app.add_subcommand(
        "demo", "Fine-tune the bundled demo backbone on the bundled Fashion-MNIST subset");
    demo->add_option("--mode", demoMode,
                     "head (frozen backbone), full (fine-tune everything) or scratch")
        ->check(CLI::IsMember({"head", "full", "scratch"}))
        ->capture_default_str();
    demo->add_option("--epochs", demoEpochs, "Override the number of epochs")
        ->check(CLI::Range(1, 1000));
    demo->add_option("--threads", demoThreads, "Intra-op threads (0: all cores)")
        ->check(CLI::Range(0, 1024));
    demo->add_option("--seed", demoSeed, "Random seed (default: the demo's)");
    std::string demoDevice = "auto", demoPrecision = "fp32";
    demo->add_option("--device", demoDevice, "auto, cpu, cuda or cuda:N")->capture_default_str();
    demo->add_option("--precision", demoPrecision, "fp32, or bf16 (CUDA, compute capability 8.0+)")
        ->check(CLI::IsMember({"fp32", "bf16"}))
        ->capture_default_str();
    demo->add_option("--out", demoOut, "Run directory to write")->required();

    // probe: the training step alone, on tensors already in memory.
    fts::TrainSettings probeSettings;
    probeSettings.optimizer = "adam";
    int probeSteps = 10;
    int probeClasses = 3;
    bool probeJson = false;
    auto* probe = app.add_subcommand(
        "probe", "Time the model's training step on random tensors already in memory (no data)");
    probe->add_option("--model", probeSettings.model, "Architecture (see `finetune-cli models`)")
        ->required();
    probe->add_option("--image-size", probeSettings.imageSize, "Crop size S (0: the model's)")
        ->check(CLI::Range(0, 2048));
    probe->add_option("--batch-size", probeSettings.batchSize, "Images per step")
        ->check(CLI::Range(1, 65536))
        ->capture_default_str();
    probe->add_option("--freeze", probeSettings.freeze, "none, backbone, or module paths")
        ->capture_default_str();
    probe->add_option("--optimizer", probeSettings.optimizer, "sgd, adam or adamw")
        ->check(CLI::IsMember({"sgd", "adam", "adamw"}))
        ->capture_default_str();
    probe->add_option("--threads", probeSettings.threads, "Intra-op threads (0: all cores)")
        ->check(CLI::Range(0, 1024));
    probe->add_option("--device", probeSettings.device, "auto, cpu, cuda or cuda:N")
        ->capture_default_str();
    probe->add_option("--steps", probeSteps, "Timed steps (after two warm-up steps)")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    probe->add_option("--classes", probeClasses, "Outputs of the head")
        ->check(CLI::Range(2, 100000))
        ->capture_default_str();
    probe->add_flag("--json", probeJson, "Print JSON");

    fts::cli::DownloadOptions download;
    auto* dl = app.add_subcommand(
        "download", "Download torchvision's ImageNet weights into PyTorch's cache (TORCH_HOME)");
    dl->add_option("ARCH", download.archs, "Architectures (see `finetune-cli models`)");
    dl->add_flag("--all", download.all, "Every architecture with ImageNet weights");
    dl->add_flag("--list", download.list, "Show what is cached; download nothing");
    dl->add_option("--url", download.urls, "Any torchvision-style file (name-<sha256 prefix>.pth)");

    std::string exportRun, exportOut;
    auto* exp =
        app.add_subcommand("export", "Write a run's model as safetensors + .pth + model.json");
    exp->add_option("--run", exportRun, "Run directory")->required();
    exp->add_option("--out", exportOut, "Bundle directory to write")->required();
    bool exportOnnx = false;
    std::string exportPython;
    exp->add_flag("--onnx", exportOnnx,
                  "Also write model.onnx (runs predict.py --onnx with a Python that has PyTorch)");
    exp->add_option("--python", exportPython,
                    "Python with torch + torchvision for --onnx (default: $FTS_PYTHON, python3)");

    fts::cli::PredictOptions predict;
    auto* pred = app.add_subcommand(
        "predict", "Classify images with a run, a bundle, or a model and its weights");
    auto* pRun = pred->add_option("--run", predict.run, "Run directory (its best weights)");
    auto* pBundle =
        pred->add_option("--bundle", predict.bundle, "Export bundle directory")->excludes(pRun);
    auto* pModel =
        pred->add_option("--model", predict.model, "Architecture (see `finetune-cli models`)")
            ->excludes(pRun)
            ->excludes(pBundle);
    auto* pWeights =
        pred->add_option("--weights", predict.weights, "Weight file (safetensors or .pth)")
            ->excludes(pRun)
            ->excludes(pBundle);
    pModel->needs(pWeights);
    pWeights->needs(pModel);
    pred->add_option("--classes", predict.classesFile, "Text file with one class name per line");
    pred->add_option("--image-size", predict.imageSize, "Crop size S (default: the model's)")
        ->check(CLI::Range(16, 2048));
    pred->add_option("--topk", predict.topk, "How many classes to print per image")
        ->check(CLI::Range(1, 1000));
    pred->add_flag("--json", predict.json, "Print JSON");
    pred->add_option("--csv", predict.csv,
                     "Write one CSV row per image (folders recursively; unreadable files are "
                     "listed, not fatal; true label and accuracy for ImageFolder folders)");
    pred->add_option("IMAGE", predict.images, "Image files or folders")->required();

    fts::cli::ExperimentCommands experimentCommands(app);  // experiment, report
    fts::cli::CheckCommand checkCommand(app);  // check: dataset health
    fts::cli::LrFindCommand lrFindCommand(app);  // lr-find: learning-rate range test

    try {
        app.parse(argc, argv);
        if (*pred && predict.run.empty() && predict.bundle.empty() && predict.model.empty())
            throw CLI::RequiredError(
                "predict needs --run RUNDIR, --bundle DIR, or --model ARCH --weights FILE");
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }

    if (*models) return fts::cli::runModels(modelsJson);
    if (*inspect) return fts::cli::runInspect(inspectFile, inspectJson);
    if (*dl) return fts::cli::runDownload(download);
    if (*train && ts.weightsFile == "imagenet") {
        if (const int rc = fts::cli::resolveImagenetWeights(ts.model, ts.weightsFile)) return rc;
    }
    if (*train) return fts::cli::runTrain(ts);
    if (*demo)
        return fts::cli::runDemo(demoMode, demoEpochs, demoOut, demoThreads, demoSeed, demoDevice,
                                 demoPrecision);
    if (*exp) {
        const int rc = fts::cli::runExport(exportRun, exportOut);
        return rc == 0 && exportOnnx ? fts::cli::runOnnxExport(exportOut, exportPython) : rc;
    }
    if (*probe) return fts::cli::runProbe(probeSettings, probeSteps, probeClasses, probeJson);
    if (*pred) return fts::cli::runPredict(predict);
    if (const auto rc = experimentCommands.run()) return *rc;
    if (const auto rc = checkCommand.run()) return *rc;
    if (const auto rc = lrFindCommand.run()) return *rc;
    return 2;
}
