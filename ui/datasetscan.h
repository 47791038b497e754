#pragma once

// Scanning a dataset for the dataset panel: open the source, count the labels,
// decode a few images per class and render them as the model will see them.
// Everything here is a plain value type or a blocking function meant to run
// on a QtConcurrent worker thread, never on the GUI thread.

#include "data/datasource.h"

#include <QImage>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>

namespace fts::ui {

/// One dataset image in the preview grid.
struct PreviewImage {
    QString item;       // DataSource::itemName: path or file#record
    QImage original;    // the decoded image, scaled down to at most 128 px
    QImage training;    // S x S: one random draw of the training augmentation
    QImage validation;  // S x S: the evaluation transform (resize + centre crop)
};

/// What the dataset panel knows about the data it shows.
struct DatasetSummary {
    QString path;
    QString description;  // DataSource::description()
    QStringList classNames;
    QVector<qint64> counts;  // images per class, indexed like classNames
    qint64 total = 0;
    /// Problems found while scanning (the source's own, plus preview images
    /// that failed to decode). More may turn up while training.
    QVector<fts::SkippedFile> problems;
    /// Per class, up to previewsPerClass images (fewer when the class is
    /// small, or when there are many classes: at most kMaxPreviews in all).
    QVector<QVector<PreviewImage>> previews;
    int imageSize = 0;                              // S of the preview images, in pixels
    QString augment;                                // none | light | strong
    std::shared_ptr<const fts::DataSource> source;  // null when the scan failed
    QString error;                                  // a sentence naming the path; empty when ok

    bool ok() const { return error.isEmpty() && source != nullptr; }
};

/// Upper bound on the preview images of one scan, whatever the class count:
/// a 100-class dataset gets one or two per class, not hundreds of decodes.
inline constexpr int kMaxPreviews = 200;

/// Opens `path` with fts::openDataSource, counts the labels and renders the
/// previews. Never throws: a failure is returned in `error`. A preview image
/// that cannot be decoded is listed in `problems` and the next image of the
/// class is tried. Blocking; call it on a worker thread.
/// One translated line for the panel and the log: "750 images in 5 classes".
QString datasetSummaryText(const DatasetSummary& summary);
/// The translated name of an augmentation setting ("none", "light", "strong").
QString augmentationDisplayName(const QString& augment);

DatasetSummary scanDataset(const QString& path, int imageSize, const QString& augment,
                           int previewsPerClass, quint64 seed);

/// Re-renders the previews of an existing scan with another image size,
/// augmentation or seed, reusing its open source (no rescan). Blocking.
DatasetSummary renderPreviews(DatasetSummary summary, int imageSize, const QString& augment,
                              int previewsPerClass, quint64 seed);

}  // namespace fts::ui

Q_DECLARE_METATYPE(fts::ui::DatasetSummary)
