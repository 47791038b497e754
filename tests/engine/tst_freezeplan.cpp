#include "train/freezeplan.h"

#include "core/error.h"
#include "models/registry.h"
#include "train/optimizers.h"
#include "train/settings.h"

#include <torch/nn/functional/loss.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/types.h>

#include <QtTest/QtTest>

#include <map>

namespace {

fts::Classifier demoModel() {
    torch::manual_seed(1);
    return fts::createModel("demo_cnn", 3);
}

std::map<std::string, torch::Tensor> snapshot(const torch::nn::Module& model) {
    std::map<std::string, torch::Tensor> all;
    for (const auto& p : model.named_parameters(/*recurse=*/true))
        all[p.key()] = p.value().detach().clone();
    for (const auto& b : model.named_buffers(/*recurse=*/true))
        all[b.key()] = b.value().detach().clone();
    return all;
}

bool isTraining(fts::ClassifierImpl& model, const std::string& path) {
    for (const auto& m : model.named_modules())
        if (m.key() == path) return m.value()->is_training();
    return false;
}

}  // namespace

class TstFreezePlan : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void unknownModuleNamesItAndTopLevel();
    void isFrozenMatchesWholePathElements();
    void applyAndCount();
    void batchNormModes();
    void frozenBackboneIsBitIdenticalAfterTraining_data();
    void frozenBackboneIsBitIdenticalAfterTraining();
    void optimizerGroups_data();
    void optimizerGroups();
    void everythingFrozenIsAnError();
};

void TstFreezePlan::parse_data() {
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("canonical");
    QTest::addColumn<QString>("frozenName");
    QTest::addColumn<QString>("trainingName");
    QTest::newRow("none") << "none"
                          << "none"
                          << ""
                          << "conv1.weight";
    QTest::newRow("empty") << ""
                           << "none"
                           << ""
                           << "layer1.0.conv1.weight";
    QTest::newRow("backbone") << "backbone"
                              << "backbone"
                              << "layer3.0.bn2.bias"
                              << "fc.weight";
    QTest::newRow("paths, sorted, spaces") << " layer1 , conv1"
                                           << "conv1,layer1"
                                           << "layer1.0.conv1.weight"
                                           << "layer2.0.conv1.weight";
    QTest::newRow("covered path dropped") << "layer1.0,layer1"
                                          << "layer1"
                                          << "layer1.0.bn1.weight"
                                          << "bn1.weight";
    QTest::newRow("head") << "fc"
                          << "fc"
                          << "fc.bias"
                          << "conv1.weight";
}

void TstFreezePlan::parse() {
    QFETCH(QString, spec);
    QFETCH(QString, frozenName);
    QFETCH(QString, trainingName);
    auto model = demoModel();
    const auto plan = fts::FreezePlan::parse(spec.toStdString(), *model);
    QTEST(QString::fromStdString(plan.spec()), "canonical");
    if (!frozenName.isEmpty()) QVERIFY(plan.isFrozen(frozenName.toStdString()));
    QVERIFY(!plan.isFrozen(trainingName.toStdString()));
}

void TstFreezePlan::unknownModuleNamesItAndTopLevel() {
    auto model = demoModel();
    try {
        fts::FreezePlan::parse("conv1,layer9", *model);
        QFAIL("no error for an unknown module");
    } catch (const fts::Error& e) {
        const QString text = e.what();
        QVERIFY2(text.contains("'layer9'"), e.what());
        QVERIFY2(text.contains("conv1, bn1"), e.what());
        QVERIFY2(text.contains("fc"), e.what());
        QVERIFY2(!text.contains("layer1.0"), e.what());  // top level only
    }
}

void TstFreezePlan::isFrozenMatchesWholePathElements() {
    auto model = demoModel();
    const auto plan = fts::FreezePlan::parse("layer1", *model);
    QVERIFY(plan.isFrozen("layer1"));
    QVERIFY(plan.isFrozen("layer1.0.conv1.weight"));
    QVERIFY(!plan.isFrozen("layer10.weight"));
    QVERIFY(!plan.isFrozen("layer"));
}

void TstFreezePlan::applyAndCount() {
    auto model = demoModel();
    const auto plan = fts::FreezePlan::parse("backbone", *model);
    plan.apply(*model);
    long long trainable = 0;
    for (const auto& p : model->named_parameters()) {
        QCOMPARE(p.value().requires_grad(), p.key().rfind("fc.", 0) == 0);
        if (p.value().requires_grad()) trainable += p.value().numel();
    }
    QCOMPARE(plan.trainableParameters(*model), trainable);
    QCOMPARE(trainable, model->headInputs() * 3 + 3);
}

void TstFreezePlan::batchNormModes() {
    auto model = demoModel();
    fts::FreezePlan::parse("conv1,bn1,layer1", *model).setTrainMode(*model);
    QVERIFY(model->is_training());
    QVERIFY(!isTraining(*model, "bn1"));
    QVERIFY(!isTraining(*model, "layer1.0.bn1"));
    QVERIFY(isTraining(*model, "layer2.0.bn1"));
    QVERIFY(isTraining(*model, "layer1.0.conv1"));  // only BatchNorm changes mode
    QVERIFY(isTraining(*model, "fc"));

    fts::FreezePlan::parse("none", *model).setTrainMode(*model);
    QVERIFY(isTraining(*model, "bn1"));
    QVERIFY(isTraining(*model, "layer3.0.bn2"));
}

void TstFreezePlan::frozenBackboneIsBitIdenticalAfterTraining_data() {
    QTest::addColumn<QString>("optimizer");
    QTest::addColumn<QString>("freeze");
    QTest::newRow("sgd, backbone") << "sgd"
                                   << "backbone";
    QTest::newRow("adamw, backbone") << "adamw"
                                     << "backbone";
    QTest::newRow("adam, conv1,bn1,layer1") << "adam"
                                            << "conv1,bn1,layer1";
}

void TstFreezePlan::frozenBackboneIsBitIdenticalAfterTraining() {
    QFETCH(QString, optimizer);
    QFETCH(QString, freeze);
    auto model = demoModel();
    const auto plan = fts::FreezePlan::parse(freeze.toStdString(), *model);
    plan.apply(*model);
    fts::TrainSettings settings;
    settings.optimizer = optimizer.toStdString();
    settings.freeze = freeze.toStdString();
    settings.lr = 0.05;
    settings.weightDecay = 0.01;
    auto setup = fts::makeOptimizer(settings, *model);
    const auto before = snapshot(*model);

    torch::manual_seed(7);
    for (int step = 0; step < 3; ++step) {
        plan.setTrainMode(*model);
        const auto x = torch::randn({8, 3, 28, 28});
        const auto y = torch::randint(0, 3, {8}, torch::kLong);
        setup.optimizer->zero_grad();
        torch::nn::functional::cross_entropy(model->forward(x), y).backward();
        setup.optimizer->step();
    }

    const auto after = snapshot(*model);
    int frozenChecked = 0, trainedChanged = 0;
    for (const auto& [name, tensor] : before) {
        const bool same =
            tensor.dtype() == after.at(name).dtype() && torch::equal(tensor, after.at(name));
        // A buffer ("running_mean") belongs to its module: frozen when the module's weights are.
        const auto dot = name.rfind('.');
        const std::string module = name.substr(0, dot);
        const bool frozen = plan.isFrozen(name) || plan.isFrozen(module + ".weight");
        if (frozen) {
            QVERIFY2(same, qPrintable(QString::fromStdString(name) + " changed although frozen"));
            ++frozenChecked;
        } else if (!same) {
            ++trainedChanged;
        }
    }
    QVERIFY(frozenChecked > 0);
    QVERIFY(trainedChanged > 0);
    QVERIFY(!torch::equal(before.at("fc.weight"), after.at("fc.weight")));
    if (freeze == "backbone") {
        QVERIFY(torch::equal(before.at("bn1.running_mean"), after.at("bn1.running_mean")));
        QVERIFY(torch::equal(before.at("layer3.0.bn2.num_batches_tracked"),
                             after.at("layer3.0.bn2.num_batches_tracked")));
    } else {
        // Trainable BatchNorms keep updating their statistics.
        QVERIFY(!torch::equal(before.at("layer2.0.bn1.running_mean"),
                              after.at("layer2.0.bn1.running_mean")));
    }
}

void TstFreezePlan::optimizerGroups_data() {
    QTest::addColumn<QString>("optimizer");
    QTest::addColumn<QString>("freeze");
    QTest::addColumn<int>("groups");
    QTest::newRow("sgd, none") << "sgd"
                               << "none" << 2;
    QTest::newRow("adam, backbone") << "adam"
                                    << "backbone" << 1;
    QTest::newRow("adamw, layer1") << "adamw"
                                   << "layer1" << 2;
}

void TstFreezePlan::optimizerGroups() {
    QFETCH(QString, optimizer);
    QFETCH(QString, freeze);
    QFETCH(int, groups);
    auto model = demoModel();
    const auto plan = fts::FreezePlan::parse(freeze.toStdString(), *model);
    plan.apply(*model);
    fts::TrainSettings s;
    s.optimizer = optimizer.toStdString();
    s.lr = 0.01;
    s.backboneLrScale = 0.1;
    auto setup = fts::makeOptimizer(s, *model);
    const auto& pg = setup.optimizer->param_groups();
    QCOMPARE(int(pg.size()), groups);
    QCOMPARE(int(setup.baseLr.size()), groups);
    QCOMPARE(setup.groupNames[0], std::string("head"));
    QCOMPARE(pg[0].params().size(), std::size_t(2));  // fc.weight, fc.bias
    QCOMPARE(fts::currentLr(*setup.optimizer, 0), 0.01);
    std::size_t inGroups = 0;
    for (const auto& g : pg) inGroups += g.params().size();
    std::size_t trainable = 0;
    for (const auto& p : model->parameters()) trainable += p.requires_grad() ? 1 : 0;
    QCOMPARE(inGroups, trainable);
    // The backbone's rate is lr * scale, up to the rounding of the product.
    const auto near = [](double a, double b) { return std::abs(a - b) <= 1e-12 * std::abs(b); };
    if (groups == 2) {
        const double lr = fts::currentLr(*setup.optimizer, 1);
        QVERIFY2(near(lr, 0.001), qPrintable(QString::number(lr, 'g', 17)));
    }

    fts::applyLrFactor(setup, 0.5);
    QCOMPARE(fts::currentLr(*setup.optimizer, 0), 0.005);
    if (groups == 2) {
        const double lr = fts::currentLr(*setup.optimizer, 1);
        QVERIFY2(near(lr, 0.0005), qPrintable(QString::number(lr, 'g', 17)));
    }
}

void TstFreezePlan::everythingFrozenIsAnError() {
    auto model = demoModel();
    fts::FreezePlan::parse("conv1,bn1,layer1,layer2,layer3,fc", *model).apply(*model);
    fts::TrainSettings s;
    s.freeze = "conv1,bn1,layer1,layer2,layer3,fc";
    QVERIFY_THROWS_EXCEPTION(fts::Error, fts::makeOptimizer(s, *model));
    s.optimizer = "rmsprop";
    QVERIFY_THROWS_EXCEPTION(fts::Error, fts::makeOptimizer(s, *model));
}

QTEST_GUILESS_MAIN(TstFreezePlan)
#include "tst_freezeplan.moc"
