// The feature cache: when it applies, that training the head from cached
// features gives the weights training through the frozen backbone gives, that
// its key follows every input of the features, reuse across runs, and that it
// says plainly when it is off.
#include "train/featurecache.h"

#include "data/datasource.h"
#include "data/loader.h"
#include "models/registry.h"
#include "train/freezeplan.h"
#include "train/trainer.h"
#include "weights/safetensors.h"

#include <torch/types.h>

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <fstream>
#include <random>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::vector<std::string> kClasses{"left", "middle", "right"};

// 3 classes x perClass images: a bright vertical band whose position is the
// class, on noise (as tst_trainer's data).
std::vector<fts::RgbImage> bandImages(int perClass, int side, std::vector<int>& labels,
                                      unsigned seed = 5) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> noise(0, 80);
    std::vector<fts::RgbImage> images;
    for (int c = 0; c < 3; ++c) {
        for (int k = 0; k < perClass; ++k) {
            fts::RgbImage image;
            image.width = image.height = side;
            image.pixels.resize(std::size_t(side * side * 3));
            for (int y = 0; y < side; ++y)
                for (int x = 0; x < side; ++x) {
                    const bool band = x * 3 / side == c;
                    for (int ch = 0; ch < 3; ++ch)
                        image.pixels[std::size_t((y * side + x) * 3 + ch)] =
                            std::uint8_t(noise(rng) + (band ? 170 : 0));
                }
            images.push_back(std::move(image));
            labels.push_back(c);
        }
    }
    return images;
}

std::shared_ptr<const fts::DataSource> makeData(int perClass = 12, int side = 32) {
    std::vector<int> labels;
    auto images = bandImages(perClass, side, labels);
    return fts::makeMemorySource(kClasses, std::move(images), std::move(labels), "bands");
}

fts::TrainSettings headSettings(const fs::path& out) {
    fts::TrainSettings s;
    s.model = "demo_cnn";
    s.freeze = "backbone";
    s.augment = "none";
    s.epochs = 3;
    s.batchSize = 8;
    s.lr = 0.01;
    s.optimizer = "adamw";
    s.scheduler = "cosine";
    s.warmupEpochs = 1;
    s.valSplit = 0.25;
    s.threads = 1;
    s.loaderWorkers = 2;
    s.samplePredictions = 4;
    s.outDir = out.string();
    return s;
}

struct Recorder : fts::TrainObserver {
    fts::Trainer* trainer = nullptr;
    bool stopAfterFirstBatch = false;
    std::vector<std::string> messages;
    std::vector<fts::EpochMetrics> epochs;
    std::vector<fts::SamplePrediction> training;
    std::vector<fts::ValidationPrediction> validation;
    bool wantsValidation = false;

    void message(const std::string& text) override { messages.push_back(text); }
    void epochFinished(const fts::EpochMetrics& m) override { epochs.push_back(m); }
    void batchFinished(const fts::BatchProgress&) override {
        if (stopAfterFirstBatch && trainer) trainer->requestStop();
    }
    bool wantsValidationPredictions() const override { return wantsValidation; }
    void validationPredicted(int, const std::vector<fts::ValidationPrediction>& rows) override {
        validation.insert(validation.end(), rows.begin(), rows.end());
    }
    void trainingSamples(int, int, const std::vector<fts::SamplePrediction>& s) override {
        training.insert(training.end(), s.begin(), s.end());
    }
    int count(const std::string& part) const {
        int n = 0;
        for (const auto& m : messages) n += m.find(part) != std::string::npos;
        return n;
    }
    std::string all() const {
        std::string text;
        for (const auto& m : messages) text += m + "\n";
        return text;
    }
};

fts::RunSummary runWith(const fts::TrainSettings& s, Recorder& recorder,
                        std::shared_ptr<const fts::DataSource> data = makeData()) {
    fts::Trainer trainer(s);
    trainer.setDataSources(std::move(data));
    recorder.trainer = &trainer;
    auto summary = trainer.run(&recorder);
    recorder.trainer = nullptr;
    return summary;
}

std::map<std::string, torch::Tensor> lastWeights(const fs::path& run) {
    std::ifstream in(run / "checkpoint" / "latest.json");
    const json latest = json::parse(in);
    std::map<std::string, torch::Tensor> map;
    const fs::path file =
        run / "checkpoint" / latest["dir"].get<std::string>() / "model.safetensors";
    for (auto& [name, tensor] : fts::readSafetensors(file).tensors) map[name] = tensor;
    return map;
}

std::vector<std::size_t> range(std::size_t n) {
    std::vector<std::size_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = i;
    return v;
}

}  // namespace

class TstFeatureCache : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { fts::FeatureCache::clear(); }
    void appliesOnlyToAFrozenDeterministicPrefix_data();
    void appliesOnlyToAFrozenDeterministicPrefix();
    void cachedHeadTrainingMatchesUncached();
    void secondRunReusesTheFeatures();
    void keyFollowsEverythingTheFeaturesDependOn();
    void keySeesChangedFiles();
    void augmentationTurnsItOffOnce();
    void overBudgetSaysSoAndTrainsNormally();
    void computeLeavesOutBrokenItems();
};

void TstFeatureCache::appliesOnlyToAFrozenDeterministicPrefix_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("freeze");
    QTest::addColumn<QString>("augment");
    QTest::addColumn<bool>("applies");
    QTest::addColumn<QString>("reasonPart");
    QTest::newRow("frozen backbone") << "demo_cnn"
                                     << "backbone"
                                     << "none" << true << "";
    QTest::newRow("every backbone module by path") << "demo_cnn"
                                                   << "conv1,bn1,layer1,layer2,layer3"
                                                   << "none" << true << "";
    QTest::newRow("nothing frozen") << "demo_cnn"
                                    << "none"
                                    << "none" << false << "trains";
    QTest::newRow("part of the backbone") << "demo_cnn"
                                          << "conv1,bn1,layer1"
                                          << "none" << false << "layer2";
    QTest::newRow("augmentation") << "demo_cnn"
                                  << "backbone"
                                  << "light" << false << "augmentation 'light'";
    QTest::newRow("dropout after the head only") << "mobilenet_v2"
                                                 << "backbone"
                                                 << "none" << true << "";
    QTest::newRow("dropout before the head") << "mobilenet_v3_small"
                                             << "backbone"
                                             << "none" << false << "dropout";
}

void TstFeatureCache::appliesOnlyToAFrozenDeterministicPrefix() {
    QFETCH(QString, model);
    QFETCH(QString, freeze);
    QFETCH(QString, augment);
    QFETCH(bool, applies);
    QFETCH(QString, reasonPart);
    auto net = fts::createModel(model.toStdString(), 3);
    const auto plan = fts::FreezePlan::parse(freeze.toStdString(), *net);
    plan.apply(*net);
    plan.setTrainMode(*net);
    const auto check = fts::checkFeatureCache(*net, plan, fts::parseAugment(augment.toStdString()));
    QCOMPARE(check.applies, applies);
    if (!applies) {
        QVERIFY2(check.reason.find(reasonPart.toStdString()) != std::string::npos,
                 check.reason.c_str());
        QVERIFY(check.reason.rfind("the feature cache is off: ", 0) == 0);
    } else {
        QVERIFY(check.reason.empty());
    }
}

void TstFeatureCache::cachedHeadTrainingMatchesUncached() {
    QTemporaryDir tmp;
    const fs::path root(tmp.path().toStdString());
    auto s = headSettings(root / "cached");
    Recorder cached;
    cached.wantsValidation = true;
    const auto a = runWith(s, cached);
    QVERIFY2(a.status == "completed", a.error.c_str());
    QCOMPARE(cached.count("feature cache: the frozen backbone's features of 36 images"), 1);

    s.outDir = (root / "uncached").string();
    s.cacheBudgetMb = 0;  // no caches: the backbone runs on every batch
    Recorder uncached;
    uncached.wantsValidation = true;
    const auto b = runWith(s, uncached);
    QVERIFY2(b.status == "completed", b.error.c_str());
    QCOMPARE(uncached.count("feature cache:"), 0);
    QCOMPARE(uncached.count("caches are off (--cache-budget-mb 0)"), 1);

    // The same head, step for step: the same batches in the same order.
    const auto wa = lastWeights(root / "cached");
    const auto wb = lastWeights(root / "uncached");
    QCOMPARE(wa.size(), wb.size());
    for (const auto& [name, tensor] : wa) {
        const double diff = (tensor - wb.at(name)).abs().max().item<double>();
        QVERIFY2(diff <= 1e-5, (name + " differs by " + std::to_string(diff)).c_str());
        if (name.rfind("fc.", 0) != 0) QVERIFY2(torch::equal(tensor, wb.at(name)), name.c_str());
    }
    // Some head weight really moved (the comparison is not of two untouched heads).
    torch::manual_seed(s.seed);
    const auto initial = fts::createModel("demo_cnn", 3);
    QVERIFY(
        (wa.at("fc.weight") - initial->named_parameters()["fc.weight"]).abs().max().item<double>() >
        1e-3);

    QCOMPARE(cached.epochs.size(), uncached.epochs.size());
    for (std::size_t e = 0; e < cached.epochs.size(); ++e) {
        QVERIFY(std::abs(cached.epochs[e].trainLoss - uncached.epochs[e].trainLoss) < 1e-5);
        QCOMPARE(cached.epochs[e].valAccuracy, uncached.epochs[e].valAccuracy);
        QVERIFY(std::abs(cached.epochs[e].valLoss - uncached.epochs[e].valLoss) < 1e-5);
    }
    // The views still get thumbnails (decoded from the source: features hold no image).
    QCOMPARE(cached.validation.size(), uncached.validation.size());
    for (std::size_t i = 0; i < cached.validation.size(); ++i) {
        QCOMPARE(cached.validation[i].item, uncached.validation[i].item);
        QCOMPARE(cached.validation[i].thumbnail.pixels, uncached.validation[i].thumbnail.pixels);
    }
    QVERIFY(!cached.training.empty());
    for (const auto& sample : cached.training) QVERIFY(!sample.thumbnail.empty());
}

void TstFeatureCache::secondRunReusesTheFeatures() {
    QTemporaryDir tmp;
    const fs::path root(tmp.path().toStdString());
    auto s = headSettings(root / "first");
    s.epochs = 1;
    Recorder first;
    QVERIFY(runWith(s, first).status == "completed");
    QCOMPARE(first.count("computed once"), 1);

    s.outDir = (root / "second").string();
    s.lr = 0.02;  // the head's settings do not matter to the features
    Recorder second;
    QVERIFY(runWith(s, second).status == "completed");
    QCOMPARE(second.count("reused from an earlier run"), 1);

    s.outDir = (root / "third").string();
    s.imageSize = 24;  // another transform: computed again
    Recorder third;
    QVERIFY(runWith(s, third).status == "completed");
    QCOMPARE(third.count("computed once"), 1);
    QCOMPARE(third.count("reused"), 0);
}

void TstFeatureCache::keyFollowsEverythingTheFeaturesDependOn() {
    torch::manual_seed(1);
    auto net = fts::createModel("demo_cnn", 3);
    const auto data = makeData(4);
    fts::TransformSpec spec;
    spec.cropSize = 28;
    const auto items = range(data->size());
    const auto key = [&](const fts::ClassifierImpl& model, const fts::TransformSpec& t,
                         const fts::DataSource& source, const std::vector<std::size_t>& list,
                         const std::string& freeze = "backbone") {
        return fts::FeatureCache::key(model, "demo_cnn", freeze, t, "cpu", source, list);
    };
    const std::uint64_t base = key(*net, spec, *data, items);
    QCOMPARE(key(*net, spec, *data, items), base);  // stable

    // The head is not part of the features.
    {
        torch::NoGradGuard noGrad;
        net->named_parameters()["fc.weight"].add_(1.0);
    }
    QCOMPARE(key(*net, spec, *data, items), base);
    // Weights and BatchNorm statistics of the backbone are.
    {
        torch::NoGradGuard noGrad;
        net->named_parameters()["layer1.0.conv1.weight"].view(-1)[0].add_(1e-3);
    }
    const std::uint64_t changedWeight = key(*net, spec, *data, items);
    QVERIFY(changedWeight != base);
    {
        torch::NoGradGuard noGrad;
        net->named_buffers()["bn1.running_mean"].view(-1)[0].add_(1e-3);
    }
    QVERIFY(key(*net, spec, *data, items) != changedWeight);

    torch::manual_seed(1);
    auto fresh = fts::createModel("demo_cnn", 3);
    QCOMPARE(key(*fresh, spec, *data, items), base);
    QVERIFY(key(*fresh, spec, *data, items, "conv1,bn1,layer1,layer2,layer3") != base);
    fts::TransformSpec other = spec;
    other.cropSize = 24;
    QVERIFY(key(*fresh, other, *data, items) != base);
    other = spec;
    other.norm.mean[1] = 0.5f;
    QVERIFY(key(*fresh, other, *data, items) != base);
    QVERIFY(key(*fresh, spec, *data, {0, 1, 2, 3}) != base);
    QVERIFY(fts::FeatureCache::key(*fresh, "demo_cnn", "backbone", spec, "cuda:0", *data, items) !=
            base);

    // Images in memory: their pixels are their identity.
    std::vector<int> labels;
    auto images = bandImages(4, 32, labels);
    images[5].pixels[17] ^= 1;
    const auto edited =
        fts::makeMemorySource(kClasses, std::move(images), std::move(labels), "bands");
    QVERIFY(key(*fresh, spec, *edited, items) != base);
}

void TstFeatureCache::keySeesChangedFiles() {
    QTemporaryDir tmp;
    const fs::path root(tmp.path().toStdString());
    const auto write = [&](const fs::path& f, char fill) {
        fs::create_directories(f.parent_path());
        std::ofstream(f, std::ios::binary) << "P6\n4 4\n255\n" << std::string(48, fill);
    };
    write(root / "a" / "1.ppm", 'a');
    write(root / "b" / "1.ppm", 'b');
    torch::manual_seed(1);
    auto net = fts::createModel("demo_cnn", 3);
    fts::TransformSpec spec;
    spec.cropSize = 28;
    const auto keyNow = [&] {
        const auto source = fts::openDataSource(root);
        return fts::FeatureCache::key(*net, "demo_cnn", "backbone", spec, "cpu", *source,
                                      range(source->size()));
    };
    const std::uint64_t before = keyNow();
    QCOMPARE(keyNow(), before);
    // Rewritten with other pixels (and a later time stamp): another key.
    write(root / "b" / "1.ppm", 'c');
    fs::last_write_time(root / "b" / "1.ppm",
                        fs::last_write_time(root / "b" / "1.ppm") + std::chrono::seconds(5));
    QVERIFY(keyNow() != before);
}

void TstFeatureCache::augmentationTurnsItOffOnce() {
    QTemporaryDir tmp;
    auto s = headSettings(fs::path(tmp.path().toStdString()) / "run");
    s.augment = "light";
    Recorder rec;
    const auto summary = runWith(s, rec);
    QVERIFY2(summary.status == "completed", summary.error.c_str());
    QCOMPARE(rec.count("the feature cache is off: augmentation 'light'"), 1);
    QCOMPARE(rec.count("feature cache:"), 0);
    // Decoded images are cached instead, and the log says how many.
    QVERIFY2(rec.count("image cache: 36 decoded images kept") == 1, rec.all().c_str());

    // Nothing frozen: nothing to say about the feature cache.
    s.outDir = (fs::path(tmp.path().toStdString()) / "full").string();
    s.freeze = "none";
    s.augment = "none";
    s.epochs = 1;
    Recorder full;
    QVERIFY(runWith(s, full).status == "completed");
    QCOMPARE(full.count("feature cache"), 0);
}

void TstFeatureCache::overBudgetSaysSoAndTrainsNormally() {
    // demo_cnn's 128 features take 520 bytes an image with the label: 4,200
    // images need 2.1 MiB, more than a 1 MiB budget.
    QTemporaryDir tmp;
    auto s = headSettings(fs::path(tmp.path().toStdString()) / "run");
    s.cacheBudgetMb = 1;
    s.imageSize = 8;
    s.batchSize = 256;
    s.valSplit = 0.1;
    Recorder rec;
    rec.stopAfterFirstBatch = true;
    const auto summary = runWith(s, rec, makeData(1400, 8));
    QCOMPARE(summary.status, std::string("cancelled"));
    QVERIFY2(rec.count("the feature cache is off: the features of 4200 images need 2.1 MB, more "
                       "than the cache budget of 1 MB (raise --cache-budget-mb)") == 1,
             rec.all().c_str());
    QCOMPARE(rec.count("feature cache:"), 0);
}

void TstFeatureCache::computeLeavesOutBrokenItems() {
    // A source whose item 2 cannot be decoded.
    class Broken : public fts::DataSource {
    public:
        explicit Broken(std::shared_ptr<const fts::DataSource> inner) : m_inner(std::move(inner)) {}
        std::string description() const override { return "broken"; }
        const std::vector<std::string>& classNames() const override {
            return m_inner->classNames();
        }
        std::size_t size() const override { return m_inner->size(); }
        int label(std::size_t i) const override { return m_inner->label(i); }
        std::string itemName(std::size_t i) const override { return m_inner->itemName(i); }
        fts::RgbImage load(std::size_t i) const override {
            if (i == 2) throw std::runtime_error(itemName(i) + ": damaged");
            return m_inner->load(i);
        }

    private:
        std::shared_ptr<const fts::DataSource> m_inner;
    } source(makeData(2));
    torch::manual_seed(3);
    auto net = fts::createModel("demo_cnn", 3);
    fts::TransformSpec spec;
    spec.cropSize = 28;
    fts::LoaderOptions options;
    options.batchSize = 4;
    options.shuffle = false;
    options.train = false;
    fts::BatchLoader loader(source, range(6), spec, options);
    const auto set = fts::FeatureCache::compute(*net, loader, torch::kCPU, nullptr);
    QVERIFY(set);
    QCOMPARE(set->items, (std::vector<std::size_t>{0, 1, 3, 4, 5}));
    QCOMPARE(set->features.size(0), std::int64_t(5));
    QCOMPARE(set->features.size(1), net->headInputs());
    QCOMPARE(set->skipped.size(), std::size_t(1));
    QVERIFY(!set->contains(2));
    // Row k is forwardFeatures of item k, in eval mode.
    torch::NoGradGuard noGrad;
    net->eval();
    const auto direct =
        net->forwardFeatures(fts::evalTransform(source.load(4), 28, spec.norm).unsqueeze(0));
    torch::Tensor features, labels;
    set->gather({4}, torch::kCPU, features, labels);
    QVERIFY((features - direct).abs().max().item<double>() < 1e-5);
    QCOMPARE(labels[0].item<std::int64_t>(), std::int64_t(source.label(4)));
    const auto stopped = fts::FeatureCache::compute(*net, loader, torch::kCPU, [] { return true; });
    QVERIFY(!stopped);
}

QTEST_GUILESS_MAIN(TstFeatureCache)
#include "tst_featurecache.moc"
