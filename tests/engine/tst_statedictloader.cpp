// loadStateDict / stateDictOf on a small real module: what loads, and what the
// report says in plain words when names or shapes do not fit.
#include "weights/statedictloader.h"

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

#include <QtTest/QtTest>

namespace {

// conv1 -> bn1 -> fc, with torchvision-style names.
struct TinyNetImpl : torch::nn::Module {
    TinyNetImpl() {
        conv1 = register_module("conv1",
                                torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 4, 3).bias(false)));
        bn1 = register_module("bn1", torch::nn::BatchNorm2d(4));
        fc = register_module("fc", torch::nn::Linear(4, 2));
    }
    torch::nn::Conv2d conv1{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr};
    torch::nn::Linear fc{nullptr};
};
TORCH_MODULE(TinyNet);

fts::TensorList filledLike(const fts::TensorList& sd, const std::string& prefix = "") {
    fts::TensorList out;
    int i = 1;
    for (const auto& [name, t] : sd) out.emplace_back(prefix + name, at::full_like(t, i++));
    return out;
}

}  // namespace

class TstStateDictLoader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void stateDictHasTorchvisionOrderAndNames();
    void completeFileLoadsEverything();
    void prefixIsStripped_data();
    void prefixIsStripped();
    void reportsMissingUnexpectedAndMismatched();
    void skipPrefixesLeavesHeadUntouched();
    void convertsDtype();
};

void TstStateDictLoader::stateDictHasTorchvisionOrderAndNames() {
    TinyNet net;
    const fts::TensorList sd = fts::stateDictOf(*net);
    std::vector<std::string> names;
    for (const auto& e : sd) names.push_back(e.first);
    // PyTorch's order: module by module, parameters before buffers.
    const std::vector<std::string> expected{"conv1.weight",    "bn1.weight",
                                            "bn1.bias",        "bn1.running_mean",
                                            "bn1.running_var", "bn1.num_batches_tracked",
                                            "fc.weight",       "fc.bias"};
    QCOMPARE(names, expected);
}

void TstStateDictLoader::completeFileLoadsEverything() {
    TinyNet a, b;
    const fts::TensorList file = filledLike(fts::stateDictOf(*a));
    const fts::LoadReport r = fts::loadStateDict(*b, file);
    QVERIFY2(r.complete(), r.describe().c_str());
    QCOMPARE(r.loaded, 8);
    QCOMPARE(b->fc->bias[0].item<float>(), 8.0f);
    QCOMPARE(b->bn1->num_batches_tracked.item<std::int64_t>(), std::int64_t(6));
    QVERIFY(QString::fromStdString(r.describe()).contains("all 8 weights loaded"));
}

void TstStateDictLoader::prefixIsStripped_data() {
    QTest::addColumn<QString>("prefix");
    QTest::newRow("DataParallel") << "module.";
    QTest::newRow("checkpoint") << "model.";
    QTest::newRow("nested") << "state_dict.module.";
}

void TstStateDictLoader::prefixIsStripped() {
    QFETCH(QString, prefix);
    TinyNet a, b;
    fts::TensorList file = filledLike(fts::stateDictOf(*a), prefix.toStdString());
    file.emplace_back("optimizer.state.0.momentum_buffer", at::zeros({3}));  // other contents
    const fts::LoadReport r = fts::loadStateDict(*b, file);
    QVERIFY2(r.complete(), r.describe().c_str());
    QCOMPARE(QString::fromStdString(r.strippedPrefix), prefix);
    QCOMPARE(r.loaded, 8);
}

void TstStateDictLoader::reportsMissingUnexpectedAndMismatched() {
    TinyNet a, b;
    fts::TensorList file;
    for (const auto& [name, t] : fts::stateDictOf(*a)) {
        if (name == "bn1.running_var") continue;  // missing
        if (name == "fc.weight")
            file.emplace_back(name, at::zeros({5, 4}));  // shape differs
        else
            file.emplace_back(name, at::ones_like(t));
    }
    file.emplace_back("layer9.weight", at::zeros({1}));  // unexpected
    const at::Tensor fcBefore = b->fc->weight.clone();
    const fts::LoadReport r = fts::loadStateDict(*b, file);
    QVERIFY(!r.complete());
    QCOMPARE(r.missing, std::vector<std::string>{"bn1.running_var"});
    QCOMPARE(r.unexpected, std::vector<std::string>{"layer9.weight"});
    QCOMPARE(r.mismatched.size(), std::size_t(1));
    QCOMPARE(r.mismatched[0].name, std::string("fc.weight"));
    QVERIFY(at::equal(b->fc->weight, fcBefore));  // a mismatched tensor is not copied
    const QString text = QString::fromStdString(r.describe());
    QVERIFY2(text.contains("1 weight of the model is missing from the file: bn1.running_var"),
             qPrintable(text));
    QVERIFY2(text.contains("1 entry of the file is not in the model: layer9.weight"),
             qPrintable(text));
    QVERIFY2(text.contains("fc.weight (model [2, 4], file [5, 4])"), qPrintable(text));
}

void TstStateDictLoader::skipPrefixesLeavesHeadUntouched() {
    TinyNet a, b;
    fts::TensorList file = filledLike(fts::stateDictOf(*a));
    for (auto& [name, t] : file)
        if (name == "fc.weight") t = at::zeros({1000, 4});  // an ImageNet head on a 2-class model
    const at::Tensor fcBefore = b->fc->weight.clone();
    fts::LoadOptions options;
    options.skipPrefixes = {"fc"};
    const fts::LoadReport r = fts::loadStateDict(*b, file, options);
    QVERIFY2(r.complete(), r.describe().c_str());
    QCOMPARE(r.loaded, 6);
    QCOMPARE(r.skipped.size(), std::size_t(2));
    QVERIFY(at::equal(b->fc->weight, fcBefore));
}

void TstStateDictLoader::convertsDtype() {
    TinyNet a, b;
    fts::TensorList file;
    for (const auto& [name, t] : fts::stateDictOf(*a))
        file.emplace_back(name,
                          at::full_like(t, 0.5).to(t.is_floating_point() ? at::kHalf : at::kLong));
    const fts::LoadReport r = fts::loadStateDict(*b, file);
    QVERIFY2(r.complete(), r.describe().c_str());
    QCOMPARE(b->conv1->weight.scalar_type(), at::kFloat);
    QCOMPARE(b->conv1->weight.flatten()[0].item<float>(), 0.5f);
}

QTEST_GUILESS_MAIN(TstStateDictLoader)
#include "tst_statedictloader.moc"
