#pragma once

#include "data/healthcheck.h"

#include <QString>
#include <QStringList>
#include <QWidget>

#include <atomic>
#include <memory>

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace fts {
class DataSource;
}

namespace fts::ui {

/// The dataset health check (engine/data/healthcheck.h) in the dataset
/// panel: a "Check dataset" button, the findings most severe first, and the
/// files of the selected finding with thumbnails and "Open folder". The check
/// and the thumbnails run on QtConcurrent; the GUI thread only shows results.
/// Lives on the GUI thread; the destructor cancels a running check and waits.
class HealthPanel : public QWidget {
    Q_OBJECT
public:
    explicit HealthPanel(QWidget* parent = nullptr);
    ~HealthPanel() override;

    /// The data to check: training, and separate validation data or null
    /// (then validation is split from training by setValidationSplit()).
    /// Clears the findings, which belong to the data shown before.
    void setData(std::shared_ptr<const fts::DataSource> training,
                 std::shared_ptr<const fts::DataSource> validation);
    /// Fraction and seed of the split when there is no separate validation
    /// data (default: the trainer's, 0.2 and 42).
    void setValidationSplit(double fraction, quint64 seed);

    /// Starts a check in the background (cancelling one in flight).
    void startCheck();
    void cancelCheck();
    bool isChecking() const { return m_checking; }
    bool hasReport() const { return m_hasReport; }
    const fts::HealthReport& report() const { return m_report; }

    /// Shows the files of finding `row` (as a click on it does).
    void selectWarning(int row);
    /// The item names of the files listed for the selected finding.
    QStringList shownFiles() const;
    int warningCount() const;

    /// Translated names for the findings' kinds ("Training/validation leak").
    static QString kindDisplayName(fts::HealthWarningKind kind);

Q_SIGNALS:
    /// A check finished (not when cancelled): counts of problems and warnings.
    void checkFinished(int problems, int warnings);
    /// A check failed: a sentence.
    void checkFailed(const QString& message);

private:
    struct Outcome {
        fts::HealthReport report;
        QString error;
    };
    void onFinished(quint64 generation, const Outcome& outcome);
    void onProgress(quint64 generation, int done, int total);
    void showFiles(QTreeWidgetItem* item);
    void openFolder();
    void updateButtons();

    std::shared_ptr<const fts::DataSource> m_training;
    std::shared_ptr<const fts::DataSource> m_validation;
    double m_valSplit = 0.2;
    quint64 m_seed = 42;
    fts::HealthReport m_report;
    bool m_hasReport = false;
    bool m_checking = false;
    quint64 m_generation = 0;       // of the newest check
    quint64 m_thumbGeneration = 0;  // of the newest thumbnail job
    // Shared with the worker of the newest check; set to stop it.
    std::shared_ptr<std::atomic<bool>> m_cancel;

    // Child widgets (owned through the layout).
    QPushButton* m_check = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_summary = nullptr;
    QTreeWidget* m_warnings = nullptr;
    QListWidget* m_files = nullptr;
    QPushButton* m_openFolder = nullptr;
};

}  // namespace fts::ui
