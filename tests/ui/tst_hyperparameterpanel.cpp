// HyperparameterPanel: round trip of every field it owns, bounded inputs,
// cross-field checks and the running lock.

#include "hyperparameterpanel.h"
#include "train/devices.h"

#include <QAbstractSpinBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QtTest>

#include <algorithm>

using fts::ui::HyperparameterPanel;

Q_DECLARE_METATYPE(fts::TrainSettings)

namespace {

QList<QWidget*> inputs(const HyperparameterPanel& panel) {
    QList<QWidget*> list;
    for (auto* w : panel.findChildren<QAbstractSpinBox*>()) list << w;
    for (auto* w : panel.findChildren<QComboBox*>()) list << w;
    for (auto* w : panel.findChildren<QSlider*>()) list << w;
    return list;
}

void typeInto(QAbstractSpinBox* box, const QString& text) {
    box->setFocus();
    box->selectAll();
    QTest::keyClicks(box, text);
    QTest::keyClick(box, Qt::Key_Enter);
}

}  // namespace

class TestHyperparameterPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data() {
        QTest::addColumn<fts::TrainSettings>("settings");

        fts::TrainSettings a;
        a.epochs = 37;
        a.batchSize = 48;
        a.lr = 3e-4;
        a.optimizer = "sgd";
        a.momentum = 0.85;
        a.weightDecay = 5e-4;
        a.scheduler = "step";
        a.warmupEpochs = 3;
        a.imageSize = 96;
        a.augment = "strong";
        a.valSplit = 0.3;
        a.seed = 12345;
        a.device = "cpu";
        a.threads = 1;
        QTest::newRow("sgd, step, cpu") << a;

        fts::TrainSettings b;
        b.epochs = 1;
        b.batchSize = 4096;
        b.lr = 1.0;
        b.optimizer = "adam";
        b.momentum = 0.0;
        b.weightDecay = 0.0;
        b.scheduler = "none";
        b.warmupEpochs = 0;
        b.imageSize = 0;  // Auto
        b.augment = "none";
        b.valSplit = 0.05;
        b.seed = 0;
        b.device = "auto";
        b.threads = 0;
        QTest::newRow("adam, none, auto") << b;

        fts::TrainSettings c;  // the defaults: adamw, cosine, light
        c.lr = 2e-6;
        c.imageSize = 1024;
        c.valSplit = 0.5;
        c.threads = fts::usableCores();
        QTest::newRow("defaults, extremes") << c;
    }

    void roundTrip() {
        QFETCH(fts::TrainSettings, settings);
        HyperparameterPanel panel;
        QSignalSpy changed(&panel, &HyperparameterPanel::changed);
        panel.setSettings(settings);
        QCOMPARE(changed.count(), 1);
        QVERIFY(panel.isValid());

        fts::TrainSettings out;
        // Fields the panel does not own must stay as they are.
        out.dataPath = "keep/data";
        out.freeze = "layer1";
        out.model = "mobilenet_v2";
        out.backboneLrScale = 0.5;
        out.stepSize = 4;
        QString error = QStringLiteral("stale");
        QVERIFY(panel.applyTo(out, &error));
        QVERIFY(error.isEmpty());

        QCOMPARE(out.epochs, settings.epochs);
        QCOMPARE(out.batchSize, settings.batchSize);
        QVERIFY2(qAbs(out.lr - settings.lr) <= 1e-12 * std::max(1.0, settings.lr),
                 qPrintable(QString::number(out.lr)));
        QCOMPARE(out.optimizer, settings.optimizer);
        QCOMPARE(out.momentum, settings.momentum);
        QCOMPARE(out.weightDecay, settings.weightDecay);
        QCOMPARE(out.scheduler, settings.scheduler);
        QCOMPARE(out.warmupEpochs, settings.warmupEpochs);
        QCOMPARE(out.imageSize, settings.imageSize);
        QCOMPARE(out.augment, settings.augment);
        QCOMPARE(out.valSplit, settings.valSplit);
        QCOMPARE(out.seed, settings.seed);
        QCOMPARE(out.device, settings.device);
        QCOMPARE(out.precision, settings.precision);
        QCOMPARE(out.threads, settings.threads);

        QCOMPARE(out.dataPath, std::string("keep/data"));
        QCOMPARE(out.freeze, std::string("layer1"));
        QCOMPARE(out.model, std::string("mobilenet_v2"));
        QCOMPARE(out.backboneLrScale, 0.5);
        QCOMPARE(out.stepSize, 4);
    }

    void outOfRangeSettingsClamp() {
        fts::TrainSettings s;
        s.epochs = 999999;
        s.batchSize = 0;
        s.lr = 50.0;
        s.imageSize = 5;
        s.valSplit = 0.9;
        s.threads = 100000;
        HyperparameterPanel panel;
        panel.setSettings(s);
        fts::TrainSettings out;
        QVERIFY(panel.applyTo(out));
        QCOMPARE(out.epochs, panel.findChild<QSpinBox*>("epochs")->maximum());
        QCOMPARE(out.batchSize, 1);
        QCOMPARE(out.lr, 1.0);
        QCOMPARE(out.imageSize, 16);
        QCOMPARE(out.valSplit, 0.5);
        QCOMPARE(out.threads, fts::usableCores());
    }

    void typedValuesStayInRange() {
        HyperparameterPanel panel;
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));

        auto* epochs = panel.findChild<QSpinBox*>("epochs");
        QVERIFY(epochs);
        typeInto(epochs, QStringLiteral("99999"));
        QVERIFY(epochs->value() <= epochs->maximum());
        QVERIFY(epochs->value() >= epochs->minimum());
        QVERIFY(epochs->value() > 10);  // the keys did reach the box
        fts::TrainSettings out;
        QVERIFY(panel.applyTo(out));
        QCOMPARE(out.epochs, epochs->value());

        auto* batch = panel.findChild<QSpinBox*>("batchSize");
        typeInto(batch, QStringLiteral("0"));
        QVERIFY(batch->value() >= 1);

        auto* split = panel.findChild<QDoubleSpinBox*>("validationSplit");
        typeInto(split, QStringLiteral("0.9"));
        QVERIFY(split->value() <= 0.5);

        auto* lr = panel.findChild<QDoubleSpinBox*>("learningRate");
        QVERIFY(lr);
        typeInto(lr, QStringLiteral("2e-2"));
        QCOMPARE(lr->value(), 0.02);
        QCOMPARE(lr->text(), QStringLiteral("2.0e-2"));
        typeInto(lr, QStringLiteral("5"));  // above the maximum: corrected to it
        QVERIFY(lr->value() <= 1.0);
        QVERIFY(panel.applyTo(out));
        QVERIFY(out.lr > 0.0 && out.lr <= 1.0);
    }

    void learningRateIsLogarithmic() {
        HyperparameterPanel panel;
        fts::TrainSettings s;
        s.lr = 1e-3;
        panel.setSettings(s);
        auto* lr = panel.findChild<QDoubleSpinBox*>("learningRate");
        auto* slider = panel.findChild<QSlider*>("learningRateSlider");
        QVERIFY(lr && slider);
        QCOMPARE(lr->text(), QStringLiteral("1.0e-3"));
        QCOMPARE(slider->value(), -3 * HyperparameterPanel::kLrStepsPerDecade);

        // A step multiplies by a tenth of a decade.
        lr->stepBy(1);
        QVERIFY(qFuzzyCompare(lr->value(), 1.3e-3));
        QCOMPARE(lr->text(), QStringLiteral("1.3e-3"));
        QCOMPARE(slider->value(), -29);
        lr->stepBy(-2);
        QVERIFY(qFuzzyCompare(lr->value(), 7.9e-4));
        QCOMPARE(lr->text(), QStringLiteral("7.9e-4"));
        lr->stepBy(-1000);
        QCOMPARE(lr->value(), lr->minimum());

        // The slider sets the spin box.
        QSignalSpy changed(&panel, &HyperparameterPanel::changed);
        slider->setValue(-20);
        QVERIFY(qFuzzyCompare(lr->value(), 1e-2));
        QCOMPARE(changed.count(), 1);
        fts::TrainSettings out;
        QVERIFY(panel.applyTo(out));
        QVERIFY(qFuzzyCompare(out.lr, 1e-2));
    }

    void invalidCombinationsRefused() {
        HyperparameterPanel panel;
        QSignalSpy validity(&panel, &HyperparameterPanel::validityChanged);
        fts::TrainSettings s;
        s.epochs = 5;
        s.warmupEpochs = 5;
        panel.setSettings(s);
        QVERIFY(!panel.isValid());
        QCOMPARE(validity.count(), 1);
        QCOMPARE(validity.last().at(0).toBool(), false);

        fts::TrainSettings out;
        out.epochs = 77;
        QString error;
        QVERIFY(!panel.applyTo(out, &error));
        QVERIFY2(error.contains(QStringLiteral("warm-up")), qPrintable(error));
        QCOMPARE(out.epochs, 77);  // untouched
        auto* message = panel.findChild<QLabel*>("validationMessage");
        QVERIFY(message);
        QCOMPARE(message->text(), error);
        QVERIFY(!message->isHidden());

        panel.findChild<QSpinBox*>("epochs")->setValue(6);
        QVERIFY(panel.isValid());
        QCOMPARE(validity.count(), 2);
        QCOMPARE(validity.last().at(0).toBool(), true);
        QVERIFY(message->isHidden());
        QVERIFY(panel.applyTo(out, &error));
        QCOMPARE(out.epochs, 6);
        QCOMPARE(out.warmupEpochs, 5);

        // A device this computer does not have (a project from another machine).
        s.warmupEpochs = 0;
        s.device = "cuda:7";
        panel.setSettings(s);
        QVERIFY(!panel.isValid());
        QVERIFY(!panel.applyTo(out, &error));
        QVERIFY2(error.contains(QStringLiteral("cuda:7")), qPrintable(error));
        auto* device = panel.findChild<QComboBox*>("device");
        device->setCurrentIndex(device->findData(QStringLiteral("cpu")));
        QVERIFY(panel.isValid());
        QVERIFY(panel.applyTo(out, &error));
        QCOMPARE(out.device, std::string("cpu"));

        // bf16 needs a GPU of compute capability 8.0+: never the CPU.
        auto* precision = panel.findChild<QComboBox*>("precision");
        QVERIFY(precision);
        precision->setCurrentIndex(precision->findData(QStringLiteral("bf16")));
        QVERIFY(!panel.isValid());
        QVERIFY(!panel.applyTo(out, &error));
        QVERIFY2(error.contains(QStringLiteral("bf16")), qPrintable(error));
        QCOMPARE(out.precision, std::string("fp32"));  // untouched
        precision->setCurrentIndex(precision->findData(QStringLiteral("fp32")));
        QVERIFY(panel.isValid());
    }

    void precisionFollowsTheDevicesGpus() {
        // bf16 on "auto" is valid exactly when the first GPU is Ampere or newer.
        HyperparameterPanel panel;
        fts::TrainSettings s;
        s.device = "auto";
        s.precision = "bf16";
        panel.setSettings(s);
        const auto devices = fts::availableDevices();
        const bool capable = devices.size() > 1 && devices[1].computeMajor >= 8;
        QCOMPARE(panel.isValid(), capable);
        fts::TrainSettings out;
        QCOMPARE(panel.applyTo(out), capable);
        if (capable) QCOMPARE(out.precision, std::string("bf16"));
        // Each GPU in the device list shows its name (and memory when known).
        auto* device = panel.findChild<QComboBox*>("device");
        for (std::size_t i = 1; i < devices.size(); ++i)
            QCOMPARE(device->itemText(device->findData(QString::fromStdString(devices[i].id))),
                     QString::fromStdString(devices[i].name));
    }

    void dependentFieldsEnabled() {
        HyperparameterPanel panel;
        fts::TrainSettings s;
        s.optimizer = "adamw";
        panel.setSettings(s);
        auto* momentum = panel.findChild<QDoubleSpinBox*>("momentum");
        auto* optimizer = panel.findChild<QComboBox*>("optimizer");
        QVERIFY(!momentum->isEnabled());
        optimizer->setCurrentIndex(optimizer->findData(QStringLiteral("sgd")));
        QVERIFY(momentum->isEnabled());

        auto* split = panel.findChild<QDoubleSpinBox*>("validationSplit");
        QVERIFY(split->isEnabled());
        panel.setValidationSplitEnabled(false);
        QVERIFY(!split->isEnabled());
        panel.setValidationSplitEnabled(true);
        QVERIFY(split->isEnabled());
    }

    void runningDisablesInputs() {
        HyperparameterPanel panel;
        const QList<QWidget*> widgets = inputs(panel);
        QVERIFY(widgets.size() >= 15);
        panel.setRunning(true);
        for (QWidget* w : widgets) QVERIFY2(!w->isEnabled(), qPrintable(w->objectName()));
        panel.setRunning(false);
        QVERIFY(panel.findChild<QSpinBox*>("epochs")->isEnabled());
        QVERIFY(panel.findChild<QComboBox*>("device")->isEnabled());
        // Momentum stays off for the default optimizer (AdamW).
        QVERIFY(!panel.findChild<QDoubleSpinBox*>("momentum")->isEnabled());
    }

    void everyInputHasATooltip() {
        HyperparameterPanel panel;
        for (QWidget* w : inputs(panel)) {
            if (qobject_cast<QLineEdit*>(w)) continue;
            QVERIFY2(!w->toolTip().isEmpty(), qPrintable(w->objectName()));
        }
    }
};

QTEST_MAIN(TestHyperparameterPanel)
#include "tst_hyperparameterpanel.moc"
