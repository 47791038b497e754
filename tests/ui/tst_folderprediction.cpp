// "Predict on a folder…": FolderPrediction classifies a folder on a worker
// thread with a tiny run (trained here by finetune-cli), reports progress,
// can be cancelled, and the gallery shows images without a true class as
// "unlabelled".
#include "folderprediction.h"
#include "galleryfilterproxy.h"
#include "gallerymodel.h"
#include "gallerypanel.h"

#include <QAbstractItemModelTester>
#include <QProcess>
#include <QSignalSpy>
#include <QtTest/QtTest>

#include <fstream>
#include <random>

using fts::ui::FolderPrediction;
using fts::ui::FolderPredictionResult;

namespace {

// A noisy PPM: class "dark" (0) or "bright" (1).
void writeImage(const QString& file, int size, bool bright, unsigned seed) {
    QDir().mkpath(QFileInfo(file).absolutePath());
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> noise(-30, 30);
    std::ofstream out(file.toStdString(), std::ios::binary);
    out << "P6\n" << size << ' ' << size << "\n255\n";
    for (int i = 0; i < size * size * 3; ++i)
        out.put(char(std::clamp((bright ? 190 : 60) + noise(rng), 0, 255)));
}

FolderPredictionResult waitForResult(FolderPrediction& job) {
    QSignalSpy finished(&job, &FolderPrediction::finished);
    if (finished.isEmpty() && !finished.wait(120000)) return {};
    return finished.takeFirst().at(0).value<FolderPredictionResult>();
}

}  // namespace

class TstFolderPrediction : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void classifiesFolderOffTheGuiThread();
    void cancelStopsEarly();
    void badModelFolderIsAnError();
    void galleryShowsUnlabelled();

private:
    QTemporaryDir m_dir;
    QString m_run;
    QString m_images;
};

void TstFolderPrediction::initTestCase() {
    QVERIFY(m_dir.isValid());
    for (int i = 0; i < 8; ++i) {
        writeImage(m_dir.filePath("train/dark/%1.ppm").arg(i), 32, false, 10u + unsigned(i));
        writeImage(m_dir.filePath("train/bright/%1.ppm").arg(i), 32, true, 50u + unsigned(i));
    }
    m_run = m_dir.filePath("run");
    QProcess cli;
    cli.start(QStringLiteral(FTS_CLI_PATH),
              {"train", "--model", "demo_cnn", "--data", m_dir.filePath("train"), "--val-split",
               "0.25", "--epochs", "1", "--batch-size", "8", "--augment", "none", "--threads", "2",
               "--out", m_run});
    QVERIFY(cli.waitForFinished(300000));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());

    // Labelled (ImageFolder of the model's classes), unlabelled, one bad file.
    m_images = m_dir.filePath("images");
    writeImage(m_images + "/dark/1.ppm", 40, false, 101);
    writeImage(m_images + "/bright/2.ppm", 40, true, 102);
    writeImage(m_images + "/bright/deeper/3.ppm", 40, true, 103);
    writeImage(m_images + "/unsorted/4.ppm", 40, true, 104);
    QFile bad(m_images + "/dark/broken.jpg");
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("definitely not a jpeg");
}

void TstFolderPrediction::classifiesFolderOffTheGuiThread() {
    FolderPrediction job;
    QSignalSpy progress(&job, &FolderPrediction::progress);
    QVERIFY(job.start(m_run, {m_images}));
    QVERIFY(job.isRunning());
    QVERIFY(!job.start(m_run, {m_images}));  // one job at a time
    const FolderPredictionResult r = waitForResult(job);

    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QVERIFY(!r.cancelled);
    QCOMPARE(r.classNames, (QStringList{"bright", "dark"}));
    QCOMPARE(r.samples.size(), 4);
    QCOMPARE(r.labelled, 3);
    QCOMPARE(r.problems.size(), 1);
    QVERIFY(r.problems.first().contains("broken.jpg"));
    int unlabelled = 0;
    for (const auto& s : r.samples) {
        QVERIFY(!s.thumbnail.isNull());
        QVERIFY(s.thumbnail.width() <= FolderPrediction::kThumbnailSize);
        QVERIFY(s.confidence > 0.0 && s.confidence <= 1.0);
        QCOMPARE(s.topIndices.size(), 2);
        QCOMPARE(s.topIndices.first(), s.predicted);
        if (s.item.contains("unsorted")) {
            QCOMPARE(s.trueLabel, -1);
            ++unlabelled;
        } else {
            QCOMPARE(s.trueLabel, s.item.contains("/dark/") ? 1 : 0);
        }
    }
    QCOMPARE(unlabelled, 1);
    // Progress came through the event loop, ending with all images done.
    QTRY_VERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(0).toInt(), 4);
    QCOMPARE(progress.last().at(1).toInt(), 4);
    QVERIFY(!job.isRunning());
}

void TstFolderPrediction::cancelStopsEarly() {
    // Many images, cancelled at once: the job ends with what it had.
    for (int i = 0; i < 60; ++i)
        writeImage(m_dir.filePath("many/%1.ppm").arg(i), 64, i % 2, 300u + unsigned(i));
    FolderPrediction job;
    QVERIFY(job.start(m_run, {m_dir.filePath("many")}));
    job.cancel();
    const FolderPredictionResult r = waitForResult(job);
    QVERIFY(r.error.isEmpty());
    QVERIFY(r.cancelled);
    QVERIFY(r.samples.size() < 60);
}

void TstFolderPrediction::badModelFolderIsAnError() {
    FolderPrediction job;
    QVERIFY(job.start(m_dir.filePath("images"), {m_images}));
    const FolderPredictionResult r = waitForResult(job);
    QVERIFY(r.error.contains("not a run directory"));
    QVERIFY(r.samples.isEmpty());
}

void TstFolderPrediction::galleryShowsUnlabelled() {
    FolderPrediction job;
    QVERIFY(job.start(m_run, {m_images}));
    const FolderPredictionResult r = waitForResult(job);
    QCOMPARE(r.samples.size(), 4);

    fts::ui::GalleryPanel panel;
    QAbstractItemModelTester tester(panel.model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    panel.setClassNames(r.classNames);
    panel.setFolderPredictions(QStringLiteral("4 images"), r.samples);
    fts::ui::GalleryModel* model = panel.model();
    QCOMPARE(model->rowCount(), 4);
    int unlabelledRows = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row);
        if (index.data(fts::ui::GalleryModel::TrueLabelRole).toInt() >= 0) continue;
        ++unlabelledRows;
        QVERIFY2(index.data(Qt::DisplayRole).toString().startsWith("unlabelled"),
                 qPrintable(index.data(Qt::DisplayRole).toString()));
        QVERIFY(index.data(Qt::ToolTipRole).toString().contains("unlabelled"));
        QVERIFY(!index.data(fts::ui::GalleryModel::CorrectRole).toBool());
    }
    QCOMPARE(unlabelledRows, 1);
    // Filtering by a true class never shows the unlabelled image.
    panel.proxy()->setFilter(fts::ui::GalleryFilterProxy::Filter::TrueClass, 0, -1);
    for (int row = 0; row < panel.proxy()->rowCount(); ++row)
        QCOMPARE(panel.proxy()->index(row, 0).data(fts::ui::GalleryModel::TrueLabelRole).toInt(),
                 0);
    panel.proxy()->setFilter(fts::ui::GalleryFilterProxy::Filter::All, -1, -1);
    QCOMPARE(panel.proxy()->rowCount(), 4);
    // Painting the unlabelled item does not crash and shows something.
    panel.resize(600, 400);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const QPixmap shot = panel.grab();
    QVERIFY(!shot.isNull());
    if (qEnvironmentVariableIsSet("FTS_SCREENSHOT_DIR"))  // to look at it by hand
        shot.save(qEnvironmentVariable("FTS_SCREENSHOT_DIR") + "/folderprediction.png");
}

QTEST_MAIN(TstFolderPrediction)
#include "tst_folderprediction.moc"
