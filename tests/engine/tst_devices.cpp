// Devices: cores this process may use (cgroup CPU quota parsing, v2 cpu.max,
// v1 cfs_quota_us / cfs_period_us), the training thread count, the device
// list, precision checks, CUDA autocast and out-of-memory handling (tested on
// the CPU with the FTS_INJECT_OOM hook, which throws the error the CUDA
// allocator throws), and the one-line refusals of CUDA / bf16 where they
// cannot run, through the engine and through finetune-cli.
#include "processrunner.h"

#include "core/compat.h"
#include "data/datasource.h"
#include "train/devices.h"
#include "train/trainer.h"

#include <torch/cuda.h>
#include <torch/types.h>

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// 3 classes x 12 images of 32x32: a bright band whose position is the class.
std::shared_ptr<const fts::DataSource> makeData() {
    std::mt19937 rng(5);
    std::uniform_int_distribution<int> noise(0, 80);
    std::vector<fts::RgbImage> images;
    std::vector<int> labels;
    for (int c = 0; c < 3; ++c)
        for (int k = 0; k < 12; ++k) {
            fts::RgbImage image;
            image.width = image.height = 32;
            image.pixels.resize(32 * 32 * 3);
            for (int y = 0; y < 32; ++y)
                for (int x = 0; x < 32; ++x)
                    for (int ch = 0; ch < 3; ++ch)
                        image.pixels[std::size_t((y * 32 + x) * 3 + ch)] =
                            std::uint8_t(noise(rng) + (x >= 4 + c * 9 && x < 12 + c * 9 ? 170 : 0));
            images.push_back(std::move(image));
            labels.push_back(c);
        }
    return fts::makeMemorySource({"a", "b", "c"}, std::move(images), std::move(labels), "bands");
}

fts::TrainSettings tinySettings(const fs::path& out) {
    fts::TrainSettings s;
    s.model = "demo_cnn";
    s.epochs = 2;
    s.batchSize = 8;  // 27 training images: 4 batches per epoch
    s.lr = 0.01;
    s.optimizer = "adamw";
    s.scheduler = "none";
    s.valSplit = 0.25;
    s.augment = "none";
    s.threads = 1;
    s.loaderWorkers = 1;
    s.samplePredictions = 0;
    s.cacheBudgetMb = 0;
    s.device = "cpu";
    s.outDir = out.string();
    return s;
}

struct Recorder : fts::TrainObserver {
    std::vector<std::string> messages;
    std::vector<fts::BatchProgress> batches;
    void batchFinished(const fts::BatchProgress& p) override { batches.push_back(p); }
    void message(const std::string& text) override { messages.push_back(text); }
};

fts::RunSummary runWith(const fts::TrainSettings& s, Recorder* recorder,
                        std::shared_ptr<const fts::DataSource> data = makeData()) {
    fts::Trainer trainer(s);
    if (data) trainer.setDataSources(std::move(data));
    return trainer.run(recorder);
}

// Sets FTS_INJECT_OOM while it lives.
struct InjectOom {
    explicit InjectOom(const char* steps) { qputenv("FTS_INJECT_OOM", steps); }
    ~InjectOom() { qunsetenv("FTS_INJECT_OOM"); }
};

// Every image fails to load, as every JPEG does in a build without OpenCV.
class UnreadableSource : public fts::DataSource {
public:
    std::string description() const override { return "unreadable"; }
    const std::vector<std::string>& classNames() const override { return m_classes; }
    std::size_t size() const override { return 12; }
    int label(std::size_t i) const override { return int(i % 2); }
    std::string itemName(std::size_t i) const override { return "img" + std::to_string(i); }
    fts::RgbImage load(std::size_t i) const override {
        throw std::runtime_error(itemName(i) + ": this build has no image decoder");
    }

private:
    std::vector<std::string> m_classes{"a", "b"};
};

json readJson(const fs::path& file) {
    std::ifstream in(file);
    return json::parse(in);
}

}  // namespace

class TstDevices : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cpuMax_data();
    void cpuMax();
    void cfsQuota_data();
    void cfsQuota();
    void usableCoresIsWithinTheMachine();
    void trainingThreadsHonoursARequest();
    void deviceListStartsWithTheCpu();
    void gpuLabel_data();
    void gpuLabel();
    void precisionProblem_data();
    void precisionProblem();
    void outOfMemoryIsRecognised();
    void injectedStepsAreParsed();
    void autocastGuardRestoresTheState();
    void bf16OnTheCpuFailsAtOnce();
    void cudaWithoutCudaFailsAtOnce();
    void cliRefusesWhatCannotRun_data();
    void cliRefusesWhatCannotRun();
    void outOfMemoryHalvesTheBatchOnce();
    void outOfMemoryTwiceStopsAndKeepsTheCheckpoint();
    void noReadableImageFailsTheRun();
};

void TstDevices::cpuMax_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("cores");
    QTest::newRow("no limit") << "max 100000\n" << 0;
    QTest::newRow("two cpus") << "200000 100000\n" << 2;
    QTest::newRow("one and a half, rounded up") << "150000 100000" << 2;
    QTest::newRow("a tenth is still one") << "10000 100000" << 1;
    QTest::newRow("other period") << "300000 50000" << 6;
    QTest::newRow("quota without period: the default 100 ms") << "400000" << 4;
    QTest::newRow("empty file") << "" << 0;
    QTest::newRow("garbage") << "lots\n" << 0;
}

void TstDevices::cpuMax() {
    QFETCH(QString, text);
    QFETCH(int, cores);
    QCOMPARE(fts::cpuMaxCores(text.toStdString()), cores);
}

void TstDevices::cfsQuota_data() {
    QTest::addColumn<QString>("quota");
    QTest::addColumn<QString>("period");
    QTest::addColumn<int>("cores");
    QTest::newRow("no limit") << "-1\n"
                              << "100000\n"
                              << 0;
    QTest::newRow("three cpus") << "300000\n"
                                << "100000\n"
                                << 3;
    QTest::newRow("half a cpu") << "50000"
                                << "100000" << 1;
    QTest::newRow("missing files") << ""
                                   << "" << 0;
}

void TstDevices::cfsQuota() {
    QFETCH(QString, quota);
    QFETCH(QString, period);
    QFETCH(int, cores);
    QCOMPARE(fts::cfsQuotaCores(quota.toStdString(), period.toStdString()), cores);
}

void TstDevices::usableCoresIsWithinTheMachine() {
    const int cores = fts::usableCores();
    QVERIFY(cores >= 1);
    QVERIFY(cores <= int(std::max(1u, std::thread::hardware_concurrency())));
}

void TstDevices::trainingThreadsHonoursARequest() {
    QCOMPARE(fts::trainingThreads(3), 3);
    QCOMPARE(fts::trainingThreads(0), fts::usableCores());
}

void TstDevices::deviceListStartsWithTheCpu() {
    const auto devices = fts::availableDevices();
    QVERIFY(!devices.empty());
    QCOMPARE(devices.front().id, std::string("cpu"));
    QVERIFY(QString::fromStdString(devices.front().name).startsWith("CPU ("));
    QCOMPARE(int(devices.size()) - 1, int(torch::cuda::device_count()));
    for (std::size_t i = 1; i < devices.size(); ++i) {
        QCOMPARE(devices[i].id, "cuda:" + std::to_string(i - 1));
        QVERIFY(QString::fromStdString(devices[i].name).startsWith("GPU "));
        // A CUDA build names the GPU and knows its memory and compute capability.
        if (fts::cudaCompiledIn()) {
            QVERIFY(devices[i].memoryBytes > 0);
            QVERIFY(devices[i].computeMajor >= 3);
        }
    }
    qInfo("CUDA compiled in: %s; LibTorch %s", fts::cudaCompiledIn() ? "yes" : "no",
          fts::compat::torchVersion());
}

void TstDevices::gpuLabel_data() {
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("name");
    QTest::addColumn<qint64>("bytes");
    QTest::addColumn<QString>("label");
    QTest::newRow("named, 80 GiB") << 0 << "NVIDIA H100 80GB HBM3" << qint64(85045559296LL)
                                   << "GPU 0: NVIDIA H100 80GB HBM3 (79.2 GiB)";
    QTest::newRow("second, 8 GiB")
        << 1 << "Tesla T4" << qint64(8LL << 30) << "GPU 1: Tesla T4 (8.0 GiB)";
    QTest::newRow("memory unknown") << 2 << "Some GPU" << qint64(0) << "GPU 2: Some GPU";
    QTest::newRow("nothing known") << 3 << "" << qint64(0) << "GPU 3";
}

void TstDevices::gpuLabel() {
    QFETCH(int, index);
    QFETCH(QString, name);
    QFETCH(qint64, bytes);
    QFETCH(QString, label);
    QCOMPARE(QString::fromStdString(fts::gpuLabel(index, name.toStdString(), bytes)), label);
}

void TstDevices::precisionProblem_data() {
    QTest::addColumn<QString>("precision");
    QTest::addColumn<QString>("device");
    QTest::addColumn<int>("major");
    QTest::addColumn<bool>("cudaBuild");
    QTest::addColumn<QString>("mentions");  // empty: no problem
    QTest::newRow("fp32 on the cpu") << "fp32"
                                     << "cpu" << 0 << false << "";
    QTest::newRow("fp32 on an old gpu") << "fp32"
                                        << "cuda:0" << 6 << true << "";
    QTest::newRow("bf16 on an A100") << "bf16"
                                     << "cuda:0" << 8 << true << "";
    QTest::newRow("bf16 on an H100") << "bf16"
                                     << "cuda:1" << 9 << true << "";
    QTest::newRow("bf16 on the cpu") << "bf16"
                                     << "cpu" << 0 << false << "needs a CUDA GPU";
    QTest::newRow("bf16 on a V100") << "bf16"
                                    << "cuda:0" << 7 << true << "has 7.x";
    QTest::newRow("bf16 without the CUDA runtime") << "bf16"
                                                   << "cuda:0" << 0 << false << "no CUDA runtime";
    QTest::newRow("fp16") << "fp16"
                          << "cuda:0" << 8 << true << "unknown precision 'fp16'";
}

void TstDevices::precisionProblem() {
    QFETCH(QString, precision);
    QFETCH(QString, device);
    QFETCH(int, major);
    QFETCH(bool, cudaBuild);
    QFETCH(QString, mentions);
    const QString problem = QString::fromStdString(
        fts::precisionProblem(precision.toStdString(), device.toStdString(), major, cudaBuild));
    if (mentions.isEmpty()) {
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        return;
    }
    QVERIFY2(problem.contains(mentions), qPrintable(problem));
    QVERIFY(problem.startsWith("--precision"));
    QVERIFY(!problem.contains('\n'));
}

void TstDevices::outOfMemoryIsRecognised() {
    try {
        fts::compat::throwOutOfMemory("CUDA out of memory. Tried to allocate 2.00 GiB");
        QFAIL("no exception");
    } catch (const std::exception& e) {
        QVERIFY(dynamic_cast<const c10::OutOfMemoryError*>(&e) != nullptr);
        QVERIFY(fts::isOutOfMemory(e));
    }
    // By its text, for an error that crossed a boundary as another type.
    QVERIFY(fts::isOutOfMemory(std::runtime_error("CUDA out of memory. Tried to allocate 20 MiB")));
    QVERIFY(!fts::isOutOfMemory(std::runtime_error("shape mismatch")));
    try {
        TORCH_CHECK(false, "an ordinary LibTorch error");
    } catch (const std::exception& e) {
        QVERIFY(!fts::isOutOfMemory(e));
    }
    fts::releaseCudaCache();  // a no-op without CUDA; must not throw
}

void TstDevices::injectedStepsAreParsed() {
    QVERIFY(fts::injectedOutOfMemorySteps().empty());
    {
        InjectOom inject("3,7,x,-1");
        QCOMPARE(fts::injectedOutOfMemorySteps(), (std::vector<long long>{3, 7}));
    }
    QVERIFY(fts::injectedOutOfMemorySteps().empty());
}

void TstDevices::autocastGuardRestoresTheState() {
    QVERIFY(!fts::compat::cudaAutocastEnabled());
    {
        fts::compat::CudaAutocastGuard off(/*enabled=*/false, torch::kBFloat16);
        QVERIFY(!fts::compat::cudaAutocastEnabled());
    }
    {
        fts::compat::CudaAutocastGuard on(/*enabled=*/true, torch::kBFloat16);
        QVERIFY(fts::compat::cudaAutocastEnabled());
        QCOMPARE(fts::compat::cudaAutocastDtype(), torch::kBFloat16);
        // CPU tensors are not cast by CUDA autocast.
        const auto a = torch::ones({4, 4});
        QCOMPARE(a.matmul(a).scalar_type(), torch::kFloat);
    }
    QVERIFY(!fts::compat::cudaAutocastEnabled());
}

void TstDevices::bf16OnTheCpuFailsAtOnce() {
    QTemporaryDir tmp;
    auto s = tinySettings(fs::path(tmp.path().toStdString()) / "run");
    s.precision = "bf16";
    s.dataPath = (fs::path(tmp.path().toStdString()) / "no such data").string();
    const auto summary = runWith(s, nullptr, /*data=*/nullptr);
    QCOMPARE(summary.status, std::string("failed"));
    qInfo("%s", summary.error.c_str());
    // The device check comes before the data is opened: the error is about bf16.
    QVERIFY2(QString::fromStdString(summary.error).startsWith("--precision bf16 needs a CUDA GPU"),
             summary.error.c_str());
    QVERIFY(summary.error.find('\n') == std::string::npos);
}

void TstDevices::cudaWithoutCudaFailsAtOnce() {
    if (torch::cuda::is_available()) QSKIP("this machine has CUDA");
    QTemporaryDir tmp;
    auto s = tinySettings(fs::path(tmp.path().toStdString()) / "run");
    s.device = "cuda";
    s.dataPath = (fs::path(tmp.path().toStdString()) / "no such data").string();
    const auto summary = runWith(s, nullptr, /*data=*/nullptr);
    QCOMPARE(summary.status, std::string("failed"));
    QVERIFY2(QString::fromStdString(summary.error).startsWith("--device cuda:"),
             summary.error.c_str());
    QVERIFY(summary.error.find('\n') == std::string::npos);
}

void TstDevices::cliRefusesWhatCannotRun_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    QTest::addColumn<bool>("needsNoCuda");
    QTest::newRow("cuda") << QStringList{"--device", "cuda"} << "--device cuda" << true;
    QTest::newRow("cuda:0") << QStringList{"--device", "cuda:0"} << "--device cuda:0" << true;
    QTest::newRow("bf16 on the cpu")
        << QStringList{"--device", "cpu", "--precision", "bf16"} << "--precision bf16" << false;
    QTest::newRow("fp16") << QStringList{"--precision", "fp16"} << "--precision" << false;
}

void TstDevices::cliRefusesWhatCannotRun() {
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    QFETCH(bool, needsNoCuda);
    if (needsNoCuda && torch::cuda::is_available()) QSKIP("this machine has CUDA");
    QTemporaryDir tmp;
    // The data does not exist: the refusal must come before it is opened.
    const ProcessResult r =
        runCli(QStringList{"train", "--model", "demo_cnn", "--data", tmp.filePath("nothing"),
                           "--out", tmp.filePath("run")} +
               args);
    QVERIFY2(r.exitCode != 0 && r.exitCode != -1 && r.exitCode != -2, r.err.constData());
    const QString err = QString::fromUtf8(r.err).trimmed();
    QVERIFY2(err.contains(mentions), qPrintable(err));
    QVERIFY2(!err.contains(QLatin1String("nothing")), qPrintable(err));
}

void TstDevices::outOfMemoryHalvesTheBatchOnce() {
    QTemporaryDir tmp;
    const fs::path run = fs::path(tmp.path().toStdString()) / "run";
    InjectOom inject("2");  // the second step of the run
    Recorder rec;
    const auto summary = runWith(tinySettings(run), &rec);
    QVERIFY2(summary.status == "completed", summary.error.c_str());
    QCOMPARE(summary.epochsCompleted, 2);
    // The observer and events.jsonl hear it once.
    int told = 0;
    for (const auto& m : rec.messages)
        if (m.find("out of memory at batch size 8") != std::string::npos) {
            ++told;
            QVERIFY2(
                m.find("retrying with batch size 4 for the rest of the run") != std::string::npos,
                m.c_str());
        }
    QCOMPARE(told, 1);
    int logged = 0;
    std::ifstream events(run / "events.jsonl");
    std::string line;
    while (std::getline(events, line)) {
        const json e = json::parse(line);
        if (e["type"] == "message" &&
            e["text"].get<std::string>().find("out of memory at batch size 8") != std::string::npos)
            ++logged;
    }
    QCOMPARE(logged, 1);
    // config.json keeps the asked size and records the one used.
    const json config = readJson(run / "config.json");
    QCOMPARE(config["batch_size"].get<int>(), 8);
    QCOMPARE(config["batch_size_after_out_of_memory"].get<int>(), 4);
    QCOMPARE(config["precision"].get<std::string>(), std::string("fp32"));
    // Progress is still per loaded batch, and every image was trained on.
    QCOMPARE(int(rec.batches.size()), 2 * 4);
    QCOMPARE(rec.batches.back().batch, 4);
}

void TstDevices::outOfMemoryTwiceStopsAndKeepsTheCheckpoint() {
    QTemporaryDir tmp;
    const fs::path run = fs::path(tmp.path().toStdString()) / "run";
    // Epoch 1 is steps 1-4; step 5 fails, and so does its retry (step 6).
    InjectOom inject("5,6");
    Recorder rec;
    const auto summary = runWith(tinySettings(run), &rec);
    QCOMPARE(summary.status, std::string("failed"));
    qInfo("%s", summary.error.c_str());
    QCOMPARE(summary.error, std::string("out of memory at batch size 4; lower the batch size or "
                                        "image size. The checkpoint of epoch 1 is kept."));
    QCOMPARE(summary.epochsCompleted, 1);
    const json latest = readJson(run / "checkpoint" / "latest.json");
    QVERIFY(!latest.is_null());
    QCOMPARE(readJson(run / "summary.json")["status"].get<std::string>(), std::string("failed"));
}

void TstDevices::noReadableImageFailsTheRun() {
    // A run whose every image fails (a build without OpenCV given JPEGs)
    // fails naming the reason, instead of "completing" on nothing.
    QTemporaryDir tmp;
    const fs::path run = fs::path(tmp.path().toStdString()) / "run";
    const auto summary = runWith(tinySettings(run), nullptr, std::make_shared<UnreadableSource>());
    QCOMPARE(summary.status, std::string("failed"));
    qInfo("%s", summary.error.c_str());
    QVERIFY2(QString::fromStdString(summary.error)
                 .startsWith("none of the 8 training images could be read"),
             summary.error.c_str());
    QVERIFY2(QString::fromStdString(summary.error).contains("no image decoder"),
             summary.error.c_str());
    QCOMPARE(summary.skippedFiles.size(), std::size_t(8));
    QCOMPARE(summary.epochsCompleted, 0);
}

QTEST_GUILESS_MAIN(TstDevices)
#include "tst_devices.moc"
