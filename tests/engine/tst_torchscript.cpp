// TorchScript backbones (models/torchscriptbackbone.h): loading, the module
// tree and names, shared parameters, freezing, train/eval, saving, and one
// clear error per kind of bad file. Fixtures: make_interop_fixtures.py.
#include "models/torchscriptbackbone.h"

#include "core/error.h"
#include "models/moduletree.h"
#include "models/registry.h"
#include "train/freezeplan.h"
#include "weights/safetensors.h"
#include "weights/statedictloader.h"

#include <torch/types.h>

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <fstream>
#include <set>

namespace fs = std::filesystem;

namespace {

fs::path fixture(const std::string& name) {
    return fs::path(FTS_FIXTURE_DIR) / "interop" / name;
}

torch::Tensor ioTensor(const std::string& file, const std::string& name) {
    for (const auto& [key, tensor] : fts::readSafetensors(fixture(file)).tensors)
        if (key == name) return tensor;
    return {};
}

std::shared_ptr<fts::TorchScriptClassifierImpl> load(const std::string& name,
                                                     std::int64_t classes = 3, int size = 32) {
    return fts::loadTorchScriptClassifier(fixture(name), classes, size);
}

const fts::ModuleNode* findNode(const fts::ModuleNode& node, const std::string& path) {
    if (node.path == path) return &node;
    for (const auto& child : node.children)
        if (const auto* found = findNode(child, path)) return found;
    return nullptr;
}

double maxDiff(const torch::Tensor& a, const torch::Tensor& b) {
    return (a - b).abs().max().item<double>();
}

}  // namespace

class TstTorchScript : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void registryName();
    void namesAreTorchvisions();
    void parametersAreShared();
    void freezePaths();
    void trainEvalReachTheScript();
    void frozenBatchNormStaysInEval();
    void headNameAvoidsBackboneNames();
    void resetHead();
    void savedBackboneKeepsTrainedWeights();
    void badFiles_data();
    void badFiles();
};

void TstTorchScript::registryName() {
    const fts::ModelInfo* info = fts::findModel("torchscript");
    QVERIFY(info);
    QCOMPARE(info->inputSize, 224);
    QCOMPARE(info->mean[0], 0.485f);
    QCOMPARE(info->std[2], 0.225f);
    // Not in the picker's list (it needs a file), and createModel alone refuses it.
    for (const auto& m : fts::modelRegistry()) QVERIFY(m.name != "torchscript");
    QVERIFY_THROWS_EXCEPTION(fts::Error, fts::createModel("torchscript", 3));
    try {
        fts::createModelFor("torchscript", "", 3);
        QFAIL("a TorchScript model without a file was built");
    } catch (const fts::Error& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("--weights")), e.what());
    }
    // Other names still build from the registry.
    QCOMPARE(fts::createModelFor("demo_cnn", "", 4)->numClasses(), std::int64_t(4));
}

void TstTorchScript::namesAreTorchvisions() {
    auto model = load("ts_resnet18_scripted.pt", 5, 64);
    QCOMPARE(model->headInputs(), std::int64_t(512));
    QCOMPARE(model->numClasses(), std::int64_t(5));
    QCOMPARE(QString::fromStdString(model->headPath()), QStringLiteral("head"));
    QVERIFY(!model->poolsFeatureMap());

    // The state dict: torchvision's names for the backbone, then the head.
    std::ifstream in(fixture("ts_resnet18_keys.json"));
    const auto keys = nlohmann::json::parse(in).get<std::vector<std::string>>();
    std::vector<std::string> ours;
    for (const auto& [name, tensor] : fts::stateDictOf(*model)) ours.push_back(name);
    QCOMPARE(ours.size(), keys.size() + 2);
    QVERIFY(std::equal(keys.begin(), keys.end(), ours.begin()));
    QCOMPARE(QString::fromStdString(ours[keys.size()]), QStringLiteral("head.weight"));

    const fts::ModuleNode tree = fts::buildModuleTree(*model);
    std::vector<std::string> top;
    for (const auto& child : tree.children) top.push_back(child.name);
    const std::vector<std::string> expected{"conv1",   "bn1",    "relu",   "maxpool",
                                            "layer1",  "layer2", "layer3", "layer4",
                                            "avgpool", "fc",     "head"};
    QCOMPARE(top, expected);
    const auto* bn = findNode(tree, "layer1.0.bn1");
    QVERIFY(bn);
    QCOMPARE(QString::fromStdString(bn->type), QStringLiteral("BatchNorm2d"));
    QCOMPARE(bn->ownParameters, std::int64_t(128));
    QCOMPARE(QString::fromStdString(findNode(tree, "layer2")->type), QStringLiteral("Sequential"));
    QCOMPARE(QString::fromStdString(findNode(tree, "layer2.0")->type),
             QStringLiteral("BasicBlock"));
    QCOMPARE(QString::fromStdString(findNode(tree, "fc")->type), QStringLiteral("Identity"));
    QCOMPARE(tree.totalParameters, std::int64_t(11176512 + 512 * 5 + 5));
}

void TstTorchScript::parametersAreShared() {
    auto model = load("ts_tiny_scripted.pt");
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = ioTensor("ts_tiny_io.safetensors", "input");
    const torch::Tensor before = model->forwardFeatures(x);
    // Through the nn::Module side: the script computes with the same tensors.
    for (auto& p : model->named_parameters())
        if (p.key() == "block.0.weight") p.value().mul_(2.0);
    QVERIFY(maxDiff(model->forwardFeatures(x), before) > 1e-3);

    // A state dict loaded through the engine's loader reaches the script too.
    fts::TensorList state = fts::stateDictOf(*load("ts_tiny_scripted.pt"));
    const fts::LoadReport report = fts::loadStateDict(*model, state);
    QVERIFY2(report.complete(), report.describe().c_str());
    QVERIFY(maxDiff(model->forwardFeatures(x), before) < 1e-6);
}

void TstTorchScript::freezePaths() {
    auto model = load("ts_tiny_scripted.pt");
    const fts::FreezePlan plan = fts::FreezePlan::parse("stem, block.1", *model);
    QCOMPARE(QString::fromStdString(plan.spec()), QStringLiteral("block.1,stem"));
    plan.apply(*model);
    std::set<std::string> frozen;
    for (const auto& p : model->named_parameters())
        if (!p.value().requires_grad()) frozen.insert(p.key());
    const std::set<std::string> expected{"stem.0.weight", "stem.1.weight", "stem.1.bias",
                                         "block.1.weight", "block.1.bias"};
    QCOMPARE(frozen, expected);
    // block.0 (16*8*9) + the head (16*3 + 3) still train.
    QCOMPARE(plan.trainableParameters(*model), 16LL * 8 * 9 + 16 * 3 + 3);

    try {
        fts::FreezePlan::parse("layer1", *model);
        QFAIL("an unknown path was accepted");
    } catch (const fts::Error& e) {
        const QString text = QString::fromUtf8(e.what());
        QVERIFY2(text.contains(QLatin1String("stem")) && text.contains(QLatin1String("block")),
                 e.what());
    }
    auto fresh = load("ts_tiny_scripted.pt");
    const auto backbone = fts::FreezePlan::parse("backbone", *fresh);
    QCOMPARE(backbone.trainableParameters(*fresh), 16LL * 3 + 3);
}

void TstTorchScript::trainEvalReachTheScript() {
    auto model = load("ts_tiny_scripted.pt");
    torch::NoGradGuard noGrad;
    const torch::Tensor x = ioTensor("ts_tiny_io.safetensors", "input");
    // Eval first: a train-mode pass updates the running statistics.
    model->eval();
    QVERIFY(maxDiff(model->forwardFeatures(x), ioTensor("ts_tiny_io.safetensors", "output")) <
            1e-4);
    model->train();
    // Train mode: BatchNorm normalises with the batch's statistics, as in Python.
    QVERIFY(maxDiff(model->forwardFeatures(x), ioTensor("ts_tiny_train_io.safetensors", "output")) <
            1e-4);
    model->eval();
    QVERIFY(maxDiff(model->forwardFeatures(x), ioTensor("ts_tiny_io.safetensors", "output")) >
            1e-4);
}

void TstTorchScript::frozenBatchNormStaysInEval() {
    auto model = load("ts_tiny_scripted.pt");
    const auto plan = fts::FreezePlan::parse("stem", *model);
    plan.apply(*model);
    plan.setTrainMode(*model);
    std::map<std::string, bool> training;
    for (const auto& m : model->named_modules("", false))
        training[m.key()] = m.value()->is_training();
    QVERIFY(!training.at("stem.1"));
    QVERIFY(training.at("block.1"));
    QVERIFY(training.at("head"));

    // The script agrees: a frozen stem BN normalises with running statistics,
    // so the output differs from train mode everywhere and from eval mode too.
    torch::NoGradGuard noGrad;
    const torch::Tensor x = ioTensor("ts_tiny_io.safetensors", "input");
    const torch::Tensor mixed = model->forwardFeatures(x);
    QVERIFY(maxDiff(mixed, ioTensor("ts_tiny_train_io.safetensors", "output")) > 1e-3);
    QVERIFY(maxDiff(mixed, ioTensor("ts_tiny_io.safetensors", "output")) > 1e-3);
}

void TstTorchScript::headNameAvoidsBackboneNames() {
    auto model = load("ts_named_head.pt", 2, 16);
    QCOMPARE(QString::fromStdString(model->headPath()), QStringLiteral("fts_head"));
    QCOMPARE(model->headInputs(), std::int64_t(4));
    const auto plan = fts::FreezePlan::parse("backbone", *model);
    QCOMPARE(plan.trainableParameters(*model), 4LL * 2 + 2);
    QVERIFY(plan.isFrozen("head.weight"));
    QVERIFY(!plan.isFrozen("fts_head.weight"));
}

void TstTorchScript::resetHead() {
    auto model = load("ts_tiny_scripted.pt");
    model->resetHead(7);
    QCOMPARE(model->numClasses(), std::int64_t(7));
    torch::NoGradGuard noGrad;
    QCOMPARE(model->forward(torch::zeros({2, 3, 32, 32})).sizes().vec(),
             (std::vector<std::int64_t>{2, 7}));
}

void TstTorchScript::savedBackboneKeepsTrainedWeights() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto model = load("ts_tiny_scripted.pt");
    {
        torch::NoGradGuard noGrad;
        for (auto& p : model->parameters()) p.add_(0.25);
    }
    model->eval();
    const fs::path file = fs::u8path(dir.filePath(QStringLiteral("backbone é.pt")).toStdString());
    model->saveBackbone(file);
    auto again = fts::loadTorchScriptClassifier(file, 3, 32);
    again->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = ioTensor("ts_tiny_io.safetensors", "input");
    QCOMPARE(maxDiff(again->forwardFeatures(x), model->forwardFeatures(x)), 0.0);
    QVERIFY(maxDiff(again->forwardFeatures(x), ioTensor("ts_tiny_io.safetensors", "output")) >
            1e-3);
}

void TstTorchScript::badFiles_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("says");
    QTest::newRow("state dict") << "bad_state_dict.pt"
                                << "is a state dict (torch.save (zip))";
    QTest::newRow("random bytes") << "bad_random.pt"
                                  << "is not a TorchScript file";
    QTest::newRow("int forward") << "bad_int_forward.pt"
                                 << "its forward fails on an image batch";
    QTest::newRow("tuple forward") << "bad_tuple_forward.pt"
                                   << "its forward returns Tuple";
    QTest::newRow("safetensors") << "roundtrip.safetensors"
                                 << "is a state dict (safetensors)";
    QTest::newRow("missing") << "no_such_backbone.pt"
                             << "no such file";
}

void TstTorchScript::badFiles() {
    QFETCH(QString, file);
    QFETCH(QString, says);
    try {
        load(file.toStdString());
        QFAIL("a bad file was accepted");
    } catch (const fts::Error& e) {
        const QString text = QString::fromUtf8(e.what());
        qInfo("%s", e.what());
        QVERIFY2(text.contains(file), e.what());
        QVERIFY2(text.contains(says), e.what());
        QVERIFY2(!text.contains(QLatin1Char('\n')), e.what());
    }
}

QTEST_GUILESS_MAIN(TstTorchScript)
#include "tst_torchscript.moc"
