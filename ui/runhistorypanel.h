#pragma once

#include "export/runhistory.h"

#include <QFutureWatcher>
#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QTableView;
class QTableWidget;

namespace fts::ui {

class RunComparisonView;
class RunHistoryModel;

/// The "Runs" tab: every run of the runs folder (standalone runs and the
/// strategy runs of experiments) in a table, the checked runs' curves
/// overlaid, and the settings in which the checked runs differ. The folder
/// is scanned on a worker thread (QtConcurrent); everything else lives on
/// the GUI thread.
class RunHistoryPanel : public QWidget {
    Q_OBJECT
public:
    explicit RunHistoryPanel(QWidget* parent = nullptr);
    ~RunHistoryPanel() override;

    /// The folder that holds the run directories; scanned at once.
    void setRunsFolder(const QString& folder);
    QString runsFolder() const { return m_folder; }

    /// Runs shown as "running" whatever their files say (the app's current run).
    void setActiveRuns(const QStringList& runDirs);

    /// Which runs are overlaid (run directories; unknown ones are ignored).
    void setChecked(const QStringList& runDirs);
    QStringList checkedRuns() const;
    /// The run directory of the selected row; "" when none.
    QString selectedRun() const;
    void selectRun(const QString& runDir);

    /// The problems of the last scan (damaged run folders), one sentence each.
    QStringList problems() const { return m_problems; }

    // For tests.
    QTableView* tableView() const { return m_table; }
    RunHistoryModel* model() const { return m_model; }
    QTableWidget* diffTable() const { return m_diff; }
    QLabel* diffNote() const { return m_diffNote; }
    QLabel* problemLabel() const { return m_problemLabel; }
    RunComparisonView* comparisonView() const { return m_view; }
    /// The setting keys the diff table shows, in row order.
    QStringList diffKeys() const { return m_diffKeys; }

    /// A settings key of fts::RunRecord::settings as a person reads it.
    static QString settingLabel(const QString& key);
    /// How the run is named in the legend and the diff table's header.
    static QString runLabel(const fts::RunRecord& run);
    /// The diff table's two-line column title for a run.
    static QString headerLabel(const fts::RunRecord& run);

public Q_SLOTS:
    /// Scans the runs folder again (on a worker thread); refreshed() follows.
    void refresh();

Q_SIGNALS:
    /// The table shows the result of a scan.
    void refreshed();
    /// "Report…": DIR is the run directory, or its experiment folder when
    /// EXPERIMENT is true.
    void reportRequested(const QString& dir, bool experiment);
    /// A run was double-clicked.
    void runActivated(const QString& dir);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void scanFinished();
    void updateComparison();
    void updateButtons();
    void openFolder();
    void requestReport();

    QString m_folder;
    QStringList m_problems;
    QStringList m_diffKeys;
    bool m_scanAgain = false;
    bool m_scannedOnce = false;
    QFutureWatcher<fts::RunScan> m_watcher;

    RunHistoryModel* m_model = nullptr;
    QLabel* m_folderLabel = nullptr;
    QLabel* m_problemLabel = nullptr;
    QPushButton* m_refreshButton = nullptr;
    QPushButton* m_openButton = nullptr;
    QPushButton* m_reportButton = nullptr;
    QTableView* m_table = nullptr;
    RunComparisonView* m_view = nullptr;
    QComboBox* m_metric = nullptr;
    QCheckBox* m_training = nullptr;
    QTableWidget* m_diff = nullptr;
    QLabel* m_diffNote = nullptr;
};

}  // namespace fts::ui
