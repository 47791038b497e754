#include "mainwindow.h"

#include "aboutdialog.h"
#include "chartpanel.h"
#include "confusionpanel.h"
#include "datasetscan.h"
#include "datasetpanel.h"
#include "eventloopmonitor.h"
#include "experimentdialog.h"
#include "folderprediction.h"
#include "gallerypanel.h"
#include "healthpanel.h"
#include "hyperparameterpanel.h"
#include "layertreepanel.h"
#include "lrfinderdialog.h"
#include "modelpanel.h"
#include "projectfile.h"
#include "reportwriter.h"
#include "runhistorypanel.h"
#include "trainingcontroller.h"

#include "core/error.h"
#include "data/imagefoldersource.h"
#include "core/resources.h"
#include "export/bundleexport.h"
#include "train/demopreset.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QProgressDialog>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTime>
#include <QUrl>
#include <QToolBar>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>
#include <map>
#include <memory>

namespace fts::ui {
namespace {

constexpr int kMaxRecentProjects = 8;

QString formatDuration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return QStringLiteral("–");
    const int s = int(std::lround(seconds));
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(s / 3600)
            .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
            .arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    registerUiTypes();
    setObjectName(QStringLiteral("MainWindow"));
    setAcceptDrops(true);
    m_controller = new TrainingController(this);
    m_monitor = new EventLoopMonitor(this);
    m_monitor->start();

    buildActions();
    buildLayout();
    buildMenus();
    connectPanels();
    restoreSettings();
    m_runs->setRunsFolder(runsFolder());
    updateActions();
    updateWindowTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildActions() {
    m_startAction = new QAction(tr("&Start training"), this);
    m_startAction->setShortcut(Qt::CTRL | Qt::Key_R);
    m_startAction->setToolTip(tr("Train the model on the dataset with the settings on the left."));
    m_pauseAction = new QAction(tr("&Pause"), this);
    m_pauseAction->setToolTip(tr("Pause training after the current batch; press again to resume."));
    m_stopAction = new QAction(tr("S&top"), this);
    m_stopAction->setToolTip(
        tr("Stop training now; the last finished epoch is kept and can be exported."));
    m_openAction = new QAction(tr("&Open project…"), this);
    m_openAction->setShortcut(QKeySequence::Open);
    m_saveAction = new QAction(tr("&Save project"), this);
    m_saveAction->setShortcut(QKeySequence::Save);
    m_saveAsAction = new QAction(tr("Save project &as…"), this);
    m_saveAsAction->setShortcut(QKeySequence::SaveAs);
    m_exportAction = new QAction(tr("&Export model…"), this);
    m_exportAction->setToolTip(
        tr("Write the trained model as files that this app, the CLI and PyTorch can load."));
    m_predictFolderAction = new QAction(tr("&Predict on a folder…"), this);
    m_predictFolderAction->setToolTip(
        tr("Classify every image in a folder with this run's best weights (or a chosen export "
           "bundle) and show them under Predictions."));
    m_folderPrediction = new FolderPrediction(this);
    m_reportAction = new QAction(tr("Write class &report…"), this);
    m_reportAction->setToolTip(
        tr("Write the last run's settings, curves, confusion matrix and most confidently wrong "
           "images as one web page to hand to students."));
    m_reportWriter = new ReportWriter(this);
    m_experimentAction = new QAction(tr("Run transfer-learning &experiment…"), this);
    m_experimentAction->setToolTip(
        tr("Train this model on this data four ways (head only, last block + head, everything, "
           "from scratch) one after another and compare them."));
    m_experimentAction->setIconText(tr("Experiment…"));
    m_demoAction = new QAction(tr("Load the &demo"), this);
    m_demoAction->setToolTip(
        tr("Select the bundled demo: a small pretrained network and Fashion-MNIST images."));
    m_quitAction = new QAction(tr("&Quit"), this);
    // Toolbar buttons show iconText: the same words without accelerator marks
    // (a Chinese menu's "(&S)" would otherwise show as "(S)" on the button).
    m_startAction->setIconText(tr("Start training"));
    m_pauseAction->setIconText(tr("Pause"));
    m_stopAction->setIconText(tr("Stop"));
    m_exportAction->setIconText(tr("Export model…"));
    m_quitAction->setShortcut(QKeySequence::Quit);

    connect(m_startAction, &QAction::triggered, this, &MainWindow::onStartTriggered);
    connect(m_pauseAction, &QAction::triggered, this, &MainWindow::onPauseTriggered);
    connect(m_stopAction, &QAction::triggered, this, &MainWindow::onStopTriggered);
    connect(m_openAction, &QAction::triggered, this, &MainWindow::onOpenProject);
    connect(m_saveAction, &QAction::triggered, this, &MainWindow::onSaveProject);
    connect(m_saveAsAction, &QAction::triggered, this, &MainWindow::onSaveProjectAs);
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::onExport);
    connect(m_predictFolderAction, &QAction::triggered, this, &MainWindow::onPredictFolder);
    connect(m_experimentAction, &QAction::triggered, this, &MainWindow::onRunExperiment);
    connect(m_reportAction, &QAction::triggered, this,
            [this] { onWriteReport(m_lastCompletedRunDir, false); });
    connect(m_reportWriter, &ReportWriter::finished, this,
            [this](const QString& file, const QString& error) {
                if (!error.isEmpty()) {
                    appendLog(error);
                    statusBar()->showMessage(error, 10000);
                    if (m_openReportWhenWritten)
                        QMessageBox::warning(this, tr("Class report"), error);
                    return;
                }
                const QString text =
                    tr("Report written: %1").arg(QDir::toNativeSeparators(file));
                appendLog(text);
                statusBar()->showMessage(text, 10000);
                if (m_openReportWhenWritten) QDesktopServices::openUrl(QUrl::fromLocalFile(file));
                Q_EMIT reportWritten(file);
            });
    connect(m_demoAction, &QAction::triggered, this, &MainWindow::selectDemo);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_demoAction);
    file->addSeparator();
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Open &recent"));
    file->addAction(m_saveAction);
    file->addAction(m_saveAsAction);
    file->addSeparator();
    file->addAction(m_exportAction);
    file->addAction(m_predictFolderAction);
    file->addAction(m_reportAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_gallery->undoAction());
    edit->addAction(m_gallery->redoAction());

    QMenu* training = menuBar()->addMenu(tr("&Training"));
    training->addAction(m_startAction);
    training->addAction(m_pauseAction);
    training->addAction(m_stopAction);
    training->addSeparator();
    training->addAction(m_experimentAction);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QMenu* language = view->addMenu(tr("&Language"));
    auto* group = new QActionGroup(language);
    const QString current = QSettings().value(QStringLiteral("language")).toString();
    const struct {
        QString code;
        QString label;
    } languages[] = {{QString(), tr("System default")},
                     {QStringLiteral("en"), QStringLiteral("English")},
                     {QStringLiteral("zh_CN"), QStringLiteral("简体中文")}};
    for (const auto& l : languages) {
        QAction* a = language->addAction(l.label);
        a->setCheckable(true);
        a->setChecked(l.code == current);
        group->addAction(a);
        const QString code = l.code;
        connect(a, &QAction::triggered, this, [this, code] { onChooseLanguage(code); });
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* about = help->addAction(tr("&About Finetune Studio"));
    connect(about, &QAction::triggered, this, &MainWindow::onAbout);
    QAction* aboutQt = help->addAction(tr("About &Qt"));
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);

    QToolBar* bar = addToolBar(tr("Training"));
    bar->setObjectName(QStringLiteral("TrainingToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->addAction(m_startAction);
    bar->addAction(m_pauseAction);
    bar->addAction(m_stopAction);
    bar->addSeparator();
    bar->addAction(m_experimentAction);
    bar->addSeparator();
    bar->addAction(m_exportAction);
    updateRecentMenu();
}

void MainWindow::buildLayout() {
    m_model = new ModelPanel(this);
    m_layers = new LayerTreePanel(this);
    m_dataset = new DatasetPanel(this);
    m_hyper = new HyperparameterPanel(this);
    m_charts = new ChartPanel(this);
    m_gallery = new GalleryPanel(this);
    m_confusion = new ConfusionPanel(this);
    m_runs = new RunHistoryPanel(this);
    m_log = new QPlainTextEdit(this);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);

    auto* modelPage = new QWidget(this);
    auto* modelLayout = new QVBoxLayout(modelPage);
    modelLayout->setContentsMargins(0, 0, 0, 0);
    modelLayout->addWidget(m_model);
    modelLayout->addWidget(m_layers, /*stretch=*/1);

    m_setupTabs = new QTabWidget(this);
    m_setupTabs->setObjectName(QStringLiteral("SetupTabs"));
    m_setupTabs->addTab(modelPage, tr("1 · Model && layers"));
    m_setupTabs->addTab(m_dataset, tr("2 · Data"));
    m_setupTabs->addTab(m_hyper, tr("3 · Hyperparameters"));

    m_resultTabs = new QTabWidget(this);
    m_resultTabs->setObjectName(QStringLiteral("ResultTabs"));
    m_resultTabs->addTab(m_charts, tr("Training curves"));
    m_resultTabs->addTab(m_gallery, tr("Predictions"));
    m_resultTabs->addTab(m_confusion, tr("Confusion matrix"));
    m_resultTabs->addTab(m_runs, tr("Runs"));
    m_resultTabs->addTab(m_log, tr("Log"));

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("MainSplitter"));
    splitter->addWidget(m_setupTabs);
    splitter->addWidget(m_resultTabs);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({560, 720});  // the layer tree's four columns fit without scrolling
    m_splitter = splitter;
    setCentralWidget(splitter);

    m_stateLabel = new QLabel(tr("Ready"), this);
    m_progressLabel = new QLabel(this);
    m_progressBar = new QProgressBar(this);
    m_progressBar->setRange(0, 1000);
    m_progressBar->setMaximumWidth(220);
    m_progressBar->setTextVisible(false);
    m_progressBar->setVisible(false);
    statusBar()->addWidget(m_stateLabel);
    statusBar()->addWidget(m_progressLabel, /*stretch=*/1);
    statusBar()->addPermanentWidget(m_progressBar);
}

void MainWindow::connectPanels() {
    // Fixed data: after the gallery's moves, scan the folder again, then
    // offer to train on it.
    connect(m_gallery, &GalleryPanel::datasetChanged, this, [this](const QString& root) {
        appendLog(tr("Dataset folder changed: %1").arg(QDir::toNativeSeparators(root)));
        m_offerRetrain = true;
        m_dataReady = false;
        updateReadiness();
        m_dataset->setDataPath(m_dataset->dataPath());
        if (m_dataset->separateValidation()) m_dataset->setValPath(m_dataset->valPath());
    });
    // Runs: a report of any run or experiment; the history follows each run.
    connect(m_runs, &RunHistoryPanel::reportRequested, this, &MainWindow::onWriteReport);
    // Setup: the data decides the class count, the model decides the tree.
    connect(m_dataset, &DatasetPanel::datasetChanged, this, [this](const DatasetSummary& summary) {
        m_dataReady = summary.error.isEmpty() && summary.total > 0;
        m_model->setNumClasses(int(summary.classNames.size()));
        // The inspector loads full images from the validation data.
        const bool separate = m_dataset->separateValidation() && m_dataset->valSource();
        const auto shown = separate ? m_dataset->valSource() : summary.source;
        m_gallery->setDataSource(shown);
        // The gallery's images can be relabelled or excluded when they are
        // files of an image folder (not IDX / CIFAR records): its root is the
        // folder whose class subfolders the moves go between.
        const bool imageFolder = dynamic_cast<const fts::ImageFolderSource*>(shown.get());
        m_gallery->setDatasetRoot(imageFolder ? (separate ? m_dataset->valPath() : summary.path)
                                              : QString());
        appendLog(tr("Data: %1 (%2)")
                      .arg(datasetSummaryText(summary), QDir::toNativeSeparators(summary.path)));
        updateReadiness();
    });
    connect(m_dataset, &DatasetPanel::scanFailed, this, [this](const QString& message) {
        m_dataReady = false;
        appendLog(message);
        statusBar()->showMessage(message, 10000);
        updateReadiness();
    });
    connect(m_dataset, &DatasetPanel::validationModeChanged, this,
            [this](bool separate) { m_hyper->setValidationSplitEnabled(!separate); });
    // The health check splits validation as the next run will, and its
    // findings are announced before training.
    connect(m_hyper, &HyperparameterPanel::changed, this, [this] {
        fts::TrainSettings s;
        if (m_hyper->applyTo(s)) m_dataset->healthPanel()->setValidationSplit(s.valSplit, s.seed);
    });
    connect(m_dataset->healthPanel(), &HealthPanel::checkFinished, this,
            [this](int problems, int warnings) {
                const QString text =
                    tr("Dataset health check: %1 problem(s), %2 warning(s); see Health check.")
                        .arg(problems)
                        .arg(warnings);
                appendLog(text);
                if (problems + warnings > 0) statusBar()->showMessage(text, 15000);
            });
    connect(m_model, &ModelPanel::modelDescribed, this,
            [this](const fts::ModelDescription& description) {
                const QString spec = m_pendingFreeze.value_or(m_layers->freezeSpec());
                m_pendingFreeze.reset();
                m_layers->setDescription(description);
                if (!spec.isEmpty() && !m_layers->setFreezeSpec(spec))
                    m_layers->setFreezeSpec(QStringLiteral("none"));
                m_modelReady = true;
                updateReadiness();
            });
    connect(m_model, &ModelPanel::describeFailed, this, [this](const QString& message) {
        m_modelReady = false;
        appendLog(message);
        statusBar()->showMessage(message, 10000);
        updateReadiness();
    });
    connect(m_model, &ModelPanel::selectionChanged, this, [this] {
        m_modelReady = false;
        updateReadiness();
    });
    connect(m_hyper, &HyperparameterPanel::changed, this, [this] {
        fts::TrainSettings s = m_baseSettings;
        m_hyper->applyTo(s);
        m_model->setImageSize(s.imageSize);
        m_dataset->setPreviewTransform(s.imageSize > 0 ? s.imageSize : m_baseSettings.imageSize,
                                       toQString(s.augment));
    });
    connect(m_hyper, &HyperparameterPanel::validityChanged, this, [this] { updateReadiness(); });
    connect(m_hyper, &HyperparameterPanel::learningRateFinderRequested, this, [this] {
        if (!m_modelReady || !m_dataReady || !m_dataset->source()) {
            statusBar()->showMessage(
                tr("Choose a model and a dataset first: the learning-rate test trains on them."),
                10000);
            return;
        }
        auto* dialog = new LrFinderDialog(currentSettings(), m_dataset->source(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setModal(true);
        connect(dialog, &LrFinderDialog::learningRateChosen, m_hyper,
                &HyperparameterPanel::useLearningRate);
        dialog->show();
        dialog->start();
    });

    // Training: the controller's queued signals feed the result panels.
    connect(m_controller, &TrainingController::runStarted, this, &MainWindow::onRunStarted);
    connect(m_controller, &TrainingController::batchFinished, this, &MainWindow::onBatchFinished);
    connect(m_controller, &TrainingController::epochFinished, this, &MainWindow::onEpochFinished);
    connect(m_controller, &TrainingController::trainingSamples, m_gallery,
            &GalleryPanel::addTrainingSamples);
    connect(m_controller, &TrainingController::validationPredicted, this,
            [this](int epoch, const QVector<PredictionSample>& predictions) {
                m_gallery->setPredictions(epoch, predictions);
                m_confusion->setPredictions(predictions);
            });
    connect(m_controller, &TrainingController::filesSkipped, this,
            [this](const QVector<fts::SkippedFile>& files) {
                m_dataset->addSkippedFiles(files);
                appendLog(tr("%n file(s) skipped; see the Data tab for the reasons.", nullptr,
                             int(files.size())));
            });
    connect(m_controller, &TrainingController::message, this, &MainWindow::appendLog);
    connect(m_controller, &TrainingController::finished, this, &MainWindow::onFinished);
    connect(m_controller, &TrainingController::stateChanged, this, [this] { updateActions(); });

    // A confusion-matrix cell leads to exactly its images.
    connect(m_confusion, &ConfusionPanel::cellActivated, this, [this](int trueLabel, int predicted) {
        m_gallery->showCell(trueLabel, predicted);
        m_resultTabs->setCurrentWidget(m_gallery);
    });
}

void MainWindow::restoreSettings() {
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1280, 800);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
}

void MainWindow::selectDemo() {
    if (m_running) return;
    fts::TrainSettings demo;
    try {
        demo = fts::demoSettings(fts::defaultDemoMode());
    } catch (const std::exception& e) {
        const QString message = tr("The bundled demo was not found: %1").arg(toQString(e.what()));
        appendLog(message);
        statusBar()->showMessage(message, 10000);
        return;
    }
    m_baseSettings = demo;
    m_projectFile.clear();
    if (!m_projectRunsFolder.isEmpty()) {  // back to the app-wide runs folder
        m_projectRunsFolder.clear();
        m_runs->setRunsFolder(runsFolder());
    }
    m_modelReady = false;
    m_dataReady = false;
    m_hyper->setSettings(demo);
    m_pendingFreeze = toQString(demo.freeze);
    m_layers->setFreezeSpec(toQString(demo.freeze));
    m_dataset->setPreviewTransform(demo.imageSize, toQString(demo.augment));
    m_dataset->setValPath(toQString(demo.valPath));
    m_dataset->setDataPath(toQString(demo.dataPath));
    m_model->setImageSize(demo.imageSize);
    m_model->selectDemo();
    appendLog(tr("The bundled demo is selected: a small network pretrained on five other "
                 "Fashion-MNIST classes learns Sandal, Shirt, Sneaker, Bag and Ankle boot from "
                 "ten images each. Press Start."));
    updateWindowTitle();
    updateReadiness();
}

fts::TrainSettings MainWindow::currentSettings() const {
    fts::TrainSettings s = m_baseSettings;
    m_hyper->applyTo(s);
    s.model = toStdString(m_model->arch());
    s.weightsFile = toStdString(m_model->weightsFile());
    s.freeze = toStdString(m_layers->freezeSpec());
    s.dataPath = toStdString(m_dataset->dataPath());
    s.valPath = toStdString(m_dataset->valPath());
    return s;
}

bool MainWindow::isReadyToStart() const {
    return m_ready;
}

void MainWindow::updateReadiness() {
    const bool ready = m_modelReady && m_dataReady && m_hyper->isValid() && !m_running;
    const bool changed = ready != m_ready;
    m_ready = ready;
    if (ready && m_offerRetrain) {
        m_offerRetrain = false;  // the rescan after the gallery's moves is in
        offerRetrain();
    }
    updateActions();
    if (changed) Q_EMIT readinessChanged(ready);
}

QString MainWindow::runsFolder() const {
    if (!m_projectRunsFolder.isEmpty()) return m_projectRunsFolder;
    QString base = QSettings().value(QStringLiteral("runsDirectory")).toString();
    if (base.isEmpty())
        base = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) +
               QStringLiteral("/runs");
    return base;
}

QString MainWindow::newRunDirectory() const {
    const QString base = runsFolder();
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString dir = QStringLiteral("%1/%2-%3").arg(base, stamp, m_model->arch());
    for (int i = 2; QFileInfo::exists(dir); ++i)
        dir = QStringLiteral("%1/%2-%3-%4").arg(base, stamp, m_model->arch()).arg(i);
    return dir;
}

bool MainWindow::startTraining() {
    if (m_controller->isBusy()) return false;
    QString error;
    fts::TrainSettings s = m_baseSettings;
    if (!m_hyper->applyTo(s, &error)) {
        statusBar()->showMessage(error, 10000);
        appendLog(error);
        m_setupTabs->setCurrentWidget(m_hyper);
        return false;
    }
    if (!m_modelReady || !m_dataReady) {
        const QString message =
            !m_dataReady ? tr("Choose a dataset first (tab 2 · Data), or load the demo.")
                         : tr("The model is not ready yet; see tab 1 · Model & layers.");
        statusBar()->showMessage(message, 10000);
        appendLog(message);
        return false;
    }
    s = currentSettings();
    m_runDir = newRunDirectory();
    m_gallery->setRunDirectory(m_runDir);
    s.outDir = toStdString(m_runDir);
    if (!QDir().mkpath(m_runDir)) {
        const QString message = tr("Cannot create the run folder %1. Choose another runs folder.")
                                    .arg(QDir::toNativeSeparators(m_runDir));
        statusBar()->showMessage(message, 10000);
        appendLog(message);
        return false;
    }
    m_charts->reset();
    m_gallery->clear();
    m_confusion->clear();
    m_monitor->reset();
    appendLog(tr("Training %1 (%2) in %3")
                  .arg(m_model->arch(), m_layers->trainableText(),
                       QDir::toNativeSeparators(m_runDir)));
    if (!m_controller->start(s)) return false;
    setRunning(true);
    m_runs->setActiveRuns({m_runDir});
    m_resultTabs->setCurrentWidget(m_charts);
    return true;
}

void MainWindow::setRunning(bool running) {
    m_running = running;
    m_model->setRunning(running);
    m_layers->setRunning(running);
    m_dataset->setRunning(running);
    m_hyper->setRunning(running);
    m_gallery->setTrainingRunning(running);
    m_progressBar->setVisible(running);
    if (running) m_progressBar->setValue(0);
    updateReadiness();
}

void MainWindow::updateActions() {
    const auto state = m_controller->state();
    const bool busy = m_controller->isBusy();
    m_startAction->setEnabled(!busy && m_ready);
    m_pauseAction->setEnabled(state == TrainingController::State::Running ||
                              state == TrainingController::State::Paused);
    const bool paused = state == TrainingController::State::Paused;
    m_pauseAction->setText(paused ? tr("&Resume") : tr("&Pause"));
    m_pauseAction->setIconText(paused ? tr("Resume") : tr("Pause"));
    m_stopAction->setEnabled(state == TrainingController::State::Running ||
                             state == TrainingController::State::Paused);
    m_openAction->setEnabled(!busy);
    m_demoAction->setEnabled(!busy);
    m_recentMenu->setEnabled(!busy);
    m_exportAction->setEnabled(!busy && !m_lastCompletedRunDir.isEmpty());
    m_predictFolderAction->setEnabled(!busy && !m_folderPrediction->isRunning());
    m_reportAction->setEnabled(!m_lastCompletedRunDir.isEmpty());
    m_experimentAction->setEnabled(!busy && m_ready && !experimentDialogOpen());
    switch (state) {
        case TrainingController::State::Idle:
            m_stateLabel->setText(m_ready ? tr("Ready") : tr("Setting up…"));
            break;
        case TrainingController::State::Running:
            m_stateLabel->setText(tr("Training", "status bar: a run is in progress"));
            break;
        case TrainingController::State::Paused:
            m_stateLabel->setText(tr("Paused"));
            break;
        case TrainingController::State::Stopping:
            m_stateLabel->setText(tr("Stopping…"));
            break;
    }
}

void MainWindow::onStartTriggered() {
    startTraining();
}

void MainWindow::onPauseTriggered() {
    if (m_controller->state() == TrainingController::State::Paused)
        m_controller->resume();
    else
        m_controller->pause();
}

void MainWindow::onStopTriggered() {
    m_controller->stop();
}

void MainWindow::onRunStarted(const QStringList& classNames, qint64 trainImages,
                              qint64 valImages) {
    m_gallery->setClassNames(classNames);
    m_confusion->clear();
    m_confusion->setClassNames(classNames);
    appendLog(tr("%1 classes, %2 training and %3 validation images.")
                  .arg(classNames.size())
                  .arg(trainImages)
                  .arg(valImages));
}

void MainWindow::onBatchFinished(const fts::BatchProgress& p) {
    m_charts->addBatch(p);
    const double done = p.epochs > 0 && p.batches > 0
                            ? (double(p.epoch - 1) + double(p.batch) / p.batches) / p.epochs
                            : 0.0;
    m_progressBar->setValue(int(std::lround(done * 1000)));
    m_progressLabel->setText(tr("Epoch %1 of %2 · batch %3 of %4 · %5 images/s · %6 left")
                                 .arg(p.epoch)
                                 .arg(p.epochs)
                                 .arg(p.batch)
                                 .arg(p.batches)
                                 .arg(p.imagesPerSecond, 0, 'f', 0)
                                 .arg(formatDuration(p.secondsLeft)));
}

void MainWindow::onEpochFinished(const fts::EpochMetrics& m) {
    m_charts->addEpoch(m);
    appendLog(tr("Epoch %1/%2: training loss %3, accuracy %4% · validation loss %5, accuracy "
                 "%6%%7 · %8 s")
                  .arg(m.epoch)
                  .arg(m.epochs)
                  .arg(m.trainLoss, 0, 'f', 3)
                  .arg(m.trainAccuracy * 100, 0, 'f', 1)
                  .arg(m.valLoss, 0, 'f', 3)
                  .arg(m.valAccuracy * 100, 0, 'f', 1)
                  .arg(m.best ? tr(" (best so far)") : QString())
                  .arg(m.seconds, 0, 'f', 1));
}

void MainWindow::onFinished(const fts::RunSummary& summary) {
    setRunning(false);
    m_charts->flush();
    m_runs->setActiveRuns({});
    m_runs->refresh();
    QString text;
    if (summary.status == "completed") {
        text = tr("Training finished: best validation accuracy %1% after %2 epochs (%3).")
                   .arg(summary.bestValAccuracy * 100, 0, 'f', 1)
                   .arg(summary.epochsCompleted)
                   .arg(formatDuration(summary.wallSeconds));
    } else if (summary.status == "cancelled") {
        text = tr("Training stopped after %n epoch(s); the finished epochs are kept.", nullptr,
                  summary.epochsCompleted);
    } else {
        text = tr("Training failed: %1").arg(toQString(summary.error));
    }
    if (summary.epochsCompleted > 0) m_lastCompletedRunDir = m_runDir;
    appendLog(text);
    appendLog(tr("Longest pause of the window during this run: %1 ms.")
                  .arg(m_monitor->longestStallMs(), 0, 'f', 1));
    statusBar()->showMessage(text);
    m_progressLabel->clear();
    updateActions();
    Q_EMIT trainingFinished(summary);
}

void MainWindow::appendLog(const QString& text) {
    m_log->appendPlainText(
        QStringLiteral("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")),
                                     text));
}

void MainWindow::updateWindowTitle() {
    const QString project = m_projectFile.isEmpty() ? tr("Untitled project")
                                                    : QFileInfo(m_projectFile).fileName();
    setWindowTitle(tr("%1 — Finetune Studio").arg(project));
}

bool MainWindow::openProject(const QString& file, bool quiet) {
    if (m_controller->isBusy()) return false;
    QString error;
    const std::optional<Project> project = loadProject(file, &error);
    if (!project) {
        appendLog(error);
        if (!quiet) QMessageBox::warning(this, tr("Open project"), error);
        return false;
    }
    m_baseSettings = project->settings;
    m_projectFile = file;
    // The project's runs stay with it: a project that names its runs folder
    // trains into it and lists its runs from it.
    m_projectRunsFolder = project->runsDirectory;
    m_runs->setRunsFolder(runsFolder());
    m_modelReady = false;
    m_dataReady = false;
    updateReadiness();  // not ready until the project's model and data are in
    m_hyper->setSettings(project->settings);
    m_pendingFreeze = project->freezeSpec;
    m_layers->setFreezeSpec(project->freezeSpec);
    m_dataset->setValPath(project->valPath);
    m_dataset->setDataPath(project->dataPath);
    m_model->setImageSize(project->settings.imageSize);
    m_model->setSelection(project->arch, project->weightsFile);
    rememberRecent(file);
    updateWindowTitle();
    appendLog(tr("Opened %1").arg(QDir::toNativeSeparators(file)));
    return true;
}

bool MainWindow::saveProject(const QString& file) {
    Project project;
    project.settings = currentSettings();
    project.arch = m_model->arch();
    project.weightsFile = m_model->weightsFile();
    project.freezeSpec = m_layers->freezeSpec();
    project.dataPath = m_dataset->dataPath();
    project.valPath = m_dataset->valPath();
    project.runsDirectory = runsFolder();
    QString error;
    if (!fts::ui::saveProject(file, project, &error)) {
        appendLog(error);
        QMessageBox::warning(this, tr("Save project"), error);
        return false;
    }
    m_projectFile = file;
    rememberRecent(file);
    updateWindowTitle();
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(file)), 5000);
    return true;
}

void MainWindow::onOpenProject() {
    QSettings settings;
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open project"), settings.value(QStringLiteral("lastProjectFolder")).toString(),
        projectFileFilter());
    if (file.isEmpty()) return;
    settings.setValue(QStringLiteral("lastProjectFolder"), QFileInfo(file).absolutePath());
    openProject(file);
}

void MainWindow::onSaveProject() {
    if (m_projectFile.isEmpty())
        onSaveProjectAs();
    else
        saveProject(m_projectFile);
}

void MainWindow::onSaveProjectAs() {
    QSettings settings;
    QString file = QFileDialog::getSaveFileName(
        this, tr("Save project"), settings.value(QStringLiteral("lastProjectFolder")).toString(),
        projectFileFilter());
    if (file.isEmpty()) return;
    if (!file.endsWith(QStringLiteral(".ftsproj"), Qt::CaseInsensitive))
        file += QStringLiteral(".ftsproj");
    settings.setValue(QStringLiteral("lastProjectFolder"), QFileInfo(file).absolutePath());
    saveProject(file);
}

void MainWindow::rememberRecent(const QString& file) {
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentProjects")).toStringList();
    const QString absolute = QFileInfo(file).absoluteFilePath();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > kMaxRecentProjects) recent.removeLast();
    settings.setValue(QStringLiteral("recentProjects"), recent);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu() {
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentProjects")).toStringList();
    for (const QString& file : recent) {
        QAction* a = m_recentMenu->addAction(QDir::toNativeSeparators(file));
        connect(a, &QAction::triggered, this, [this, file] { openProject(file); });
    }
    if (recent.isEmpty()) m_recentMenu->addAction(tr("(none yet)"))->setEnabled(false);
}

void MainWindow::onExport() {
    if (m_lastCompletedRunDir.isEmpty()) return;
    QSettings settings;
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Export the trained model into a folder"),
        settings.value(QStringLiteral("lastExportFolder")).toString());
    if (dir.isEmpty()) return;
    settings.setValue(QStringLiteral("lastExportFolder"), dir);
    const QString runDir = m_lastCompletedRunDir;
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, dir] {
        const QString error = watcher->result();
        watcher->deleteLater();
        if (error.isEmpty()) {
            const QString text = tr("Exported model.safetensors, model.pth and model.json to %1")
                                     .arg(QDir::toNativeSeparators(dir));
            appendLog(text);
            statusBar()->showMessage(text, 10000);
        } else {
            appendLog(error);
            QMessageBox::warning(this, tr("Export model"), error);
        }
    });
    watcher->setFuture(QtConcurrent::run([runDir, dir]() -> QString {
        try {
            fts::exportBundle(toPath(runDir), toPath(dir));
            return {};
        } catch (const std::exception& e) {
            return toQString(e.what());
        }
    }));
}

ExperimentDialog* MainWindow::openExperimentDialog() {
    if (m_controller->isBusy() || !m_ready || experimentDialogOpen()) return nullptr;
    const fts::TrainSettings s = currentSettings();  // what Start would submit
    std::map<std::string, fts::TrainSettings> perStrategy;
    try {  // on the demo, its head recipe, as `finetune-cli experiment --demo`
        const fts::TrainSettings demo = fts::demoSettings(fts::defaultDemoMode());
        if (s.model == demo.model && s.dataPath == demo.dataPath)
            perStrategy["head"] = fts::demoHeadRecipe(s, /*keepLearningRate=*/s.lr != demo.lr);
    } catch (const std::exception&) {
        // no demo installed: every strategy shares the form's settings
    }
    const QString stamp =
        QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString dir = QStringLiteral("%1/%2-experiment-%3").arg(runsFolder(), stamp, m_model->arch());
    for (int i = 2; QFileInfo::exists(dir); ++i)
        dir = QStringLiteral("%1/%2-experiment-%3-%4")
                  .arg(runsFolder(), stamp, m_model->arch())
                  .arg(i);
    auto* dialog = new ExperimentDialog(s, perStrategy, dir, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // Window-modal: no normal training and no setup change while it runs.
    dialog->setWindowModality(Qt::WindowModal);
    m_experimentDialog = dialog;
    // finished() comes after the dialog is hidden, before it is deleted
    // (never from ~MainWindow, unlike destroyed()).
    connect(dialog, &QDialog::finished, this, [this] { updateActions(); });
    connect(dialog, &ExperimentDialog::reportRequested, this, [this](const QString& d) {
        const QString file = QDir(d).filePath(QStringLiteral("report.html"));
        if (QFileInfo::exists(file))
            QDesktopServices::openUrl(QUrl::fromLocalFile(file));
        else
            onWriteReport(d, true);
    });
    connect(dialog, &ExperimentDialog::showRunsRequested, this,
            [this](const QStringList& runDirs) { showRuns(runDirs); });
    connect(dialog, &ExperimentDialog::experimentFinished, this,
            [this](const QString& d, const QString& status) {
                appendLog(tr("Transfer-learning experiment %1: %2")
                              .arg(status, QDir::toNativeSeparators(d)));
                m_runs->refresh();
            });
    updateActions();
    dialog->show();
    return dialog;
}

void MainWindow::showRuns(const QStringList& runDirs) {
    m_resultTabs->setCurrentWidget(m_runs);
    // The runs may be newer than the last scan: check them once it is done.
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(m_runs, &RunHistoryPanel::refreshed, this, [this, runDirs, connection] {
        disconnect(*connection);
        m_runs->setChecked(runDirs);
        // Selected too: Report… applies to the selected run.
        if (!runDirs.isEmpty()) m_runs->selectRun(runDirs.first());
    });
    m_runs->refresh();
}

QMessageBox* MainWindow::retrainPrompt() const {
    return m_retrainPrompt.data();
}

void MainWindow::offerRetrain() {
    // One message: the gallery's report of the moves gets a "Train again"
    // button, enabled now that the rescanned data is in.
    QMessageBox* box = m_gallery->appliedMessage();
    if (!box) return;
    QPushButton* train = box->addButton(tr("Train again"), QMessageBox::AcceptRole);
    connect(train, &QPushButton::clicked, this, [this] { startTraining(); });
    m_retrainPrompt = box;
}

bool MainWindow::experimentDialogOpen() const {
    return m_experimentDialog && m_experimentDialog->isVisible();
}

void MainWindow::onRunExperiment() {
    openExperimentDialog();
}

void MainWindow::onWriteReport(const QString& dir, bool experiment) {
    if (dir.isEmpty()) return;
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Write class report"), ReportWriter::defaultReportFileName(dir, experiment),
        tr("Web page (*.html)"));
    if (file.isEmpty()) return;
    writeReport(dir, experiment, file, true);
}

void MainWindow::writeReport(const QString& dir, bool experiment, const QString& file,
                             bool openWhenWritten) {
    m_openReportWhenWritten = openWhenWritten;
    // The UI language is taken here, on the GUI thread; the file is written
    // on a worker.
    m_reportWriter->write(dir, experiment, file);
    statusBar()->showMessage(tr("Writing the report…"));
}

void MainWindow::onPredictFolder() {
    if (m_folderPrediction->isRunning()) return;
    QSettings settings;
    // The current run's best weights; without one, an export bundle (or run).
    QString modelDir = m_lastCompletedRunDir;
    if (modelDir.isEmpty()) {
        modelDir = QFileDialog::getExistingDirectory(
            this, tr("Choose an exported model (a folder with model.json) or a run directory"),
            settings.value(QStringLiteral("lastExportFolder")).toString());
        if (modelDir.isEmpty()) return;
    }
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("Choose a folder of images to classify"),
        settings.value(QStringLiteral("lastPredictFolder")).toString());
    if (folder.isEmpty()) return;
    settings.setValue(QStringLiteral("lastPredictFolder"), folder);

    // Window-modal progress: the GUI thread stays free, Cancel stops the job.
    auto* progress = new QProgressDialog(tr("Classifying the images in %1…")
                                             .arg(QDir::toNativeSeparators(folder)),
                                         tr("Cancel"), 0, 0, this);
    progress->setWindowTitle(tr("Predict on a folder"));
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(300);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    connect(progress, &QProgressDialog::canceled, m_folderPrediction, &FolderPrediction::cancel);
    connect(m_folderPrediction, &FolderPrediction::progress, progress, [progress](int done, int total) {
        progress->setMaximum(total);
        progress->setValue(done);
    });
    auto* once = new QObject(progress);  // the finished connection dies with the dialog
    connect(m_folderPrediction, &FolderPrediction::finished, once,
            [this, progress, modelDir](const FolderPredictionResult& r) {
                progress->close();
                updateActions();
                if (!r.error.isEmpty()) {
                    appendLog(r.error);
                    QMessageBox::warning(this, tr("Predict on a folder"), r.error);
                    return;
                }
                QString title = tr("%n image(s) in %1", nullptr, int(r.samples.size()))
                                    .arg(QDir::toNativeSeparators(r.folders.join(QStringLiteral(", "))));
                if (r.labelled > 0)
                    title += QLatin1String(" — ") +
                             tr("accuracy %1% on %2 labelled")
                                 .arg(100.0 * r.correct / r.labelled, 0, 'f', 1)
                                 .arg(r.labelled);
                if (r.cancelled) title += QLatin1String(" — ") + tr("cancelled");
                m_gallery->setClassNames(r.classNames);
                m_gallery->setFolderPredictions(title, r.samples);
                m_gallery->setRunDirectory(modelDir);  // Grad-CAM explains this model
                m_resultTabs->setCurrentWidget(m_gallery);
                appendLog(title);
                for (const QString& problem : r.problems)
                    appendLog(tr("Skipped %1").arg(problem));
                statusBar()->showMessage(title, 10000);
            });
    m_folderPrediction->start(modelDir, {folder});
    updateActions();
}

void MainWindow::onChooseLanguage(const QString& code) {
    QSettings().setValue(QStringLiteral("language"), code);
    QMessageBox::information(this, tr("Language"),
                             tr("The new language is used the next time Finetune Studio starts."));
}

void MainWindow::onAbout() {
    // Modal, but open() keeps the event loop (and a running training's charts)
    // going; the dialog deletes itself when closed.
    auto* dialog = new AboutDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    // Closing during a run stops it (the engine keeps the last finished epoch
    // and a resumable checkpoint); the controller's destructor waits for the
    // training thread, which honours the stop within one batch.
    if (m_controller->isBusy()) m_controller->stop();
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (!m_running && m_dataset->canAccept(event->mimeData())) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    if (m_running) return;
    if (m_dataset->acceptDrop(event->mimeData())) {
        event->acceptProposedAction();
        m_setupTabs->setCurrentWidget(m_dataset);
    }
}

}  // namespace fts::ui
