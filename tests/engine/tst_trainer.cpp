#include "train/trainer.h"

#include "core/error.h"
#include "data/datasource.h"
#include "data/preview.h"
#include "models/registry.h"
#include "weights/safetensors.h"
#include "weights/statedictloader.h"

#include <torch/cuda.h>
#include <torch/types.h>

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <chrono>
#include <fstream>
#include <random>
#include <set>
#include <thread>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::vector<std::string> kClasses{"left", "middle, wide", "right"};

// 3 classes x 12 images of 32x32: a bright vertical band whose position is the
// class, on noise. Learnable in a few steps by a tiny CNN.
std::shared_ptr<const fts::DataSource> makeData(int perClass = 12) {
    std::mt19937 rng(5);
    std::uniform_int_distribution<int> noise(0, 80);
    std::vector<fts::RgbImage> images;
    std::vector<int> labels;
    for (int c = 0; c < int(kClasses.size()); ++c) {
        for (int k = 0; k < perClass; ++k) {
            fts::RgbImage image;
            image.width = image.height = 32;
            image.pixels.resize(32 * 32 * 3);
            for (int y = 0; y < 32; ++y)
                for (int x = 0; x < 32; ++x)
                    for (int ch = 0; ch < 3; ++ch) {
                        const bool band = x >= 4 + c * 9 && x < 12 + c * 9;
                        image.pixels[std::size_t((y * 32 + x) * 3 + ch)] =
                            std::uint8_t(noise(rng) + (band ? 170 : 0));
                    }
            images.push_back(std::move(image));
            labels.push_back(c);
        }
    }
    return fts::makeMemorySource(kClasses, std::move(images), std::move(labels), "bands");
}

fts::TrainSettings baseSettings(const fs::path& out) {
    fts::TrainSettings s;
    s.model = "demo_cnn";
    s.epochs = 2;
    s.batchSize = 8;
    s.lr = 0.01;
    s.optimizer = "adamw";
    s.scheduler = "cosine";
    s.warmupEpochs = 1;
    s.valSplit = 0.25;
    s.augment = "light";
    s.threads = 1;
    s.loaderWorkers = 2;
    s.samplePredictions = 4;
    s.outDir = out.string();
    return s;
}

json readJson(const fs::path& file) {
    std::ifstream in(file);
    return json::parse(in);
}

std::vector<json> readEvents(const fs::path& file) {
    std::vector<json> events;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) events.push_back(json::parse(line));
    return events;
}

std::vector<std::string> readLines(const fs::path& file) {
    std::vector<std::string> lines;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    return lines;
}

std::map<std::string, torch::Tensor> tensorsOf(const fs::path& file) {
    std::map<std::string, torch::Tensor> map;
    for (auto& [name, tensor] : fts::readSafetensors(file).tensors) map[name] = tensor;
    return map;
}

fs::path latestModel(const fs::path& run) {
    const json latest = readJson(run / "checkpoint" / "latest.json");
    return run / "checkpoint" / latest["dir"].get<std::string>() / "model.safetensors";
}

// Records what the trainer reports; optionally stops at a given point.
struct Recorder : fts::TrainObserver {
    fts::Trainer* trainer = nullptr;
    int stopAtEpoch = 0, stopAtBatch = 0;  // batch 0: stop after the epoch's metrics
    bool stopRequested = false;
    int batchesAfterStop = 0;
    int started = 0, finishedCalls = 0;
    std::vector<fts::BatchProgress> batches;
    std::vector<fts::EpochMetrics> epochs;
    std::vector<fts::SamplePrediction> samples;
    std::vector<std::string> messages;
    fts::RunSummary summary;

    void runStarted(const std::vector<std::string>&, std::size_t, std::size_t) override {
        ++started;
    }
    void batchFinished(const fts::BatchProgress& p) override {
        if (stopRequested) ++batchesAfterStop;
        batches.push_back(p);
        if (trainer && p.epoch == stopAtEpoch && p.batch == stopAtBatch) {
            trainer->requestStop();
            stopRequested = true;
        }
    }
    void epochFinished(const fts::EpochMetrics& m) override {
        epochs.push_back(m);
        if (trainer && m.epoch == stopAtEpoch && stopAtBatch == 0) {
            trainer->requestStop();
            stopRequested = true;
        }
    }
    void samplesPredicted(int, const std::vector<fts::SamplePrediction>& s) override {
        samples.insert(samples.end(), s.begin(), s.end());
    }
    void message(const std::string& text) override { messages.push_back(text); }
    void finished(const fts::RunSummary& s) override {
        ++finishedCalls;
        summary = s;
    }
};

// Wants every validation prediction (as the GUI does) or not (as the CLI).
struct PredictionRecorder : fts::TrainObserver {
    bool wants = true;
    int wantsAsked = 0;
    std::vector<std::pair<int, std::vector<fts::ValidationPrediction>>> validation;
    std::vector<std::pair<int, int>> trainingCalls;  // epoch, batch
    std::vector<fts::SamplePrediction> training;

    bool wantsValidationPredictions() const override {
        ++const_cast<PredictionRecorder*>(this)->wantsAsked;
        return wants;
    }
    void validationPredicted(int epoch,
                             const std::vector<fts::ValidationPrediction>& rows) override {
        validation.emplace_back(epoch, rows);
    }
    void trainingSamples(int epoch, int batch,
                         const std::vector<fts::SamplePrediction>& samples) override {
        trainingCalls.emplace_back(epoch, batch);
        training.insert(training.end(), samples.begin(), samples.end());
    }
};

fts::RunSummary runWith(const fts::TrainSettings& s, Recorder* recorder = nullptr,
                        std::shared_ptr<const fts::DataSource> data = makeData()) {
    fts::Trainer trainer(s);
    trainer.setDataSources(std::move(data));
    if (recorder) recorder->trainer = &trainer;
    auto summary = trainer.run(recorder);
    if (recorder) recorder->trainer = nullptr;
    return summary;
}

}  // namespace

class TstTrainer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void completesAndWritesRunDirectory();
    void cancelMidEpochStopsWithinOneBatch();
    void resumeEqualsUninterruptedRun_data();
    void resumeEqualsUninterruptedRun();
    void resumeRefusesOtherSettings();
    void existingRunNeedsResume();
    void frozenBackboneStaysBitIdentical();
    void nonFiniteLossFailsAndKeepsCheckpoint();
    void badWeightsFileFailsNamingIt_data();
    void badWeightsFileFailsNamingIt();
    void unavailableDeviceFailsAtOnce_data();
    void unavailableDeviceFailsAtOnce();
    void mismatchedValidationClassesFail();
    void pauseHoldsAndStopEndsPause();
    void validationPredictionsForObserver_data();
    void validationPredictionsForObserver();
};

void TstTrainer::completesAndWritesRunDirectory() {
    QTemporaryDir tmp;
    const fs::path run = fs::path(tmp.path().toStdString()) / "run";
    Recorder rec;
    const auto summary = runWith(baseSettings(run), &rec);
    QVERIFY2(summary.status == "completed", summary.error.c_str());
    QCOMPARE(summary.epochsCompleted, 2);
    QCOMPARE(summary.trainImages, std::size_t(27));
    QCOMPARE(summary.valImages, std::size_t(9));
    QVERIFY(summary.classes == kClasses);
    QVERIFY(summary.imagesPerSecond > 0);
    QCOMPARE(rec.started, 1);
    QCOMPARE(rec.finishedCalls, 1);
    QCOMPARE(int(rec.epochs.size()), 2);
    QVERIFY(rec.epochs[0].best);
    QCOMPARE(int(rec.batches.size()), 2 * 4);  // ceil(27 / 8) per epoch
    QCOMPARE(rec.batches.back().batches, 4);
    QVERIFY(rec.batches.front().learningRate < rec.batches[3].learningRate);  // warm-up
    QVERIFY(!rec.samples.empty() && rec.samples.size() <= 8);
    for (const auto& s : rec.samples) {
        QVERIFY(!s.thumbnail.empty());
        QVERIFY(s.thumbnail.width <= 96 && s.thumbnail.height <= 96);
        QVERIFY(s.confidence > 0.0 && s.confidence <= 1.0);
    }

    // summary.json: DESIGN.md's keys, plus per_class (validation precision,
    // recall, F1 and support of each class at the last epoch).
    const json sj = readJson(run / "summary.json");
    std::set<std::string> keys;
    for (auto it = sj.begin(); it != sj.end(); ++it) keys.insert(it.key());
    const std::set<std::string> expected{
        "status",       "error",      "epochs_completed", "best_val_accuracy", "final_val_accuracy",
        "train_images", "val_images", "classes",          "skipped_files",     "images_per_second",
        "wall_seconds", "per_class"};
    QVERIFY(keys == expected);
    QCOMPARE(sj["per_class"].size(), sj["classes"].size());
    QCOMPARE(sj["per_class"][0]["class"], sj["classes"][0]);
    QCOMPARE(sj["status"].get<std::string>(), std::string("completed"));
    QCOMPARE(sj["epochs_completed"].get<int>(), 2);
    QCOMPARE(sj["final_val_accuracy"].get<double>(), rec.epochs.back().valAccuracy);
    QVERIFY(sj["skipped_files"].is_array());

    const json config = readJson(run / "config.json");
    QCOMPARE(config["model"].get<std::string>(), std::string("demo_cnn"));
    QCOMPARE(config["image_size"].get<int>(), 28);
    QCOMPARE(config["device"].get<std::string>(), std::string("cpu"));
    QCOMPARE(config["threads"].get<int>(), 1);
    QCOMPARE(config["freeze"].get<std::string>(), std::string("none"));
    QCOMPARE(config["seed"].get<std::uint64_t>(), std::uint64_t(42));
    QVERIFY(config["optimizer"]["lr"].get<double>() == 0.01);
    QVERIFY(config.contains("torch_version") && config.contains("app_version"));
    QVERIFY(config["weights"]["sha256"].is_null());

    const auto events = readEvents(run / "events.jsonl");
    int batchEvents = 0, epochEvents = 0, finishedEvents = 0;
    for (const auto& e : events) {
        const auto type = e["type"].get<std::string>();
        batchEvents += type == "batch";
        epochEvents += type == "epoch";
        finishedEvents += type == "finished";
        if (type == "epoch")
            QVERIFY(e.contains("val_accuracy") && e.contains("train_loss") && e.contains("best"));
    }
    QCOMPARE(batchEvents, 8);
    QCOMPARE(epochEvents, 2);
    QCOMPARE(finishedEvents, 1);
    QCOMPARE(events.back()["type"].get<std::string>(), std::string("finished"));

    const auto predictions = readLines(run / "predictions.csv");
    QCOMPARE(predictions.size(), std::size_t(1 + 9));
    QCOMPARE(predictions[0], std::string("path,true,predicted,confidence,loss"));
    QVERIFY(predictions[1].rfind("memory#", 0) == 0);
    const auto confusion = readLines(run / "confusion.csv");
    QCOMPARE(confusion.size(), std::size_t(1 + 3));
    QCOMPARE(confusion[0], std::string("true\\predicted,left,\"middle, wide\",right"));

    QVERIFY(fs::is_regular_file(run / "best.safetensors"));
    QVERIFY(tensorsOf(run / "best.safetensors").count("fc.weight"));
    QCOMPARE(readJson(run / "checkpoint" / "latest.json")["epoch"].get<int>(), 2);
    QVERIFY(fs::is_regular_file(run / "checkpoint" / "epoch-0002" / "optimizer.pt"));
    QVERIFY(!fs::exists(run / "checkpoint" / "epoch-0001"));
}

void TstTrainer::cancelMidEpochStopsWithinOneBatch() {
    QTemporaryDir tmp;
    const fs::path run = fs::path(tmp.path().toStdString()) / "run";
    Recorder rec;
    rec.stopAtEpoch = 2;
    rec.stopAtBatch = 2;
    auto s = baseSettings(run);
    s.epochs = 3;
    const auto summary = runWith(s, &rec);
    QCOMPARE(summary.status, std::string("cancelled"));
    QVERIFY(summary.error.empty());
    QCOMPARE(rec.batchesAfterStop, 0);
    QCOMPARE(int(rec.epochs.size()), 1);
    QCOMPARE(summary.epochsCompleted, 1);
    QCOMPARE(readJson(run / "summary.json")["status"].get<std::string>(), std::string("cancelled"));
    QCOMPARE(readJson(run / "checkpoint" / "latest.json")["epoch"].get<int>(), 1);

    // Resumable: continues at epoch 2.
    s.resume = true;
    Recorder again;
    const auto resumed = runWith(s, &again);
    QVERIFY2(resumed.status == "completed", resumed.error.c_str());
    QCOMPARE(again.epochs.front().epoch, 2);
    QCOMPARE(resumed.epochsCompleted, 3);
}

void TstTrainer::resumeEqualsUninterruptedRun_data() {
    QTest::addColumn<QString>("optimizer");
    QTest::addColumn<QString>("scheduler");
    QTest::newRow("adamw, cosine + warm-up") << "adamw"
                                             << "cosine";
    QTest::newRow("sgd nesterov, step") << "sgd"
                                        << "step";
}

void TstTrainer::resumeEqualsUninterruptedRun() {
    QFETCH(QString, optimizer);
    QFETCH(QString, scheduler);
    QTemporaryDir tmp;
    const fs::path root(tmp.path().toStdString());
    auto s = baseSettings(root / "whole");
    s.epochs = 3;
    s.optimizer = optimizer.toStdString();
    s.scheduler = scheduler.toStdString();
    s.nesterov = s.optimizer == "sgd";
    s.stepSize = 1;
    s.stepGamma = 0.5;
    s.loaderWorkers = 1;
    Recorder whole;
    QCOMPARE(runWith(s, &whole).status, std::string("completed"));

    auto p = s;
    p.outDir = (root / "parts").string();
    p.loaderWorkers = 3;  // results must not depend on the workers
    Recorder first;
    first.stopAtEpoch = 1;
    QCOMPARE(runWith(p, &first).status, std::string("cancelled"));
    p.resume = true;
    Recorder second;
    const auto resumed = runWith(p, &second);
    QVERIFY2(resumed.status == "completed", resumed.error.c_str());
    QCOMPARE(second.epochs.front().epoch, 2);

    const auto a = tensorsOf(latestModel(root / "whole"));
    const auto b = tensorsOf(latestModel(root / "parts"));
    QCOMPARE(a.size(), b.size());
    for (const auto& [name, tensor] : a) {
        const auto& other = b.at(name);
        QVERIFY2(tensor.sizes() == other.sizes(), name.c_str());
        const double diff =
            tensor.to(torch::kDouble).sub(other.to(torch::kDouble)).abs().max().item<double>();
        QVERIFY2(diff <= 1e-6, qPrintable(QString("%1 differs by %2").arg(name.c_str()).arg(diff)));
    }
    for (int e = 1; e < 3; ++e) {
        QCOMPARE(second.epochs[std::size_t(e - 1)].valAccuracy,
                 whole.epochs[std::size_t(e)].valAccuracy);
        QVERIFY(std::abs(second.epochs[std::size_t(e - 1)].trainLoss -
                         whole.epochs[std::size_t(e)].trainLoss) < 1e-6);
    }
    // events.jsonl of the resumed run continues the first part's.
    int epochEvents = 0;
    for (const auto& e : readEvents(root / "parts" / "events.jsonl"))
        epochEvents += e["type"] == "epoch";
    QCOMPARE(epochEvents, 3);
}

void TstTrainer::resumeRefusesOtherSettings() {
    QTemporaryDir tmp;
    const fs::path run = fs::path(tmp.path().toStdString()) / "run";
    auto s = baseSettings(run);
    s.epochs = 1;
    QCOMPARE(runWith(s).status, std::string("completed"));
    s.resume = true;
    s.batchSize = 4;
    s.freeze = "backbone";
    const auto summary = runWith(s);
    QCOMPARE(summary.status, std::string("failed"));
    qInfo("%s", summary.error.c_str());
    QVERIFY2(QString::fromStdString(summary.error).contains("batch_size"), summary.error.c_str());
    QVERIFY2(QString::fromStdString(summary.error).contains("freeze"), summary.error.c_str());
    // The run's files are untouched.
    QCOMPARE(readJson(run / "checkpoint" / "latest.json")["epoch"].get<int>(), 1);
    QCOMPARE(readJson(run / "summary.json")["status"].get<std::string>(), std::string("completed"));
    QCOMPARE(readJson(run / "config.json")["batch_size"].get<int>(), 8);
}

void TstTrainer::existingRunNeedsResume() {
    QTemporaryDir tmp;
    const fs::path run = fs::path(tmp.path().toStdString()) / "run";
    auto s = baseSettings(run);
    s.epochs = 1;
    QCOMPARE(runWith(s).status, std::string("completed"));
    const auto again = runWith(s);
    QCOMPARE(again.status, std::string("failed"));
    QVERIFY2(QString::fromStdString(again.error).contains("--resume"), again.error.c_str());
    QCOMPARE(readJson(run / "summary.json")["status"].get<std::string>(), std::string("completed"));
    s.outDir = (fs::path(tmp.path().toStdString()) / "fresh").string();
    s.resume = true;
    const auto nothing = runWith(s);
    QCOMPARE(nothing.status, std::string("failed"));
    QVERIFY2(QString::fromStdString(nothing.error).contains("no checkpoint"),
             nothing.error.c_str());
}

void TstTrainer::frozenBackboneStaysBitIdentical() {
    QTemporaryDir tmp;
    const fs::path root(tmp.path().toStdString());
    // "Pretrained" weights with a 5-class head: the head is replaced for 3 classes.
    torch::manual_seed(123);
    auto pretrained = fts::createModel("demo_cnn", 5);
    const fs::path weights = root / "pretrained.safetensors";
    fts::writeSafetensors(weights, fts::stateDictOf(*pretrained));

    auto s = baseSettings(root / "run");
    s.weightsFile = weights.string();
    s.freeze = "backbone";
    s.lr = 0.05;
    Recorder rec;
    const auto summary = runWith(s, &rec);
    QVERIFY2(summary.status == "completed", summary.error.c_str());
    bool reported = false;
    for (const auto& m : rec.messages) {
        qInfo("%s", m.c_str());
        reported = reported || (m.find("pretrained.safetensors") != std::string::npos &&
                                m.find("head (fc) is new") != std::string::npos);
    }
    QVERIFY(reported);

    const auto before = tensorsOf(weights);
    const auto after = tensorsOf(latestModel(root / "run"));
    int compared = 0;
    for (const auto& [name, tensor] : after) {
        if (name.rfind("fc.", 0) == 0) continue;
        QVERIFY2(tensor.dtype() == before.at(name).dtype() && torch::equal(tensor, before.at(name)),
                 name.c_str());
        ++compared;
    }
    QVERIFY(compared > 10);
    QVERIFY(after.count("bn1.running_var") && after.count("layer2.0.bn1.num_batches_tracked"));
    QCOMPARE(after.at("fc.weight").size(0), std::int64_t(3));

    const json config = readJson(root / "run" / "config.json");
    QCOMPARE(config["weights"]["sha256"].get<std::string>().size(), std::size_t(64));
    QCOMPARE(config["freeze"].get<std::string>(), std::string("backbone"));
}

void TstTrainer::nonFiniteLossFailsAndKeepsCheckpoint() {
    QTemporaryDir tmp;
    const fs::path run = fs::path(tmp.path().toStdString()) / "run";
    auto s = baseSettings(run);
    // Epoch 1 trains normally; from epoch 2 the lr is 1e28 and the loss explodes.
    s.optimizer = "sgd";
    s.scheduler = "step";
    s.warmupEpochs = 0;
    s.stepSize = 1;
    s.stepGamma = 1e30;
    s.epochs = 3;
    Recorder rec;
    const auto summary = runWith(s, &rec);
    QCOMPARE(summary.status, std::string("failed"));
    qInfo("%s", summary.error.c_str());
    const QString error = QString::fromStdString(summary.error);
    QVERIFY2(error.contains(QRegularExpression("the loss became (NaN|infinite) at epoch 2")),
             summary.error.c_str());
    QVERIFY2(error.contains("lower the learning rate (now "), summary.error.c_str());
    QVERIFY2(error.contains("checkpoint of epoch 1"), summary.error.c_str());
    QCOMPARE(summary.epochsCompleted, 1);
    const json sj = readJson(run / "summary.json");
    QCOMPARE(sj["status"].get<std::string>(), std::string("failed"));
    QCOMPARE(sj["error"].get<std::string>(), summary.error);
    QCOMPARE(readJson(run / "checkpoint" / "latest.json")["epoch"].get<int>(), 1);
    for (const auto& [name, tensor] : tensorsOf(latestModel(run)))
        if (tensor.is_floating_point())
            QVERIFY2(torch::isfinite(tensor).all().item<bool>(), name.c_str());
}

void TstTrainer::badWeightsFileFailsNamingIt_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("garbage") << QByteArray("this is not a weight file at all");
    QTest::newRow("missing") << QByteArray();
    QTest::newRow("other model") << QByteArray("other");
}

void TstTrainer::badWeightsFileFailsNamingIt() {
    QFETCH(QByteArray, content);
    QTemporaryDir tmp;
    const fs::path root(tmp.path().toStdString());
    const fs::path file = root / "my-weights.pth";
    if (content == "other") {
        fts::writeSafetensors(file, {{"encoder.weight", torch::zeros({4, 4})}});
    } else if (!content.isEmpty()) {
        std::ofstream(file, std::ios::binary) << content.toStdString();
    }
    auto s = baseSettings(root / "run");
    s.weightsFile = file.string();
    const auto summary = runWith(s);
    QCOMPARE(summary.status, std::string("failed"));
    qInfo("%s", summary.error.c_str());
    QVERIFY2(QString::fromStdString(summary.error).contains("my-weights.pth"),
             summary.error.c_str());
    QCOMPARE(readJson(root / "run" / "summary.json")["status"].get<std::string>(),
             std::string("failed"));
    QVERIFY(!fs::exists(root / "run" / "checkpoint" / "latest.json"));
}

void TstTrainer::unavailableDeviceFailsAtOnce_data() {
    QTest::addColumn<QString>("device");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("cuda") << "cuda"
                          << "--device cuda";
    QTest::newRow("cuda:1") << "cuda:1"
                            << "--device cuda:1";
    QTest::newRow("unknown") << "tpu"
                             << "'tpu'";
}

void TstTrainer::unavailableDeviceFailsAtOnce() {
    QFETCH(QString, device);
    QFETCH(QString, mentions);
    if (device.startsWith("cuda") && torch::cuda::is_available()) QSKIP("this machine has CUDA");
    QTemporaryDir tmp;
    auto s = baseSettings(fs::path(tmp.path().toStdString()) / "run");
    s.device = device.toStdString();
    Recorder rec;
    const auto start = std::chrono::steady_clock::now();
    const auto summary = runWith(s, &rec);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    QCOMPARE(summary.status, std::string("failed"));
    qInfo("%s", summary.error.c_str());
    QVERIFY2(QString::fromStdString(summary.error).contains(mentions), summary.error.c_str());
    QVERIFY(summary.error.find('\n') == std::string::npos);
    QVERIFY(rec.batches.empty());
    QCOMPARE(rec.finishedCalls, 1);
    QCOMPARE(readJson(fs::path(s.outDir) / "summary.json")["error"].get<std::string>(),
             summary.error);
    QVERIFY2(seconds < 5.0, qPrintable(QString::number(seconds)));
}

void TstTrainer::mismatchedValidationClassesFail() {
    QTemporaryDir tmp;
    auto s = baseSettings(fs::path(tmp.path().toStdString()) / "run");
    fts::RgbImage image;
    image.width = image.height = 8;
    image.pixels.assign(8 * 8 * 3, 100);
    std::shared_ptr<const fts::DataSource> val =
        fts::makeMemorySource({"cat", "dog"}, {image, image}, {0, 1}, "other classes");
    fts::Trainer trainer(s);
    trainer.setDataSources(makeData(), val);
    const auto summary = trainer.run();
    QCOMPARE(summary.status, std::string("failed"));
    QVERIFY2(QString::fromStdString(summary.error).contains("other classes"),
             summary.error.c_str());
}

// Pauses at epoch 1, batch 1; the test thread then stops the paused run.
struct Pauser : Recorder {
    void batchFinished(const fts::BatchProgress& p) override {
        Recorder::batchFinished(p);
        if (p.epoch == 1 && p.batch == 1) trainer->setPaused(true);
    }
};

void TstTrainer::pauseHoldsAndStopEndsPause() {
    QTemporaryDir tmp;
    auto s = baseSettings(fs::path(tmp.path().toStdString()) / "run");
    fts::Trainer trainer(s);
    trainer.setDataSources(makeData());
    Pauser rec;
    rec.trainer = &trainer;
    fts::RunSummary summary;
    std::atomic<bool> done{false};
    std::thread worker([&] {
        summary = trainer.run(&rec);
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(trainer.isPaused(), 20000);
    const auto batchesWhenPaused = rec.batches.size();
    // Paused: no batch runs while the training thread waits.
    QTest::qWait(300);
    QVERIFY(!done.load());
    QCOMPARE(rec.batches.size(), batchesWhenPaused);
    trainer.requestStop();
    QTRY_VERIFY_WITH_TIMEOUT(done.load(), 5000);
    worker.join();
    QCOMPARE(summary.status, std::string("cancelled"));
    QCOMPARE(int(rec.batches.size()), 1);
}

void TstTrainer::validationPredictionsForObserver_data() {
    QTest::addColumn<bool>("wants");
    QTest::newRow("gui") << true;
    QTest::newRow("cli") << false;
}

void TstTrainer::validationPredictionsForObserver() {
    QFETCH(bool, wants);
    QTemporaryDir tmp;
    const fs::path run = fs::path(tmp.path().toStdString()) / "run";
    const auto data = makeData();
    PredictionRecorder rec;
    rec.wants = wants;
    fts::Trainer trainer(baseSettings(run));
    trainer.setDataSources(data);
    const auto summary = trainer.run(&rec);
    QVERIFY2(summary.status == "completed", summary.error.c_str());
    QCOMPARE(rec.wantsAsked, 1);

    // Live training samples: the first batch always reports, then at most
    // every half second; thumbnails of the augmented 28 x 28 crops.
    QVERIFY(!rec.trainingCalls.empty());
    QCOMPARE(rec.trainingCalls.front(), std::make_pair(1, 1));
    QVERIFY(!rec.training.empty() && rec.training.size() <= 4 * rec.trainingCalls.size());
    for (const auto& s : rec.training) {
        QCOMPARE(s.thumbnail.width, 28);
        QCOMPARE(s.thumbnail.height, 28);
        QCOMPARE(int(s.thumbnail.pixels.size()), 28 * 28 * 3);
        QVERIFY(s.predicted >= 0 && s.predicted < 3);
        QVERIFY(s.trueLabel >= 0 && s.trueLabel < 3);
        QVERIFY(s.confidence >= 1.0 / 3.0 - 1e-6 && s.confidence <= 1.0);
        QVERIFY(s.item.rfind("memory#", 0) == 0);
    }

    if (!wants) {
        QVERIFY(rec.validation.empty());
        return;
    }
    QCOMPARE(int(rec.validation.size()), 2);
    for (int e = 0; e < 2; ++e) {
        const auto& [epoch, rows] = rec.validation[std::size_t(e)];
        QCOMPARE(epoch, e + 1);
        QCOMPARE(rows.size(), summary.valImages);
        std::set<std::string> items;
        for (const auto& row : rows) {
            items.insert(row.item);
            QCOMPARE(int(row.topIndices.size()), 3);  // min(5, classes)
            QCOMPARE(int(row.topProbabilities.size()), 3);
            QCOMPARE(row.topIndices.front(), row.predicted);
            QVERIFY(std::abs(row.topProbabilities.front() - row.confidence) < 1e-6);
            double sum = 0.0;
            for (std::size_t j = 0; j < 3; ++j) {
                sum += row.topProbabilities[j];
                if (j > 0) QVERIFY(row.topProbabilities[j - 1] >= row.topProbabilities[j]);
                if (row.topIndices[j] == row.trueLabel)
                    QVERIFY(std::abs(-std::log(row.topProbabilities[j]) - row.loss) < 1e-4);
            }
            QVERIFY(std::abs(sum - 1.0) < 1e-5);
            if (e == 0) {
                // The image as validation sees it, before normalisation.
                const auto index = std::stoul(row.item.substr(std::string("memory#").size()));
                const auto expected = fts::previewEvalImage(data->load(index), 28);
                QCOMPARE(row.thumbnail.width, 28);
                QCOMPARE(row.thumbnail.height, 28);
                QVERIFY(row.thumbnail.pixels == expected.pixels);
            } else {
                QVERIFY(row.thumbnail.empty());
                QVERIFY(row.thumbnail.pixels.empty());
            }
        }
        QCOMPARE(items.size(), rows.size());
    }
    // The last epoch's rows are predictions.csv's rows, in its order.
    const auto lines = readLines(run / "predictions.csv");
    const auto& last = rec.validation.back().second;
    QCOMPARE(lines.size(), last.size() + 1);
    for (std::size_t i = 0; i < last.size(); ++i)
        QVERIFY(lines[i + 1].rfind(last[i].item + ",", 0) == 0);
}

QTEST_GUILESS_MAIN(TstTrainer)
#include "tst_trainer.moc"
