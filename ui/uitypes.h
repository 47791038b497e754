#pragma once

// Value types that cross from the training thread to the GUI thread in queued
// signals. Torch-free: moc reads headers that include this one.

#include "data/datasource.h"
#include "train/modeldescription.h"
#include "train/observer.h"

#include <QImage>
#include <QMetaType>
#include <QString>
#include <QVector>

#include <filesystem>

namespace fts::ui {

/// One prediction the gallery shows: a validation image after an epoch, or a
/// training image in the live strip.
struct PredictionSample {
    QString item;  // path or file#record
    int trueLabel = 0;
    int predicted = 0;
    double confidence = 0.0;  // softmax probability of `predicted`
    double loss = 0.0;        // cross-entropy (validation only; 0 in the live strip)
    QVector<int> topIndices;          // up to 5, most probable first (validation only)
    QVector<float> topProbabilities;  // their probabilities
    QImage thumbnail;                 // owns its pixels; may be null (unchanged since last epoch)

    bool correct() const { return trueLabel == predicted; }
};

/// A deep copy of an engine RGB image (QImage::Format_RGB888). Null when empty.
QImage toQImage(const RgbImage& image);
/// A deep copy of a QImage as an engine RGB image (any format, alpha dropped).
RgbImage toRgbImage(const QImage& image);

QString toQString(const std::string& text);  // UTF-8
/// A file-system path from a QString, without a trip through the local 8-bit
/// encoding (non-ASCII paths on Windows).
std::filesystem::path toPath(const QString& text);
std::string toStdString(const QString& text);  // UTF-8
QStringList toQStringList(const std::vector<std::string>& list);

/// Registers the types below for queued connections. Called once by the
/// controller's constructor; safe to call again.
void registerUiTypes();

}  // namespace fts::ui

Q_DECLARE_METATYPE(fts::BatchProgress)
Q_DECLARE_METATYPE(fts::EpochMetrics)
Q_DECLARE_METATYPE(fts::RunSummary)
Q_DECLARE_METATYPE(fts::SkippedFile)
Q_DECLARE_METATYPE(fts::ModelDescription)
Q_DECLARE_METATYPE(fts::ui::PredictionSample)
