#pragma once

#include "uitypes.h"

#include <QPointer>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <memory>

class QAction;
class QComboBox;
class QDialog;
class QLabel;
class QListView;
class QMenu;
class QMessageBox;
class QModelIndex;
class QPushButton;
class QToolButton;

namespace fts {
class DataSource;
}

namespace fts::ui {

class DatasetEdits;
class GalleryModel;
class GalleryFilterProxy;
class ImageInspector;

/// The gallery of validation predictions (filterable, sortable, a green or
/// red frame per image) with a live strip of the training images being
/// learned right now above it. Double-click opens an ImageInspector. Lives on
/// the GUI thread.
class GalleryPanel : public QWidget {
    Q_OBJECT
public:
    explicit GalleryPanel(QWidget* parent = nullptr);

    void setClassNames(const QStringList& names);
    void setPredictions(int epoch, const QVector<fts::ui::PredictionSample>& predictions);
    /// The results of "Predict on a folder…" (trueLabel -1: unlabelled), under `title`.
    void setFolderPredictions(const QString& title,
                              const QVector<fts::ui::PredictionSample>& predictions);
    /// Appends to the live strip, which keeps the newest kLiveSamples (newest first).
    void addTrainingSamples(int epoch, const QVector<fts::ui::PredictionSample>& samples);
    void clear();
    /// Where the inspector loads full-size images from (matched by item name).
    void setDataSource(std::shared_ptr<const fts::DataSource> source);
    /// The run whose best weights the inspector's Grad-CAM explains.
    void setRunDirectory(const QString& runDir) { m_runDir = runDir; }

    /// Fixing the data: the pending relabellings and exclusions (with undo)
    /// made from the gallery's context menu.
    DatasetEdits* edits() const { return m_edits; }
    /// The ImageFolder root the validation images come from; "" for IDX or
    /// CIFAR data (records inside a file: nothing can be moved, the actions
    /// are off and say why).
    void setDatasetRoot(const QString& root);
    /// While a run trains, edits can be made but not applied to the folder.
    void setTrainingRunning(bool running);
    /// Undo and redo of the pending edits, for an Edit menu (Ctrl+Z, Ctrl+Shift+Z).
    QAction* undoAction() const { return m_undoAction; }
    /// The message that reports the last apply (null once closed): the main
    /// window adds its "Train again" button to it.
    QMessageBox* appliedMessage() const;
    QAction* redoAction() const { return m_redoAction; }
    /// The context menu for the gallery's current selection (Relabel as,
    /// Exclude, Revert). The caller owns it.
    QMenu* createEditMenu(QWidget* parent);
    /// The items of the selected gallery images.
    QStringList selectedItems() const;

    GalleryModel* model() const { return m_model; }
    GalleryFilterProxy* proxy() const { return m_proxy; }
    GalleryModel* liveModel() const { return m_liveModel; }
    QListView* view() const { return m_view; }
    QString countText() const;

    static constexpr int kLiveSamples = 12;

public Q_SLOTS:
    /// Filters to exactly one confusion-matrix cell.
    void showCell(int trueLabel, int predicted);
    void showAll();
    /// Opens the inspector for an index of proxy() (or of liveModel()).
    ImageInspector* openInspector(const QModelIndex& index);
    /// Asks for confirmation, then moves the files (the "Apply to folder…"
    /// button). Returns the dialog opened, or nullptr.
    QDialog* applyEdits();

Q_SIGNALS:
    void inspectorOpened(fts::ui::ImageInspector* inspector);
    /// Files of the dataset at `root` were moved: rescan it (and offer to retrain).
    void datasetChanged(const QString& root);

private:
    void applyFilter();
    void applySort();
    void updateFilterControls();
    void updateCount();
    void updateEditBar();
    void onEditsApplied(int moved, int failed);

    GalleryModel* m_model = nullptr;        // owned (child)
    GalleryFilterProxy* m_proxy = nullptr;  // owned (child)
    GalleryModel* m_liveModel = nullptr;    // owned (child)
    QVector<PredictionSample> m_live;       // newest first
    std::shared_ptr<const fts::DataSource> m_source;
    QString m_runDir;

    QLabel* m_liveLabel = nullptr;
    QListView* m_liveView = nullptr;
    QComboBox* m_filterMode = nullptr;
    QComboBox* m_trueClass = nullptr;
    QComboBox* m_predictedClass = nullptr;
    QComboBox* m_sort = nullptr;
    QLabel* m_count = nullptr;
    QLabel* m_title = nullptr;
    QListView* m_view = nullptr;

    DatasetEdits* m_edits = nullptr;  // owned (child)
    QPointer<QMessageBox> m_appliedMessage;  // deletes itself on close
    bool m_trainingRunning = false;
    QAction* m_undoAction = nullptr;  // owned (child)
    QAction* m_redoAction = nullptr;  // owned (child)
    QWidget* m_editBar = nullptr;
    QLabel* m_editCount = nullptr;
    QPushButton* m_applyEdits = nullptr;
    QPushButton* m_discardEdits = nullptr;
};

}  // namespace fts::ui
