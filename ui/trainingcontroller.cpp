#include "trainingcontroller.h"

#include "trainingworker.h"

#include <QThread>

namespace fts::ui {

TrainingController::TrainingController(QObject* parent)
    : QObject(parent), m_thread(new QThread(this)) {
    registerUiTypes();
    m_thread->setObjectName(QStringLiteral("training"));
    // Started with the first run and kept for the controller's lifetime: one
    // worker per run is moved onto it, so the model of a run is built, used
    // and freed on this one thread.
}

TrainingController::~TrainingController() {
    // Ask a running training to end (within one batch), let the thread's
    // event loop end after run() returns, and wait for it. Queued signals the
    // worker emits meanwhile are dropped with this object's posted events.
    if (m_worker) m_worker->requestStop();
    m_thread->quit();
    m_thread->wait();
    // The training thread has finished, so nothing else can touch the worker
    // (which is still here when its runFinished() was not delivered yet).
    delete m_worker;
    m_worker = nullptr;
}

bool TrainingController::start(const fts::TrainSettings& settings) {
    return start(settings, nullptr, nullptr);
}

bool TrainingController::start(const fts::TrainSettings& settings,
                               std::shared_ptr<const fts::DataSource> train,
                               std::shared_ptr<const fts::DataSource> val) {
    if (isBusy() || m_worker) return false;

    // No parent: a QObject with a parent cannot change threads. Owned by this
    // controller through m_worker until runFinished(), then by deleteLater().
    auto* worker = new TrainingWorker(settings, std::move(train), std::move(val));
    worker->setBatchSignalInterval(m_batchIntervalMs);
    worker->moveToThread(m_thread);

    // The worker emits on the training thread: these connections are queued.
    connect(worker, &TrainingWorker::runStarted, this, &TrainingController::runStarted);
    connect(worker, &TrainingWorker::batchFinished, this, &TrainingController::batchFinished);
    connect(worker, &TrainingWorker::epochFinished, this, &TrainingController::epochFinished);
    connect(worker, &TrainingWorker::trainingSamples, this, &TrainingController::trainingSamples);
    connect(worker, &TrainingWorker::validationPredicted, this,
            &TrainingController::validationPredicted);
    connect(worker, &TrainingWorker::filesSkipped, this, &TrainingController::filesSkipped);
    connect(worker, &TrainingWorker::message, this, &TrainingController::message);
    connect(worker, &TrainingWorker::runFinished, this, &TrainingController::onWorkerFinished);

    m_worker = worker;
    if (!m_thread->isRunning()) m_thread->start();
    setState(State::Running);
    QMetaObject::invokeMethod(worker, &TrainingWorker::run, Qt::QueuedConnection);
    return true;
}

void TrainingController::setBatchSignalInterval(int milliseconds) {
    m_batchIntervalMs = qMax(0, milliseconds);
    if (m_worker) m_worker->setBatchSignalInterval(m_batchIntervalMs);
}

void TrainingController::pause() {
    if (m_state != State::Running || !m_worker) return;
    m_worker->setPaused(true);
    setState(State::Paused);
}

void TrainingController::resume() {
    if (m_state != State::Paused || !m_worker) return;
    m_worker->setPaused(false);
    setState(State::Running);
}

void TrainingController::stop() {
    if (!m_worker || m_state == State::Idle || m_state == State::Stopping) return;
    // The Trainer leaves a pause by itself when asked to stop.
    m_worker->requestStop();
    setState(State::Stopping);
}

void TrainingController::setState(State state) {
    if (m_state == state) return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void TrainingController::onWorkerFinished(const fts::RunSummary& summary) {
    // runFinished() is the worker's last signal, so every earlier signal of the
    // run has been delivered. The worker's thread is idle again: deleteLater()
    // frees it (and the Trainer) there.
    if (m_worker) {
        m_worker->deleteLater();
        m_worker = nullptr;
    }
    setState(State::Idle);
    Q_EMIT finished(summary);
}

}  // namespace fts::ui
