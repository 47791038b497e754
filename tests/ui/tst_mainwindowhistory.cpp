// The main window over the bundled demo: every run lands in the Runs tab,
// a class report is written from the window in the UI language, the
// transfer-learning experiment runs from the window and its runs are
// overlaid, and a project keeps its runs folder.

#include "datasetedits.h"
#include "datasetpanel.h"
#include "experimentdialog.h"
#include "gallerymodel.h"
#include "gallerypanel.h"
#include "hyperparameterpanel.h"
#include "mainwindow.h"
#include "projectfile.h"
#include "runcomparisonview.h"
#include "runhistorymodel.h"
#include "runhistorypanel.h"
#include "trainingcontroller.h"

#include "data/imagedecode.h"
#include "export/runhistory.h"

#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using fts::ui::MainWindow;
using fts::ui::RunHistoryPanel;

namespace {

QString readText(const QString& file) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(f.readAll());
}

bool listsRun(const RunHistoryPanel* panel, const QString& runDir) {
    const QString wanted = QDir::cleanPath(runDir);
    for (int row = 0; row < panel->model()->rowCount(); ++row) {
        const fts::RunRecord* run = panel->model()->run(row);
        if (run && QDir::cleanPath(QString::fromStdString(run->dir)) == wanted) return true;
    }
    return false;
}

}  // namespace

class TestMainWindowHistory : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void runsTabFollowsRunsAndWritesTheirReport();
    void experimentRunsFromTheWindowAndIsOverlaid();
    void projectKeepsItsRunsFolder();
    void fixingDataFromTheGalleryMovesFilesAndRetrains();

private:
    std::unique_ptr<MainWindow> readyWindow(int epochs);
    QTemporaryDir m_runs;
};

void TestMainWindowHistory::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // QSettings and data under ~/.qttest
    QVERIFY(m_runs.isValid());
    QSettings().setValue(QStringLiteral("runsDirectory"), m_runs.path());
}

std::unique_ptr<MainWindow> TestMainWindowHistory::readyWindow(int epochs) {
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

void TestMainWindowHistory::runsTabFollowsRunsAndWritesTheirReport() {
    auto w = readyWindow(1);
    RunHistoryPanel* runs = w->runHistoryPanel();
    QVERIFY(runs);
    QCOMPARE(QDir::cleanPath(runs->runsFolder()), QDir::cleanPath(m_runs.path()));
    QVERIFY(w->resultTabs()->indexOf(runs) >= 0);

    QSignalSpy finished(w.get(), &MainWindow::trainingFinished);
    QVERIFY(w->startTraining());
    QVERIFY(finished.wait(120000));
    const QString runDir = w->runDirectory();
    // The finished run is listed (the panel scans again when a run ends).
    QTRY_VERIFY_WITH_TIMEOUT(listsRun(runs, runDir), 20000);
    const fts::RunRecord record = fts::loadRunRecord(runDir.toStdString());
    QCOMPARE(QString::fromStdString(record.status), QStringLiteral("completed"));
    QCOMPARE(int(record.epochs.size()), 1);

    // A class report of it, written off the GUI thread.
    QTemporaryDir out;
    const QString file = out.filePath(QStringLiteral("report.html"));
    QSignalSpy written(w.get(), &MainWindow::reportWritten);
    w->writeReport(runDir, false, file);
    QVERIFY(written.wait(60000));
    QCOMPARE(written.first().first().toString(), file);
    const QString html = readText(file);
    QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
    QVERIFY(html.contains(QStringLiteral("demo_cnn")));
}

void TestMainWindowHistory::experimentRunsFromTheWindowAndIsOverlaid() {
    auto w = readyWindow(1);
    fts::ui::ExperimentDialog* dialog = w->openExperimentDialog();
    QVERIFY(dialog);
    QVERIFY(!w->openExperimentDialog());  // one at a time
    dialog->setAskBeforeStopping(false);
    dialog->epochsSpinBox()->setValue(1);
    for (const QString& strategy : {QStringLiteral("last"), QStringLiteral("full")})
        dialog->strategyCheckBox(strategy)->setChecked(false);
    QCOMPARE(dialog->selectedStrategies(), (QStringList{"head", "scratch"}));

    QSignalSpy done(dialog, &fts::ui::ExperimentDialog::experimentFinished);
    QVERIFY(dialog->start());
    QVERIFY(done.wait(240000));
    QCOMPARE(done.first().at(1).toString(), QStringLiteral("completed"));
    const QString experimentDir = done.first().first().toString();
    QVERIFY(QDir(experimentDir).exists(QStringLiteral("experiment.json")));
    QVERIFY(experimentDir.startsWith(m_runs.path()));

    // "Show in Runs": both strategies overlaid in the comparison.
    const QStringList runDirs = dialog->runDirectories();
    QCOMPARE(runDirs.size(), 2);
    w->showRuns(runDirs);
    RunHistoryPanel* runs = w->runHistoryPanel();
    QCOMPARE(w->resultTabs()->currentWidget(), static_cast<QWidget*>(runs));
    QTRY_COMPARE_WITH_TIMEOUT(runs->checkedRuns().size(), 2, 20000);
    QCOMPARE(runs->comparisonView()->seriesCount(), 2);
    // The strategies differ in freeze and weights at least.
    QVERIFY(runs->diffKeys().contains(QStringLiteral("freeze")));
    dialog->close();
}

void TestMainWindowHistory::projectKeepsItsRunsFolder() {
    auto w = readyWindow(1);
    QTemporaryDir dir;
    const QString projectRuns = dir.filePath(QStringLiteral("class-runs"));
    fts::ui::Project project;
    const fts::TrainSettings demo = w->currentSettings();
    project.arch = QString::fromStdString(demo.model);
    project.weightsFile = QString::fromStdString(demo.weightsFile);
    project.dataPath = QString::fromStdString(demo.dataPath);
    project.valPath = QString::fromStdString(demo.valPath);
    project.settings = demo;
    project.runsDirectory = projectRuns;
    const QString file = dir.filePath(QStringLiteral("lesson.ftsproj"));
    QString error;
    QVERIFY2(fts::ui::saveProject(file, project, &error), qPrintable(error));

    QVERIFY(w->openProject(file, true));
    QCOMPARE(QDir::cleanPath(w->runsFolder()), QDir::cleanPath(projectRuns));
    QCOMPARE(QDir::cleanPath(w->runHistoryPanel()->runsFolder()), QDir::cleanPath(projectRuns));
    QTRY_VERIFY_WITH_TIMEOUT(w->isReadyToStart(), 60000);
    QSignalSpy finished(w.get(), &MainWindow::trainingFinished);
    QVERIFY(w->startTraining());
    QVERIFY(w->runDirectory().startsWith(projectRuns));
    QVERIFY(finished.wait(120000));

    // Saved again, the project still names its runs folder.
    const QString copy = dir.filePath(QStringLiteral("copy.ftsproj"));
    QVERIFY(w->saveProject(copy));
    const std::optional<fts::ui::Project> reread = fts::ui::loadProject(copy, &error);
    QVERIFY2(reread, qPrintable(error));
    QCOMPARE(QDir::cleanPath(reread->runsDirectory), QDir::cleanPath(projectRuns));

    // The demo is no project: back to the app-wide runs folder.
    w->selectDemo();
    QCOMPARE(QDir::cleanPath(w->runsFolder()), QDir::cleanPath(m_runs.path()));
    QCOMPARE(QDir::cleanPath(w->runHistoryPanel()->runsFolder()), QDir::cleanPath(m_runs.path()));
}

// An image-folder dataset: one image relabelled in the gallery, applied (a
// move into the other class folder), the folder rescanned, and "Train again"
// in the message trains on the fixed data.
void TestMainWindowHistory::fixingDataFromTheGalleryMovesFilesAndRetrains() {
    if (!fts::imageDecodingAvailable()) QSKIP("this build decodes no image files (no OpenCV)");
    QTemporaryDir dir;
    const QString root = dir.filePath(QStringLiteral("shapes"));
    const QStringList classes{QStringLiteral("dark"), QStringLiteral("light")};
    for (int c = 0; c < 2; ++c) {
        QVERIFY(QDir().mkpath(root + QLatin1Char('/') + classes[c]));
        for (int i = 0; i < 10; ++i) {
            QImage image(32, 32, QImage::Format_RGB32);
            const int level = c == 0 ? 20 + 3 * i : 200 + 3 * i;
            image.fill(QColor(level, level, level));
            QVERIFY(image.save(
                QStringLiteral("%1/%2/%3-%4.png").arg(root, classes[c], classes[c]).arg(i)));
        }
    }

    auto w = readyWindow(1);
    w->datasetPanel()->setValPath(QString());
    w->datasetPanel()->setDataPath(root);
    fts::TrainSettings s = w->currentSettings();
    s.valSplit = 0.5;
    w->hyperparameterPanel()->setSettings(s);
    QTRY_VERIFY_WITH_TIMEOUT(
        w->isReadyToStart() && QString::fromStdString(w->currentSettings().dataPath) == root,
        60000);
    QSignalSpy finished(w.get(), &MainWindow::trainingFinished);
    QVERIFY(w->startTraining());
    QVERIFY(finished.wait(120000));

    fts::ui::GalleryPanel* gallery = w->galleryPanel();
    fts::ui::DatasetEdits* edits = gallery->edits();
    QVERIFY(edits->isEditable());
    QVERIFY(gallery->model()->rowCount() > 0);
    // A "dark" validation image relabelled "light".
    QString item;
    for (const auto& sample : gallery->model()->samples())
        if (sample.trueLabel == 0) item = sample.item;
    QVERIFY(!item.isEmpty());
    edits->relabel({item}, 1);
    QCOMPARE(edits->pendingCount(), 1);
    QVERIFY(w->findChildren<QAction*>().contains(gallery->undoAction()));
    QVERIFY(gallery->undoAction()->isEnabled());
    QString error;
    const auto moves = edits->plan(&error);
    QVERIFY2(moves.size() == 1, qPrintable(error));
    QVERIFY(QFile::exists(item));  // nothing moves before Apply

    edits->applyNow(moves);
    const QString moved = root + QStringLiteral("/light/") + QFileInfo(item).fileName();
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(moved), 20000);
    QVERIFY(!QFile::exists(item));
    // The folder is scanned again; the message offers to train on it.
    QTRY_VERIFY_WITH_TIMEOUT(w->retrainPrompt() != nullptr, 60000);
    QCOMPARE(w->datasetPanel()->summary().counts.value(1), qint64(11));
    QPushButton* trainAgain = nullptr;
    for (QAbstractButton* button : w->retrainPrompt()->buttons())
        if (button->text() == QStringLiteral("Train again"))
            trainAgain = qobject_cast<QPushButton*>(button);
    QVERIFY(trainAgain);
    finished.clear();
    trainAgain->click();
    QVERIFY(w->controller()->isBusy());
    QVERIFY(finished.wait(120000));
    const fts::RunRecord record = fts::loadRunRecord(w->runDirectory().toStdString());
    QCOMPARE(QString::fromStdString(record.status), QStringLiteral("completed"));
}

QTEST_MAIN(TestMainWindowHistory)
#include "tst_mainwindowhistory.moc"
