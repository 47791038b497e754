#pragma once

#include "uitypes.h"

#include <QStringList>
#include <QVector>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QListView;
class QModelIndex;

namespace fts {
class DataSource;
}

namespace fts::ui {

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

Q_SIGNALS:
    void inspectorOpened(fts::ui::ImageInspector* inspector);

private:
    void applyFilter();
    void applySort();
    void updateFilterControls();
    void updateCount();

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
};

}  // namespace fts::ui
