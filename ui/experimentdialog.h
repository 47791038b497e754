#pragma once

#include "train/settings.h"

#include <QDialog>
#include <QElapsedTimer>
#include <QHash>
#include <QStringList>

#include <map>
#include <string>

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStandardItemModel;
class QTableView;

namespace fts {
struct EpochMetrics;
}

namespace fts::ui {

class ExperimentRunner;

/// "Transfer-learning experiment": trains the same model on the same data
/// with up to four strategies (head only, last block + head, everything,
/// from scratch) one after another through an ExperimentRunner (its own
/// thread), and fills a results table live: status, best validation
/// accuracy and time per strategy, with a progress bar for the whole
/// experiment. When it is over, "Open report" and "Show in Runs" emit
/// reportRequested() / showRunsRequested() for the main window to act on.
///
/// One experiment per dialog (the output folder is fixed). Closing the dialog
/// while it runs asks whether to stop; the dialog then stops the experiment
/// and closes once the current batch has ended (no thread is left running;
/// the destructor stops and joins as a last resort).
class ExperimentDialog : public QDialog {
    Q_OBJECT
public:
    /// `base`: the settings Start would train with (model, weights, data,
    /// hyperparameters, device); its outDir and freeze are ignored.
    /// `strategyBase`: a strategy's own base instead of `base` (the demo's
    /// head recipe: fts::demoHeadRecipe()), by strategy name; may be empty.
    /// `outDir`: the experiment folder (runs go to outDir/<strategy>/).
    ExperimentDialog(const fts::TrainSettings& base,
                     const std::map<std::string, fts::TrainSettings>& strategyBase,
                     const QString& outDir, QWidget* parent = nullptr);
    ~ExperimentDialog() override;

    /// The strategies checked, in the experiment's order ("head", ...).
    QStringList selectedStrategies() const;
    bool isRunning() const;
    QString experimentDirectory() const { return m_outDir; }
    /// Run folders of the strategies that started (for "Show in Runs").
    QStringList runDirectories() const;
    /// Whether closing a running experiment asks first (default true).
    void setAskBeforeStopping(bool ask) { m_askBeforeStopping = ask; }

    // For tests.
    QPushButton* startButton() const { return m_start; }
    QPushButton* stopButton() const { return m_stop; }
    QPushButton* closeButton() const { return m_close; }
    QPushButton* openReportButton() const { return m_openReport; }
    QPushButton* showRunsButton() const { return m_showRuns; }
    QCheckBox* strategyCheckBox(const QString& strategy) const;
    QSpinBox* epochsSpinBox() const { return m_epochs; }
    QProgressBar* progressBar() const { return m_progress; }
    QLabel* statusLabel() const { return m_status; }
    /// Columns: strategy, status, best validation accuracy (Qt::UserRole:
    /// 0..1, unset before the first epoch), time (Qt::UserRole: seconds).
    /// Column 0's Qt::UserRole is the strategy's name.
    QStandardItemModel* resultsModel() const { return m_model; }
    ExperimentRunner* runner() const { return m_runner; }

    enum Column { StrategyColumn, StatusColumn, AccuracyColumn, TimeColumn, ColumnCount };

public Q_SLOTS:
    /// Starts the experiment with the strategies checked. Returns false when
    /// it is running or was run already, or no strategy is checked.
    bool start();
    /// Stops the experiment in progress (the current run ends within a batch).
    void stop();
    /// Closes, asking first (and stopping) while the experiment runs.
    void reject() override;

Q_SIGNALS:
    void experimentFinished(const QString& experimentDir, const QString& status);
    /// "Open report": outDir holds report.html and experiment.json.
    void reportRequested(const QString& experimentDir);
    /// "Show in Runs": the strategies' run folders.
    void showRunsRequested(const QStringList& runDirs);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    /// True when the dialog may close now; otherwise (running) it may have
    /// asked, stopped the experiment and arranged to close when it ends.
    bool mayCloseNow();
    void rebuildRows();
    int rowOf(const QString& strategy) const;
    void setCell(int row, int column, const QString& text, const QVariant& value = {});
    void updateButtons();
    void setOverallProgress(double strategiesDone);

    void onStrategyStarted(int index, int count, const QString& strategy);
    void onBatchProgress(const QString& strategy, int epoch, int epochs, int batch, int batches);
    void onEpochFinished(const QString& strategy, const fts::EpochMetrics& metrics);
    void onStrategyFinished(int index, int count, const QString& strategy, const QString& status,
                            double bestValAccuracy, double wallSeconds, const QString& error);
    void onFinished(const QString& status, const QString& experimentDir, const QString& error);

    fts::TrainSettings m_base;
    std::map<std::string, fts::TrainSettings> m_strategyBase;
    QString m_outDir;
    bool m_askBeforeStopping = true;
    bool m_started = false;  // one experiment per dialog
    bool m_closeWhenFinished = false;
    QString m_finishedStatus;  // empty until finished
    QStringList m_startedStrategies;
    int m_currentIndex = 0;
    int m_count = 0;
    QElapsedTimer m_strategyClock;  // since the current strategy started

    ExperimentRunner* m_runner = nullptr;  // child; its thread runs the experiment
    QHash<QString, QCheckBox*> m_checks;
    QLabel* m_noWeights = nullptr;
    QSpinBox* m_epochs = nullptr;
    QStandardItemModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_start = nullptr;
    QPushButton* m_stop = nullptr;
    QPushButton* m_openReport = nullptr;
    QPushButton* m_showRuns = nullptr;
    QPushButton* m_close = nullptr;
};

}  // namespace fts::ui
