// Interop with Debian's PyTorch 1.13 / torchvision 0.14 beyond tst_models'
// plain state-dict parity: training checkpoints as scripts save them,
// TorchScript backbones (scripted and traced) against Python's features,
// bit-exact safetensors <-> .pth round trips checked by Python itself, and a
// TorchScript backbone fine-tuned through the real Trainer.
// Fixtures: make_interop_fixtures.py.
#include "core/error.h"
#include "core/fileio.h"
#include "data/datasource.h"
#include "export/bundle.h"
#include "models/registry.h"
#include "models/torchscriptbackbone.h"
#include "train/trainer.h"
#include "weights/safetensors.h"
#include "weights/statedictloader.h"
#include "weights/weightfile.h"

#include <torch/serialize.h>
#include <torch/types.h>

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <algorithm>
#include <fstream>
#include <random>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr double kTolerance = 1e-4;

fs::path fixture(const std::string& name) {
    return fs::path(FTS_FIXTURE_DIR) / "interop" / name;
}

torch::Tensor tensorNamed(const fts::TensorList& list, const std::string& name) {
    for (const auto& [key, tensor] : list)
        if (key == name) return tensor;
    return {};
}

torch::Tensor ioTensor(const std::string& file, const std::string& name) {
    return tensorNamed(fts::readSafetensors(fixture(file)).tensors, name);
}

// Runs a Python snippet with Debian's torch and the safetensors package;
// returns its stdout (trimmed), or fails the test with its stderr.
QByteArray python(const QString& script, const QStringList& arguments) {
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PYTHONPATH"), QStringLiteral(FTS_PYDEPS));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(FTS_PYTHON),
                  QStringList{QStringLiteral("-c"), script} + arguments);
    if (!process.waitForFinished(120000)) return "timeout";
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return "python failed: " + process.readAllStandardError();
    return process.readAllStandardOutput().trimmed();
}

// Compares two files' tensors bit for bit in Python: argv[1] is read with
// argv[3] ("st" safetensors, "pt" torch.load), argv[2] with argv[4].
const char* const kCompareScript = R"(
import sys, torch
from safetensors.torch import load_file
def read(path, kind):
    return load_file(path) if kind == "st" else torch.load(path)
a, b = read(sys.argv[1], sys.argv[3]), read(sys.argv[2], sys.argv[4])
assert list(a) == list(b) or set(a) == set(b), sorted(set(a) ^ set(b))
for k in a:
    x, y = a[k], b[k]
    assert x.dtype == y.dtype and x.shape == y.shape, (k, x.dtype, y.dtype, x.shape, y.shape)
    bx = x.contiguous().reshape(-1).view(torch.uint8)
    by = y.contiguous().reshape(-1).view(torch.uint8)
    assert torch.equal(bx, by), k
print("identical", len(a))
)";

const std::vector<std::string> kClasses{"left", "middle", "right"};

// 3 classes x 12 images of 32x32: a bright vertical band whose position is the class.
std::shared_ptr<const fts::DataSource> makeData() {
    std::mt19937 rng(5);
    std::uniform_int_distribution<int> noise(0, 80);
    std::vector<fts::RgbImage> images;
    std::vector<int> labels;
    for (int c = 0; c < 3; ++c) {
        for (int k = 0; k < 12; ++k) {
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

fts::TrainSettings tinySettings(const fs::path& out) {
    fts::TrainSettings s;
    s.model = fts::kTorchScriptModel;
    s.weightsFile = fixture("ts_tiny_scripted.pt").string();
    s.imageSize = 32;
    s.epochs = 1;
    s.batchSize = 8;
    s.lr = 0.01;
    s.backboneLrScale = 0.5;
    s.optimizer = "adamw";
    s.scheduler = "none";
    s.valSplit = 0.25;
    s.augment = "light";
    s.threads = 1;
    s.loaderWorkers = 1;
    s.samplePredictions = 2;
    s.device = "cpu";
    s.outDir = out.string();
    return s;
}

std::map<std::string, torch::Tensor> tensorsOf(const fs::path& file) {
    std::map<std::string, torch::Tensor> map;
    for (auto& [name, tensor] : fts::loadWeightFile(file).tensors) map[name] = tensor;
    return map;
}

json readJson(const fs::path& file) {
    std::ifstream in(file);
    return json::parse(in);
}

}  // namespace

class TstInterop : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void trainingCheckpoint_data();
    void trainingCheckpoint();
    void torchScriptFeatures_data();
    void torchScriptFeatures();
    void pthToSafetensors_data();
    void pthToSafetensors();
    void safetensorsToPth();
    void fineTunesTorchScriptBackbone();
    void frozenTorchScriptBackboneUsesFeatureCache();
};

void TstInterop::trainingCheckpoint_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("format");
    QTest::newRow("zip") << "training_checkpoint_zip.pth" << int(fts::WeightFormat::TorchZip);
    QTest::newRow("legacy") << "training_checkpoint_legacy.pth"
                            << int(fts::WeightFormat::TorchLegacy);
}

// {"epoch", "state_dict": {"module.conv1.weight", ...}, "optimizer", "best_acc1"}:
// the shape of torchvision's reference training script's checkpoints.
void TstInterop::trainingCheckpoint() {
    QFETCH(QString, file);
    QFETCH(int, format);
    const fts::WeightFile weights = fts::loadWeightFile(fixture(file.toStdString()));
    QCOMPARE(int(weights.format), format);
    fts::Classifier model = fts::createModel("resnet18", 7);
    const fts::LoadReport report = fts::loadStateDict(*model, weights.tensors);
    QVERIFY2(report.complete(), report.describe().c_str());
    QCOMPARE(report.loaded, 122);  // resnet18's state dict, num_batches_tracked included
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor logits =
        model->forward(ioTensor("training_checkpoint_io.safetensors", "input"));
    const double diff = (logits - ioTensor("training_checkpoint_io.safetensors", "output"))
                            .abs()
                            .max()
                            .item<double>();
    // This checkpoint's network is untrained: its logits reach about 2e5,
    // where one float32 step is 0.016 and another convolution algorithm
    // (LibTorch 2.x's oneDNN) rounds differently: a relative tolerance.
    const double scale = std::max(
        1.0, ioTensor("training_checkpoint_io.safetensors", "output").abs().max().item<double>());
    qInfo("%s: max |logits - torchvision| = %.3g (largest logit %.3g)", qPrintable(file), diff,
          scale);
    QVERIFY(diff <= kTolerance * scale);
}

void TstInterop::torchScriptFeatures_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("io");
    QTest::addColumn<int>("features");
    QTest::addColumn<bool>("pools");
    QTest::newRow("resnet18 scripted") << "ts_resnet18_scripted.pt"
                                       << "ts_resnet18" << 512 << false;
    QTest::newRow("resnet18 traced") << "ts_resnet18_traced.pt"
                                     << "ts_resnet18" << 512 << false;
    QTest::newRow("mobilenet_v2 scripted") << "ts_mobilenet_v2_scripted.pt"
                                           << "ts_mobilenet_v2" << 1280 << false;
    QTest::newRow("feature map scripted") << "ts_featuremap_scripted.pt"
                                          << "ts_featuremap" << 512 << true;
    QTest::newRow("tiny scripted") << "ts_tiny_scripted.pt"
                                   << "ts_tiny" << 16 << false;
    QTest::newRow("tiny traced") << "ts_tiny_traced.pt"
                                 << "ts_tiny" << 16 << false;
}

void TstInterop::torchScriptFeatures() {
    QFETCH(QString, file);
    QFETCH(QString, io);
    QFETCH(int, features);
    QFETCH(bool, pools);
    const torch::Tensor input = ioTensor(io.toStdString() + "_io.safetensors", "input");
    const torch::Tensor expected = ioTensor(io.toStdString() + "_io.safetensors", "output");
    QVERIFY(input.defined() && expected.defined());
    auto model = fts::loadTorchScriptClassifier(fixture(file.toStdString()), 4,
                                                static_cast<int>(input.size(2)));
    QCOMPARE(model->headInputs(), std::int64_t(features));
    QCOMPARE(model->poolsFeatureMap(), pools);
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor got = model->forwardFeatures(input);
    QCOMPARE(got.sizes().vec(), expected.sizes().vec());
    const double diff = (got - expected).abs().max().item<double>();
    qInfo("%s: max |features - PyTorch| = %.3g", qPrintable(file), diff);
    QVERIFY(diff <= kTolerance);
    QCOMPARE(model->forward(input).sizes().vec(), (std::vector<std::int64_t>{input.size(0), 4}));
}

void TstInterop::pthToSafetensors_data() {
    QTest::addColumn<QString>("file");
    QTest::newRow("zip") << "roundtrip_zip.pth";
    QTest::newRow("legacy") << "roundtrip_legacy.pth";
}

// Python's torch.save -> our reader -> our safetensors writer -> Python's
// safetensors: every tensor bit for bit (dtypes, -0.0, inf, denormals).
void TstInterop::pthToSafetensors() {
    QFETCH(QString, file);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fts::WeightFile wf = fts::loadWeightFile(fixture(file.toStdString()));
    QCOMPARE(int(wf.tensors.size()), 13);
    const QString ours = dir.filePath(QStringLiteral("ours.safetensors"));
    fts::writeSafetensors(fs::u8path(ours.toStdString()), wf.tensors, {});
    const QString original = QString::fromStdString(fixture(file.toStdString()).string());
    QCOMPARE(python(QString::fromLatin1(kCompareScript),
                    {ours, original, QStringLiteral("st"), QStringLiteral("pt")}),
             QByteArray("identical 13"));
    // And ours equals Python's own safetensors file of the same tensors.
    const QString theirs = QString::fromStdString(fixture("roundtrip.safetensors").string());
    QCOMPARE(python(QString::fromLatin1(kCompareScript),
                    {ours, theirs, QStringLiteral("st"), QStringLiteral("st")}),
             QByteArray("identical 13"));
}

// Python's safetensors -> our reader -> a .pth as the export bundle writes it
// (torch::pickle_save of {name: tensor}) -> Python's torch.load: bit for bit.
void TstInterop::safetensorsToPth() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto content = fts::readSafetensors(fixture("roundtrip.safetensors"));
    c10::Dict<std::string, at::Tensor> dict;
    for (const auto& [name, tensor] : content.tensors) dict.insert(name, tensor);
    const std::vector<char> bytes = torch::pickle_save(c10::IValue(dict));
    const QString ours = dir.filePath(QStringLiteral("ours.pth"));
    fts::writeFileAtomically(fs::u8path(ours.toStdString()), bytes.data(), bytes.size());
    const QString original = QString::fromStdString(fixture("roundtrip.safetensors").string());
    QCOMPARE(python(QString::fromLatin1(kCompareScript),
                    {ours, original, QStringLiteral("pt"), QStringLiteral("st")}),
             QByteArray("identical 13"));
}

// One epoch through the real Trainer with a scripted 32 px backbone: the
// frozen module keeps its weights, the rest of the backbone and the head
// train, and a resumed run continues from the checkpoint.
void TstInterop::fineTunesTorchScriptBackbone() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path run = fs::u8path(dir.filePath(QStringLiteral("run")).toStdString());
    fts::TrainSettings s = tinySettings(run);
    s.freeze = "stem";
    fts::Trainer trainer(s);
    trainer.setDataSources(makeData());
    const fts::RunSummary summary = trainer.run();
    QVERIFY2(summary.status == "completed", summary.error.c_str());
    QCOMPARE(summary.epochsCompleted, 1);

    const json config = readJson(run / "config.json");
    QCOMPARE(QString::fromStdString(config["model"].get<std::string>()),
             QStringLiteral("torchscript"));
    const auto best = tensorsOf(run / "best.safetensors");
    const auto initial =
        fts::stateDictOf(*fts::loadTorchScriptClassifier(fixture("ts_tiny_scripted.pt"), 3, 32));
    QCOMPARE(best.size(), initial.size());
    for (const auto& [name, tensor] : initial) {
        QVERIFY2(best.count(name), name.c_str());
        if (name.rfind("head.", 0) == 0) continue;  // random init: not comparable
        const bool same = torch::equal(best.at(name), tensor);
        if (name.rfind("stem.", 0) == 0)
            QVERIFY2(same, ("frozen " + name + " changed").c_str());
        else if (name.find("num_batches") == std::string::npos &&
                 name.find("running") == std::string::npos)
            QVERIFY2(!same, ("trainable " + name + " did not change").c_str());
    }

    // Resume to two epochs: the backbone is read from its file again, the
    // weights from the checkpoint.
    fts::TrainSettings more = s;
    more.epochs = 2;
    more.resume = true;
    fts::Trainer resumed(more);
    resumed.setDataSources(makeData());
    const fts::RunSummary second = resumed.run();
    QVERIFY2(second.status == "completed", second.error.c_str());
    QCOMPARE(second.epochsCompleted, 2);

    // The export bundle: the fine-tuned backbone as TorchScript plus the
    // whole state dict; loading it gives the run's model.
    const fs::path bundle = fs::u8path(dir.filePath(QStringLiteral("bundle")).toStdString());
    fts::exportBundle(run, bundle);
    QVERIFY(fs::exists(bundle / "backbone.pt"));
    const json description = readJson(bundle / "model.json");
    QCOMPARE(QString::fromStdString(description["architecture"].get<std::string>()),
             QStringLiteral("torchscript"));
    QCOMPARE(QString::fromStdString(description["backbone"].get<std::string>()),
             QStringLiteral("backbone.pt"));
    const fts::LoadedModel fromBundle = fts::loadBundle(bundle);
    const fts::LoadedModel fromRun = fts::loadRun(run);
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({2, 3, 32, 32});
    QCOMPARE((fromBundle.model->forward(x) - fromRun.model->forward(x)).abs().max().item<double>(),
             0.0);
    // backbone.pt alone carries the fine-tuned weights (not the original file's).
    auto exported = fts::loadTorchScriptClassifier(bundle / "backbone.pt", 3, 32);
    auto original = fts::loadTorchScriptClassifier(fixture("ts_tiny_scripted.pt"), 3, 32);
    exported->eval();
    original->eval();
    QVERIFY(
        (exported->forwardFeatures(x) - original->forwardFeatures(x)).abs().max().item<double>() >
        1e-4);
}

// Frozen backbone, no augmentation: the head trains on cached features of
// the TorchScript backbone (a traced one here).
void TstInterop::frozenTorchScriptBackboneUsesFeatureCache() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path run = fs::u8path(dir.filePath(QStringLiteral("run")).toStdString());
    fts::TrainSettings s = tinySettings(run);
    s.weightsFile = fixture("ts_tiny_traced.pt").string();
    s.freeze = "backbone";
    s.augment = "none";
    s.lr = 0.05;
    s.epochs = 3;
    fts::Trainer trainer(s);
    trainer.setDataSources(makeData());
    const fts::RunSummary summary = trainer.run();
    QVERIFY2(summary.status == "completed", summary.error.c_str());
    std::ifstream in(run / "events.jsonl");
    std::string line, messages;
    while (std::getline(in, line)) {
        const json e = json::parse(line);
        if (e.value("type", "") == "message") messages += e.value("text", "") + "\n";
    }
    qInfo("%s", messages.c_str());
    QVERIFY2(QString::fromStdString(messages).contains(QLatin1String("TorchScript backbone")),
             messages.c_str());
    QVERIFY2(QString::fromStdString(messages).contains(QLatin1String("feature cache: the frozen")),
             messages.c_str());
    const auto best = tensorsOf(run / "best.safetensors");
    const auto initial =
        fts::stateDictOf(*fts::loadTorchScriptClassifier(fixture("ts_tiny_traced.pt"), 3, 32));
    for (const auto& [name, tensor] : initial)
        if (name.rfind("head.", 0) != 0)
            QVERIFY2(torch::equal(best.at(name), tensor), name.c_str());
}

QTEST_GUILESS_MAIN(TstInterop)
#include "tst_interop.moc"
