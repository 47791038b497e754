// The run history reader (export/runhistory.h): run directories written by
// hand (complete, in progress, damaged, experiments) and one written by a
// real tiny training run.

#include "export/runhistory.h"

#include "core/error.h"
#include "data/datasource.h"
#include "train/trainer.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <cmath>
#include <fstream>
#include <random>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

void writeText(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
}

json config(const std::string& model, const std::string& freeze, double lr, int epochs = 3) {
    return json{
        {"model", model},
        {"weights", {{"file", "/w/backbone.safetensors"}, {"sha256", nullptr}}},
        {"freeze", freeze},
        {"data",
         {{"path", "/data/train"}, {"val_path", ""}, {"val_split", 0.2}, {"classes", {"a", "b"}}}},
        {"image_size", 64},
        {"augment", "light"},
        {"epochs", epochs},
        {"batch_size", 16},
        {"optimizer",
         {{"name", "adamw"},
          {"lr", lr},
          {"backbone_lr_scale", 0.1},
          {"momentum", 0.9},
          {"weight_decay", 0.0001}}},
        {"scheduler", {{"name", "cosine"}, {"warmup_epochs", 1}}},
        {"seed", 42},
        {"device", "cpu"},
        {"precision", "fp32"}};
}

std::string epochLine(int epoch, double time, double valAccuracy, double valLoss = 0.5) {
    return json{{"type", "epoch"},     {"time", time},
                {"epoch", epoch},      {"epochs", 3},
                {"train_loss", 0.9},   {"train_accuracy", 0.6},
                {"val_loss", valLoss}, {"val_accuracy", valAccuracy},
                {"lr", 0.01},          {"seconds", 2.5}}
               .dump() +
           "\n";
}

// A finished run of `epochs` epochs started at `start` (Unix seconds).
void writeRun(const fs::path& dir, const json& cfg, double start,
              const std::vector<double>& accuracies, const std::string& status = "completed") {
    writeText(dir / "config.json", cfg.dump(2));
    std::string events = json{{"type", "message"}, {"time", start}, {"text", "hi"}}.dump() + "\n";
    double best = 0;
    for (std::size_t i = 0; i < accuracies.size(); ++i) {
        events += epochLine(int(i) + 1, start + 10.0 * double(i + 1), accuracies[i]);
        best = std::max(best, accuracies[i]);
    }
    writeText(dir / "events.jsonl", events);
    writeText(dir / "summary.json",
              json{{"status", status},
                   {"error", ""},
                   {"epochs_completed", accuracies.size()},
                   {"best_val_accuracy", best},
                   {"final_val_accuracy", accuracies.empty() ? 0.0 : accuracies.back()},
                   {"wall_seconds", 10.0 * double(accuracies.size()) + 1.0}}
                  .dump(2));
}

std::shared_ptr<const fts::DataSource> bands() {
    const std::vector<std::string> classes{"left", "right"};
    std::mt19937 rng(3);
    std::uniform_int_distribution<int> noise(0, 60);
    std::vector<fts::RgbImage> images;
    std::vector<int> labels;
    for (int c = 0; c < 2; ++c)
        for (int k = 0; k < 8; ++k) {
            fts::RgbImage image;
            image.width = image.height = 32;
            image.pixels.resize(32 * 32 * 3);
            for (int y = 0; y < 32; ++y)
                for (int x = 0; x < 32; ++x)
                    for (int ch = 0; ch < 3; ++ch)
                        image.pixels[std::size_t((y * 32 + x) * 3 + ch)] =
                            std::uint8_t(noise(rng) + ((x < 16) == (c == 0) ? 160 : 0));
            images.push_back(std::move(image));
            labels.push_back(c);
        }
    return fts::makeMemorySource(classes, std::move(images), std::move(labels), "halves");
}

}  // namespace

class TstRunHistory : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void completeRun();
    void runInProgress();
    void damagedConfig();
    void experimentFolder();
    void differingSettings();
    void emptyAndMissingFolder();
    void realTrainingRun();
};

void TstRunHistory::completeRun() {
    QTemporaryDir tmp;
    const fs::path dir = fs::path(tmp.path().toStdString()) / "20260101-120000-resnet18";
    writeRun(dir, config("resnet18", "backbone", 0.01), 1.7e9, {0.5, 0.75, 0.7});
    const fts::RunRecord r = fts::loadRunRecord(dir);
    QCOMPARE(r.name, std::string("20260101-120000-resnet18"));
    QCOMPARE(r.status, std::string("completed"));
    QCOMPARE(r.model, std::string("resnet18"));
    QCOMPARE(r.freeze, std::string("backbone"));
    QCOMPARE(r.weights, std::string("/w/backbone.safetensors"));
    QCOMPARE(r.startedAt, 1.7e9);
    QCOMPARE(int(r.epochs.size()), 3);
    QCOMPARE(r.epochs[1].epoch, 2);
    QCOMPARE(r.epochs[1].valAccuracy, 0.75);
    QCOMPARE(r.epochs[1].trainLoss, 0.9);
    QCOMPARE(r.epochs[1].seconds, 2.5);
    QCOMPARE(r.bestValAccuracy, 0.75);
    QCOMPARE(r.finalValAccuracy, 0.7);
    QCOMPARE(r.wallSeconds, 31.0);
    QCOMPARE(r.plannedEpochs, 3);
    QCOMPARE(r.setting("lr"), std::string("0.01"));
    QCOMPARE(r.setting("optimizer"), std::string("adamw"));
    QCOMPARE(r.setting("schedule"), std::string("cosine"));
    QCOMPARE(r.setting("validation"), std::string("0.2 held out"));
    QCOMPARE(r.setting("classes"), std::string("2"));
    QCOMPARE(r.settings.front().first, std::string("model"));
    QVERIFY(r.setting("no such key").empty());
}

void TstRunHistory::runInProgress() {
    QTemporaryDir tmp;
    const fs::path dir = fs::path(tmp.path().toStdString()) / "live";
    writeText(dir / "config.json", config("demo_cnn", "", 0.001, 5).dump());
    // Two epochs (the first resumed: its last line wins) and a torn last line.
    const std::string second = epochLine(2, 1000.0 + 40, 0.6);
    writeText(dir / "events.jsonl", epochLine(1, 1000.0 + 10, 0.3) +
                                        epochLine(1, 1000.0 + 20, 0.4) + second +
                                        second.substr(0, second.size() / 2));
    fts::RunRecord r = fts::loadRunRecord(dir);
    QCOMPARE(r.status, std::string("running"));  // events.jsonl was just written
    QCOMPARE(int(r.epochs.size()), 2);
    QCOMPARE(r.epochs[0].valAccuracy, 0.4);
    QCOMPARE(r.bestValAccuracy, 0.6);
    QCOMPARE(r.finalValAccuracy, 0.6);
    QCOMPARE(r.startedAt, 1010.0);
    QCOMPARE(r.wallSeconds, 30.0);
    QCOMPARE(r.setting("weights"), std::string("/w/backbone.safetensors"));

    // Left alone for long: killed or paused, not running.
    const auto old = fs::file_time_type::clock::now() - std::chrono::hours(2);
    fs::last_write_time(dir / "events.jsonl", old);
    fs::last_write_time(dir / "config.json", old);
    r = fts::loadRunRecord(dir);
    QCOMPARE(r.status, std::string("unknown"));

    // No events at all yet: just the settings; start time from config.json.
    const fs::path fresh = fs::path(tmp.path().toStdString()) / "fresh";
    writeText(fresh / "config.json", config("demo_cnn", "", 0.001).dump());
    r = fts::loadRunRecord(fresh);
    QVERIFY(r.epochs.empty());
    QVERIFY(std::isnan(r.bestValAccuracy));
    QVERIFY(std::isnan(r.wallSeconds));
    QVERIFY(std::abs(r.startedAt - double(std::time(nullptr))) < 600);

    // A "finished" event without summary.json (summary written after it).
    writeText(fresh / "events.jsonl", epochLine(1, 50, 0.8) +
                                          json{{"type", "finished"},
                                               {"time", 60},
                                               {"status", "cancelled"},
                                               {"best_val_accuracy", 0.8},
                                               {"final_val_accuracy", 0.8},
                                               {"wall_seconds", 12.0}}
                                              .dump() +
                                          "\n");
    r = fts::loadRunRecord(fresh);
    QCOMPARE(r.status, std::string("cancelled"));
    QCOMPARE(r.wallSeconds, 12.0);
}

void TstRunHistory::damagedConfig() {
    QTemporaryDir tmp;
    const fs::path root(tmp.path().toStdString());
    writeText(root / "broken" / "config.json", "{\"model\": \"resn");
    writeText(root / "broken" / "events.jsonl", epochLine(1, 5, 0.5));
    writeText(root / "noconfig" / "events.jsonl", epochLine(1, 5, 0.5));
    writeText(root / "array" / "config.json", "[1, 2]");
    writeRun(root / "good", config("resnet18", "", 0.01), 100, {0.5});
    for (const char* name : {"broken", "noconfig", "array"}) {
        try {
            fts::loadRunRecord(root / name);
            QFAIL("no error");
        } catch (const fts::Error& e) {
            const std::string what = e.what();
            QVERIFY2(what.find(name) != std::string::npos, e.what());
            QVERIFY2(what.find("config.json") != std::string::npos, e.what());
        }
    }
    const fts::RunScan scan = fts::scanRuns(root);
    QCOMPARE(int(scan.runs.size()), 1);
    QCOMPARE(scan.runs[0].name, std::string("good"));
    QCOMPARE(int(scan.problems.size()), 3);
    for (const auto& p : scan.problems)
        QVERIFY2(p.find(root.u8string()) != std::string::npos, p.c_str());
}

void TstRunHistory::experimentFolder() {
    QTemporaryDir tmp;
    const fs::path root(tmp.path().toStdString());
    const fs::path exp = root / "exp1";
    writeRun(exp / "head", config("demo_cnn", "backbone", 0.01), 2000, {0.6, 0.7});
    writeRun(exp / "full", config("demo_cnn", "", 0.001), 2100, {0.7, 0.9});
    writeText(
        exp / "experiment.json",
        json{{"format", "finetune-studio-experiment"},
             {"version", 1},
             {"strategies",
              {{{"name", "head"}, {"title", "Head only (frozen backbone)"}, {"run_dir", "head"}},
               {{"name", "full"}, {"title", "Full fine-tune"}, {"run_dir", "full"}},
               {{"name", "evil"}, {"run_dir", "../outside"}}}}}
            .dump());
    writeRun(root / "older", config("resnet18", "", 0.01), 1000, {0.5});
    writeRun(root / "newer", config("resnet18", "", 0.01), 3000, {0.5});
    // An experiment still running: strategy folders but no experiment.json.
    writeRun(root / "exp2" / "head", config("demo_cnn", "backbone", 0.01), 1500, {0.6});
    writeText(root / "exp2" / "notes" / "readme.txt", "not a run");
    writeText(root / "stuff" / "readme.txt", "not a run either");

    const fts::RunScan scan = fts::scanRuns(root);
    QVERIFY(scan.problems.empty());
    QStringList order;
    for (const auto& r : scan.runs)
        order << QString::fromStdString(r.experiment + "/" + r.name + ":" + r.strategy);
    QCOMPARE(order, QStringList({"/newer:", "exp1/head:head", "exp1/full:full", "exp2/head:head",
                                 "/older:"}));
    QCOMPARE(scan.runs[1].strategyTitle, std::string("Head only (frozen backbone)"));
    QCOMPARE(scan.runs[2].strategyTitle, std::string("Full fine-tune"));
    QCOMPARE(scan.runs[3].strategyTitle, std::string("Head only (frozen backbone)"));
    QVERIFY(scan.runs[0].strategyTitle.empty());
    QCOMPARE(scan.runs[2].bestValAccuracy, 0.9);

    // A damaged experiment.json: reported, its strategy runs still listed.
    writeText(exp / "experiment.json", "{\"strategies\": [");
    const fts::RunScan damaged = fts::scanRuns(root);
    QCOMPARE(int(damaged.runs.size()), 5);
    QCOMPARE(int(damaged.problems.size()), 1);
    QVERIFY(damaged.problems[0].find("experiment.json") != std::string::npos);
}

void TstRunHistory::differingSettings() {
    QTemporaryDir tmp;
    const fs::path root(tmp.path().toStdString());
    writeRun(root / "a", config("resnet18", "backbone", 0.01), 1, {0.5});
    writeRun(root / "b", config("resnet18", "backbone", 0.01), 2, {0.6});
    json c = config("resnet18", "", 0.001);
    c["optimizer"].erase("momentum");
    writeRun(root / "c", c, 3, {0.7});
    const auto a = fts::loadRunRecord(root / "a"), b = fts::loadRunRecord(root / "b"),
               cc = fts::loadRunRecord(root / "c");
    QVERIFY(fts::differingSettings({a, b}).empty());
    QVERIFY(fts::differingSettings({a}).empty());
    QVERIFY(fts::differingSettings({}).empty());
    const auto keys = fts::differingSettings({a, b, cc});
    QCOMPARE(keys, (std::vector<std::string>{"freeze", "lr", "momentum"}));
    // A key missing from one run counts as differing.
    fts::RunRecord d = a;
    d.settings.erase(d.settings.begin());  // no "model"
    QCOMPARE(fts::differingSettings({a, d}), std::vector<std::string>{"model"});
}

void TstRunHistory::emptyAndMissingFolder() {
    QTemporaryDir tmp;
    const fs::path root(tmp.path().toStdString());
    fts::RunScan scan = fts::scanRuns(root);
    QVERIFY(scan.runs.empty());
    QVERIFY(scan.problems.empty());
    scan = fts::scanRuns(root / "does-not-exist");
    QVERIFY(scan.runs.empty());
    QVERIFY(scan.problems.empty());
    writeText(root / "file.txt", "x");
    scan = fts::scanRuns(root / "file.txt");
    QVERIFY(scan.runs.empty());
}

void TstRunHistory::realTrainingRun() {
    QTemporaryDir tmp;
    const fs::path root(tmp.path().toStdString());
    fts::TrainSettings s;
    s.model = "demo_cnn";
    s.epochs = 2;
    s.batchSize = 8;
    s.lr = 0.01;
    s.optimizer = "adamw";
    s.scheduler = "none";
    s.valSplit = 0.25;
    s.augment = "none";
    s.threads = 1;
    s.loaderWorkers = 1;
    s.samplePredictions = 0;
    s.outDir = (root / "20260102-030405-demo_cnn").u8string();
    fts::Trainer trainer(s);
    trainer.setDataSources(bands());
    const fts::RunSummary summary = trainer.run();
    QCOMPARE(summary.status, std::string("completed"));

    const fts::RunScan scan = fts::scanRuns(root);
    QVERIFY(scan.problems.empty());
    QCOMPARE(int(scan.runs.size()), 1);
    const fts::RunRecord& r = scan.runs[0];
    QCOMPARE(r.status, std::string("completed"));
    QCOMPARE(r.model, std::string("demo_cnn"));
    QVERIFY(r.weights.empty());
    QCOMPARE(int(r.epochs.size()), 2);
    QCOMPARE(r.epochs[0].epoch, 1);
    QVERIFY(std::isfinite(r.epochs[1].valAccuracy));
    QVERIFY(std::isfinite(r.epochs[1].trainLoss));
    QVERIFY(std::isfinite(r.epochs[1].lr));
    QCOMPARE(r.bestValAccuracy, summary.bestValAccuracy);
    QCOMPARE(r.wallSeconds, summary.wallSeconds);
    QVERIFY(std::abs(r.startedAt - double(std::time(nullptr))) < 600);
    QCOMPARE(r.setting("optimizer"), std::string("adamw"));
    QCOMPARE(r.setting("epochs"), std::string("2"));
    QCOMPARE(r.setting("augment"), std::string("none"));
    QCOMPARE(r.setting("device"), std::string("cpu"));
    QCOMPARE(r.setting("classes"), std::string("2"));
}

QTEST_GUILESS_MAIN(TstRunHistory)
#include "tst_runhistory.moc"
