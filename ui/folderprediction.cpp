#include "folderprediction.h"

#include "export/batchprediction.h"

#include <QDir>
#include <QFutureWatcher>
#include <QPointer>
#include <QtConcurrent/QtConcurrent>

namespace fts::ui {
namespace {

// Runs on the worker thread. `report` posts progress to the GUI thread.
FolderPredictionResult classify(const QString& modelDir, const QStringList& folders,
                                const std::shared_ptr<std::atomic<bool>>& cancel,
                                const std::function<void(int, int)>& report) {
    FolderPredictionResult r;
    r.modelDir = modelDir;
    r.folders = folders;
    try {
        const BatchPredictor predictor(toPath(modelDir));
        r.classNames = toQStringList(predictor.classes());
        std::vector<std::filesystem::path> paths;
        for (const auto& f : folders) paths.push_back(toPath(f));
        const ImageCollection found = collectImagesToPredict(paths, predictor.classes());
        for (const auto& s : found.skipped)
            r.problems << QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(toQString(s.path)),
                                                       toQString(s.reason));
        const int total = int(found.images.size());
        const int topk = std::min(5, int(predictor.classes().size()));
        report(0, total);
        for (int i = 0; i < total; ++i) {
            if (cancel->load()) {
                r.cancelled = true;
                break;
            }
            const BatchItem item = predictor.predict(found.images[std::size_t(i)], topk,
                                                     FolderPrediction::kThumbnailSize);
            report(i + 1, total);
            if (!item.ok()) {
                r.problems << toQString(item.error);
                continue;
            }
            PredictionSample s;
            s.item = toQString(item.path);
            s.trueLabel = item.trueIndex;
            s.predicted = item.top.front().index;
            s.confidence = item.top.front().probability;
            for (const auto& c : item.top) {
                s.topIndices << c.index;
                s.topProbabilities << float(c.probability);
            }
            s.thumbnail = toQImage(item.thumbnail);
            if (s.trueLabel >= 0) {
                ++r.labelled;
                r.correct += s.trueLabel == s.predicted;
            }
            r.samples << s;
        }
    } catch (const std::exception& e) {
        r = FolderPredictionResult();
        r.modelDir = modelDir;
        r.folders = folders;
        r.error = toQString(e.what());
    }
    return r;
}

}  // namespace

FolderPrediction::FolderPrediction(QObject* parent) : QObject(parent) {
    qRegisterMetaType<FolderPredictionResult>();
}

FolderPrediction::~FolderPrediction() {
    cancel();
    m_future.waitForFinished();
}

bool FolderPrediction::isRunning() const {
    return m_future.isRunning();
}

void FolderPrediction::cancel() {
    if (m_cancel) m_cancel->store(true);
}

bool FolderPrediction::start(const QString& modelDir, const QStringList& folders) {
    if (isRunning()) return false;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    // Progress crosses to the GUI thread as queued calls; they are dropped
    // when this object is gone (the destructor waits for the job first).
    QPointer<FolderPrediction> self(this);
    auto report = [self](int done, int total) {
        QMetaObject::invokeMethod(
            self.data(),
            [self, done, total] {
                if (self) Q_EMIT self->progress(done, total);
            },
            Qt::QueuedConnection);
    };
    auto* watcher = new QFutureWatcher<FolderPredictionResult>(this);
    connect(watcher, &QFutureWatcher<FolderPredictionResult>::finished, this, [this, watcher] {
        const FolderPredictionResult result = watcher->result();
        watcher->deleteLater();
        Q_EMIT finished(result);
    });
    m_future = QtConcurrent::run(classify, modelDir, folders, m_cancel,
                                 std::function<void(int, int)>(report));
    watcher->setFuture(m_future);
    return true;
}

}  // namespace fts::ui
