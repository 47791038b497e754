#pragma once

#include "uitypes.h"

#include "export/htmlreport.h"
#include "train/experiment.h"

#include <QObject>
#include <QString>

#include <atomic>

namespace fts::ui {

/// Runs one transfer-learning experiment (fts::Experiment: the strategies
/// trained one after another, then experiment.json and report.html). Created
/// on the GUI thread by the ExperimentRunner, then moved to the runner's
/// thread, where run() executes and every signal below is emitted (so they
/// reach GUI-thread receivers queued). One worker per experiment; the runner
/// deletes it with deleteLater() once experimentFinished() has arrived.
///
/// requestStop() and setBatchSignalInterval() are the only functions that may
/// be called from another thread while run() executes: they never block for
/// longer than the engine's stop request (a mutex held for a pointer swap).
class ExperimentWorker : public QObject {
    Q_OBJECT
public:
    explicit ExperimentWorker(const fts::ExperimentSettings& settings, QObject* parent = nullptr);
    ~ExperimentWorker() override;

    /// Thread-safe: the current run ends within one batch (status cancelled)
    /// and the strategies after it are skipped.
    void requestStop();
    /// Thread-safe: minimum milliseconds between two batchProgress() signals;
    /// 0 lets every batch through. The last batch of an epoch always passes.
    void setBatchSignalInterval(int milliseconds);
    int batchSignalInterval() const { return m_batchIntervalMs.load(); }

public Q_SLOTS:
    /// Trains every strategy (blocking this worker's thread, not the GUI);
    /// call once, queued. experimentFinished() is always its last signal.
    void run();

Q_SIGNALS:
    void strategyStarted(int index, int count, const QString& strategy, const QString& title);
    void epochFinished(const QString& strategy, const fts::EpochMetrics& metrics);
    void batchProgress(const QString& strategy, int epoch, int epochs, int batch, int batches);
    void strategyFinished(int index, int count, const QString& strategy, const QString& status,
                          double bestValAccuracy, double wallSeconds, const QString& error);
    /// status: completed | cancelled | failed. error: why it failed (empty
    /// otherwise; a report that could not be written is mentioned here too).
    void experimentFinished(const QString& status, const QString& experimentDir,
                            const QString& error);

private:
    const QString m_outDir;
    // The report's language, looked up on the GUI thread at construction:
    // the worker thread only reads this copy.
    const fts::ReportLanguage m_reportLanguage;
    fts::Experiment m_experiment;  // requestStop() is thread-safe
    std::atomic<int> m_batchIntervalMs{100};
    bool m_ran = false;  // worker thread only
};

}  // namespace fts::ui
