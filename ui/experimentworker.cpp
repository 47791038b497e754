#include "experimentworker.h"

#include "reportwriter.h"

#include "export/htmlreport.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <exception>

namespace fts::ui {
namespace {

QString translate(const char* text) {
    return QCoreApplication::translate("fts::ui::ExperimentWorker", text);
}

/// Turns the experiment's and its runs' observer calls into the worker's
/// signals. Called on the experiment's thread only (the one running
/// ExperimentWorker::run()). Validation thumbnails are not asked for: the
/// dialog shows accuracies, and the report reads the run directories.
class SignalObserver final : public fts::ExperimentObserver, public fts::TrainObserver {
public:
    explicit SignalObserver(ExperimentWorker& worker) : m_worker(worker) {}

    // ExperimentObserver
    void strategyStarted(int index, int count, const std::string& strategy,
                         const fts::TrainSettings& /*settings*/) override {
        m_strategy = toQString(strategy);
        m_sinceBatch.invalidate();
        Q_EMIT m_worker.strategyStarted(index, count, m_strategy,
                                        toQString(fts::experimentStrategyTitle(strategy)));
    }
    void strategyFinished(int index, int count, const fts::StrategyResult& r) override {
        Q_EMIT m_worker.strategyFinished(index, count, toQString(r.strategy),
                                         toQString(r.summary.status), r.summary.bestValAccuracy,
                                         r.summary.wallSeconds, toQString(r.summary.error));
        if (r.summary.status == "failed")
            m_errors << QStringLiteral("%1: %2").arg(toQString(r.strategy),
                                                     toQString(r.summary.error));
    }
    fts::TrainObserver* runObserver() override { return this; }

    // TrainObserver
    void batchFinished(const fts::BatchProgress& p) override {
        // Thinned so that a fast model cannot flood the GUI's event queue.
        const bool lastOfEpoch = p.batch >= p.batches;
        const int interval = m_worker.batchSignalInterval();
        if (!lastOfEpoch && m_sinceBatch.isValid() && m_sinceBatch.elapsed() < interval) return;
        m_sinceBatch.start();
        Q_EMIT m_worker.batchProgress(m_strategy, p.epoch, p.epochs, p.batch, p.batches);
    }
    void epochFinished(const fts::EpochMetrics& metrics) override {
        fts::EpochMetrics copy = metrics;
        copy.perClass.clear();  // not shown; keeps the queued copy small
        Q_EMIT m_worker.epochFinished(m_strategy, copy);
    }

    QStringList m_errors;  // "strategy: reason" of each failed run

private:
    ExperimentWorker& m_worker;
    QString m_strategy;          // the run in progress
    QElapsedTimer m_sinceBatch;  // since the last batchProgress; invalid before a run's first
};

}  // namespace

ExperimentWorker::ExperimentWorker(const fts::ExperimentSettings& settings, QObject* parent)
    : QObject(parent),
      m_outDir(toQString(settings.outDir)),
      m_reportLanguage(currentReportLanguage()),
      m_experiment(settings) {}

ExperimentWorker::~ExperimentWorker() = default;

void ExperimentWorker::requestStop() {
    m_experiment.requestStop();
}

void ExperimentWorker::setBatchSignalInterval(int milliseconds) {
    m_batchIntervalMs.store(qMax(0, milliseconds));
}

void ExperimentWorker::run() {
    if (m_ran) return;  // one experiment per worker: its stop flag is never reset
    m_ran = true;
    QString status = QStringLiteral("failed");
    QString error;
    bool wroteJson = false;
    try {
        SignalObserver observer(*this);
        const fts::ExperimentResult result = m_experiment.run(&observer);
        status = toQString(result.status);
        error = observer.m_errors.join(QLatin1Char('\n'));
        wroteJson = true;
    } catch (const std::exception& e) {
        // A strategy could not be set up (unknown model), or experiment.json
        // could not be written: nothing to report on.
        error = QString::fromUtf8(e.what());
    }
    if (wroteJson) {
        // The report for the class, as `finetune-cli experiment` writes it;
        // it decodes thumbnails, so it is made here and not on the GUI thread.
        try {
            const auto dir = toPath(m_outDir);
            fts::writeExperimentReport(dir, dir / "report.html", m_reportLanguage);
        } catch (const std::exception& e) {
            const QString why =
                translate("The report could not be written: %1").arg(QString::fromUtf8(e.what()));
            error = error.isEmpty() ? why : error + QLatin1Char('\n') + why;
        }
    }
    Q_EMIT experimentFinished(status, m_outDir, error);
}

}  // namespace fts::ui
