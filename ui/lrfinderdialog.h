#pragma once

#include "train/lrfinder.h"
#include "train/settings.h"

#include <QDialog>
#include <QFutureWatcher>

#include <memory>
#include <vector>

class QLabel;
class QProgressBar;
class QPushButton;

namespace fts {
class DataSource;
}

namespace fts::ui {

class LrCurveView;

/// "Find learning rate…": runs the range test (fts::LrFinder) on a
/// QtConcurrent worker with a progress bar and Cancel, plots the loss
/// against the learning rate (log axis), marks the suggestion, and "Use this
/// value" emits learningRateChosen(). Lives on the GUI thread; the finder
/// lives on the worker (only requestStop() crosses). Closing the dialog stops
/// the test and waits for the current batch.
class LrFinderDialog : public QDialog {
    Q_OBJECT
public:
    LrFinderDialog(const fts::TrainSettings& settings, std::shared_ptr<const fts::DataSource> train,
                   QWidget* parent = nullptr, fts::LrFinderOptions options = {});
    ~LrFinderDialog() override;

    /// Starts the test (once).
    void start();
    bool isRunning() const;
    /// The recorded curve so far, and the result once finished.
    const std::vector<fts::LrPoint>& points() const { return m_points; }
    const fts::LrFinderResult& result() const { return m_result; }
    bool hasResult() const { return m_hasResult; }

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    /// The test ended (finished, diverged, cancelled or failed).
    void finished();
    void learningRateChosen(double lr);

private:
    struct Outcome {
        fts::LrFinderResult result;
        QString error;
    };
    void onPoint(const fts::LrPoint& point, int step, int steps);
    void onFinished(const Outcome& outcome);

    fts::TrainSettings m_settings;
    std::shared_ptr<const fts::DataSource> m_train;
    fts::LrFinderOptions m_options;
    std::shared_ptr<fts::LrFinder> m_finder;
    QFutureWatcher<Outcome> m_watcher;
    std::vector<fts::LrPoint> m_points;
    fts::LrFinderResult m_result;
    bool m_hasResult = false;
    LrCurveView* m_view = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_use = nullptr;
};

}  // namespace fts::ui
