#include "train/trainer.h"

#include "core/compat.h"
#include "core/cpuallocator.h"
#include "core/error.h"
#include "core/fileio.h"
#include "data/augment.h"
#include "data/datasource.h"
#include "data/loader.h"
#include "data/split.h"
#include "eval/metrics.h"
#include "models/channelslast.h"
#include "models/registry.h"
#include "models/torchscriptbackbone.h"
#include "train/checkpoint.h"
#include "train/devices.h"
#include "train/featurecache.h"
#include "train/freezeplan.h"
#include "train/lrschedule.h"
#include "train/optimizers.h"
#include "train/pretrained.h"
#include "train/rundirectory.h"
#include "weights/safetensors.h"
#include "weights/statedictloader.h"
#include "weights/weightfile.h"

#include <ATen/Parallel.h>
#include <c10/util/Exception.h>
#include <torch/cuda.h>
#include <torch/nn/functional/loss.h>
#include <torch/optim/optimizer.h>
#include <torch/types.h>
#include <torch/utils.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iomanip>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

namespace fts {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// splitmix64: spreads (seed, epoch) over the whole seed space.
std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t epoch) {
    std::uint64_t z = seed + 0x9e3779b97f4a7c15ull * (epoch + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

std::string formatNumber(double value) {
    std::ostringstream os;
    os << value;
    return os.str();
}

torch::Device resolveDevice(const std::string& spec) {
    if (spec.empty() || spec == "auto")
        return torch::cuda::is_available() ? torch::Device(torch::kCUDA, 0)
                                           : torch::Device(torch::kCPU);
    if (spec == "cpu") return torch::Device(torch::kCPU);
    if (spec == "cuda" || spec.rfind("cuda:", 0) == 0) {
        int index = 0;
        if (spec != "cuda") {
            const std::string digits = spec.substr(5);
            if (digits.empty() || digits.size() > 3 ||
                digits.find_first_not_of("0123456789") != std::string::npos)
                throw Error("--device " + spec + ": write cuda or cuda:N with N a GPU number");
            index = std::stoi(digits);
        }
        if (!torch::cuda::is_available())
            throw Error("--device " + spec +
                        (cudaCompiledIn()
                             ? ": no CUDA GPU is visible (check the driver and "
                               "CUDA_VISIBLE_DEVICES); use --device cpu (or auto)"
                             : ": this build's LibTorch has no CUDA support (a CPU-only "
                               "LibTorch such as Debian's); use --device cpu (or auto), or "
                               "build against a CUDA LibTorch (docs/building.md)"));
        const auto count = static_cast<int>(torch::cuda::device_count());
        if (index >= count)
            throw Error("--device " + spec + ": there is no GPU " + std::to_string(index) + " (" +
                        std::to_string(count) + " visible)");
        return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
    }
    throw Error("--device: unknown device '" + spec + "'; use auto, cpu, cuda or cuda:N");
}

// The image a normalised [3, H, W] CPU tensor was made from: the inverse of
// ToTensor + Normalize, rounded back to bytes.
RgbImage denormalize(const torch::Tensor& chw, const ModelInfo& info) {
    const auto mean = torch::tensor({info.mean[0], info.mean[1], info.mean[2]}).view({3, 1, 1});
    const auto sd = torch::tensor({info.std[0], info.std[1], info.std[2]}).view({3, 1, 1});
    const auto bytes = ((chw.to(torch::kFloat) * sd + mean) * 255.0f)
                           .round()
                           .clamp(0, 255)
                           .to(torch::kUInt8)
                           .permute({1, 2, 0})
                           .contiguous();
    RgbImage image;
    image.height = static_cast<int>(chw.size(1));
    image.width = static_cast<int>(chw.size(2));
    const auto* data = bytes.data_ptr<std::uint8_t>();
    image.pixels.assign(data, data + bytes.numel());
    return image;
}

// How often trainingSamples() reports, at most (the GUI's live strip).
constexpr double kTrainingSampleInterval = 0.5;  // seconds of wall time
constexpr std::int64_t kTrainingSamples = 4;     // images per report
constexpr int kThumbnailSide = 96;               // pixels, the longer side

std::string errorText(const std::exception& e) {
    if (const auto* c10Error = dynamic_cast<const c10::Error*>(&e))
        return std::string("LibTorch reported an internal error: ") +
               c10Error->what_without_backtrace();
    return e.what();
}

// A run that ends early for a reason other than an error.
struct Cancelled {};

// Everything one call of Trainer::run() holds; lives on the calling thread.
class Run {
public:
    Run(const TrainSettings& settings, std::shared_ptr<const DataSource> train,
        std::shared_ptr<const DataSource> val, TrainObserver* observer,
        const std::atomic<bool>& stop, const std::atomic<bool>& paused)
        : s(settings),
          m_train(std::move(train)),
          m_val(std::move(val)),
          m_observer(observer),
          m_stop(stop),
          m_paused(paused) {}

    RunSummary execute();

private:
    void validateSettings();
    void openData();
    void buildModel();
    void loadWeights();
    void resumeFromCheckpoint();
    // false: cancelled
    void setUpLoaders();
    void reportImageCache();
    // Computes (or reuses) the frozen backbone's features; false: cancelled.
    bool prepareFeatures();
    bool trainEpoch(int epoch, EpochMetrics& metrics);
    bool evaluate(int epoch, EpochMetrics& metrics);
    // The next `count` items of `order` from `position` as a batch of cached
    // features (Batch::images holds features [n, F]); false at the end.
    bool nextCachedBatch(const FeatureSet& set, const std::vector<std::size_t>& order,
                         std::size_t& position, Batch& batch);
    // What the model sees of `item` of `source` (evaluation crop) as a
    // thumbnail: for batches of cached features, which hold no images.
    std::optional<RgbImage> thumbnailOf(const DataSource& source, std::size_t item);
    // Observer extras; cheap, and only with an observer.
    void reportTrainingSamples(int epochNumber, int batchIndex, const Batch& batch,
                               const torch::Tensor& logits);
    void addValidationRows(const Batch& batch, const torch::Tensor& probs,
                           const std::vector<ItemPrediction>& predictions, std::size_t first,
                           std::vector<ValidationPrediction>& rows);
    void waitWhilePaused();
    // The CUDA set-up of a run on a GPU: cuDNN benchmark mode, the precision check.
    void setUpDevice();
    // A host tensor on the run's device (asynchronously from pinned memory on CUDA).
    torch::Tensor toDevice(const torch::Tensor& host) const {
        return host.to(m_device, /*non_blocking=*/m_device.is_cuda());
    }
    // After an out-of-memory error in a step: frees the CUDA cache and halves
    // the step batch size, once; the second time ends the run.
    void outOfMemory(const std::exception& error);
    [[noreturn]] void nonFinite(double loss, int epoch, int batch, const char* where);

    void message(const std::string& text) {
        if (m_dir) m_dir->messageEvent(text);
        if (m_observer) m_observer->message(text);
    }
    void skipped(const std::vector<SkippedFile>& files) {
        if (files.empty()) return;
        m_summary.skippedFiles.insert(m_summary.skippedFiles.end(), files.begin(), files.end());
        if (m_dir) m_dir->skippedEvent(files);
        if (m_observer) m_observer->filesSkipped(files);
    }

    const TrainSettings& s;
    std::shared_ptr<const DataSource> m_train;
    std::shared_ptr<const DataSource> m_val;  // may be m_train (split)
    TrainObserver* m_observer;
    const std::atomic<bool>& m_stop;
    const std::atomic<bool>& m_paused;

    RunSummary m_summary;
    std::unique_ptr<RunDirectory> m_dir;
    ResolvedSettings m_resolved;
    torch::Device m_device{torch::kCPU};
    const ModelInfo* m_info = nullptr;
    std::vector<std::string> m_classes;
    std::vector<std::size_t> m_trainItems, m_valItems;
    Classifier m_model;
    FreezePlan m_plan;
    OptimizerSetup m_optimizer;
    std::unique_ptr<BatchLoader> m_trainLoader, m_valLoader;
    TransformSpec m_spec;        // the training transform
    bool m_useFeatures = false;  // the feature cache applies and fits the budget
    // Set when the head trains from cached features (prepareFeatures).
    std::shared_ptr<const FeatureSet> m_trainFeatures, m_valFeatures;
    std::map<std::string, std::string> m_resumeSettings;

    int m_startEpoch = 0;  // epochs already done (resume)
    int m_epochsCompleted = 0;
    double m_bestAccuracy = 0.0;
    int m_bestEpoch = 0;
    double m_lastAccuracy = 0.0;
    std::int64_t m_itersPerEpoch = 1;
    double m_trainSeconds = 0.0;  // this session, pauses excluded
    std::int64_t m_trainImagesSeen = 0;
    double m_pausedSeconds = 0.0;
    std::vector<ItemPrediction> m_predictions;
    bool m_ownsDir = false;  // summary.json may be written

    bool m_wantsValidation = false;          // asked once, at run start
    std::set<std::size_t> m_thumbnailsSent;  // validation items (m_val indices) with a thumbnail
    std::optional<Clock::time_point> m_lastTrainingSamples;

    bool m_bf16 = false;                 // CUDA autocast to bfloat16 (--precision bf16)
    std::int64_t m_stepBatch = 0;        // images per forward pass; halved after out-of-memory
    bool m_halvedForMemory = false;      // the one retry has been used
    long long m_step = 0;                // training steps of this session (FTS_INJECT_OOM)
    std::vector<long long> m_injectOom;  // test hook: steps that throw out-of-memory
};

void Run::validateSettings() {
    if (s.outDir.empty())
        throw Error("no run directory given: set --out to the folder the run should write to");
    if (s.epochs < 1)
        throw Error("--epochs must be 1 or more (it is " + std::to_string(s.epochs) + ")");
    if (s.batchSize < 1)
        throw Error("--batch-size must be 1 or more (it is " + std::to_string(s.batchSize) + ")");
    if (s.threads < 0) throw Error("--threads must be 0 (all cores) or more");
    if (s.cacheBudgetMb < 0) throw Error("--cache-budget-mb must be 0 (no caches) or more");
    if (s.imageSize < 0 || s.imageSize > 4096)
        throw Error("--image-size must be between 1 and 4096, or 0 for the model's size");
    m_info = findModel(s.model);
    if (!m_info) {
        std::string names;
        for (const auto& info : modelRegistry()) names += (names.empty() ? "" : ", ") + info.name;
        throw Error("--model: unknown model '" + s.model + "'; choose one of: " + names);
    }
    validateSchedule(s);
    parseAugment(s.augment);  // throws listing the choices
    if (s.optimizer != "sgd" && s.optimizer != "adam" && s.optimizer != "adamw")
        throw Error("--optimizer: unknown optimizer '" + s.optimizer + "'; use sgd, adam or adamw");
    if (s.precision != "fp32" && s.precision != "bf16")
        throw Error("--precision: unknown precision '" + s.precision + "'; use fp32 or bf16");
}

void Run::openData() {
    if (!m_train) {
        if (s.dataPath.empty())
            throw Error(
                "no training data given: set --data to an image folder, IDX file or CIFAR-10 "
                "folder");
        m_train = openDataSource(s.dataPath);
    }
    if (!m_val && !s.valPath.empty()) m_val = openDataSource(s.valPath);

    m_classes = m_train->classNames();
    if (m_classes.size() < 2)
        throw Error(m_train->description() +
                    ": needs at least two classes to train a classifier (found " +
                    std::to_string(m_classes.size()) + ")");
    if (m_val) {
        if (m_val->classNames() != m_classes) {
            const auto list = [](const std::vector<std::string>& names) {
                std::string text;
                for (const auto& n : names) text += (text.empty() ? "" : ", ") + n;
                return text;
            };
            throw Error("the validation data has other classes than the training data: " +
                        m_val->description() + " has [" + list(m_val->classNames()) + "] but " +
                        m_train->description() + " has [" + list(m_classes) +
                        "]; use the same class folders in both");
        }
        m_trainItems = allItems(*m_train);
        m_valItems = allItems(*m_val);
    } else {
        if (!(s.valSplit > 0.0 && s.valSplit < 1.0))
            throw Error("--val-split must be between 0 and 1 (it is " + formatNumber(s.valSplit) +
                        ") when no --val data is given");
        const Split split = stratifiedSplit(*m_train, s.valSplit, s.seed);
        m_trainItems = split.train;
        m_valItems = split.val;
        m_val = m_train;
    }
    if (m_trainItems.empty()) throw Error(m_train->description() + ": no training images left");
    if (m_valItems.empty())
        throw Error(m_val->description() +
                    ": no validation images; raise --val-split or give --val");

    skipped(m_train->scanProblems());
    if (m_val != m_train) skipped(m_val->scanProblems());

    m_summary.classes = m_classes;
    m_summary.trainImages = m_trainItems.size();
    m_summary.valImages = m_valItems.size();
    m_resolved.classes = m_classes;
    m_resolved.trainImages = m_trainItems.size();
    m_resolved.valImages = m_valItems.size();
    m_resolved.trainData = m_train->description();
    m_resolved.valData = m_val == m_train
                             ? m_train->description() + " (split " + formatNumber(s.valSplit) + ")"
                             : m_val->description();
}

void Run::buildModel() {
    torch::manual_seed(s.seed);  // the same initial weights for the same seed
    // A TorchScript backbone is its --weights file (read on resume too).
    m_model = createModelFor(s.model, s.weightsFile, static_cast<std::int64_t>(m_classes.size()),
                             m_resolved.imageSize);
    if (isTorchScriptModel(s.model))
        message("TorchScript backbone " + displayPath(fs::u8path(s.weightsFile)) + ": " +
                std::to_string(m_model->headInputs()) + " features; the head (" +
                m_model->headPath() + ") is new, for " + std::to_string(m_classes.size()) +
                " classes");
    else if (!s.resume && !s.weightsFile.empty())
        loadWeights();
    m_plan = FreezePlan::parse(s.freeze, *m_model);
    m_plan.apply(*m_model);
    m_model->to(m_device);
    if (prefersChannelsLast(m_device, s.precision)) convertToChannelsLast(*m_model);
    m_optimizer = makeOptimizer(s, *m_model);

    long long total = 0;
    for (const auto& p : m_model->parameters()) total += p.numel();
    m_resolved.freezeSpec = m_plan.spec();
    m_resolved.trainableParameters = m_plan.trainableParameters(*m_model);
    m_resolved.totalParameters = total;
    message("trainable parameters: " + std::to_string(m_resolved.trainableParameters) + " of " +
            std::to_string(total) + " (freeze: " + m_plan.spec() + ")");
}

void Run::loadWeights() {
    const std::string file = displayPath(fs::path(s.weightsFile));
    WeightFile weights = loadWeightFile(s.weightsFile);
    const std::string head = m_model->headPath();
    const auto numClasses = static_cast<std::int64_t>(m_classes.size());

    // The head is kept only when the file's head has this data's class count.
    const PretrainedLoad loaded = loadPretrained(*m_model, weights.tensors);
    const LoadReport& report = loaded.report;
    const bool headFits = loaded.headFromFile;
    if (!loaded.missingBackbone.empty() || !loaded.mismatchedBackbone.empty() ||
        report.loaded == 0)
        throw Error(file + ": does not hold " + s.model + " weights that fit: " +
                    (report.loaded == 0 ? std::string("no weight name matches the model. ")
                                        : std::string()) +
                    report.describe() + " Pick the file made for " + s.model +
                    " or another --model.");

    std::string text = "loaded " + std::to_string(report.loaded) + " weights from " + file;
    if (headFits)
        text +=
            " (including the head, which already has " + std::to_string(numClasses) + " classes)";
    else
        text += "; the head (" + head + ") is new, for " + std::to_string(numClasses) + " classes";
    if (!report.strippedPrefix.empty())
        text += "; names had the prefix '" + report.strippedPrefix + "'";
    message(text);
    if (!report.unexpected.empty())
        message(file + ": " + std::to_string(report.unexpected.size()) +
                " entries were not used (not part of " + s.model + ")");
}

void Run::resumeFromCheckpoint() {
    const fs::path dir = m_dir->checkpointDir();
    const CheckpointState saved = readCheckpointState(dir);
    const auto differences = settingsDifferences(saved.settings, m_resumeSettings);
    if (!differences.empty()) {
        std::string text;
        for (const auto& d : differences) text += (text.empty() ? "" : "; ") + d;
        throw Error(displayPath(m_dir->path()) +
                    ": cannot resume, the settings differ from the run's: " + text +
                    ". Resume with the original settings or start a new run in another folder.");
    }
    m_dir->openEvents(/*truncate=*/false);
    m_ownsDir = true;
    const CheckpointState state = loadCheckpoint(dir, *m_model, m_optimizer.optimizer.get());
    m_startEpoch = state.epoch;
    m_epochsCompleted = state.epoch;
    m_bestAccuracy = state.bestAccuracy;
    m_bestEpoch = state.bestEpoch;
    m_lastAccuracy = state.lastAccuracy;
    message("resuming after epoch " + std::to_string(state.epoch) + " of " +
            std::to_string(s.epochs) + " (best validation accuracy so far " +
            formatNumber(state.bestAccuracy) + ")");
}

void Run::waitWhilePaused() {
    if (!m_paused.load()) return;
    const auto start = Clock::now();
    while (m_paused.load() && !m_stop.load())
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    m_pausedSeconds += secondsSince(start);
}

void Run::setUpDevice() {
    int computeMajor = 0;
    if (m_device.is_cuda())
        for (const ComputeDevice& d : availableDevices())
            if (d.id == m_device.str()) computeMajor = d.computeMajor;
    const std::string problem =
        precisionProblem(s.precision, m_device.str(), computeMajor, cudaCompiledIn());
    if (!problem.empty()) throw Error(problem);
    m_bf16 = s.precision == "bf16";
    m_stepBatch = s.batchSize;
    m_injectOom = injectedOutOfMemorySteps();
    // cuDNN times its convolution algorithms once per input shape and keeps
    // the fastest: the shapes of a run are fixed (the last batch aside).
    if (m_device.is_cuda()) at::globalContext().setBenchmarkCuDNN(true);
}

void Run::outOfMemory(const std::exception& error) {
    const std::string what = m_device.is_cuda() ? "GPU memory" : "memory";
    // What the failed step held is gone with its tensors; hand the cached
    // blocks back so that the smaller steps start from a clean pool.
    m_optimizer.optimizer->zero_grad();
    releaseCudaCache();
    if (m_halvedForMemory || m_stepBatch <= 1) {
        std::string text = "out of " + what + " at batch size " + std::to_string(m_stepBatch) +
                           "; lower the batch size or image size. ";
        if (m_epochsCompleted > 0)
            text += "The checkpoint of epoch " + std::to_string(m_epochsCompleted) + " is kept.";
        else
            text += "No checkpoint was written.";
        throw Error(text);
    }
    const std::int64_t before = m_stepBatch;
    m_stepBatch = std::max<std::int64_t>(1, m_stepBatch / 2);
    m_halvedForMemory = true;
    m_resolved.stepBatchSize = static_cast<int>(m_stepBatch);
    m_dir->writeConfig(s, m_resolved);
    message("out of " + what + " at batch size " + std::to_string(before) +
            ": freed the cached memory and retrying with batch size " +
            std::to_string(m_stepBatch) + " for the rest of the run (" +
            errorText(error).substr(0, errorText(error).find('\n')) + ")");
}

void Run::nonFinite(double loss, int epoch, int batch, const char* where) {
    std::string text = std::string("the loss became ") + (std::isnan(loss) ? "NaN" : "infinite") +
                       " at epoch " + std::to_string(epoch);
    if (batch > 0) text += ", batch " + std::to_string(batch);
    text += where;
    text += "; lower the learning rate (now " + formatNumber(currentLr(*m_optimizer.optimizer)) +
            ") or check the data. ";
    if (m_epochsCompleted > 0)
        text += "The checkpoint of epoch " + std::to_string(m_epochsCompleted) + " is kept.";
    else
        text += "No checkpoint was written.";
    throw Error(text);
}

void Run::setUpLoaders() {
    m_spec.cropSize = m_resolved.imageSize;
    m_spec.norm.mean = m_info->mean;
    m_spec.norm.std = m_info->std;
    m_spec.augment = parseAugment(s.augment);

    // The cache budget: the frozen backbone's features first (a few KB per
    // image, and they spare the backbone's whole forward pass), decoded
    // images with the rest. With cached features every image is read once,
    // so the loaders keep none.
    const std::size_t budget = std::size_t(s.cacheBudgetMb) << 20;
    const auto mb = [](std::size_t bytes) {
        return formatNumber(std::round(double(bytes) / (1 << 20) * 10) / 10);
    };
    m_plan.setTrainMode(*m_model);  // the state the features would be computed in
    const FeatureCacheCheck check = checkFeatureCache(*m_model, m_plan, m_spec.augment);
    m_useFeatures = false;
    if (budget == 0) {
        message("caches are off (--cache-budget-mb 0): every epoch decodes every image" +
                std::string(check.applies ? " and runs the frozen backbone again" : ""));
    } else if (check.applies) {
        const std::size_t need =
            FeatureCache::bytesFor(m_trainItems.size() + m_valItems.size(), m_model->headInputs());
        if (need <= budget)
            m_useFeatures = true;
        else
            message("the feature cache is off: the features of " +
                    std::to_string(m_trainItems.size() + m_valItems.size()) + " images need " +
                    mb(need) + " MB, more than the cache budget of " +
                    std::to_string(s.cacheBudgetMb) +
                    " MB (raise --cache-budget-mb); the frozen backbone runs on every batch");
    } else if (m_plan.spec() != "none") {
        message(check.reason);  // something is frozen: say why it is not cached
    }

    std::size_t trainImageBytes = 0, valImageBytes = 0;
    if (!m_useFeatures && budget > 0) {
        // Shared in proportion to the images each side holds.
        const double total = double(m_trainItems.size() + m_valItems.size());
        trainImageBytes = std::size_t(double(budget) * double(m_trainItems.size()) / total);
        valImageBytes = budget - trainImageBytes;
    }
    LoaderOptions trainOptions;
    trainOptions.batchSize = s.batchSize;
    trainOptions.shuffle = true;
    trainOptions.seed = s.seed;
    trainOptions.workers = m_resolved.loaderWorkers;
    trainOptions.train = true;
    trainOptions.cacheBytes = trainImageBytes;
    trainOptions.presize = true;  // with or without room in the cache: the same images
    trainOptions.channelsLast = usesChannelsLast(*m_model);
    trainOptions.lowPriorityWorkers = true;
    trainOptions.pinMemory = m_device.is_cuda();
    m_trainLoader = std::make_unique<BatchLoader>(*m_train, m_trainItems, m_spec, trainOptions);
    TransformSpec valSpec = m_spec;
    valSpec.augment = Augment::None;
    LoaderOptions valOptions = trainOptions;
    valOptions.shuffle = false;
    valOptions.train = false;
    valOptions.cacheBytes = valImageBytes;
    m_valLoader = std::make_unique<BatchLoader>(*m_val, m_valItems, valSpec, valOptions);
}

void Run::reportImageCache() {
    if (s.cacheBudgetMb <= 0) return;
    const ImageCacheStats train = m_trainLoader->cacheStats();
    const ImageCacheStats val = m_valLoader->cacheStats();
    std::ostringstream text;
    text << std::fixed << std::setprecision(1);
    text << "image cache: " << train.items + val.items << " decoded images kept at "
         << m_resolved.imageSize << " px training resolution ("
         << double(train.bytes + val.bytes) / (1 << 20) << " MB of the " << s.cacheBudgetMb
         << " MB budget)";
    if (train.overBudget + val.overBudget > 0)
        text << "; " << train.overBudget + val.overBudget
             << " did not fit and are decoded every epoch (raise --cache-budget-mb to keep them)";
    message(text.str());
}

bool Run::prepareFeatures() {
    const auto start = Clock::now();
    TransformSpec featureSpec = m_spec;  // augmentation none: the evaluation transform
    featureSpec.augment = Augment::None;
    const std::string device = m_device.str();
    const std::function<bool()> stopped = [this] { return m_stop.load(); };
    const auto obtain = [&](const DataSource& source, const std::vector<std::size_t>& items,
                            BatchLoader& loader, bool& reused) {
        const std::uint64_t key =
            FeatureCache::key(*m_model, s.model, m_plan.spec(), featureSpec, device, source, items);
        std::shared_ptr<const FeatureSet> set = FeatureCache::find(key);
        reused = set != nullptr;
        if (!set) {
            set = FeatureCache::compute(*m_model, loader, m_device, stopped);
            if (set) FeatureCache::remember(key, set);
        }
        if (set) skipped(set->skipped);
        return set;
    };
    bool trainReused = false, valReused = false;
    {
        // The training items through the evaluation transform, in their given order.
        LoaderOptions options;
        options.batchSize = s.batchSize;
        options.shuffle = false;
        options.workers = m_resolved.loaderWorkers;
        options.train = false;
        options.channelsLast = usesChannelsLast(*m_model);
        options.lowPriorityWorkers = true;
        BatchLoader loader(*m_train, m_trainItems, featureSpec, options);
        m_trainFeatures = obtain(*m_train, m_trainItems, loader, trainReused);
    }
    if (!m_trainFeatures) return false;
    m_valFeatures = obtain(*m_val, m_valItems, *m_valLoader, valReused);
    if (!m_valFeatures) return false;
    const std::size_t count = m_trainFeatures->items.size() + m_valFeatures->items.size();
    const std::size_t bytes = FeatureCache::bytesFor(count, m_model->headInputs());
    std::ostringstream text;
    text << std::fixed << std::setprecision(1);
    text << "feature cache: the frozen backbone's features of " << count << " images ("
         << double(bytes) / (1 << 20) << " MB of the " << s.cacheBudgetMb << " MB budget) "
         << (trainReused && valReused
                 ? "reused from an earlier run with the same model, "
                   "weights, freeze plan, image size and data"
                 : "computed once in " + formatNumber(std::round(secondsSince(start) * 10) / 10) +
                       " s")
         << "; only the head trains";
    message(text.str());
    return true;
}

bool Run::nextCachedBatch(const FeatureSet& set, const std::vector<std::size_t>& order,
                          std::size_t& position, Batch& batch) {
    if (position >= order.size()) return false;
    const std::size_t end = std::min(order.size(), position + std::size_t(s.batchSize));
    batch.items.assign(order.begin() + std::ptrdiff_t(position),
                       order.begin() + std::ptrdiff_t(end));
    position = end;
    set.gather(batch.items, m_device, batch.images, batch.labels);
    return true;
}

std::optional<RgbImage> Run::thumbnailOf(const DataSource& source, std::size_t item) {
    try {
        return makeThumbnail(evalCrop(source.load(item), m_resolved.imageSize), kThumbnailSide);
    } catch (const std::exception&) {
        return std::nullopt;  // the file vanished since; the view shows fewer
    }
}

bool Run::trainEpoch(int epoch, EpochMetrics& metrics) {
    const int epochNumber = epoch + 1;
    m_plan.setTrainMode(*m_model);
    // With cached features the epoch visits the items in the order the
    // loader would (epochOrder of the same seed), in batches of the same size.
    std::vector<std::size_t> cachedOrder;
    std::size_t cachedPosition = 0;
    int batches = 0;
    if (m_trainFeatures) {
        for (const std::size_t item : epochOrder(m_trainItems, s.seed, epoch))
            if (m_trainFeatures->contains(item)) cachedOrder.push_back(item);
        batches = static_cast<int>((cachedOrder.size() + std::size_t(s.batchSize) - 1) /
                                   std::size_t(s.batchSize));
    } else {
        m_trainLoader->startEpoch(epoch);
        batches = static_cast<int>(m_trainLoader->batchesPerEpoch());
    }
    const auto start = Clock::now();
    const double pausedBefore = m_pausedSeconds;
    double lossSum = 0.0;
    std::int64_t correct = 0, seen = 0;
    int batchIndex = 0;
    Batch batch;
    for (;;) {
        waitWhilePaused();
        if (m_stop.load()) return false;
        if (m_trainFeatures) {
            if (!nextCachedBatch(*m_trainFeatures, cachedOrder, cachedPosition, batch)) break;
        } else {
            if (!m_trainLoader->next(batch)) break;
            skipped(m_trainLoader->takeSkipped());
        }
        if (batch.labels.numel() == 0) continue;
        const std::int64_t iteration = std::int64_t(epoch) * m_itersPerEpoch + batchIndex;
        ++batchIndex;
        applyLrFactor(m_optimizer, lrFactor(iteration, m_itersPerEpoch, s));

        // One optimizer step per batch; after an out-of-memory halving
        // (outOfMemory) one per slice of m_stepBatch images, in the loader's order.
        const std::int64_t n = batch.labels.size(0);
        double batchLossSum = 0.0;
        torch::Tensor firstLogits;
        for (std::int64_t begin = 0; begin < n;) {
            const std::int64_t count = std::min(m_stepBatch, n - begin);
            try {
                // Features are [n, F]: inputFor leaves them as they are.
                const auto inputs =
                    inputFor(*m_model, toDevice(batch.images.narrow(0, begin, count)));
                const auto labels = toDevice(batch.labels.narrow(0, begin, count));
                m_optimizer.optimizer->zero_grad();
                torch::Tensor logits, loss;
                {
                    compat::CudaAutocastGuard autocast(m_bf16, torch::kBFloat16);
                    logits = m_trainFeatures ? m_model->forwardHead(inputs)
                                             : m_model->forward(inputs);
                    loss = torch::nn::functional::cross_entropy(logits, labels);
                }
                ++m_step;
                if (std::find(m_injectOom.begin(), m_injectOom.end(), m_step) != m_injectOom.end())
                    compat::throwOutOfMemory("CUDA out of memory (injected by FTS_INJECT_OOM at "
                                             "step " + std::to_string(m_step) + ")");
                const double lossValue = loss.item<double>();
                if (!std::isfinite(lossValue)) nonFinite(lossValue, epochNumber, batchIndex, "");
                loss.backward();
                m_optimizer.optimizer->step();
                batchLossSum += lossValue * double(count);
                correct += logits.detach().argmax(1).eq(labels).sum().item<std::int64_t>();
                if (!firstLogits.defined()) firstLogits = logits;
                begin += count;
            } catch (const std::exception& e) {
                if (!isOutOfMemory(e)) throw;
                outOfMemory(e);  // halves m_stepBatch, or throws
            }
        }
        const double lossValue = batchLossSum / double(n);
        lossSum += batchLossSum;
        seen += n;
        if (m_observer) reportTrainingSamples(epochNumber, batchIndex, batch, firstLogits);

        const double elapsed = secondsSince(start) - (m_pausedSeconds - pausedBefore);
        BatchProgress progress;
        progress.epoch = epochNumber;
        progress.epochs = s.epochs;
        progress.batch = batchIndex;
        progress.batches = batches;
        progress.loss = lossValue;
        progress.learningRate = currentLr(*m_optimizer.optimizer);
        progress.imagesPerSecond = elapsed > 0 ? double(seen) / elapsed : 0.0;
        const double perBatch = elapsed / batchIndex;
        const double batchesLeft =
            double(std::max(0, batches - batchIndex)) + double(s.epochs - epochNumber) * batches;
        progress.secondsLeft = perBatch * batchesLeft;
        if (m_dir) m_dir->batchEvent(progress);
        if (m_observer) m_observer->batchFinished(progress);
    }
    // A batch whose images all failed is never delivered: report them here.
    if (!m_trainFeatures) skipped(m_trainLoader->takeSkipped());
    if (seen == 0)
        throw Error("none of the " + std::to_string(m_trainItems.size()) +
                    " training images could be read" +
                    (m_summary.skippedFiles.empty()
                         ? std::string()
                         : " (" + m_summary.skippedFiles.front().reason + ")") +
                    "; check the data");
    const double elapsed = secondsSince(start) - (m_pausedSeconds - pausedBefore);
    m_trainSeconds += elapsed;
    m_trainImagesSeen += seen;
    metrics.trainLoss = seen ? lossSum / double(seen) : 0.0;
    metrics.trainAccuracy = seen ? double(correct) / double(seen) : 0.0;
    metrics.imagesPerSecond = elapsed > 0 ? double(seen) / elapsed : 0.0;
    metrics.learningRate = currentLr(*m_optimizer.optimizer);
    return true;
}

bool Run::evaluate(int epoch, EpochMetrics& metrics) {
    const int epochNumber = epoch + 1;
    torch::NoGradGuard noGrad;
    m_model->eval();
    ConfusionMatrix matrix(static_cast<int>(m_classes.size()));
    std::vector<ItemPrediction> predictions;
    std::vector<std::size_t> sourceIndex;  // per prediction: the item in m_val
    predictions.reserve(m_valItems.size());
    double lossSum = 0.0;
    std::vector<ValidationPrediction> rows;
    if (m_wantsValidation) rows.reserve(m_valItems.size());
    std::size_t cachedPosition = 0;
    if (!m_valFeatures) m_valLoader->startEpoch(0);
    Batch batch;
    for (;;) {
        waitWhilePaused();
        if (m_stop.load()) return false;
        if (m_valFeatures) {
            if (!nextCachedBatch(*m_valFeatures, m_valFeatures->items, cachedPosition, batch))
                break;
        } else {
            if (!m_valLoader->next(batch)) break;
            skipped(m_valLoader->takeSkipped());
        }
        if (batch.labels.numel() == 0) continue;
        const auto inputs = inputFor(*m_model, toDevice(batch.images));
        torch::Tensor logits;
        {
            compat::CudaAutocastGuard autocast(m_bf16, torch::kBFloat16);
            // After an out-of-memory halving, in slices of the training step's size.
            std::vector<torch::Tensor> parts;
            for (std::int64_t begin = 0; begin < inputs.size(0); begin += m_stepBatch) {
                const auto part =
                    inputs.narrow(0, begin, std::min(m_stepBatch, inputs.size(0) - begin));
                parts.push_back(
                    (m_valFeatures ? m_model->forwardHead(part) : m_model->forward(part))
                        .to(torch::kCPU)
                        .to(torch::kFloat));
            }
            logits = parts.size() == 1 ? parts.front() : torch::cat(parts);
        }
        const auto labels = batch.labels.to(torch::kCPU);
        const auto losses = torch::nn::functional::cross_entropy(
            logits, labels,
            torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
        const auto probs = torch::softmax(logits, /*dim=*/1);
        const auto best = probs.max(/*dim=*/1);
        const auto confidence = std::get<0>(best).contiguous();
        const auto predicted = std::get<1>(best).contiguous();
        const auto n = labels.size(0);
        const std::size_t first = predictions.size();
        for (std::int64_t i = 0; i < n; ++i) {
            ItemPrediction p;
            p.item = m_val->itemName(batch.items[std::size_t(i)]);
            p.trueLabel = static_cast<int>(labels[i].item<std::int64_t>());
            p.predicted = static_cast<int>(predicted[i].item<std::int64_t>());
            p.confidence = confidence[i].item<double>();
            p.loss = losses[i].item<double>();
            if (!std::isfinite(p.loss)) nonFinite(p.loss, epochNumber, 0, " in validation");
            lossSum += p.loss;
            matrix.add(p.trueLabel, p.predicted);
            predictions.push_back(std::move(p));
            sourceIndex.push_back(batch.items[std::size_t(i)]);
        }
        if (m_wantsValidation) addValidationRows(batch, probs, predictions, first, rows);
    }
    metrics.valLoss = predictions.empty() ? 0.0 : lossSum / double(predictions.size());
    metrics.valAccuracy = matrix.accuracy();
    const auto perClass = matrix.perClass();
    metrics.perClass.clear();
    for (std::size_t c = 0; c < perClass.size(); ++c)
        metrics.perClass.push_back({m_classes[c], perClass[c].precision, perClass[c].recall,
                                    perClass[c].f1, perClass[c].support});

    m_dir->writePredictions(predictions, m_classes);
    m_dir->writeConfusion(matrix, m_classes);
    if (m_wantsValidation) m_observer->validationPredicted(epochNumber, rows);

    // A few thumbnails for the gallery: half wrong (when there are), the rest right,
    // spread over the validation set.
    if (s.samplePredictions > 0) {
        std::vector<std::size_t> right, wrong;
        for (std::size_t i = 0; i < predictions.size(); ++i)
            (predictions[i].predicted == predictions[i].trueLabel ? right : wrong).push_back(i);
        const std::size_t want =
            std::min<std::size_t>(std::size_t(s.samplePredictions), predictions.size());
        std::size_t takeWrong = std::min(wrong.size(), want / 2);
        std::size_t takeRight = std::min(right.size(), want - takeWrong);
        takeWrong = std::min(wrong.size(), want - takeRight);
        std::vector<std::size_t> chosen;
        const auto spread = [&](const std::vector<std::size_t>& from, std::size_t count) {
            for (std::size_t k = 0; k < count; ++k) chosen.push_back(from[k * from.size() / count]);
        };
        spread(wrong, takeWrong);
        spread(right, takeRight);
        std::sort(chosen.begin(), chosen.end());
        std::vector<SamplePrediction> samples;
        for (std::size_t index : chosen) {
            const auto& p = predictions[index];
            SamplePrediction sample;
            sample.item = p.item;
            sample.trueLabel = p.trueLabel;
            sample.predicted = p.predicted;
            sample.confidence = p.confidence;
            try {
                sample.thumbnail = makeThumbnail(m_val->load(sourceIndex[index]), /*maxSide=*/96);
            } catch (const std::exception&) {
                continue;  // the file vanished since; the gallery simply shows fewer
            }
            samples.push_back(std::move(sample));
        }
        if (m_observer && !samples.empty()) m_observer->samplesPredicted(epochNumber, samples);
    }
    m_predictions = std::move(predictions);
    return true;
}

void Run::reportTrainingSamples(int epochNumber, int batchIndex, const Batch& batch,
                                const torch::Tensor& logits) {
    const auto now = Clock::now();
    if (m_lastTrainingSamples &&
        std::chrono::duration<double>(now - *m_lastTrainingSamples).count() <
            kTrainingSampleInterval)
        return;
    m_lastTrainingSamples = now;
    // The step's own logits: no extra forward pass.
    const std::int64_t count = std::min<std::int64_t>(kTrainingSamples, logits.size(0));
    const auto probs =
        torch::softmax(logits.detach().narrow(0, 0, count).to(torch::kCPU).to(torch::kFloat), 1);
    const auto best = probs.max(/*dim=*/1);
    const auto confidence = std::get<0>(best).contiguous();
    const auto predicted = std::get<1>(best).contiguous();
    const auto labels = batch.labels.to(torch::kCPU);
    const auto images = batch.images.to(torch::kCPU);  // features when they are cached
    std::vector<SamplePrediction> samples;
    for (std::int64_t i = 0; i < count; ++i) {
        SamplePrediction sample;
        sample.item = m_train->itemName(batch.items[std::size_t(i)]);
        sample.trueLabel = static_cast<int>(labels[i].item<std::int64_t>());
        sample.predicted = static_cast<int>(predicted[i].item<std::int64_t>());
        sample.confidence = confidence[i].item<double>();
        if (m_trainFeatures) {
            auto thumbnail = thumbnailOf(*m_train, batch.items[std::size_t(i)]);
            if (!thumbnail) continue;
            sample.thumbnail = std::move(*thumbnail);
        } else {
            sample.thumbnail = makeThumbnail(denormalize(images[i], *m_info), kThumbnailSide);
        }
        samples.push_back(std::move(sample));
    }
    m_observer->trainingSamples(epochNumber, batchIndex, samples);
}

void Run::addValidationRows(const Batch& batch, const torch::Tensor& probs,
                            const std::vector<ItemPrediction>& predictions, std::size_t first,
                            std::vector<ValidationPrediction>& rows) {
    const std::int64_t k = std::min<std::int64_t>(5, probs.size(1));
    const auto top = probs.topk(k, /*dim=*/1, /*largest=*/true, /*sorted=*/true);
    const auto topProbs = std::get<0>(top).contiguous();
    const auto topIndices = std::get<1>(top).to(torch::kLong).contiguous();
    const auto images = batch.images.to(torch::kCPU);  // features when they are cached
    for (std::size_t i = 0; first + i < predictions.size(); ++i) {
        const ItemPrediction& p = predictions[first + i];
        ValidationPrediction row;
        row.item = p.item;
        row.trueLabel = p.trueLabel;
        row.predicted = p.predicted;
        row.confidence = p.confidence;
        row.loss = p.loss;
        const float* probRow = topProbs.data_ptr<float>() + std::int64_t(i) * k;
        const std::int64_t* indexRow = topIndices.data_ptr<std::int64_t>() + std::int64_t(i) * k;
        row.topProbabilities.assign(probRow, probRow + k);
        for (std::int64_t j = 0; j < k; ++j)
            row.topIndices.push_back(static_cast<int>(indexRow[j]));
        // A thumbnail cannot change within a run (the evaluation transform is
        // fixed): only the first report of an item carries it.
        if (m_thumbnailsSent.insert(batch.items[i]).second) {
            if (!m_valFeatures)
                row.thumbnail =
                    makeThumbnail(denormalize(images[std::int64_t(i)], *m_info), kThumbnailSide);
            else if (auto thumbnail = thumbnailOf(*m_val, batch.items[i]))
                row.thumbnail = std::move(*thumbnail);
        }
        rows.push_back(std::move(row));
    }
}

RunSummary Run::execute() {
    const auto wallStart = Clock::now();
    try {
        validateSettings();
        auto dir = std::make_unique<RunDirectory>(fs::path(s.outDir));
        if (!s.resume && hasCheckpoint(dir->checkpointDir()))
            throw Error(displayPath(fs::path(s.outDir)) +
                        ": already holds a training run (checkpoint/latest.json); continue it with "
                        "--resume or choose an empty folder");
        if (s.resume && !hasCheckpoint(dir->checkpointDir()))
            throw Error(displayPath(dir->checkpointDir() / "latest.json") +
                        ": no checkpoint to resume from; start a new run instead");
        m_dir = std::move(dir);
        // A new run owns the folder from here on. A resumed one only once its
        // settings are accepted, so a refused resume leaves the run's files alone.
        if (!s.resume) {
            m_dir->openEvents(/*truncate=*/true);
            m_ownsDir = true;
        }
        m_device = resolveDevice(s.device);
        setUpDevice();

        const int threads = trainingThreads(s.threads);
        at::set_num_threads(threads);
        m_resolved.threads = threads;
        m_resolved.loaderWorkers =
            s.loaderWorkers > 0 ? s.loaderWorkers : std::clamp(threads / 2, 1, 4);
        m_resolved.device = m_device.str();
        m_resolved.imageSize = s.imageSize > 0 ? s.imageSize : m_info->inputSize;
        m_resolved.stepSize = effectiveStepSize(s);
        if (!s.weightsFile.empty()) {
            std::error_code ec;
            if (fs::is_regular_file(fs::path(s.weightsFile), ec))
                m_resolved.weightsSha256 = sha256OfFile(s.weightsFile);
            else if (!s.resume)
                throw Error(displayPath(fs::path(s.weightsFile)) + ": no such file (--weights)");
        }

        openData();
        buildModel();
        m_resumeSettings = resumeSettings(s, m_resolved.imageSize, m_classes, m_trainItems.size(),
                                          m_valItems.size());
        if (s.resume) resumeFromCheckpoint();
        m_dir->writeConfig(s, m_resolved);
        if (m_observer) m_observer->runStarted(m_classes, m_trainItems.size(), m_valItems.size());
        m_wantsValidation = m_observer && m_observer->wantsValidationPredictions();

        setUpLoaders();
        m_itersPerEpoch = std::max<std::int64_t>(1, std::int64_t(m_trainLoader->batchesPerEpoch()));
        if (m_useFeatures && !prepareFeatures()) throw Cancelled{};

        m_summary.status = "completed";
        if (m_startEpoch >= s.epochs)
            message("the run had already finished all " + std::to_string(s.epochs) + " epochs");
        for (int epoch = m_startEpoch; epoch < s.epochs; ++epoch) {
            if (m_stop.load()) throw Cancelled{};
            // Re-seeded per epoch so that a resumed run draws what an uninterrupted one would.
            torch::manual_seed(mixSeed(s.seed, std::uint64_t(epoch)));
            const auto epochStart = Clock::now();
            const double pausedBefore = m_pausedSeconds;
            EpochMetrics metrics;
            metrics.epoch = epoch + 1;
            metrics.epochs = s.epochs;
            if (!trainEpoch(epoch, metrics) || !evaluate(epoch, metrics)) throw Cancelled{};
            if (epoch == m_startEpoch && !m_useFeatures) reportImageCache();
            metrics.seconds = secondsSince(epochStart) - (m_pausedSeconds - pausedBefore);

            m_lastAccuracy = metrics.valAccuracy;
            m_summary.perClass = metrics.perClass;
            if (m_bestEpoch == 0 || metrics.valAccuracy > m_bestAccuracy) {
                m_bestAccuracy = metrics.valAccuracy;
                m_bestEpoch = epoch + 1;
                metrics.best = true;
                writeSafetensors(m_dir->bestWeightsPath(), stateDictOf(*m_model),
                                 {{"epoch", std::to_string(epoch + 1)},
                                  {"val_accuracy", formatNumber(metrics.valAccuracy)},
                                  {"model", s.model}});
            }
            // The epoch's event goes out before the checkpoint commits it: a
            // kill between the two repeats the epoch on resume (an identical
            // second line; readers keep the last), never loses its line.
            m_dir->epochEvent(metrics);
            CheckpointState state;
            state.epoch = epoch + 1;
            state.bestAccuracy = m_bestAccuracy;
            state.bestEpoch = m_bestEpoch;
            state.lastAccuracy = m_lastAccuracy;
            state.seed = s.seed;
            state.settings = m_resumeSettings;
            writeCheckpoint(m_dir->checkpointDir(), *m_model, *m_optimizer.optimizer, state);
            m_epochsCompleted = epoch + 1;

            if (m_observer) m_observer->epochFinished(metrics);
        }
    } catch (const Cancelled&) {
        m_summary.status = "cancelled";
        m_summary.error.clear();
    } catch (const std::exception& e) {
        m_summary.status = "failed";
        m_summary.error = errorText(e);
    }

    m_summary.epochsCompleted = m_epochsCompleted;
    m_summary.bestValAccuracy = m_bestEpoch > 0 ? m_bestAccuracy : 0.0;
    m_summary.finalValAccuracy = m_epochsCompleted > 0 ? m_lastAccuracy : 0.0;
    m_summary.imagesPerSecond =
        m_trainSeconds > 0 ? double(m_trainImagesSeen) / m_trainSeconds : 0.0;
    m_summary.wallSeconds = secondsSince(wallStart);
    if (m_dir && m_ownsDir) {
        try {
            m_dir->writeSummary(m_summary);
            m_dir->finishedEvent(m_summary);
        } catch (const std::exception& e) {
            if (m_summary.error.empty()) m_summary.error = errorText(e);
            m_summary.status = "failed";
        }
    }
    // The loaders' workers are joined before the observer hears the end.
    m_trainLoader.reset();
    m_valLoader.reset();
    if (m_observer) m_observer->finished(m_summary);
    return m_summary;
}

}  // namespace

Trainer::Trainer(TrainSettings settings) : m_settings(std::move(settings)) {}

void Trainer::setDataSources(std::shared_ptr<const DataSource> train,
                             std::shared_ptr<const DataSource> val) {
    m_trainSource = std::move(train);
    m_valSource = std::move(val);
}

RunSummary Trainer::run(TrainObserver* observer) {
    installCachingCpuAllocator();
    // Cached blocks go back to the system once the run's tensors are gone.
    struct Release {
        ~Release() { releaseCachedCpuMemory(); }
    } release;
    try {
        Run run(m_settings, m_trainSource, m_valSource, observer, m_stop, m_paused);
        return run.execute();
    } catch (const std::exception& e) {  // e.g. out of memory before the run could start
        RunSummary summary;
        summary.status = "failed";
        summary.error = errorText(e);
        if (observer) observer->finished(summary);
        return summary;
    }
}

}  // namespace fts
