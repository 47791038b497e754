// The torch-free facades the GUI builds on: describeModel (tree, traced
// output shapes against a real forward, parameter counts, the weights
// report), engineTrainableParameters, the device list and the dataset
// preview (the pixels the model sees).
#include "train/modeldescription.h"

#include "core/error.h"
#include "core/resources.h"
#include "data/augment.h"
#include "data/evaltransform.h"
#include "data/preview.h"
#include "models/registry.h"
#include "train/devices.h"

#include <ATen/ATen.h>
#include <torch/types.h>
#include <torch/utils.h>

#include <QtTest/QtTest>

#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

using Shape = std::vector<std::int64_t>;

// Small sizes keep the whole table fast on two cores; still large enough for
// every architecture's five halvings.
int testSize(const std::string& arch) {
    return arch == "demo_cnn" ? 28 : 64;
}

// Paths of the tree in registration (pre-)order.
void preorder(const fts::ModuleNode& node, std::vector<std::string>& out) {
    out.push_back(node.path);
    for (const auto& child : node.children) preorder(child, out);
}

const fts::ModuleNode* findNode(const fts::ModuleNode& node, const std::string& path) {
    if (node.path == path) return &node;
    for (const auto& child : node.children)
        if (const auto* found = findNode(child, path)) return found;
    return nullptr;
}

std::int64_t product(const Shape& shape) {
    std::int64_t n = 1;
    for (auto d : shape) n *= d;
    return n;
}

fts::RgbImage noiseImage(int width, int height, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> byte(0, 255);
    fts::RgbImage image;
    image.width = width;
    image.height = height;
    image.pixels.resize(std::size_t(width) * height * 3);
    for (auto& p : image.pixels) p = std::uint8_t(byte(rng));
    return image;
}

bool sameImage(const fts::RgbImage& a, const fts::RgbImage& b) {
    return a.width == b.width && a.height == b.height && a.pixels == b.pixels;
}

template <typename F>
QString errorOf(F&& f) {
    try {
        f();
    } catch (const fts::Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

}  // namespace

class TstModelDescription : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void shapesMatchRealForward_data();
    void shapesMatchRealForward();
    void parameterCounts_data();
    void parameterCounts();
    void defaultsFromRegistry();
    void unknownModelFails();
    void demoBackboneReport();
    void badWeightsFileNamesIt_data();
    void badWeightsFileNamesIt();
    void deviceListStartsWithCpu();
    void evalPreviewIsEvalTransform();
    void trainPreview_data();
    void trainPreview();
    void trainPreviewUnknownAugmentFails();
};

void TstModelDescription::initTestCase() {
    torch::manual_seed(1);
}

void TstModelDescription::shapesMatchRealForward_data() {
    QTest::addColumn<QString>("arch");
    for (const auto& info : fts::modelRegistry())
        QTest::newRow(info.name.c_str()) << QString::fromStdString(info.name);
}

void TstModelDescription::shapesMatchRealForward() {
    QFETCH(QString, arch);
    const std::string name = arch.toStdString();
    const int size = testSize(name);
    const std::int64_t classes = 7;
    const fts::ModelDescription d = fts::describeModel(name, "", classes, size);
    QCOMPARE(d.arch, name);
    QCOMPARE(d.imageSize, size);
    QCOMPARE(d.numClasses, classes);
    QVERIFY(!d.family.empty());
    QCOMPARE(d.headPath, fts::findModel(name)->headPath);
    QCOMPARE(d.lastBlockPath, fts::findModel(name)->backboneLastBlock);
    QVERIFY(findNode(d.tree, d.headPath));
    QVERIFY(findNode(d.tree, d.lastBlockPath));

    // A real forward of a model of the same architecture.
    fts::Classifier model = fts::createModel(name, classes);
    model->eval();
    torch::NoGradGuard noGrad;
    const auto x = torch::rand({1, 3, size, size});
    const auto logits = model->forward(x);
    const auto features = model->forwardFeatures(x);

    QVERIFY2(d.outputShapes.count(d.headPath), d.headPath.c_str());
    QCOMPARE(d.outputShapes.at(d.headPath), Shape({logits.size(1)}));
    QCOMPARE(logits.size(1), classes);

    // Every traced path is a real module; the last traced one before the head
    // (in registration order, not the head's ancestors) is what the head reads.
    std::vector<std::string> order;
    preorder(d.tree, order);
    for (const auto& [path, shape] : d.outputShapes) {
        QVERIFY2(findNode(d.tree, path), path.c_str());
        QVERIFY(!shape.empty());
    }
    std::string beforeHead;
    for (const auto& path : order) {
        if (path == d.headPath) break;
        const bool ancestor = d.headPath.rfind(path + ".", 0) == 0;
        if (!path.empty() && !ancestor && d.outputShapes.count(path)) beforeHead = path;
    }
    QVERIFY2(!beforeHead.empty(), "no traced module before the head");
    QCOMPARE(product(d.outputShapes.at(beforeHead)), features.size(1));

    // The last block's output is a feature map whose resolution the input
    // size sets; its channels equal the last top-level feature stage's input
    // to pooling for the ResNets (no conv after layer4 / layer3).
    QVERIFY2(d.outputShapes.count(d.lastBlockPath), d.lastBlockPath.c_str());
    const Shape& block = d.outputShapes.at(d.lastBlockPath);
    QCOMPARE(int(block.size()), 3);
    QVERIFY(block[1] >= 1 && block[1] < size && block[1] == block[2]);
    if (d.family == "ResNet" || d.family == "Demo") QCOMPARE(block[0], features.size(1));

    // The first top-level child is traced, with the stem's stride.
    const std::string first = d.tree.children.front().path;
    QVERIFY2(d.outputShapes.count(first), first.c_str());
}

void TstModelDescription::parameterCounts_data() {
    QTest::addColumn<QString>("arch");
    QTest::newRow("demo_cnn") << "demo_cnn";
    QTest::newRow("resnet18") << "resnet18";
    QTest::newRow("mobilenet_v3_small") << "mobilenet_v3_small";
}

void TstModelDescription::parameterCounts() {
    QFETCH(QString, arch);
    const std::string name = arch.toStdString();
    const std::int64_t classes = 4;
    const fts::ModelDescription d = fts::describeModel(name, "", classes, testSize(name));
    fts::Classifier model = fts::createModel(name, classes);
    std::int64_t total = 0;
    for (const auto& p : model->parameters()) total += p.numel();
    QCOMPARE(d.totalParameters, total);
    QCOMPARE(d.tree.totalParameters, total);

    const std::int64_t head = model->headInputs() * classes + classes;
    QCOMPARE(fts::engineTrainableParameters(name, classes, "backbone"), (long long)head);
    QCOMPARE(fts::engineTrainableParameters(name, classes, "none"), (long long)total);
    const auto* headNode = findNode(d.tree, d.headPath);
    QVERIFY(headNode);
    QCOMPARE(headNode->totalParameters, head);
    QVERIFY(!errorOf([&] {
                 fts::engineTrainableParameters(name, classes, "no_such_module");
             }).isEmpty());
}

void TstModelDescription::defaultsFromRegistry() {
    const auto demo = fts::describeModel("demo_cnn", "", 0, 0);
    QCOMPARE(demo.numClasses, std::int64_t(5));
    QCOMPARE(demo.imageSize, 28);
    QCOMPARE(demo.outputShapes.at("fc"), Shape({5}));
    QCOMPARE(demo.outputShapes.at("conv1"), Shape({32, 28, 28}));
    QCOMPARE(demo.outputShapes.at("layer3"), Shape({128, 4, 4}));
    QVERIFY(demo.weightsReport.empty());

    const auto resnet = fts::describeModel("resnet18", "", 0, 64);
    QCOMPARE(resnet.numClasses, std::int64_t(1000));
    QCOMPARE(resnet.outputShapes.at("fc"), Shape({1000}));
    QCOMPARE(resnet.outputShapes.at("maxpool"), Shape({64, 16, 16}));
    QCOMPARE(resnet.outputShapes.at("layer1.0"), Shape({64, 16, 16}));
    QCOMPARE(resnet.outputShapes.at("layer4"), Shape({512, 2, 2}));
    QCOMPARE(resnet.outputShapes.at("avgpool"), Shape({512, 1, 1}));
    // Inside a residual block nothing is traced on its own.
    QVERIFY(!resnet.outputShapes.count("layer1.0.conv1"));

    // Sequentials are traced child by child, nested ones too.
    const auto mobilenet = fts::describeModel("mobilenet_v2", "", 10, 64);
    QCOMPARE(mobilenet.outputShapes.at("features.0"), Shape({32, 32, 32}));
    QCOMPARE(mobilenet.outputShapes.at("features.0.0"), Shape({32, 32, 32}));
    QCOMPARE(mobilenet.outputShapes.at("features.18"), Shape({1280, 2, 2}));
    QCOMPARE(mobilenet.outputShapes.at("classifier.0"), Shape({1280}));
    QCOMPARE(mobilenet.outputShapes.at("classifier"), Shape({10}));
    const auto efficientnet = fts::describeModel("efficientnet_b0", "", 10, 64);
    QCOMPARE(efficientnet.outputShapes.at("features.1.0"), Shape({16, 32, 32}));
    QCOMPARE(efficientnet.outputShapes.at("features.7"), Shape({320, 2, 2}));
}

void TstModelDescription::unknownModelFails() {
    const QString message = errorOf([] { fts::describeModel("resnet19", "", 3, 64); });
    QVERIFY(message.contains("resnet19"));
    QVERIFY(message.contains("resnet18"));  // names the known ones
}

void TstModelDescription::demoBackboneReport() {
    const fs::path backbone = fts::demoDirectory() / "backbone.safetensors";
    QVERIFY(fs::exists(backbone));
    const auto d = fts::describeModel("demo_cnn", backbone.string(), 3, 0);
    QCOMPARE(d.weightsFile, backbone.string());
    const QString report = QString::fromStdString(d.weightsReport);
    QVERIFY2(report.startsWith("Loaded "), qPrintable(report));
    QVERIFY2(report.contains("head (fc) is new for 3 classes"), qPrintable(report));
    QVERIFY2(!report.contains("refuse"), qPrintable(report));
    QCOMPARE(d.outputShapes.at("fc"), Shape({3}));
}

void TstModelDescription::badWeightsFileNamesIt_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<bool>("create");
    QTest::newRow("missing") << QByteArray() << false;
    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("garbage") << QByteArray("this is not a weight file at all") << true;
}

void TstModelDescription::badWeightsFileNamesIt() {
    QFETCH(QByteArray, content);
    QFETCH(bool, create);
    QTemporaryDir tmp;
    const fs::path file = fs::path(tmp.path().toStdString()) / "broken-weights.pth";
    if (create) {
        std::ofstream out(file, std::ios::binary);
        out.write(content.constData(), content.size());
    }
    const QString message = errorOf([&] { fts::describeModel("demo_cnn", file.string(), 3, 0); });
    QVERIFY2(message.contains("broken-weights.pth"), qPrintable(message));
}

void TstModelDescription::deviceListStartsWithCpu() {
    const auto devices = fts::availableDevices();
    QVERIFY(!devices.empty());
    QCOMPARE(devices.front().id, std::string("cpu"));
    QVERIFY(QString::fromStdString(devices.front().name).startsWith("CPU ("));
    QVERIFY(fts::usableCores() >= 1);
    QVERIFY(
        QString::fromStdString(devices.front().name).contains(QString::number(fts::usableCores())));
    for (std::size_t i = 1; i < devices.size(); ++i)
        QCOMPARE(devices[i].id, "cuda:" + std::to_string(i - 1));
}

void TstModelDescription::evalPreviewIsEvalTransform() {
    const fts::RgbImage image = noiseImage(50, 37, 3);
    const int size = 24;
    const fts::RgbImage preview = fts::previewEvalImage(image, size);
    QCOMPARE(preview.width, size);
    QCOMPARE(preview.height, size);
    const fts::Normalization norm;
    const at::Tensor expected = fts::evalTransform(image, size, norm);
    const at::Tensor actual = fts::toNormalizedTensor(preview, norm);
    QVERIFY(at::equal(expected, actual));
}

void TstModelDescription::trainPreview_data() {
    QTest::addColumn<QString>("augment");
    QTest::newRow("none") << "none";
    QTest::newRow("light") << "light";
    QTest::newRow("strong") << "strong";
}

void TstModelDescription::trainPreview() {
    QFETCH(QString, augment);
    const std::string name = augment.toStdString();
    const fts::RgbImage image = noiseImage(60, 45, 9);
    const int size = 32;
    const auto a = fts::previewTrainImage(image, size, name, 42);
    const auto b = fts::previewTrainImage(image, size, name, 42);
    QCOMPARE(a.width, size);
    QCOMPARE(a.height, size);
    QCOMPARE(int(a.pixels.size()), size * size * 3);
    QVERIFY(sameImage(a, b));

    fts::TransformSpec spec;
    spec.cropSize = size;
    spec.augment = fts::parseAugment(name);
    std::mt19937_64 rng(42);
    // What the trainer's loader computes: with augmentation, the image is
    // first presized to training resolution (shorter side round(S / 0.875)).
    const at::Tensor expected = fts::trainTransform(
        name == "none" ? image : fts::presizeForTraining(image, size), spec, rng);
    const at::Tensor actual = fts::toNormalizedTensor(a, spec.norm);
    if (name == "strong") {
        // Colour jitter is computed in floats; the preview rounds to bytes.
        const double step = 0.5 / 255.0 / 0.224 + 1e-5;
        QVERIFY((expected - actual).abs().max().item<double>() <= step);
    } else {
        QVERIFY(at::equal(expected, actual));
    }

    if (name == "none") {
        QVERIFY(sameImage(a, fts::previewEvalImage(image, size)));
    } else {
        bool anyDiffers = false;
        for (std::uint64_t seed = 1; seed < 6 && !anyDiffers; ++seed)
            anyDiffers = !sameImage(a, fts::previewTrainImage(image, size, name, seed));
        QVERIFY(anyDiffers);
    }
}

void TstModelDescription::trainPreviewUnknownAugmentFails() {
    const QString message =
        errorOf([] { fts::previewTrainImage(noiseImage(8, 8, 1), 8, "medium", 1); });
    QVERIFY(message.contains("medium"));
}

QTEST_GUILESS_MAIN(TstModelDescription)
#include "tst_modeldescription.moc"
