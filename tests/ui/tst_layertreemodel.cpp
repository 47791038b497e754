// LayerTreeModel and LayerTreePanel: the tree of modules, check states,
// presets and the freeze spec, checked against the engine's own count of
// trainable parameters.

#include "layertreemodel.h"
#include "layertreepanel.h"
#include "train/modeldescription.h"
#include "uitypes.h"

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTreeView>
#include <QtTest>

#include <map>

using fts::ui::LayerTreeModel;
using fts::ui::LayerTreePanel;

namespace {

constexpr int kClasses = 7;

// Small trace sizes keep describeModel quick; the tree does not depend on it.
int traceSize(const QString& arch) {
    return arch == QLatin1String("demo_cnn") ? 28 : 64;
}

}  // namespace

class TestLayerTreeModel : public QObject {
    Q_OBJECT

private:
    const fts::ModelDescription& describe(const QString& arch) {
        auto found = m_descriptions.find(arch);
        if (found == m_descriptions.end())
            found = m_descriptions
                        .emplace(arch, fts::describeModel(arch.toStdString(), /*weightsFile=*/"",
                                                          kClasses, traceSize(arch)))
                        .first;
        return found->second;
    }

    static QModelIndexList checkable(const QAbstractItemModel& model,
                                     const QModelIndex& parent = {}) {
        QModelIndexList list;
        for (int row = 0; row < model.rowCount(parent); ++row) {
            const QModelIndex index = model.index(row, 0, parent);
            if (model.flags(index) & Qt::ItemIsUserCheckable) list << index;
            list << checkable(model, index);
        }
        return list;
    }

    static Qt::CheckState state(const QModelIndex& index) {
        return static_cast<Qt::CheckState>(index.data(Qt::CheckStateRole).toInt());
    }

    long long engineCount(const QString& arch, const QString& spec) {
        return fts::engineTrainableParameters(arch.toStdString(), kClasses, spec.toStdString());
    }

    std::map<QString, fts::ModelDescription> m_descriptions;

private Q_SLOTS:
    void structure() {
        const auto& d = describe(QStringLiteral("resnet18"));
        LayerTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDescription(d);

        QCOMPARE(model.columnCount(), 4);
        QCOMPARE(model.rowCount(), int(d.tree.children.size()));
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("conv1"));
        QCOMPARE(model.totalParameters(), qint64(d.totalParameters));
        QCOMPARE(model.trainableParameters(), model.totalParameters());
        QCOMPARE(model.freezeSpec(), QStringLiteral("none"));

        const QModelIndex fc = model.indexForPath(QStringLiteral("fc"));
        QVERIFY(fc.isValid());
        QCOMPARE(fc.siblingAtColumn(LayerTreeModel::TypeColumn).data().toString(),
                 QStringLiteral("Linear"));
        QCOMPARE(fc.siblingAtColumn(LayerTreeModel::ParametersColumn).data().toString(),
                 QLocale().toString(qlonglong(512 * kClasses + kClasses)));
        QCOMPARE(fc.siblingAtColumn(LayerTreeModel::OutputShapeColumn).data().toString(),
                 QString::number(kClasses));

        // 64x64 input: stem /4 -> 16x16 in layer1.
        const QModelIndex layer1 = model.indexForPath(QStringLiteral("layer1"));
        QCOMPARE(layer1.siblingAtColumn(LayerTreeModel::OutputShapeColumn).data().toString(),
                 QStringLiteral("64 \u00d7 16 \u00d7 16"));
        QCOMPARE(model.rowCount(layer1), 2);
        QCOMPARE(model.parent(model.index(0, 0, layer1)), layer1);

        // Modules without parameters have no check box.
        const QModelIndex relu = model.indexForPath(QStringLiteral("relu"));
        QVERIFY(relu.isValid());
        QVERIFY(!(model.flags(relu) & Qt::ItemIsUserCheckable));
        QVERIFY(!relu.data(Qt::CheckStateRole).isValid());
        QVERIFY(!model.setData(relu, Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(state(layer1), Qt::Unchecked);
        QVERIFY(!model.indexForPath(QStringLiteral("nope")).isValid());
    }

    void checkingPropagates() {
        const auto& d = describe(QStringLiteral("resnet18"));
        LayerTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDescription(d);
        QSignalSpy changed(&model, &LayerTreeModel::freezeChanged);

        const QModelIndex layer1 = model.indexForPath(QStringLiteral("layer1"));
        QVERIFY(model.setData(layer1, Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(state(layer1), Qt::Checked);
        QCOMPARE(state(model.indexForPath(QStringLiteral("layer1.0.conv1"))), Qt::Checked);
        QCOMPARE(state(model.indexForPath(QStringLiteral("layer1.1"))), Qt::Checked);
        QCOMPARE(model.freezeSpec(), QStringLiteral("layer1"));

        // Unticking one child makes its ancestors partial.
        const QModelIndex conv1 = model.indexForPath(QStringLiteral("layer1.0.conv1"));
        QVERIFY(model.setData(conv1, Qt::Unchecked, Qt::CheckStateRole));
        QCOMPARE(changed.count(), 2);
        QCOMPARE(state(conv1), Qt::Unchecked);
        QCOMPARE(state(model.indexForPath(QStringLiteral("layer1.0"))), Qt::PartiallyChecked);
        QCOMPARE(state(layer1), Qt::PartiallyChecked);
        QCOMPARE(model.freezeSpec(),
                 QStringLiteral("layer1.0.bn1,layer1.0.bn2,layer1.0.conv2,layer1.1"));
        QCOMPARE(model.trainableParameters(),
                 model.totalParameters() -
                     layer1.data(LayerTreeModel::SubtreeParametersRole).toLongLong() +
                     64 * 64 * 3 * 3);

        // Ticking it again completes the parent.
        QVERIFY(model.setData(conv1, Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(state(layer1), Qt::Checked);
        QCOMPARE(model.freezeSpec(), QStringLiteral("layer1"));
        // A partial state cannot be set directly; re-setting the same state
        // changes nothing.
        QVERIFY(!model.setData(layer1, Qt::PartiallyChecked, Qt::CheckStateRole));
        const int before = changed.count();
        QVERIFY(model.setData(layer1, Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(changed.count(), before);

        // Ticking every module but the head by hand is "backbone".
        for (int row = 0; row < model.rowCount(); ++row) {
            const QModelIndex index = model.index(row, 0);
            if (!(model.flags(index) & Qt::ItemIsUserCheckable)) continue;
            model.setData(index,
                          index.data(LayerTreeModel::PathRole) == QLatin1String("fc")
                              ? Qt::Unchecked
                              : Qt::Checked,
                          Qt::CheckStateRole);
        }
        QCOMPARE(model.freezeSpec(), QStringLiteral("backbone"));
        // ... and ticking the head too lists every top-level module.
        model.setFrozen(QStringLiteral("fc"), true);
        QCOMPARE(model.freezeSpec(), QStringLiteral("bn1,conv1,fc,layer1,layer2,layer3,layer4"));
        QCOMPARE(model.trainableParameters(), 0);
    }

    void presets_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("lastBlockSpec");
        QTest::newRow("demo_cnn") << "demo_cnn"
                                  << "bn1,conv1,layer1,layer2";
        QTest::newRow("resnet18") << "resnet18"
                                  << "bn1,conv1,layer1,layer2,layer3";
        QStringList list;
        for (int i = 0; i <= 16; ++i) list << QStringLiteral("features.%1").arg(i);
        list.sort();
        QTest::newRow("mobilenet_v2") << "mobilenet_v2" << list.join(QLatin1Char(','));
    }

    void presets() {
        QFETCH(QString, arch);
        QFETCH(QString, lastBlockSpec);
        LayerTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDescription(describe(arch));

        model.applyHeadOnly();
        QCOMPARE(model.freezeSpec(), QStringLiteral("backbone"));
        QCOMPARE(model.trainableParameters(), engineCount(arch, model.freezeSpec()));
        QCOMPARE(model.trainableParameters(),
                 model.indexForPath(fts::ui::toQString(describe(arch).headPath))
                     .data(LayerTreeModel::SubtreeParametersRole)
                     .toLongLong());

        model.applyLastBlockAndHead();
        QCOMPARE(model.freezeSpec(), lastBlockSpec);
        QCOMPARE(model.trainableParameters(), engineCount(arch, model.freezeSpec()));
        QVERIFY(!model.isFrozen(fts::ui::toQString(describe(arch).lastBlockPath)));
        QVERIFY(model.trainableParameters() < model.totalParameters());

        model.applyEverything();
        QCOMPARE(model.freezeSpec(), QStringLiteral("none"));
        QCOMPARE(model.trainableParameters(), engineCount(arch, model.freezeSpec()));
        QCOMPARE(model.trainableParameters(), model.totalParameters());
    }

    void randomTicksMatchEngine_data() {
        QTest::addColumn<QString>("arch");
        QTest::newRow("demo_cnn") << "demo_cnn";
        QTest::newRow("resnet18") << "resnet18";
        QTest::newRow("mobilenet_v2") << "mobilenet_v2";
    }

    void randomTicksMatchEngine() {
        QFETCH(QString, arch);
        LayerTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDescription(describe(arch));
        const QModelIndexList boxes = checkable(model);
        QVERIFY(boxes.size() > 10);

        QRandomGenerator random(/*seed=*/1234);
        int partialPatterns = 0;
        for (int pattern = 0; pattern < 8; ++pattern) {
            if (pattern % 2)
                model.applyHeadOnly();
            else
                model.applyEverything();
            const int ticks = 1 + random.bounded(6);
            for (int t = 0; t < ticks; ++t) {
                const QModelIndex index = boxes.at(random.bounded(int(boxes.size())));
                QVERIFY(model.setData(index, random.bounded(2) ? Qt::Checked : Qt::Unchecked,
                                      Qt::CheckStateRole));
            }
            for (int row = 0; row < model.rowCount(); ++row)
                if (state(model.index(row, 0)) == Qt::PartiallyChecked) ++partialPatterns;
            const QString spec = model.freezeSpec();
            QCOMPARE(model.trainableParameters(), engineCount(arch, spec));
            // The spec reads back to the same state.
            LayerTreeModel copy;
            copy.setDescription(describe(arch));
            QVERIFY(copy.setFreezeSpec(spec));
            QCOMPARE(copy.freezeSpec(), spec);
            QCOMPARE(copy.trainableParameters(), model.trainableParameters());
        }
        QVERIFY2(partialPatterns > 0, "no pattern left a top-level module partly frozen");
    }

    void setFreezeSpec() {
        LayerTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDescription(describe(QStringLiteral("resnet18")));
        QSignalSpy changed(&model, &LayerTreeModel::freezeChanged);

        QVERIFY(model.setFreezeSpec(QStringLiteral(" layer2 , conv1,layer1.0, layer1 ")));
        QCOMPARE(model.freezeSpec(), QStringLiteral("conv1,layer1,layer2"));
        QCOMPARE(changed.count(), 1);
        QVERIFY(model.isFrozen(QStringLiteral("layer1.0.conv1")));
        QVERIFY(!model.isFrozen(QStringLiteral("bn1")));

        // An unknown path changes nothing.
        QVERIFY(!model.setFreezeSpec(QStringLiteral("layer1,layer9")));
        QVERIFY(!model.setFreezeSpec(QStringLiteral(",")));
        QCOMPARE(model.freezeSpec(), QStringLiteral("conv1,layer1,layer2"));
        QCOMPARE(changed.count(), 1);

        QVERIFY(model.setFreezeSpec(QStringLiteral("backbone")));
        QCOMPARE(model.freezeSpec(), QStringLiteral("backbone"));
        QVERIFY(model.setFreezeSpec(QStringLiteral("none")));
        QCOMPARE(model.frozenParameters(), 0);
        QVERIFY(model.setFreezeSpec(QString()));
        QCOMPARE(model.freezeSpec(), QStringLiteral("none"));
    }

    void readOnly() {
        LayerTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDescription(describe(QStringLiteral("demo_cnn")));
        model.setReadOnly(true);
        const QModelIndex layer1 = model.indexForPath(QStringLiteral("layer1"));
        QVERIFY(!(model.flags(layer1) & Qt::ItemIsUserCheckable));
        QVERIFY(!model.setData(layer1, Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(model.freezeSpec(), QStringLiteral("none"));
        // The check state still shows.
        QCOMPARE(state(layer1), Qt::Unchecked);
        model.setReadOnly(false);
        QVERIFY(model.setData(layer1, Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(model.freezeSpec(), QStringLiteral("layer1"));
    }

    void panel() {
        LayerTreePanel panel;
        QAbstractItemModelTester tester(panel.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy changed(&panel, &LayerTreePanel::freezeChanged);
        const auto& demo = describe(QStringLiteral("demo_cnn"));
        panel.setDescription(demo);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.last().at(0).toString(), QStringLiteral("none"));
        const QLocale locale;
        QVERIFY2(panel.trainableText().contains(locale.toString(qlonglong(demo.totalParameters))),
                 qPrintable(panel.trainableText()));

        QPushButton* head = nullptr;
        for (auto* button : panel.findChildren<QPushButton*>())
            if (button->text() == LayerTreePanel::tr("Train head only")) head = button;
        QVERIFY(head);
        QVERIFY(!head->toolTip().isEmpty());
        head->click();
        QCOMPARE(changed.last().at(0).toString(), QStringLiteral("backbone"));
        QCOMPARE(panel.freezeSpec(), QStringLiteral("backbone"));
        const qint64 headParameters = panel.model()->trainableParameters();
        QVERIFY(panel.trainableText().contains(locale.toString(qlonglong(headParameters))));

        // The same network described again keeps the ticks; another resets.
        panel.setDescription(demo);
        QCOMPARE(panel.freezeSpec(), QStringLiteral("backbone"));
        panel.setDescription(describe(QStringLiteral("resnet18")));
        QCOMPARE(panel.freezeSpec(), QStringLiteral("none"));
        QCOMPARE(changed.last().at(0).toString(), QStringLiteral("none"));

        QVERIFY(panel.setFreezeSpec(QStringLiteral("layer1")));
        QCOMPARE(changed.last().at(0).toString(), QStringLiteral("layer1"));
        QVERIFY(!panel.setFreezeSpec(QStringLiteral("layer7")));

        panel.setRunning(true);
        QVERIFY(!head->isEnabled());
        QVERIFY(panel.model()->isReadOnly());
        panel.setRunning(false);
        QVERIFY(head->isEnabled());
        QVERIFY(!panel.model()->isReadOnly());

        // The view shows the first level expanded.
        auto* view = panel.findChild<QTreeView*>();
        QVERIFY(view);
        QVERIFY(view->isExpanded(panel.model()->indexForPath(QStringLiteral("layer1"))));
        QVERIFY(!view->isExpanded(panel.model()->indexForPath(QStringLiteral("layer1.0"))));
    }
};

QTEST_MAIN(TestLayerTreeModel)
#include "tst_layertreemodel.moc"
