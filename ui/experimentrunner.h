#pragma once

#include "uitypes.h"

#include "train/experiment.h"

#include <QObject>
#include <QString>

class QThread;

namespace fts::ui {

class ExperimentWorker;

/// Runs one transfer-learning experiment at a time (fts::Experiment: head
/// only, last block + head, everything, from scratch, one after another) on a
/// dedicated QThread that it owns. The worker on that thread owns the engine
/// Experiment (and through it each run's Trainer and model); the engine's
/// observer calls become the queued signals below, carrying value types only.
/// Batch signals are thinned to about ten a second (the last batch of an
/// epoch always comes through); every other signal always arrives.
///
/// When the strategies are done, the worker also writes report.html into the
/// experiment folder (as `finetune-cli experiment` does), then finished().
///
/// Lives on the GUI thread. The destructor asks a running experiment to stop,
/// then quits and waits for the thread (never terminate()).
class ExperimentRunner : public QObject {
    Q_OBJECT
public:
    explicit ExperimentRunner(QObject* parent = nullptr);
    ~ExperimentRunner() override;

    /// Starts the experiment (settings.outDir is the experiment folder; the
    /// runs go to outDir/<strategy>/). Returns false, and does nothing, when
    /// one is already in progress.
    bool start(const fts::ExperimentSettings& settings);
    /// An experiment was started and finished() has not arrived yet.
    bool isBusy() const { return m_worker != nullptr; }
    /// stop() was called for the experiment in progress.
    bool isStopping() const { return m_stopping; }

    /// Minimum interval between two batchProgress signals (default 100 ms).
    void setBatchSignalInterval(int milliseconds);

public Q_SLOTS:
    /// The current run ends within one batch (status cancelled), the rest are
    /// skipped; finished() follows with status "cancelled".
    void stop();

Q_SIGNALS:
    /// index is 0-based among the `count` strategies chosen; title is the
    /// engine's English title (experimentStrategyTitle()).
    void strategyStarted(int index, int count, const QString& strategy, const QString& title);
    void epochFinished(const QString& strategy, const fts::EpochMetrics& metrics);
    void batchProgress(const QString& strategy, int epoch, int epochs, int batch, int batches);
    /// status: completed | cancelled | failed (the run's RunSummary);
    /// bestValAccuracy in 0..1; wallSeconds of the run.
    void strategyFinished(int index, int count, const QString& strategy, const QString& status,
                          double bestValAccuracy, double wallSeconds, const QString& error);
    /// Always the last signal of an experiment; isBusy() is false when it
    /// arrives. status: completed | cancelled | failed (a run failed, or the
    /// experiment could not be set up: error says why).
    void finished(const QString& status, const QString& experimentDir, const QString& error);

private:
    void onWorkerFinished(const QString& status, const QString& experimentDir,
                          const QString& error);

    QThread* m_thread = nullptr;           // owned (parented to this)
    ExperimentWorker* m_worker = nullptr;  // lives on m_thread; deleted on its thread when done
    bool m_stopping = false;
    int m_batchIntervalMs = 100;
};

}  // namespace fts::ui
