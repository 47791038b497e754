// The torchvision-compatible architectures: logits equal torchvision's for
// the same weights (every weight format), state-dict names and shapes equal
// torchvision's, the registry tells the truth about each model, and a
// training step runs. Fixtures: tests/fixtures/make_model_fixtures.py.
#include "core/error.h"
#include "models/classifier.h"
#include "models/layers.h"
#include "models/moduletree.h"
#include "models/registry.h"
#include "weights/statedictloader.h"
#include "weights/weightfile.h"

#include <ATen/ATen.h>
#include <torch/nn/functional/loss.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/linear.h>
#include <torch/types.h>
#include <torch/utils.h>
#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

const char* const kArchs[] = {"resnet18",       "resnet34",           "resnet50",
                              "mobilenet_v2",   "mobilenet_v3_small", "mobilenet_v3_large",
                              "efficientnet_b0"};

// Logits of a float32 forward pass with the same weights: LibTorch runs the
// same kernels as PyTorch, so only summation order could differ.
constexpr double kParityTolerance = 1e-4;

std::string fixture(const std::string& file) {
    return std::string(FTS_FIXTURE_DIR) + "/models/" + file;
}

std::string shapeText(at::IntArrayRef shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

std::int64_t parameterCount(const torch::nn::Module& module) {
    std::int64_t n = 0;
    for (const auto& p : module.parameters()) n += p.numel();
    return n;
}

std::shared_ptr<torch::nn::Module> findModule(const torch::nn::Module& root,
                                              const std::string& path) {
    for (const auto& item : root.named_modules(/*name_prefix=*/"", /*include_self=*/false)) {
        if (item.key() == path) return item.value();
    }
    return nullptr;
}

const fts::ModuleNode* findNode(const fts::ModuleNode& node, const std::string& path) {
    if (node.path == path) return &node;
    for (const auto& child : node.children) {
        if (const fts::ModuleNode* found = findNode(child, path)) return found;
    }
    return nullptr;
}

// Every node: total = own + children's totals, and a type name a person can read.
void checkTree(const fts::ModuleNode& node) {
    std::int64_t total = node.ownParameters;
    for (const auto& child : node.children) {
        checkTree(child);
        total += child.totalParameters;
    }
    QVERIFY2(node.totalParameters == total, node.path.c_str());
    QVERIFY2(
        !node.type.empty() && node.type.find("::") == std::string::npos &&
            node.type.find('<') == std::string::npos &&
            node.type.compare(node.type.size() >= 4 ? node.type.size() - 4 : 0, 4, "Impl") != 0,
        (node.path + ": " + node.type).c_str());
}

torch::Tensor tensorNamed(const fts::WeightFile& file, const std::string& name) {
    for (const auto& [n, t] : file.tensors) {
        if (n == name) return t;
    }
    return {};
}

}  // namespace

class TstModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void demoCnn();
    void initTestCase();
    void parity_data();
    void parity();
    void names_data();
    void names();
    void registry_data();
    void registry();
    void unknownModel();
    void initialisation_data();
    void initialisation();
    void batchNormSettings_data();
    void batchNormSettings();
    void stochasticDepth();
    void trainStep_data();
    void trainStep();
};

void TstModels::initTestCase() {
    const std::string stamp = fixture("stamp.txt");
    QVERIFY2(std::ifstream(stamp).good(),
             qPrintable(QStringLiteral(
                            "%1 is missing: run the fixture_models test (ctest -R fixture_models) "
                            "or tests/fixtures/make_model_fixtures.py first")
                            .arg(QString::fromStdString(stamp))));
}

void TstModels::parity_data() {
    QTest::addColumn<QString>("arch");
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("format");
    for (const char* arch : kArchs) {
        const QString a = QString::fromLatin1(arch);
        QTest::newRow(qPrintable(a + "/zip"))
            << a << a + ".pth" << int(fts::WeightFormat::TorchZip);
        QTest::newRow(qPrintable(a + "/legacy"))
            << a << a + "_legacy.pth" << int(fts::WeightFormat::TorchLegacy);
        QTest::newRow(qPrintable(a + "/safetensors"))
            << a << a + ".safetensors" << int(fts::WeightFormat::Safetensors);
    }
}

void TstModels::parity() {
    QFETCH(QString, arch);
    QFETCH(QString, file);
    QFETCH(int, format);

    const fts::WeightFile weights = fts::loadWeightFile(fixture(file.toStdString()));
    QCOMPARE(int(weights.format), format);
    fts::Classifier model = fts::createModel(arch.toStdString(), 1000);
    const fts::LoadReport report = fts::loadStateDict(*model, weights.tensors);
    QVERIFY2(report.complete(), report.describe().c_str());
    QCOMPARE(report.loaded, int(weights.tensors.size()));

    const fts::WeightFile io = fts::loadWeightFile(fixture(arch.toStdString() + "_io.safetensors"));
    const torch::Tensor input = tensorNamed(io, "input");
    const torch::Tensor expected = tensorNamed(io, "logits");
    QVERIFY(input.defined() && expected.defined());

    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor logits = model->forward(input);
    QCOMPARE(logits.sizes().vec(), expected.sizes().vec());
    const double diff = (logits - expected).abs().max().item<double>();
    qInfo("%s: max |logits - torchvision| = %.3g", qPrintable(file), diff);
    QVERIFY2(diff <= kParityTolerance, qPrintable(QStringLiteral("max abs diff %1").arg(diff)));
}

void TstModels::names_data() {
    QTest::addColumn<QString>("arch");
    for (const char* arch : kArchs) QTest::newRow(arch) << QString::fromLatin1(arch);
}

void TstModels::names() {
    QFETCH(QString, arch);
    std::ifstream in(fixture(arch.toStdString() + "_keys.json"));
    QVERIFY(in.good());
    const nlohmann::json json = nlohmann::json::parse(in);

    std::map<std::string, std::string> theirs;  // name -> shape
    std::vector<std::string> theirOrder;
    for (const auto& key : json.at("keys")) {
        const std::vector<std::int64_t> shape = key.at("shape").get<std::vector<std::int64_t>>();
        theirs[key.at("name").get<std::string>()] = shapeText(shape);
        theirOrder.push_back(key.at("name").get<std::string>());
    }

    fts::Classifier model = fts::createModel(arch.toStdString(), 1000);
    std::map<std::string, std::string> ours;
    for (const auto& p : model->named_parameters()) ours[p.key()] = shapeText(p.value().sizes());
    for (const auto& b : model->named_buffers()) ours[b.key()] = shapeText(b.value().sizes());

    std::string problems;
    for (const auto& [name, shape] : theirs) {
        const auto it = ours.find(name);
        if (it == ours.end())
            problems += "\nmissing in C++: " + name;
        else if (it->second != shape)
            problems += "\nshape of " + name + ": C++ " + it->second + ", torchvision " + shape;
    }
    for (const auto& [name, shape] : ours) {
        if (!theirs.count(name)) problems += "\nnot in torchvision: " + name;
    }
    QVERIFY2(problems.empty(), problems.c_str());
    QCOMPARE(parameterCount(*model), json.at("parameters").get<std::int64_t>());

    // Registration order follows torchvision's, so a saved state dict lists
    // the entries in the order torchvision's does.
    std::vector<std::string> ourOrder;
    for (const auto& [name, tensor] : fts::stateDictOf(*model)) ourOrder.push_back(name);
    QVERIFY(ourOrder == theirOrder);
}

void TstModels::registry_data() {
    QTest::addColumn<QString>("arch");
    // "path=Type;..." spot checks of the module tree's type names.
    QTest::addColumn<QString>("types");
    QTest::newRow("resnet18")
        << "resnet18"
        << "=ResNet;conv1=Conv2d;bn1=BatchNorm2d;relu=ReLU;maxpool=MaxPool2d;"
           "layer1=Sequential;layer1.0=BasicBlock;layer2.0.downsample=Sequential;"
           "avgpool=AdaptiveAvgPool2d;fc=Linear";
    QTest::newRow("resnet34") << "resnet34"
                              << "layer3.5=BasicBlock;fc=Linear";
    QTest::newRow("resnet50") << "resnet50"
                              << "layer1.0=Bottleneck;layer1.0.downsample.0=Conv2d;"
                                 "layer1.0.downsample.1=BatchNorm2d";
    QTest::newRow("mobilenet_v2")
        << "mobilenet_v2"
        << "=MobileNetV2;features=Sequential;features.0=Conv2dNormActivation;"
           "features.0.2=ReLU6;features.1=InvertedResidual;"
           "features.1.conv.1=Conv2d;classifier.0=Dropout;classifier.1=Linear";
    QTest::newRow("mobilenet_v3_small")
        << "mobilenet_v3_small"
        << "=MobileNetV3;features.0.2=Hardswish;features.1=InvertedResidual;"
           "features.1.block.1=SqueezeExcitation;features.1.block.1.scale_activation=Hardsigmoid;"
           "features.1.block.1.activation=ReLU;classifier.1=Hardswish;classifier.3=Linear";
    QTest::newRow("mobilenet_v3_large")
        << "mobilenet_v3_large"
        << "features.16=Conv2dNormActivation;avgpool=AdaptiveAvgPool2d";
    QTest::newRow("efficientnet_b0")
        << "efficientnet_b0"
        << "=EfficientNet;features.1=Sequential;features.1.0=MBConv;features.0.2=SiLU;"
           "features.2.0.block.2=SqueezeExcitation;features.2.0.block.2.scale_activation=Sigmoid;"
           "features.2.1.stochastic_depth=StochasticDepth;classifier.0=Dropout;classifier.1=Linear";
}

void TstModels::registry() {
    QFETCH(QString, arch);
    QFETCH(QString, types);
    const fts::ModelInfo* info = fts::findModel(arch.toStdString());
    QVERIFY(info);
    QCOMPARE(QString::fromStdString(info->name), arch);
    QVERIFY(!info->family.empty() && !info->description.empty());
    QVERIFY(QString::fromStdString(info->weightsUrl)
                .startsWith("https://download.pytorch.org/models/"));
    QVERIFY(QString::fromStdString(info->weightsUrl)
                .endsWith(QString::fromStdString("-" + info->weightsSha256Prefix + ".pth")));
    QCOMPARE(int(info->weightsSha256Prefix.size()), 8);

    fts::Classifier model = fts::createModel(arch.toStdString(), 1000);
    QCOMPARE(parameterCount(*model), info->imagenetParameters);
    QCOMPARE(model->headPath(), info->headPath);
    QCOMPARE(model->numClasses(), std::int64_t(1000));
    QVERIFY(findModule(*model, info->backboneLastBlock));

    auto head = findModule(*model, info->headPath);
    QVERIFY(head);
    auto* linear = head->as<torch::nn::Linear>();
    QVERIFY(linear);
    QCOMPARE(linear->options.out_features(), std::int64_t(1000));
    QCOMPARE(linear->options.in_features(), model->headInputs());

    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({1, 3, 64, 64});
    QCOMPARE(model->forwardFeatures(x).sizes().vec(),
             (std::vector<std::int64_t>{1, model->headInputs()}));

    // The module tree: totals add up, names are pretty and as torchvision's.
    const fts::ModuleNode tree = fts::buildModuleTree(*model);
    checkTree(tree);
    QCOMPARE(tree.totalParameters, info->imagenetParameters);
    for (const QString& check : types.split(';')) {
        const QStringList pathType = check.split('=');
        const fts::ModuleNode* node = findNode(tree, pathType[0].toStdString());
        QVERIFY2(node, qPrintable(check));
        QCOMPARE(QString::fromStdString(node->type), pathType[1]);
        if (!pathType[0].isEmpty())
            QCOMPARE(QString::fromStdString(node->name), pathType[0].section('.', -1));
    }

    // A new head for 7 classes: the backbone keeps its tensors and values.
    std::map<std::string, torch::Tensor> before;
    for (const auto& p : model->named_parameters()) before[p.key()] = p.value().clone();
    model->resetHead(7);
    QCOMPARE(model->numClasses(), std::int64_t(7));
    head = findModule(*model, info->headPath);
    QVERIFY(head && head->as<torch::nn::Linear>());
    QCOMPARE(head->as<torch::nn::Linear>()->options.out_features(), std::int64_t(7));
    QCOMPARE(model->forward(x).sizes().vec(), (std::vector<std::int64_t>{1, 7}));
    const std::string headPrefix = info->headPath + ".";
    int kept = 0;
    for (const auto& p : model->named_parameters()) {
        if (p.key().compare(0, headPrefix.size(), headPrefix) == 0) continue;
        QVERIFY2(before.count(p.key()), p.key().c_str());
        QVERIFY2(torch::equal(before.at(p.key()), p.value()), p.key().c_str());
        ++kept;
    }
    QCOMPARE(kept, int(before.size()) - 2);
    const std::int64_t perClass = model->headInputs() + 1;  // weights + bias of one class
    QCOMPARE(parameterCount(*model), info->imagenetParameters - 1000 * perClass + 7 * perClass);
    QCOMPARE(fts::buildModuleTree(*model).totalParameters, parameterCount(*model));
}

void TstModels::unknownModel() {
    try {
        fts::createModel("nope", 10);
        QFAIL("createModel(\"nope\") did not throw");
    } catch (const fts::Error& e) {
        const QString message = QString::fromUtf8(e.what());
        QVERIFY2(message.contains("nope"), e.what());
        for (const fts::ModelInfo& info : fts::modelRegistry())
            QVERIFY2(message.contains(QString::fromStdString(info.name)), e.what());
    }
    QVERIFY(!fts::findModel("nope"));
    // The seven torchvision architectures plus the bundled demo backbone.
    QCOMPARE(int(fts::modelRegistry().size()), int(std::size(kArchs)) + 1);
    QVERIFY(fts::findModel("demo_cnn"));
}

void TstModels::demoCnn() {
    const fts::ModelInfo* info = fts::findModel("demo_cnn");
    QVERIFY(info);
    QCOMPARE(info->inputSize, 28);
    fts::Classifier model = fts::createModel("demo_cnn", 5);
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor logits = model->forward(torch::randn({4, 3, 28, 28}));
    QCOMPARE(logits.sizes().vec(), (std::vector<std::int64_t>{4, 5}));
    QCOMPARE(model->forwardFeatures(torch::randn({2, 3, 28, 28})).size(1), model->headInputs());
    QCOMPARE(parameterCount(*model), info->imagenetParameters);  // as `finetune-cli models` shows
    model->resetHead(3);
    QCOMPARE(model->forward(torch::randn({1, 3, 28, 28})).size(1), std::int64_t(3));
    const fts::ModuleNode tree = fts::buildModuleTree(*model);
    QStringList top;
    for (const auto& c : tree.children) top << QString::fromStdString(c.name);
    QCOMPARE(top, (QStringList{"conv1", "bn1", "layer1", "layer2", "layer3", "avgpool", "fc"}));
}

void TstModels::initialisation_data() {
    QTest::addColumn<QString>("arch");
    QTest::addColumn<QString>("linear");  // "default", "normal", "uniform"
    QTest::newRow("resnet18") << "resnet18"
                              << "default";
    QTest::newRow("resnet50") << "resnet50"
                              << "default";
    QTest::newRow("mobilenet_v2") << "mobilenet_v2"
                                  << "normal";
    QTest::newRow("mobilenet_v3_small") << "mobilenet_v3_small"
                                        << "normal";
    QTest::newRow("mobilenet_v3_large") << "mobilenet_v3_large"
                                        << "normal";
    QTest::newRow("efficientnet_b0") << "efficientnet_b0"
                                     << "uniform";
}

void TstModels::initialisation() {
    QFETCH(QString, arch);
    QFETCH(QString, linear);
    torch::manual_seed(7);
    fts::Classifier model = fts::createModel(arch.toStdString(), 1000);
    int convs = 0;
    for (const auto& item : model->named_modules("", /*include_self=*/false)) {
        const auto& m = item.value();
        if (auto* conv = m->as<torch::nn::Conv2d>()) {
            // kaiming_normal_(fan_out): std = sqrt(2 / (out / groups * k * k)).
            const auto& w = conv->weight;
            const double fanOut = double(w.size(0)) * w.size(2) * w.size(3);
            const double expected = std::sqrt(2.0 / fanOut);
            if (w.numel() >= 4096) {
                const double std = w.std().item<double>();
                QVERIFY2(std::abs(std / expected - 1.0) < 0.1,
                         qPrintable(QStringLiteral("%1: std %2, expected %3")
                                        .arg(QString::fromStdString(item.key()))
                                        .arg(std)
                                        .arg(expected)));
                ++convs;
            }
            if (conv->bias.defined()) QVERIFY(conv->bias.abs().max().item<double>() == 0.0);
        } else if (auto* bn = m->as<torch::nn::BatchNorm2d>()) {
            QVERIFY(torch::equal(bn->weight, torch::ones_like(bn->weight)));
            QVERIFY(torch::equal(bn->bias, torch::zeros_like(bn->bias)));
        }
    }
    QVERIFY(convs > 0);

    auto* head = findModule(*model, model->headPath())->as<torch::nn::Linear>();
    QVERIFY(head);
    const double maxAbs = head->weight.abs().max().item<double>();
    const double std = head->weight.std().item<double>();
    const double biasMax = head->bias.abs().max().item<double>();
    if (linear == "default") {
        // kaiming_uniform_(a = sqrt(5)): U(-1/sqrt(in), 1/sqrt(in)), bias likewise.
        const double bound = 1.0 / std::sqrt(double(head->weight.size(1)));
        QVERIFY(maxAbs <= bound && maxAbs > 0.9 * bound);
        QVERIFY(biasMax <= bound && biasMax > 0.0);
    } else if (linear == "normal") {
        QVERIFY2(std::abs(std / 0.01 - 1.0) < 0.05, qPrintable(QString::number(std)));
        QCOMPARE(biasMax, 0.0);
    } else {
        const double bound = 1.0 / std::sqrt(double(head->weight.size(0)));
        QVERIFY(maxAbs <= bound && maxAbs > 0.9 * bound);
        QCOMPARE(biasMax, 0.0);
    }

    // resetHead initialises the new head the same way.
    model->resetHead(3);
    auto* newHead = findModule(*model, model->headPath())->as<torch::nn::Linear>();
    QVERIFY(newHead);
    if (linear == "normal")
        QCOMPARE(newHead->bias.abs().max().item<double>(), 0.0);
    else if (linear == "uniform")
        QVERIFY(newHead->weight.abs().max().item<double>() <= 1.0 / std::sqrt(3.0));
}

void TstModels::batchNormSettings_data() {
    QTest::addColumn<QString>("arch");
    QTest::addColumn<double>("eps");
    QTest::addColumn<double>("momentum");
    QTest::newRow("resnet18") << "resnet18" << 1e-5 << 0.1;
    QTest::newRow("mobilenet_v2") << "mobilenet_v2" << 1e-5 << 0.1;
    QTest::newRow("mobilenet_v3_small") << "mobilenet_v3_small" << 1e-3 << 0.01;
    QTest::newRow("mobilenet_v3_large") << "mobilenet_v3_large" << 1e-3 << 0.01;
    // torchvision 0.14: B0 uses nn.BatchNorm2d's defaults (only B5-B7 do not).
    QTest::newRow("efficientnet_b0") << "efficientnet_b0" << 1e-5 << 0.1;
}

void TstModels::batchNormSettings() {
    QFETCH(QString, arch);
    QFETCH(double, eps);
    QFETCH(double, momentum);
    fts::Classifier model = fts::createModel(arch.toStdString(), 10);
    int count = 0;
    for (const auto& m : model->modules(/*include_self=*/false)) {
        if (auto* bn = m->as<torch::nn::BatchNorm2d>()) {
            QCOMPARE(bn->options.eps(), eps);
            QVERIFY(bn->options.momentum().has_value());
            QCOMPARE(*bn->options.momentum(), momentum);
            ++count;
        }
    }
    QVERIFY(count > 10);
}

void TstModels::stochasticDepth() {
    // EfficientNet-B0: block i of 16 drops its residual branch with
    // probability 0.2 * i / 16, as torchvision's.
    fts::Classifier model = fts::createModel("efficientnet_b0", 10);
    int block = 0;
    for (int stage = 1; stage <= 7; ++stage) {
        for (int i = 0;; ++i, ++block) {
            const std::string path = "features." + std::to_string(stage) + "." + std::to_string(i);
            if (!findModule(*model, path)) break;
            auto sd = findModule(*model, path + ".stochastic_depth");
            QVERIFY2(sd, path.c_str());
            auto* depth = sd->as<fts::StochasticDepth>();
            QVERIFY(depth);
            QCOMPARE(depth->p(), 0.2 * block / 16.0);
        }
    }
    QCOMPARE(block, 16);

    // "row" mode: whole samples are zeroed, survivors scaled by 1 / (1 - p);
    // the identity in eval mode.
    fts::StochasticDepth depth(0.5);
    torch::manual_seed(3);
    const torch::Tensor x = torch::ones({2000, 2, 3, 3});
    const torch::Tensor y = depth->forward(x);
    const torch::Tensor perSample = y.flatten(1);
    QVERIFY(torch::equal(perSample.amin(1), perSample.amax(1)));
    QVERIFY(torch::all((perSample.select(1, 0) == 0) | (perSample.select(1, 0) == 2)).item<bool>());
    const double kept = (perSample.select(1, 0) == 2).to(torch::kFloat).mean().item<double>();
    QVERIFY2(std::abs(kept - 0.5) < 0.05, qPrintable(QString::number(kept)));
    depth->eval();
    QVERIFY(torch::equal(depth->forward(x), x));
}

void TstModels::trainStep_data() {
    QTest::addColumn<QString>("arch");
    for (const char* arch : kArchs) QTest::newRow(arch) << QString::fromLatin1(arch);
}

void TstModels::trainStep() {
    QFETCH(QString, arch);
    torch::manual_seed(11);
    fts::Classifier model = fts::createModel(arch.toStdString(), 5);
    model->train();
    auto* firstBn = [&]() -> torch::nn::BatchNorm2dImpl* {
        for (const auto& m : model->modules(/*include_self=*/false)) {
            if (auto* bn = m->as<torch::nn::BatchNorm2d>()) return bn;
        }
        return nullptr;
    }();
    QVERIFY(firstBn);
    const torch::Tensor runningMean = firstBn->running_mean.clone();

    const torch::Tensor x = torch::randn({2, 3, 64, 64});
    const torch::Tensor target = torch::tensor({1, 3}, torch::kLong);
    const torch::Tensor logits = model->forward(x);
    QCOMPARE(logits.sizes().vec(), (std::vector<std::int64_t>{2, 5}));
    const torch::Tensor loss = torch::nn::functional::cross_entropy(logits, target);
    QVERIFY(std::isfinite(loss.item<double>()));
    loss.backward();

    int withGradient = 0;
    for (const auto& p : model->named_parameters()) {
        QVERIFY2(p.value().grad().defined(), p.key().c_str());
        QVERIFY2(torch::isfinite(p.value().grad()).all().item<bool>(), p.key().c_str());
        if (p.value().grad().abs().sum().item<double>() > 0) ++withGradient;
    }
    QVERIFY(withGradient > int(model->parameters().size()) / 2);
    // Train mode updates the BatchNorm running statistics.
    QVERIFY(!torch::equal(runningMean, firstBn->running_mean));
}

QTEST_GUILESS_MAIN(TstModels)
#include "tst_models.moc"
