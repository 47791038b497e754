#include "lrfindcommand.h"

#include "core/error.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>

namespace fts::cli {

LrFindCommand::LrFindCommand(CLI::App& app) {
    m_settings.device = "cpu";
    m_command = app.add_subcommand(
        "lr-find",
        "Learning-rate range test: train a copy of the model with an exponentially growing lr "
        "and suggest one (writes nothing but --csv)");
    auto* c = m_command;
    c->add_option("--model", m_settings.model, "Architecture (see `finetune-cli models`)")
        ->required();
    c->add_option("--weights", m_settings.weightsFile,
                  "Pretrained weights (safetensors or .pth); omit for random init");
    c->add_option("--data", m_settings.dataPath,
                  "ImageFolder directory, IDX images file or CIFAR-10 folder")
        ->required();
    c->add_option("--freeze", m_settings.freeze, "none, backbone, or comma-separated module paths")
        ->capture_default_str();
    c->add_option("--batch-size", m_settings.batchSize, "Images per step")
        ->check(CLI::Range(1, 65536))
        ->capture_default_str();
    c->add_option("--image-size", m_settings.imageSize, "Training resolution (0: the model's)")
        ->check(CLI::Range(0, 4096))
        ->capture_default_str();
    c->add_option("--optimizer", m_settings.optimizer, "sgd, adam or adamw")->capture_default_str();
    c->add_option("--augment", m_settings.augment, "none, light or strong")->capture_default_str();
    c->add_option("--threads", m_settings.threads, "Intra-op threads (0: all cores)")
        ->check(CLI::Range(0, 1024))
        ->capture_default_str();
    c->add_option("--seed", m_settings.seed, "Random seed")->capture_default_str();
    c->add_option("--steps", m_options.steps, "Steps (batches) from the start to the end lr")
        ->check(CLI::Range(2, 100000))
        ->capture_default_str();
    c->add_option("--start-lr", m_options.startLr, "First lr")->capture_default_str();
    c->add_option("--end-lr", m_options.endLr, "Last lr")->capture_default_str();
    c->add_option("--csv", m_csv, "Write the curve as CSV (lr,loss,smoothed)");
}

std::optional<int> LrFindCommand::run() {
    if (!m_command || !*m_command) return std::nullopt;
    try {
        LrFinder finder(m_settings, m_options);
        const LrFinderResult r = finder.run([](const LrPoint& p, int step, int steps) {
            if (step == 1 || step % 10 == 0 || step == steps)
                std::printf("step %d/%d  lr %.3g  loss %.4f  smoothed %.4f\n", step, steps, p.lr,
                            p.loss, p.smoothed);
            std::fflush(stdout);
        });
        if (r.points.empty()) throw Error("lr-find recorded no steps");
        if (r.diverged)
            std::printf("stopped at lr %.3g: the loss exceeded %g x its minimum\n",
                        r.points.back().lr, m_options.divergeFactor);
        std::printf("minimum smoothed loss at lr %.3g\n", r.minimumLossLr);
        std::printf("suggested learning rate: %.3g (%s)\n", r.suggestedLr, r.method.c_str());
        if (!m_csv.empty()) {
            writeLrFinderCsv(std::filesystem::u8path(m_csv), r);
            std::printf("wrote %s (%zu rows)\n", m_csv.c_str(), r.points.size());
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
}

}  // namespace fts::cli
