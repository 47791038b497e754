// The image inspector's Grad-CAM view on a tiny demo run trained for one epoch.
#include "data/datasource.h"
#include "imageinspector.h"
#include "trainingcontroller.h"

#include <QtTest>

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QTemporaryDir>

#include <random>

using fts::ui::ImageInspector;
using fts::ui::PredictionSample;
using fts::ui::TrainingController;

namespace {

const std::vector<std::string> kClasses{"plain", "spot"};

// Noise (class 0), or noise with a bright square somewhere (class 1).
fts::RgbImage spotImage(int cls, std::mt19937& rng) {
    constexpr int size = 28;
    std::uniform_int_distribution<int> noise(0, 60);
    fts::RgbImage image;
    image.width = image.height = size;
    image.pixels.resize(size * size * 3);
    std::uniform_int_distribution<int> where(2, 18);
    const int x0 = where(rng), y0 = where(rng);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) {
            const bool spot = cls == 1 && x >= x0 && x < x0 + 8 && y >= y0 && y < y0 + 8;
            for (int c = 0; c < 3; ++c)
                image.pixels[(y * size + x) * 3 + c] = std::uint8_t(spot ? 220 : noise(rng));
        }
    return image;
}

std::shared_ptr<const fts::DataSource> makeSource(int perClass, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<fts::RgbImage> images;
    std::vector<int> labels;
    for (int k = 0; k < perClass; ++k)
        for (int c = 0; c < 2; ++c) {
            images.push_back(spotImage(c, rng));
            labels.push_back(c);
        }
    return fts::makeMemorySource(kClasses, std::move(images), std::move(labels), "spots");
}

}  // namespace

class TestImageInspector : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_runDir;
    std::shared_ptr<const fts::DataSource> m_val = makeSource(4, 2);
    QVector<PredictionSample> m_samples;
    QStringList m_classes{QStringLiteral("plain"), QStringLiteral("spot")};

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_runDir = m_dir.filePath(QStringLiteral("run"));
        fts::TrainSettings s;
        s.model = "demo_cnn";
        s.epochs = 3;
        s.batchSize = 8;
        s.lr = 0.01;
        s.augment = "none";
        s.device = "cpu";
        s.threads = 2;
        s.loaderWorkers = 1;
        s.samplePredictions = 4;
        s.outDir = m_runDir.toStdString();
        TrainingController controller;
        QSignalSpy finished(&controller, &TrainingController::finished);
        connect(&controller, &TrainingController::validationPredicted, this,
                [this](int, const QVector<PredictionSample>& p) { m_samples = p; });
        QVERIFY(controller.start(s, makeSource(64, 1), m_val));
        QVERIFY(finished.wait(120000));
        QVERIFY(!m_samples.isEmpty());
    }

    void showsOverlaysOnAWorker() {
        // A correctly classified spot when there is one (the screenshot reads better).
        PredictionSample sample = m_samples.front();
        for (const auto& p : m_samples)
            if (p.correct() && p.trueLabel == 1) {
                sample = p;
                break;
            }
        auto* inspector = new ImageInspector(sample, m_classes, m_val);
        QPointer<ImageInspector> guard(inspector);
        inspector->setRunDirectory(m_runDir);
        inspector->show();
        QSignalSpy shown(inspector, &ImageInspector::gradCamShown);
        QSignalSpy failed(inspector, &ImageInspector::gradCamFailed);

        inspector->setView(ImageInspector::View::GradCamPredicted);
        auto* status = inspector->findChild<QLabel*>(QStringLiteral("gradCamStatus"));
        QVERIFY(status);
        if (shown.isEmpty()) {
            // Still loading the image or already computing: never on the GUI thread.
            QVERIFY(inspector->isComputingGradCam() || inspector->isLoading());
            QVERIFY(shown.wait(60000));
        }
        QCOMPARE(failed.count(), 0);
        QVERIFY(!inspector->gradCamOverlay().isNull());
        QCOMPARE(inspector->gradCamOverlay().size(), QSize(28, 28));
        QCOMPARE(inspector->gradCamLayer(), QStringLiteral("layer3"));
        QVERIFY(inspector->gradCamLayers().contains(QStringLiteral("layer1.0")));
        QVERIFY(status->text().contains(QStringLiteral("layer3")));
        const QImage predicted = inspector->gradCamOverlay();

        // Another layer: computed anew.
        shown.clear();
        inspector->setGradCamLayer(QStringLiteral("layer2"));
        QVERIFY(inspector->isComputingGradCam());
        QVERIFY(status->text().contains(QStringLiteral("Computing")));
        QVERIFY(shown.wait(60000));
        QVERIFY(inspector->gradCamOverlay() != predicted);

        // The true class, then back to the image.
        shown.clear();
        inspector->setView(ImageInspector::View::GradCamTrue);
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 60000);
        QVERIFY(!inspector->gradCamOverlay().isNull());

        const QString shot = qEnvironmentVariable("FTS_SCREENSHOT");
        if (!shot.isEmpty()) {
            shown.clear();
            inspector->setGradCamLayer(QStringLiteral("layer3"));
            inspector->setView(ImageInspector::View::GradCamPredicted);
            QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 60000);
            QVERIFY(inspector->grab().save(shot));
        }
        inspector->setView(ImageInspector::View::Image);
        QVERIFY(inspector->gradCamOverlay().isNull());
        inspector->close();
        QTRY_VERIFY(guard.isNull());  // WA_DeleteOnClose
    }

    void noWeightsGivesANote() {
        QTemporaryDir empty;
        ImageInspector inspector(m_samples.front(), m_classes, nullptr);
        inspector.setAttribute(Qt::WA_DeleteOnClose, false);
        QSignalSpy failed(&inspector, &ImageInspector::gradCamFailed);
        inspector.setRunDirectory(empty.path());
        inspector.setView(ImageInspector::View::GradCamPredicted);
        QVERIFY(failed.wait(30000));
        auto* status = inspector.findChild<QLabel*>(QStringLiteral("gradCamStatus"));
        QVERIFY(status->text().contains(QStringLiteral("not available")));
        QVERIFY(inspector.gradCamOverlay().isNull());
    }
};

QTEST_MAIN(TestImageInspector)
#include "tst_imageinspector.moc"
