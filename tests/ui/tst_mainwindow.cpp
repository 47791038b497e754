// The whole window over the bundled demo, under a real event loop: the setup
// a newcomer finds, one epoch end to end (charts, gallery, confusion matrix),
// the layer tree driving what the engine freezes, Stop, Start twice, and
// closing the window mid-run.

#include "chartpanel.h"
#include "confusionmodel.h"
#include "confusionpanel.h"
#include "gallerymodel.h"
#include "galleryfilterproxy.h"
#include "gallerypanel.h"
#include "hyperparameterpanel.h"
#include "layertreemodel.h"
#include "layertreepanel.h"
#include "mainwindow.h"
#include "modelpanel.h"
#include "projectfile.h"
#include "trainingcontroller.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using fts::ui::MainWindow;
using fts::ui::TrainingController;

namespace {

QJsonObject readJson(const QString& file) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void firstStartSelectsTheDemo();
    void oneEpochFillsChartsGalleryAndMatrix();
    void layerTreeDecidesWhatTheEngineFreezes();
    void stopReturnsToIdleWithinOneSecond();
    void closingDuringTrainingNeitherCrashesNorHangs();
    void startTwiceAndEditsDuringARunAreRefused();
    void projectOfAnotherNetworkKeepsItsFreeze();

private:
    /// A shown window with the demo selected and ready to start.
    std::unique_ptr<MainWindow> readyWindow(int epochs);
    QTemporaryDir m_runs;
};

void TestMainWindow::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // QSettings and data under ~/.qttest
    QVERIFY(m_runs.isValid());
    QSettings().setValue(QStringLiteral("runsDirectory"), m_runs.path());
}

std::unique_ptr<MainWindow> TestMainWindow::readyWindow(int epochs) {
    auto w = std::make_unique<MainWindow>();
    w->selectDemo();
    w->show();
    [&] { QTRY_VERIFY_WITH_TIMEOUT(w->isReadyToStart(), 60000); }();
    fts::TrainSettings s = w->currentSettings();
    s.epochs = epochs;
    s.threads = 2;
    w->hyperparameterPanel()->setSettings(s);
    return w;
}

void TestMainWindow::firstStartSelectsTheDemo() {
    auto w = readyWindow(1);
    const fts::TrainSettings s = w->currentSettings();
    QCOMPARE(QString::fromStdString(s.model), QStringLiteral("demo_cnn"));
    QVERIFY(QString::fromStdString(s.weightsFile).endsWith(QStringLiteral("backbone.safetensors")));
    QVERIFY(QString::fromStdString(s.dataPath).contains(QStringLiteral("train-images-idx3")));
    QVERIFY(QString::fromStdString(s.valPath).contains(QStringLiteral("val-images-idx3")));
    QVERIFY(w->modelPanel()->isDemoSelected());
    QVERIFY(w->layerTreePanel()->model()->rowCount() > 0);
}

void TestMainWindow::oneEpochFillsChartsGalleryAndMatrix() {
    auto w = readyWindow(1);
    QSignalSpy finished(w.get(), &MainWindow::trainingFinished);
    QVERIFY(w->startTraining());
    // Pressing Start twice does not start a second run.
    QVERIFY(!w->startTraining());
    // The setup is locked during the run.
    QVERIFY(w->layerTreePanel()->model()->isReadOnly());
    QVERIFY(!w->isReadyToStart());

    QVERIFY(finished.wait(120000));
    const auto summary = finished.first().first().value<fts::RunSummary>();
    QCOMPARE(QString::fromStdString(summary.status), QStringLiteral("completed"));
    QVERIFY(summary.valImages > 0);
    QCOMPARE(w->controller()->state(), TrainingController::State::Idle);
    QVERIFY(!w->layerTreePanel()->model()->isReadOnly());

    auto* charts = w->chartPanel();
    QVERIFY(charts->pointCount(fts::ui::ChartPanel::Series::BatchLoss) > 0);
    QCOMPARE(charts->pointCount(fts::ui::ChartPanel::Series::ValAccuracy), 1);
    QCOMPARE(charts->pointCount(fts::ui::ChartPanel::Series::TrainLoss), 1);
    QVERIFY(charts->pointCount(fts::ui::ChartPanel::Series::LearningRate) > 0);

    auto* gallery = w->galleryPanel();
    QCOMPARE(qint64(gallery->model()->rowCount()), qint64(summary.valImages));
    auto* matrix = w->confusionPanel()->confusionModel();
    QCOMPARE(matrix->total(), qint64(summary.valImages));
    QCOMPARE(matrix->classCount(), int(summary.classes.size()));
    QCOMPARE(matrix->accuracy(), summary.finalValAccuracy);

    // A confusion-matrix cell leads to exactly its images.
    int t = -1, p = -1;
    for (int r = 0; r < matrix->classCount() && t < 0; ++r)
        for (int c = 0; c < matrix->classCount(); ++c)
            if (r != c && matrix->count(r, c) > 0) {
                t = r;
                p = c;
                break;
            }
    QVERIFY2(t >= 0, "one epoch of the demo leaves some mistakes");
    QTableView* view = w->confusionPanel()->matrixView();
    w->resultTabs()->setCurrentWidget(w->confusionPanel());
    const QRect cell = view->visualRect(matrix->index(t, p));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
    QTRY_COMPARE(qint64(gallery->proxy()->rowCount()), matrix->count(t, p));
    QCOMPARE(w->resultTabs()->currentWidget(), static_cast<QWidget*>(gallery));
    for (int row = 0; row < gallery->proxy()->rowCount(); ++row) {
        const QModelIndex index = gallery->proxy()->index(row, 0);
        QCOMPARE(index.data(fts::ui::GalleryModel::TrueLabelRole).toInt(), t);
        QCOMPARE(index.data(fts::ui::GalleryModel::PredictedRole).toInt(), p);
    }

    // The run directory holds what the GUI showed.
    const QJsonObject saved = readJson(w->runDirectory() + QStringLiteral("/summary.json"));
    QCOMPARE(saved.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
}

void TestMainWindow::layerTreeDecidesWhatTheEngineFreezes() {
    auto w = readyWindow(1);
    auto* tree = w->layerTreePanel()->model();
    // Tick conv1 and layer1 by clicking their check boxes' state, as a user does.
    for (const QString& path : {QStringLiteral("conv1"), QStringLiteral("layer1")}) {
        const QModelIndex index = tree->indexForPath(path);
        QVERIFY(index.isValid());
        QVERIFY(tree->setData(index, Qt::Checked, Qt::CheckStateRole));
    }
    QCOMPARE(w->layerTreePanel()->freezeSpec(), QStringLiteral("conv1,layer1"));
    const qint64 trainable = tree->trainableParameters();
    QVERIFY(trainable < tree->totalParameters());

    QSignalSpy finished(w.get(), &MainWindow::trainingFinished);
    QVERIFY(w->startTraining());
    QVERIFY(finished.wait(120000));
    const QJsonObject config = readJson(w->runDirectory() + QStringLiteral("/config.json"));
    QCOMPARE(config.value(QStringLiteral("freeze")).toString(), QStringLiteral("conv1,layer1"));
    QCOMPARE(qint64(config.value(QStringLiteral("trainable_parameters")).toDouble()), trainable);
}

void TestMainWindow::stopReturnsToIdleWithinOneSecond() {
    auto w = readyWindow(200);
    QSignalSpy batches(w->controller(), &TrainingController::batchFinished);
    QSignalSpy finished(w.get(), &MainWindow::trainingFinished);
    QVERIFY(w->startTraining());
    QVERIFY(batches.wait(60000));
    QElapsedTimer clock;
    clock.start();
    w->controller()->stop();
    QTRY_VERIFY_WITH_TIMEOUT(w->controller()->state() == TrainingController::State::Idle, 1000);
    qInfo("Stop to idle: %lld ms", clock.elapsed());
    QCOMPARE(finished.count(), 1);
    QCOMPARE(QString::fromStdString(finished.first().first().value<fts::RunSummary>().status),
             QStringLiteral("cancelled"));
    QVERIFY(w->isReadyToStart());  // and Start works again
}

void TestMainWindow::closingDuringTrainingNeitherCrashesNorHangs() {
    auto w = readyWindow(200);
    QSignalSpy batches(w->controller(), &TrainingController::batchFinished);
    QVERIFY(w->startTraining());
    QVERIFY(batches.wait(60000));
    const QString runDir = w->runDirectory();
    QElapsedTimer clock;
    clock.start();
    QVERIFY(w->close());
    w.reset();  // the controller's destructor waits for the training thread
    qInfo("Close and destroy during training: %lld ms", clock.elapsed());
    QVERIFY(clock.elapsed() < 5000);
    const QJsonObject saved = readJson(runDir + QStringLiteral("/summary.json"));
    QCOMPARE(saved.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
}

void TestMainWindow::startTwiceAndEditsDuringARunAreRefused() {
    auto w = readyWindow(200);
    QSignalSpy batches(w->controller(), &TrainingController::batchFinished);
    QSignalSpy finished(w.get(), &MainWindow::trainingFinished);
    QVERIFY(w->startTraining());
    QVERIFY(batches.wait(60000));
    const QString runDir = w->runDirectory();
    // A second Start while a run is going: refused, the run goes on.
    QVERIFY(!w->isReadyToStart());
    QVERIFY(!w->startTraining());
    QCOMPARE(w->runDirectory(), runDir);
    // The layer tree is read-only during the run: what the engine freezes
    // cannot change under it.
    auto* tree = w->layerTreePanel()->model();
    const QString freezeBefore = w->layerTreePanel()->freezeSpec();
    const QModelIndex index = tree->indexForPath(QStringLiteral("layer1"));
    QVERIFY(index.isValid());
    const QVariant stateBefore = tree->data(index, Qt::CheckStateRole);
    const Qt::CheckState flipped =
        stateBefore.toInt() == Qt::Checked ? Qt::Unchecked : Qt::Checked;
    QVERIFY(!tree->setData(index, flipped, Qt::CheckStateRole));
    QCOMPARE(tree->data(index, Qt::CheckStateRole), stateBefore);
    QCOMPARE(w->layerTreePanel()->freezeSpec(), freezeBefore);
    // Choosing another demo (the whole setup) is ignored during the run.
    w->selectDemo();
    QCOMPARE(w->runDirectory(), runDir);

    w->controller()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(w->isReadyToStart(), 10000);
    QVERIFY(tree->setData(index, flipped, Qt::CheckStateRole));  // editable again
}

// A project for another network than the one shown: its freeze spec is
// applied once that network has been described, not to the old tree.
void TestMainWindow::projectOfAnotherNetworkKeepsItsFreeze() {
    auto w = readyWindow(1);
    QTemporaryDir dir;
    fts::ui::Project project;
    project.arch = QStringLiteral("mobilenet_v2");  // no module names in common with the demo's
    project.freezeSpec = QStringLiteral("features.0,features.1");
    const fts::TrainSettings demo = w->currentSettings();
    project.dataPath = QString::fromStdString(demo.dataPath);
    project.valPath = QString::fromStdString(demo.valPath);
    project.settings = demo;
    const QString file = dir.filePath(QStringLiteral("resnet.ftsproj"));
    QString error;
    QVERIFY2(fts::ui::saveProject(file, project, &error), qPrintable(error));

    QVERIFY(w->openProject(file, true));
    QTRY_VERIFY_WITH_TIMEOUT(w->isReadyToStart(), 60000);
    QCOMPARE(QString::fromStdString(w->currentSettings().model), QStringLiteral("mobilenet_v2"));
    const QStringList frozen = w->layerTreePanel()->freezeSpec().split(QLatin1Char(','));
    QCOMPARE(QSet<QString>(frozen.begin(), frozen.end()),
             (QSet<QString>{QStringLiteral("features.0"), QStringLiteral("features.1")}));
    auto* tree = w->layerTreePanel()->model();
    QVERIFY(tree->trainableParameters() < tree->totalParameters());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
