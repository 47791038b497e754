#include "train/lrfinder.h"

#include "core/error.h"
#include "core/fileio.h"
#include "data/datasource.h"
#include "data/loader.h"
#include "models/registry.h"
#include "models/torchscriptbackbone.h"
#include "train/devices.h"
#include "train/freezeplan.h"
#include "train/optimizers.h"
#include "train/pretrained.h"
#include "weights/weightfile.h"

#include <ATen/ATen.h>
#include <torch/nn/functional/loss.h>
#include <torch/optim/optimizer.h>

#include <cmath>
#include <cstdio>
#include <numeric>

namespace fts {

LrFinder::LrFinder(TrainSettings settings, LrFinderOptions options)
    : m_settings(std::move(settings)), m_options(options) {}

void LrFinder::setDataSource(std::shared_ptr<const DataSource> train) {
    m_train = std::move(train);
}

LrFinderResult LrFinder::run(const Progress& progress) {
    const TrainSettings& s = m_settings;
    const LrFinderOptions& o = m_options;
    if (o.steps < 2) throw Error("lr-find needs at least 2 steps (--steps)");
    if (!(o.startLr > 0.0 && o.endLr > o.startLr))
        throw Error("lr-find: the start lr must be positive and below the end lr");
    if (!m_train) {
        if (s.dataPath.empty())
            throw Error(
                "no training data given: set --data to an image folder, IDX file or "
                "CIFAR-10 folder");
        m_train = openDataSource(s.dataPath);
    }
    const auto numClasses = static_cast<std::int64_t>(m_train->classNames().size());
    if (numClasses < 2)
        throw Error(m_train->description() +
                    ": needs at least two classes to find a learning rate");

    const ModelInfo* info =
        isTorchScriptModel(s.model) ? &torchScriptModelInfo() : findModel(s.model);
    if (!info) createModel(s.model);  // throws, naming the known models
    const int imageSize = s.imageSize > 0 ? s.imageSize : info->inputSize;
    at::set_num_threads(trainingThreads(s.threads));

    // A fresh model with the run's weights and freeze plan: nothing is shared
    // with a training run, nothing is written.
    torch::manual_seed(s.seed);
    Classifier model = createModelFor(s.model, s.weightsFile, numClasses, imageSize);
    if (!isTorchScriptModel(s.model) && !s.weightsFile.empty()) {
        const WeightFile weights = loadWeightFile(s.weightsFile);
        const PretrainedLoad loaded = loadPretrained(*model, weights.tensors);
        if (loaded.report.loaded == 0 || !loaded.missingBackbone.empty() ||
            !loaded.mismatchedBackbone.empty())
            throw Error(displayPath(s.weightsFile) + ": does not hold " + s.model +
                        " weights that fit: " + loaded.report.describe());
    }
    const FreezePlan plan = FreezePlan::parse(s.freeze, *model);
    plan.apply(*model);
    OptimizerSetup opt = makeOptimizer(s, *model);

    TransformSpec spec;
    spec.cropSize = imageSize;
    spec.norm.mean = info->mean;
    spec.norm.std = info->std;
    spec.augment = parseAugment(s.augment);
    LoaderOptions lo;
    lo.batchSize = s.batchSize;
    lo.seed = s.seed;
    lo.workers = s.loaderWorkers > 0 ? s.loaderWorkers : 1;
    lo.train = true;
    lo.presize = true;
    std::vector<std::size_t> items(m_train->size());
    std::iota(items.begin(), items.end(), std::size_t(0));
    BatchLoader loader(*m_train, items, spec, lo);

    LrFinderResult result;
    const double ratio = std::pow(o.endLr / o.startLr, 1.0 / double(o.steps - 1));
    double average = 0.0, best = 0.0;
    int epoch = 0;
    loader.startEpoch(epoch);
    Batch batch;
    for (int step = 0; step < o.steps; ++step) {
        if (m_stop.load()) {
            result.cancelled = true;
            break;
        }
        if (!loader.next(batch)) {
            loader.startEpoch(++epoch);
            if (!loader.next(batch))
                throw Error(m_train->description() + ": no training images could be read");
        }
        const double lr = o.startLr * std::pow(ratio, double(step));
        applyLrFactor(opt, lr / s.lr);  // every group keeps its ratio to the head
        plan.setTrainMode(*model);
        opt.optimizer->zero_grad();
        const at::Tensor loss =
            torch::nn::functional::cross_entropy(model->forward(batch.images), batch.labels);
        const double value = loss.item<double>();
        LrPoint p;
        p.lr = lr;
        p.loss = value;
        average = o.smoothing * average + (1.0 - o.smoothing) * value;
        p.smoothed = average / (1.0 - std::pow(o.smoothing, double(step + 1)));
        result.points.push_back(p);
        if (progress) progress(p, step + 1, o.steps);
        if (!std::isfinite(value) || (step > 0 && p.smoothed > o.divergeFactor * best)) {
            result.diverged = true;
            break;
        }
        if (step == 0 || p.smoothed < best) best = p.smoothed;
        loss.backward();
        opt.optimizer->step();
    }
    suggestLearningRate(result);
    return result;
}

void suggestLearningRate(LrFinderResult& r) {
    // The diverging point (the last one when stopped early) does not count.
    std::size_t n = r.points.size();
    if (r.diverged && n > 1) --n;
    if (n == 0) return;
    std::size_t minIndex = 0;
    for (std::size_t i = 1; i < n; ++i)
        if (r.points[i].smoothed < r.points[minIndex].smoothed) minIndex = i;
    r.minimumLossLr = r.points[minIndex].lr;
    // The slope over a window of one decade (half each side, fewer points at
    // the ends): a single noisy batch does not make a "steepest" point.
    constexpr double kHalfWindow = 0.5;  // decades of lr
    const std::size_t skip = n / 10;
    double steepest = 0.0;
    bool found = false;
    for (std::size_t i = std::max<std::size_t>(skip, 1); i < minIndex; ++i) {
        const double center = std::log10(r.points[i].lr);
        std::size_t lo = i, hi = i;
        while (lo > 0 && std::log10(r.points[lo - 1].lr) >= center - kHalfWindow) --lo;
        while (hi < minIndex && std::log10(r.points[hi + 1].lr) <= center + kHalfWindow) ++hi;
        if (lo == i) lo = i - 1;
        if (hi == i) hi = i + 1;
        const double slope = (r.points[hi].smoothed - r.points[lo].smoothed) /
                             (std::log10(r.points[hi].lr) - std::log10(r.points[lo].lr));
        if (!found || slope < steepest) {
            steepest = slope;
            r.suggestedIndex = i;
            found = true;
        }
    }
    if (found && steepest < 0.0) {
        r.suggestedLr = r.points[r.suggestedIndex].lr;
        r.method = "steepest descent";
    } else {
        r.suggestedLr = r.minimumLossLr / 10.0;
        r.suggestedIndex = minIndex;
        r.method = "minimum / 10";
    }
}

void writeLrFinderCsv(const std::filesystem::path& file, const LrFinderResult& result) {
    std::string text = "lr,loss,smoothed\n";
    char line[96];
    for (const auto& p : result.points) {
        std::snprintf(line, sizeof line, "%.6g,%.6g,%.6g\n", p.lr, p.loss, p.smoothed);
        text += line;
    }
    writeFileAtomically(file, text.data(), text.size());
}

}  // namespace fts
