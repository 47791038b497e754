#pragma once

#include "uitypes.h"

#include "train/settings.h"

#include <QMainWindow>
#include <QPointer>
#include <QString>

#include <optional>

class QAction;
class QLabel;
class QMenu;
class QMessageBox;
class QProgressBar;
class QSplitter;
class QPlainTextEdit;
class QTabWidget;

namespace fts::ui {

class ChartPanel;
class ConfusionPanel;
class DatasetPanel;
class EventLoopMonitor;
class ExperimentDialog;
class RunHistoryPanel;
class GalleryPanel;
class FolderPrediction;
class HyperparameterPanel;
class LayerTreePanel;
class ModelPanel;
class ReportWriter;
class TrainingController;
struct Project;

/// The application window. It only composes panels and wires them to the
/// training controller: it does not train, decode or compute metrics.
///
///   left:  Model & layers | Data | Hyperparameters   (the setup, locked during a run)
///   right: Training (charts) | Predictions (gallery) | Confusion matrix | Log
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Selects the bundled demo model, data and hyperparameters.
    void selectDemo();
    /// Opens a project file; false (and a message box unless quiet) on error.
    bool openProject(const QString& file, bool quiet = false);
    bool saveProject(const QString& file);

    /// Starts training with the current setup; false when something is
    /// missing or invalid (the reason goes to the status bar and log).
    bool startTraining();
    /// Called when the setup is ready (model described, data scanned):
    /// --autostart waits for this.
    bool isReadyToStart() const;

    TrainingController* controller() const { return m_controller; }
    EventLoopMonitor* eventLoopMonitor() const { return m_monitor; }
    ChartPanel* chartPanel() const { return m_charts; }
    GalleryPanel* galleryPanel() const { return m_gallery; }
    ConfusionPanel* confusionPanel() const { return m_confusion; }
    LayerTreePanel* layerTreePanel() const { return m_layers; }
    ModelPanel* modelPanel() const { return m_model; }
    DatasetPanel* datasetPanel() const { return m_dataset; }
    HyperparameterPanel* hyperparameterPanel() const { return m_hyper; }
    QTabWidget* resultTabs() const { return m_resultTabs; }
    QTabWidget* setupTabs() const { return m_setupTabs; }
    /// The run directory of the current or last run ("" before the first).
    QString runDirectory() const { return m_runDir; }
    /// Where runs are written and listed: the open project's runs folder,
    /// else the "runsDirectory" setting, else the app's data folder + /runs.
    QString runsFolder() const;
    /// Writes the class report of a run (or an experiment folder) to `file`
    /// in the UI language, off the GUI thread; reportWritten() follows (or a
    /// log line with the error). Opens it in the browser when asked.
    void writeReport(const QString& dir, bool experiment, const QString& file,
                     bool openWhenWritten = false);
    /// Opens the transfer-learning experiment dialog on the current setup
    /// (null when not ready, training, or already open).
    ExperimentDialog* openExperimentDialog();
    /// Shows the Runs tab with these runs overlaid.
    void showRuns(const QStringList& runDirs);
    RunHistoryPanel* runHistoryPanel() const { return m_runs; }
    /// The "train again?" question shown after the gallery's edits reached
    /// the dataset folder and it was rescanned (null when none is open).
    QMessageBox* retrainPrompt() const;
    /// The settings the next Start would submit.
    fts::TrainSettings currentSettings() const;

Q_SIGNALS:
    /// The setup became ready to start (or stopped being ready).
    void readinessChanged(bool ready);
    /// A run ended; summary.status is completed, cancelled or failed.
    void trainingFinished(const fts::RunSummary& summary);
    /// A class report has been written.
    void reportWritten(const QString& file);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildActions();
    void buildMenus();
    void buildLayout();
    void connectPanels();
    void restoreSettings();
    void updateActions();
    void updateReadiness();
    void setRunning(bool running);
    void appendLog(const QString& text);
    void updateWindowTitle();
    void updateRecentMenu();
    void rememberRecent(const QString& file);
    QString newRunDirectory() const;

    void onStartTriggered();
    void onPauseTriggered();
    void onStopTriggered();
    void onOpenProject();
    void onSaveProject();
    void onSaveProjectAs();
    void onExport();
    void onPredictFolder();
    void onRunExperiment();
    bool experimentDialogOpen() const;
    void offerRetrain();
    /// Asks where to save the report of `dir`, then writes it.
    void onWriteReport(const QString& dir, bool experiment);
    void onChooseLanguage(const QString& code);
    void onAbout();
    void onRunStarted(const QStringList& classNames, qint64 trainImages, qint64 valImages);
    void onBatchFinished(const fts::BatchProgress& progress);
    void onEpochFinished(const fts::EpochMetrics& metrics);
    void onFinished(const fts::RunSummary& summary);

    TrainingController* m_controller = nullptr;
    EventLoopMonitor* m_monitor = nullptr;

    ModelPanel* m_model = nullptr;
    LayerTreePanel* m_layers = nullptr;
    DatasetPanel* m_dataset = nullptr;
    HyperparameterPanel* m_hyper = nullptr;
    ChartPanel* m_charts = nullptr;
    GalleryPanel* m_gallery = nullptr;
    ConfusionPanel* m_confusion = nullptr;
    QPlainTextEdit* m_log = nullptr;
    QSplitter* m_splitter = nullptr;
    QTabWidget* m_setupTabs = nullptr;
    QTabWidget* m_resultTabs = nullptr;

    QLabel* m_stateLabel = nullptr;
    QLabel* m_progressLabel = nullptr;
    QProgressBar* m_progressBar = nullptr;

    QAction* m_startAction = nullptr;
    QAction* m_pauseAction = nullptr;
    QAction* m_stopAction = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_saveAsAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_predictFolderAction = nullptr;
    FolderPrediction* m_folderPrediction = nullptr;  // owned (child)
    QAction* m_reportAction = nullptr;
    QAction* m_experimentAction = nullptr;
    QPointer<ExperimentDialog> m_experimentDialog;  // deletes itself on close
    RunHistoryPanel* m_runs = nullptr;
    QPointer<QMessageBox> m_retrainPrompt;
    bool m_offerRetrain = false;  // ask once the rescan after an edit is in
    ReportWriter* m_reportWriter = nullptr;  // owned (child)
    bool m_openReportWhenWritten = false;
    QAction* m_demoAction = nullptr;
    QAction* m_quitAction = nullptr;
    QMenu* m_recentMenu = nullptr;

    /// Settings no panel edits (backbone lr scale, step size, ...), kept from
    /// the demo or the opened project so that they round-trip.
    fts::TrainSettings m_baseSettings;
    QString m_projectFile;
    QString m_projectRunsFolder;  // from the open project; empty: the app-wide folder
    QString m_runDir;
    QString m_lastCompletedRunDir;
    bool m_modelReady = false;
    // A freeze spec from a project or the demo, applied when its model has
    // been described (the tree shown until then may be another network's).
    std::optional<QString> m_pendingFreeze;
    bool m_dataReady = false;
    bool m_ready = false;
    bool m_running = false;
};

}  // namespace fts::ui
