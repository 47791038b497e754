#pragma once

#include "uitypes.h"

#include "train/settings.h"

#include <QObject>
#include <QStringList>
#include <QVector>

#include <atomic>
#include <memory>

namespace fts {
class DataSource;
class Trainer;
}  // namespace fts

namespace fts::ui {

/// Runs one training: owns the engine Trainer (and, while run() executes, the
/// model and the loaders through it). Created on the GUI thread by the
/// TrainingController, then moved to the controller's training thread, where
/// run() executes and every signal below is emitted (so they reach GUI-thread
/// receivers queued). One worker per run; the controller deletes it with
/// deleteLater() once runFinished() has arrived.
///
/// requestStop(), setPaused() and setBatchSignalInterval() are the only
/// functions that may be called from another thread while run() executes:
/// they touch atomics only and never block.
class TrainingWorker : public QObject {
    Q_OBJECT
public:
    /// `train` may be null: the Trainer then opens settings.dataPath /
    /// settings.valPath itself. `val` null with a `train` source: split by
    /// settings.valSplit.
    TrainingWorker(const fts::TrainSettings& settings,
                   std::shared_ptr<const fts::DataSource> train = nullptr,
                   std::shared_ptr<const fts::DataSource> val = nullptr, QObject* parent = nullptr);
    ~TrainingWorker() override;

    /// Thread-safe: the Trainer honours it within one batch.
    void requestStop();
    /// Thread-safe: the Trainer waits before its next batch while paused.
    void setPaused(bool paused);
    /// Thread-safe: minimum milliseconds between two batchFinished() signals;
    /// 0 lets every batch through. The last batch of an epoch always passes.
    void setBatchSignalInterval(int milliseconds);
    int batchSignalInterval() const { return m_batchIntervalMs.load(); }

public Q_SLOTS:
    /// Trains to the end (blocking this worker's thread, not the GUI); call
    /// once, queued. runFinished() is always the last signal it emits.
    void run();

Q_SIGNALS:
    void runStarted(const QStringList& classNames, qint64 trainImages, qint64 valImages);
    void batchFinished(const fts::BatchProgress& progress);
    void epochFinished(const fts::EpochMetrics& metrics);
    void trainingSamples(int epoch, const QVector<fts::ui::PredictionSample>& samples);
    void validationPredicted(int epoch, const QVector<fts::ui::PredictionSample>& predictions);
    void filesSkipped(const QVector<fts::SkippedFile>& files);
    void message(const QString& text);
    void runFinished(const fts::RunSummary& summary);

private:
    // Never reset while this worker exists, so requestStop() / setPaused()
    // from the GUI thread always reach a live Trainer.
    const std::unique_ptr<fts::Trainer> m_trainer;
    std::atomic<int> m_batchIntervalMs{100};
    bool m_ran = false;  // worker thread only
};

}  // namespace fts::ui
