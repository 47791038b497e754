#include "lrfinderdialog.h"

#include "lrcurveview.h"
#include "uitypes.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace fts::ui {

LrFinderDialog::LrFinderDialog(const fts::TrainSettings& settings,
                               std::shared_ptr<const fts::DataSource> train, QWidget* parent,
                               fts::LrFinderOptions options)
    : QDialog(parent), m_settings(settings), m_train(std::move(train)), m_options(options) {
    setWindowTitle(tr("Find learning rate"));
    auto* intro = new QLabel(
        tr("Trains a copy of the model for %1 batches while the learning rate grows from "
           "%2 to %3, and stops when the loss explodes. A good learning rate lies where the "
           "smoothed loss falls fastest. Nothing is saved.")
            .arg(m_options.steps)
            .arg(m_options.startLr, 0, 'g', 2)
            .arg(m_options.endLr, 0, 'g', 2),
        this);
    intro->setWordWrap(true);
    m_view = new LrCurveView(this);
    m_view->setObjectName(QStringLiteral("lrCurve"));
    m_view->setRange(m_options.startLr, m_options.endLr);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, m_options.steps);
    m_progress->setValue(0);
    m_status = new QLabel(tr("Starting…"), this);
    m_status->setObjectName(QStringLiteral("lrFinderStatus"));
    m_status->setWordWrap(true);

    auto* buttons = new QDialogButtonBox(this);
    m_use = buttons->addButton(tr("Use this value"), QDialogButtonBox::AcceptRole);
    m_use->setObjectName(QStringLiteral("useLearningRate"));
    m_use->setEnabled(false);
    m_cancel = buttons->addButton(tr("Cancel"), QDialogButtonBox::RejectRole);
    m_cancel->setObjectName(QStringLiteral("cancelLrFinder"));
    connect(m_use, &QPushButton::clicked, this, [this] {
        Q_EMIT learningRateChosen(m_result.suggestedLr);
        accept();
    });
    // While running, Cancel stops the test (the curve so far stays); after, it closes.
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (isRunning())
            cancel();
        else
            reject();
    });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(&m_watcher, &QFutureWatcherBase::finished, this,
            [this] { onFinished(m_watcher.result()); });
}

LrFinderDialog::~LrFinderDialog() {
    // The worker uses m_finder until its current batch ends.
    if (m_finder) m_finder->requestStop();
    m_watcher.waitForFinished();
}

bool LrFinderDialog::isRunning() const {
    return m_finder && m_watcher.isRunning();
}

void LrFinderDialog::start() {
    if (m_finder) return;
    m_finder = std::make_shared<fts::LrFinder>(m_settings, m_options);
    if (m_train) m_finder->setDataSource(m_train);
    m_status->setText(tr("Running…"));
    QPointer<LrFinderDialog> self(this);
    m_watcher.setFuture(QtConcurrent::run([finder = m_finder, self]() {
        Outcome outcome;
        try {
            outcome.result = finder->run([self](const fts::LrPoint& p, int step, int steps) {
                // Queued to the GUI thread; dropped once the dialog is gone.
                QMetaObject::invokeMethod(
                    self.data(),
                    [self, p, step, steps] {
                        if (self) self->onPoint(p, step, steps);
                    },
                    Qt::QueuedConnection);
            });
        } catch (const std::exception& e) {
            outcome.error = toQString(e.what());
        }
        return outcome;
    }));
}

void LrFinderDialog::cancel() {
    if (!isRunning()) return;
    m_finder->requestStop();
    m_cancel->setEnabled(false);
    m_status->setText(tr("Stopping after this batch…"));
}

void LrFinderDialog::onPoint(const fts::LrPoint& point, int step, int steps) {
    if (m_hasResult) return;
    m_points.push_back(point);
    m_progress->setMaximum(steps);
    m_progress->setValue(step);
    m_view->setPoints(m_points);
    m_status->setText(tr("Step %1 of %2: learning rate %3, loss %4")
                          .arg(step)
                          .arg(steps)
                          .arg(point.lr, 0, 'g', 3)
                          .arg(point.smoothed, 0, 'f', 4));
}

void LrFinderDialog::onFinished(const Outcome& outcome) {
    m_cancel->setEnabled(true);
    m_cancel->setText(tr("Close"));
    if (!outcome.error.isEmpty()) {
        m_status->setText(tr("The learning-rate test failed: %1").arg(outcome.error));
        Q_EMIT finished();
        return;
    }
    m_result = outcome.result;
    m_hasResult = true;
    m_points = m_result.points;
    m_view->setPoints(m_points);
    m_progress->setValue(m_progress->maximum());
    if (m_result.points.empty() || m_result.suggestedLr <= 0.0) {
        m_status->setText(tr("Too few steps to suggest a learning rate."));
        Q_EMIT finished();
        return;
    }
    m_view->setSuggestion(m_result.suggestedLr);
    const QString how = m_result.method == "steepest descent"
                            ? tr("where the smoothed loss falls fastest")
                            : tr("a tenth of the learning rate with the lowest loss");
    QString text = tr("Suggested learning rate: <b>%1</b> (%2).")
                       .arg(m_result.suggestedLr, 0, 'g', 2)
                       .arg(how);
    if (m_result.cancelled) text += QLatin1Char(' ') + tr("Cancelled early: the curve is partial.");
    m_status->setText(text);
    m_use->setEnabled(true);
    m_use->setDefault(true);
    Q_EMIT finished();
}

}  // namespace fts::ui
