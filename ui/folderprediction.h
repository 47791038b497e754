#pragma once

#include "uitypes.h"

#include <QFuture>
#include <QObject>
#include <QStringList>
#include <QVector>

#include <atomic>
#include <memory>

namespace fts::ui {

/// What a folder prediction produced. `samples` have trueLabel -1 for images
/// whose folder names no class of the model ("unlabelled").
struct FolderPredictionResult {
    QString modelDir;        // the run directory or export bundle used
    QStringList folders;     // what was classified
    QStringList classNames;  // the model's classes, in head order
    QVector<PredictionSample> samples;
    QStringList problems;  // "path: reason" for files that could not be read
    int labelled = 0;      // samples with a known true class
    int correct = 0;       // of those, top-1 right
    bool cancelled = false;
    QString error;  // the model could not be loaded; nothing else is set
};

/// Classifies every image under some folders with a run's best weights or an
/// export bundle (engine: export/batchprediction.h), one job at a time on a
/// QtConcurrent worker thread: the GUI thread only receives progress and the
/// result. Lives on the GUI thread; the destructor cancels a running job and
/// waits for it (at most one image).
class FolderPrediction : public QObject {
    Q_OBJECT
public:
    explicit FolderPrediction(QObject* parent = nullptr);
    ~FolderPrediction() override;

    /// Starts a job; false (and nothing happens) while one is running.
    bool start(const QString& modelDir, const QStringList& folders);
    /// Stops after the current image; finished() still comes, with cancelled set.
    void cancel();
    bool isRunning() const;

    static constexpr int kThumbnailSize = 96;  // pixels, longer side, as the engine's samples

Q_SIGNALS:
    /// `done` of `total` images classified (total is known once the folders are scanned).
    void progress(int done, int total);
    void finished(const fts::ui::FolderPredictionResult& result);

private:
    QFuture<FolderPredictionResult> m_future;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

}  // namespace fts::ui

Q_DECLARE_METATYPE(fts::ui::FolderPredictionResult)
