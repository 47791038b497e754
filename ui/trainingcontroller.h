#pragma once

#include "uitypes.h"

#include "train/settings.h"

#include <QObject>
#include <QStringList>
#include <QVector>

#include <memory>

class QThread;

namespace fts {
class DataSource;
}

namespace fts::ui {

class TrainingWorker;

/// Runs one training at a time on a dedicated QThread that it owns. The
/// worker on that thread owns the engine Trainer (and through it the model);
/// the engine's observer calls become the queued signals below, carrying
/// value types only. Batch events are thinned to about ten a second (the
/// last batch of an epoch always comes through); epoch events always arrive.
///
/// Lives on the GUI thread. The destructor asks a running training to stop,
/// then quits and waits for the thread (never terminate()).
class TrainingController : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Running, Paused, Stopping };
    Q_ENUM(State)

    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override;

    State state() const { return m_state; }
    /// Running, Paused or Stopping: a run exists and has not finished.
    bool isBusy() const { return m_state != State::Idle; }

    /// Starts a run with these settings. Returns false, and does nothing,
    /// when a run is already in progress (pressing Start twice).
    bool start(const fts::TrainSettings& settings);
    /// As start(), training on sources already opened (tests, generated data).
    bool start(const fts::TrainSettings& settings, std::shared_ptr<const fts::DataSource> train,
               std::shared_ptr<const fts::DataSource> val = nullptr);

    /// Minimum interval between two batchFinished signals (default 100 ms).
    void setBatchSignalInterval(int milliseconds);

public Q_SLOTS:
    void pause();
    void resume();
    /// Honoured within one batch; finished() follows with status "cancelled".
    void stop();

Q_SIGNALS:
    void stateChanged(fts::ui::TrainingController::State state);
    void runStarted(const QStringList& classNames, qint64 trainImages, qint64 valImages);
    void batchFinished(const fts::BatchProgress& progress);
    void epochFinished(const fts::EpochMetrics& metrics);
    /// Predictions on the current training batch, about twice a second.
    void trainingSamples(int epoch, const QVector<fts::ui::PredictionSample>& samples);
    /// Every validation image after each epoch. Thumbnails are set the first
    /// time an item appears in a run, null afterwards.
    void validationPredicted(int epoch, const QVector<fts::ui::PredictionSample>& predictions);
    void filesSkipped(const QVector<fts::SkippedFile>& files);
    void message(const QString& text);
    /// Always the last signal of a run; state() is Idle when it arrives.
    void finished(const fts::RunSummary& summary);

private:
    void setState(State state);
    void onWorkerFinished(const fts::RunSummary& summary);

    QThread* m_thread = nullptr;         // owned (parented to this)
    TrainingWorker* m_worker = nullptr;  // lives on m_thread; deleted on thread finish
    State m_state = State::Idle;
    int m_batchIntervalMs = 100;
};

}  // namespace fts::ui
