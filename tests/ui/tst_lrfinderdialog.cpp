// The "Find learning rate" dialog on the demo CNN and generated data.
#include "data/datasource.h"
#include "hyperparameterpanel.h"
#include "lrcurveview.h"
#include "lrfinderdialog.h"

#include <QtTest>

#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>

#include <random>

using fts::ui::LrFinderDialog;

namespace {

std::shared_ptr<const fts::DataSource> makeSource(int perClass) {
    std::mt19937 rng(9);
    std::uniform_int_distribution<int> noise(0, 60);
    std::vector<fts::RgbImage> images;
    std::vector<int> labels;
    for (int k = 0; k < perClass; ++k)
        for (int c = 0; c < 2; ++c) {
            fts::RgbImage img;
            img.width = img.height = 28;
            img.pixels.resize(28 * 28 * 3);
            for (int y = 0; y < 28; ++y)
                for (int x = 0; x < 28; ++x) {
                    const bool bar = c == 0 ? (y >= 4 && y < 10) : (y >= 18 && y < 24);
                    for (int ch = 0; ch < 3; ++ch)
                        img.pixels[(y * 28 + x) * 3 + ch] = std::uint8_t(bar ? 220 : noise(rng));
                }
            images.push_back(std::move(img));
            labels.push_back(c);
        }
    return fts::makeMemorySource({"top", "bottom"}, std::move(images), std::move(labels), "bars");
}

fts::TrainSettings tinySettings() {
    fts::TrainSettings s;
    s.model = "demo_cnn";
    s.batchSize = 8;
    s.augment = "none";
    s.optimizer = "sgd";
    s.threads = 2;
    s.loaderWorkers = 1;
    return s;
}

}  // namespace

class TestLrFinderDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void findsAndUsesAValue() {
        fts::LrFinderOptions o;
        o.steps = 40;
        LrFinderDialog dialog(tinySettings(), makeSource(16), nullptr, o);
        dialog.show();
        QSignalSpy finished(&dialog, &LrFinderDialog::finished);
        QSignalSpy chosen(&dialog, &LrFinderDialog::learningRateChosen);
        auto* use = dialog.findChild<QPushButton*>(QStringLiteral("useLearningRate"));
        QVERIFY(use);
        QVERIFY(!use->isEnabled());
        dialog.start();
        QVERIFY(dialog.isRunning());
        QVERIFY(finished.wait(120000));
        QVERIFY(dialog.hasResult());
        const auto& r = dialog.result();
        QVERIFY(!r.points.empty());
        QCOMPARE(dialog.points().size(), r.points.size());
        QVERIFY(r.suggestedLr > 0.0 && r.suggestedLr < r.points.back().lr);
        auto* status = dialog.findChild<QLabel*>(QStringLiteral("lrFinderStatus"));
        QVERIFY(status->text().contains(QStringLiteral("Suggested")));
        QVERIFY(use->isEnabled());

        const QString shot = qEnvironmentVariable("FTS_SCREENSHOT");
        if (!shot.isEmpty()) QVERIFY(dialog.grab().save(shot));

        use->click();
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.at(0).at(0).toDouble(), r.suggestedLr);
    }

    void cancelKeepsThePartialCurve() {
        fts::LrFinderOptions o;
        o.steps = 400;
        LrFinderDialog dialog(tinySettings(), makeSource(16), nullptr, o);
        QSignalSpy finished(&dialog, &LrFinderDialog::finished);
        dialog.start();
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.points().empty(), 60000);
        dialog.findChild<QPushButton*>(QStringLiteral("cancelLrFinder"))->click();
        QVERIFY(finished.wait(60000));
        QVERIFY(dialog.result().cancelled);
        QVERIFY(int(dialog.result().points.size()) < 400);
    }

    void panelButton() {
        fts::ui::HyperparameterPanel panel;
        panel.show();
        QSignalSpy requested(&panel, &fts::ui::HyperparameterPanel::learningRateFinderRequested);
        auto* button = panel.findChild<QPushButton*>(QStringLiteral("findLearningRate"));
        QVERIFY(button);
        button->click();
        QCOMPARE(requested.count(), 1);
        panel.useLearningRate(0.0042);
        fts::TrainSettings s;
        QVERIFY(panel.applyTo(s));
        QVERIFY(std::abs(s.lr - 0.0042) < 1e-6);
        panel.setRunning(true);
        QVERIFY(!button->isEnabled());
        panel.setRunning(false);
        const QString shot = qEnvironmentVariable("FTS_SCREENSHOT_PANEL");
        if (!shot.isEmpty()) QVERIFY(panel.grab().save(shot));
    }

    void failureIsReported() {
        auto s = tinySettings();
        s.model = "no_such_net";
        LrFinderDialog dialog(s, makeSource(2));
        QSignalSpy finished(&dialog, &LrFinderDialog::finished);
        dialog.start();
        QVERIFY(finished.wait(30000));
        QVERIFY(!dialog.hasResult());
        auto* status = dialog.findChild<QLabel*>(QStringLiteral("lrFinderStatus"));
        QVERIFY(status->text().contains(QStringLiteral("no_such_net")));
    }
};

QTEST_MAIN(TestLrFinderDialog)
#include "tst_lrfinderdialog.moc"
