#include "train/probe.h"

#include "core/cpuallocator.h"
#include "core/error.h"
#include "models/channelslast.h"
#include "models/registry.h"
#include "train/devices.h"
#include "train/freezeplan.h"
#include "train/optimizers.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/nn/functional/loss.h>
#include <torch/types.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace fts {

ProbeResult runComputeProbe(const TrainSettings& settings, int steps, int classes) {
    using Clock = std::chrono::steady_clock;
    const ModelInfo* info = findModel(settings.model);
    if (!info) throw Error("--model: unknown model '" + settings.model + "'");
    if (settings.batchSize < 1) throw Error("--batch-size must be 1 or more");
    if (steps < 1) throw Error("--steps must be 1 or more");
    if (classes < 2) throw Error("--classes must be 2 or more");
    const torch::Device device =
        settings.device == "cpu" || settings.device == "auto" || settings.device.empty()
            ? (settings.device != "cpu" && torch::cuda::is_available()
                   ? torch::Device(torch::kCUDA, 0)
                   : torch::Device(torch::kCPU))
            : torch::Device(settings.device);
    installCachingCpuAllocator();  // as the trainer
    const int threads = trainingThreads(settings.threads);
    at::set_num_threads(threads);

    torch::manual_seed(settings.seed);
    Classifier model = createModel(settings.model, classes);
    const FreezePlan plan = FreezePlan::parse(settings.freeze, *model);
    plan.apply(*model);
    model->to(device);
    if (prefersChannelsLast(device)) convertToChannelsLast(*model);  // as the trainer
    OptimizerSetup optimizer = makeOptimizer(settings, *model);

    ProbeResult result;
    result.model = settings.model;
    result.freeze = plan.spec();
    result.device = device.str();
    result.threads = threads;
    result.batchSize = settings.batchSize;
    result.imageSize = settings.imageSize > 0 ? settings.imageSize : info->inputSize;
    result.steps = steps;
    result.trainableParameters = plan.trainableParameters(*model);

    const std::int64_t s = result.imageSize;
    const auto images = inputFor(*model, torch::randn({settings.batchSize, 3, s, s}).to(device));
    const auto labels = torch::randint(classes, {settings.batchSize}, torch::kLong).to(device);
    std::vector<double> times;
    for (int i = 0; i < steps + 2; ++i) {
        const auto start = Clock::now();
        plan.setTrainMode(*model);  // as the trainer, once per epoch; cheap
        optimizer.optimizer->zero_grad();
        const auto loss = torch::nn::functional::cross_entropy(model->forward(images), labels);
        loss.backward();
        optimizer.optimizer->step();
        (void)loss.item<double>();  // waits for the device, as the trainer's loss report does
        if (i >= 2) times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    }
    double total = 0.0;
    for (const double t : times) total += t;
    result.secondsPerStep = total / double(times.size());
    std::sort(times.begin(), times.end());
    const std::size_t n = times.size();
    result.medianSecondsPerStep = n % 2 ? times[n / 2] : 0.5 * (times[n / 2 - 1] + times[n / 2]);
    result.imagesPerSecond =
        result.secondsPerStep > 0 ? double(settings.batchSize) / result.secondsPerStep : 0.0;
    return result;
}

}  // namespace fts
