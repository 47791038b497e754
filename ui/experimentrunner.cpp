#include "experimentrunner.h"

#include "experimentworker.h"

#include <QThread>

namespace fts::ui {

ExperimentRunner::ExperimentRunner(QObject* parent) : QObject(parent), m_thread(new QThread(this)) {
    registerUiTypes();
    m_thread->setObjectName(QStringLiteral("experiment"));
    // Started with the first experiment and kept for the runner's lifetime:
    // each experiment's worker is moved onto it, so every model is built, used
    // and freed on this one thread.
}

ExperimentRunner::~ExperimentRunner() {
    // Ask a running experiment to end (within one batch), let the thread's
    // event loop end after run() returns, and wait for it. Queued signals the
    // worker emits meanwhile are dropped with this object's posted events.
    if (m_worker) m_worker->requestStop();
    m_thread->quit();
    m_thread->wait();
    // The thread has finished, so nothing else can touch the worker.
    delete m_worker;
    m_worker = nullptr;
}

bool ExperimentRunner::start(const fts::ExperimentSettings& settings) {
    if (isBusy()) return false;

    // No parent: a QObject with a parent cannot change threads. Owned by this
    // runner through m_worker until its last signal, then by deleteLater().
    auto* worker = new ExperimentWorker(settings);
    worker->setBatchSignalInterval(m_batchIntervalMs);
    worker->moveToThread(m_thread);

    // The worker emits on the experiment thread: these connections are queued.
    connect(worker, &ExperimentWorker::strategyStarted, this, &ExperimentRunner::strategyStarted);
    connect(worker, &ExperimentWorker::epochFinished, this, &ExperimentRunner::epochFinished);
    connect(worker, &ExperimentWorker::batchProgress, this, &ExperimentRunner::batchProgress);
    connect(worker, &ExperimentWorker::strategyFinished, this, &ExperimentRunner::strategyFinished);
    connect(worker, &ExperimentWorker::experimentFinished, this,
            &ExperimentRunner::onWorkerFinished);

    m_worker = worker;
    m_stopping = false;
    if (!m_thread->isRunning()) m_thread->start();
    QMetaObject::invokeMethod(worker, &ExperimentWorker::run, Qt::QueuedConnection);
    return true;
}

void ExperimentRunner::setBatchSignalInterval(int milliseconds) {
    m_batchIntervalMs = qMax(0, milliseconds);
    if (m_worker) m_worker->setBatchSignalInterval(m_batchIntervalMs);
}

void ExperimentRunner::stop() {
    if (!m_worker || m_stopping) return;
    m_stopping = true;
    m_worker->requestStop();
}

void ExperimentRunner::onWorkerFinished(const QString& status, const QString& experimentDir,
                                        const QString& error) {
    // experimentFinished() is the worker's last signal, so every earlier one
    // has been delivered. The worker's thread is idle again: deleteLater()
    // frees it (and the Experiment) there.
    if (m_worker) {
        m_worker->deleteLater();
        m_worker = nullptr;
    }
    m_stopping = false;
    Q_EMIT finished(status, experimentDir, error);
}

}  // namespace fts::ui
