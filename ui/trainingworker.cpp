#include "trainingworker.h"

#include "train/trainer.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <exception>

namespace fts::ui {
namespace {

PredictionSample toSample(const fts::SamplePrediction& p) {
    PredictionSample s;
    s.item = toQString(p.item);
    s.trueLabel = p.trueLabel;
    s.predicted = p.predicted;
    s.confidence = p.confidence;
    s.thumbnail = toQImage(p.thumbnail);
    return s;
}

PredictionSample toSample(const fts::ValidationPrediction& p) {
    PredictionSample s;
    s.item = toQString(p.item);
    s.trueLabel = p.trueLabel;
    s.predicted = p.predicted;
    s.confidence = p.confidence;
    s.loss = p.loss;
    s.topIndices = QVector<int>(p.topIndices.begin(), p.topIndices.end());
    s.topProbabilities = QVector<float>(p.topProbabilities.begin(), p.topProbabilities.end());
    s.thumbnail = toQImage(p.thumbnail);
    return s;
}

/// Turns the engine's observer calls into the worker's signals. Called on the
/// training thread only (the one running TrainingWorker::run()); converts to
/// Qt value types there, so the GUI thread receives images that own their
/// pixels. finished() is ignored: the worker reports the summary that
/// Trainer::run() returns, exactly once, after run() is over.
class SignalObserver final : public fts::TrainObserver {
public:
    explicit SignalObserver(TrainingWorker& worker) : m_worker(worker) {}

    void runStarted(const std::vector<std::string>& classNames, std::size_t trainImages,
                    std::size_t valImages) override {
        Q_EMIT m_worker.runStarted(toQStringList(classNames), qint64(trainImages),
                                   qint64(valImages));
    }

    void batchFinished(const fts::BatchProgress& progress) override {
        // Thinned so that a fast model cannot flood the GUI's event queue; the
        // last batch of an epoch always passes, so charts end each epoch exactly.
        const bool lastOfEpoch = progress.batch >= progress.batches;
        const int interval = m_worker.batchSignalInterval();
        if (!lastOfEpoch && m_sinceBatch.isValid() && m_sinceBatch.elapsed() < interval) return;
        m_sinceBatch.start();
        Q_EMIT m_worker.batchFinished(progress);
    }

    void epochFinished(const fts::EpochMetrics& metrics) override {
        Q_EMIT m_worker.epochFinished(metrics);
    }

    bool wantsValidationPredictions() const override { return true; }

    void validationPredicted(int epoch,
                             const std::vector<fts::ValidationPrediction>& rows) override {
        QVector<PredictionSample> out;
        out.reserve(qsizetype(rows.size()));
        for (const auto& row : rows) out.push_back(toSample(row));
        Q_EMIT m_worker.validationPredicted(epoch, out);
    }

    void trainingSamples(int epoch, int /*batch*/,
                         const std::vector<fts::SamplePrediction>& samples) override {
        QVector<PredictionSample> out;
        out.reserve(qsizetype(samples.size()));
        for (const auto& sample : samples) out.push_back(toSample(sample));
        Q_EMIT m_worker.trainingSamples(epoch, out);
    }

    void filesSkipped(const std::vector<fts::SkippedFile>& files) override {
        Q_EMIT m_worker.filesSkipped(QVector<fts::SkippedFile>(files.begin(), files.end()));
    }

    void message(const std::string& text) override { Q_EMIT m_worker.message(toQString(text)); }

private:
    TrainingWorker& m_worker;
    QElapsedTimer m_sinceBatch;  // since the last batchFinished signal; invalid before the first
};

}  // namespace

TrainingWorker::TrainingWorker(const fts::TrainSettings& settings,
                               std::shared_ptr<const fts::DataSource> train,
                               std::shared_ptr<const fts::DataSource> val, QObject* parent)
    : QObject(parent), m_trainer(std::make_unique<fts::Trainer>(settings)) {
    // The Trainer only stores the settings and sources here; the model and
    // everything else of the run are made on the thread that calls run().
    if (train) m_trainer->setDataSources(std::move(train), std::move(val));
}

TrainingWorker::~TrainingWorker() = default;

void TrainingWorker::requestStop() {
    m_trainer->requestStop();
}

void TrainingWorker::setPaused(bool paused) {
    m_trainer->setPaused(paused);
}

void TrainingWorker::setBatchSignalInterval(int milliseconds) {
    m_batchIntervalMs.store(qMax(0, milliseconds));
}

void TrainingWorker::run() {
    if (m_ran) return;  // one run per worker: the Trainer's stop flag is not reset
    m_ran = true;
    fts::RunSummary summary;
    try {
        SignalObserver observer(*this);
        summary = m_trainer->run(&observer);
    } catch (const std::exception& e) {
        // Trainer::run() does not throw; this is the observer's own failure
        // (e.g. out of memory while copying thumbnails).
        summary.status = "failed";
        summary.error = toStdString(
            QCoreApplication::translate("fts::ui::TrainingWorker",
                                        "Training stopped because of an internal error: %1")
                .arg(QString::fromUtf8(e.what())));
    }
    Q_EMIT runFinished(summary);
}

}  // namespace fts::ui
