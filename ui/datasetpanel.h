#pragma once

#include "datasetscan.h"

#include <QSet>
#include <QString>
#include <QVector>
#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QDragEnterEvent;
class QDropEvent;
class QGridLayout;
class QLabel;
class QMimeData;
class QPushButton;
class QTabWidget;
class QTreeWidget;

namespace fts::ui {

class ClassCountChart;
class HealthPanel;

/// Choosing the training (and optionally validation) data and looking at it:
/// images per class, a few images per class as the model sees them, and the
/// files that cannot be used. Scans run on QtConcurrent through a
/// QFutureWatcher; a newer request supersedes an older one (whose result is
/// dropped). Lives on the GUI thread.
class DatasetPanel : public QWidget {
    Q_OBJECT
public:
    explicit DatasetPanel(QWidget* parent = nullptr);
    ~DatasetPanel() override;

    /// Scans `path` (ImageFolder directory, IDX images file, CIFAR-10 folder
    /// or .bin). An empty path clears the panel.
    void setDataPath(const QString& path);
    /// The path last asked for (it may still be scanning, or have failed).
    QString dataPath() const { return m_path; }
    /// The separate validation set, or empty when validation is split from
    /// the training data.
    QString valPath() const;
    /// A non-empty path turns the separate validation set on and scans it;
    /// an empty one turns it off (split from the training data).
    void setValPath(const QString& path);
    bool separateValidation() const;

    /// The image size and augmentation of the previews ("none" | "light" |
    /// "strong"). Re-renders them in the background when they change.
    void setPreviewTransform(int imageSize, const QString& augment);
    /// Preview images per class (default 6; fewer when there are many classes).
    void setPreviewsPerClass(int count);

    /// The last finished scan of dataPath(); ok() is false when it failed.
    const DatasetSummary& summary() const { return m_summary; }
    /// The training source of the last successful scan; null otherwise.
    std::shared_ptr<const fts::DataSource> source() const { return m_summary.source; }
    /// The separate validation source; null when split or not scanned (yet).
    std::shared_ptr<const fts::DataSource> valSource() const;
    bool isScanning() const { return m_scanning; }
    /// The "Health check" tab: checks the data shown (on request).
    HealthPanel* healthPanel() const { return m_health; }

    /// While a run trains, the data cannot change: choosers and drops are off.
    void setRunning(bool running);
    /// Files the loader skipped while training; duplicates are ignored.
    void addSkippedFiles(const QVector<fts::SkippedFile>& files);
    const QVector<fts::SkippedFile>& skippedFiles() const { return m_skipped; }

    /// Drag and drop, for this panel and the main window: a single local
    /// folder or file URL that exists (and no run in progress).
    bool canAccept(const QMimeData* mime) const;
    /// Uses the dropped folder or file as training data; false if refused.
    bool acceptDrop(const QMimeData* mime);

Q_SIGNALS:
    /// After each successful scan of the training data (not after the
    /// previews alone were re-rendered).
    void datasetChanged(const fts::ui::DatasetSummary& summary);
    /// A scan of the training data failed: a sentence naming the path.
    void scanFailed(const QString& message);
    void validationModeChanged(bool separate);
    void validationPathChanged(const QString& path);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    enum class Job { Scan, Render };
    void chooseFolder();
    void chooseFile();
    void chooseValidation();
    void onValidationToggled(bool checked);
    void startScan();
    void startRender();
    void startValidationScan();
    void onJobFinished(Job job, const DatasetSummary& result);
    void onValidationScanned(const DatasetSummary& result);
    void newRandomDraw();
    void rebuildPreviews();
    void resetSkipped(const QVector<fts::SkippedFile>& files);
    void appendSkipped(const fts::SkippedFile& file);
    void updateSkippedTitle();
    void updateValidationStatus();
    void updateChart(const QStringList& names, const QVector<qint64>& counts);
    QString startDirectory() const;

    QString m_path;
    QString m_valPath;
    int m_imageSize = 224;
    QString m_augment = QStringLiteral("light");
    int m_previewsPerClass = 6;
    quint64 m_seed = 1;  // of the augmentation draws; "New random draw" bumps it
    bool m_running = false;
    bool m_scanning = false;      // a full scan (not a re-render) is in flight
    quint64 m_generation = 0;     // of the newest training-data job
    quint64 m_valGeneration = 0;  // of the newest validation scan
    DatasetSummary m_summary;
    DatasetSummary m_valSummary;
    QVector<fts::SkippedFile> m_skipped;
    QSet<QString> m_skippedPaths;

    // Child widgets (owned through the layout).
    QPushButton* m_chooseFolder = nullptr;
    QPushButton* m_chooseFile = nullptr;
    QLabel* m_pathLabel = nullptr;
    QLabel* m_statusLabel = nullptr;
    QCheckBox* m_separateVal = nullptr;
    QPushButton* m_chooseVal = nullptr;
    QLabel* m_valPathLabel = nullptr;
    QLabel* m_valStatusLabel = nullptr;
    ClassCountChart* m_chart = nullptr;
    QWidget* m_chartScroll = nullptr;
    QTabWidget* m_tabs = nullptr;
    QComboBox* m_previewMode = nullptr;
    QPushButton* m_redraw = nullptr;
    QLabel* m_previewInfo = nullptr;
    QWidget* m_previewGrid = nullptr;
    QGridLayout* m_previewLayout = nullptr;
    QTreeWidget* m_skippedList = nullptr;
    HealthPanel* m_health = nullptr;
};

}  // namespace fts::ui
