#include "downloaddialog.h"

#include "uitypes.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFutureWatcher>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace fts::ui {

DownloadDialog::DownloadDialog(const fts::ZooEntry& entry, QWidget* parent)
    : QDialog(parent),
      m_entry(entry),
      m_cancelRequested(std::make_shared<std::atomic<bool>>(false)) {
    setWindowTitle(tr("Download ImageNet weights"));
    const QString name = entry.arch.empty() ? toQString(entry.fileName) : toQString(entry.arch);
    m_what = new QLabel(
        tr("Downloading the ImageNet weights of %1 from %2 into %3.")
            .arg(name, toQString(entry.url),
                 QDir::toNativeSeparators(toQString(fts::torchHubCheckpointDir().string()))),
        this);
    m_what->setWordWrap(true);
    m_what->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 0);  // busy until the size is known
    m_bytes = new QLabel(this);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_buttons = new QDialogButtonBox(this);
    m_cancel = m_buttons->addButton(QDialogButtonBox::Cancel);
    // Joins the buttons only after a failure (QDialogButtonBox shows what it holds).
    m_loadFromFile = new QPushButton(tr("Load from file\u2026"), this);
    m_loadFromFile->setToolTip(tr("Choose a weights file you already have."));
    m_loadFromFile->setVisible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_what);
    layout->addWidget(m_progress);
    layout->addWidget(m_bytes);
    layout->addWidget(m_status);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    setMinimumWidth(480);

    m_watcher = new QFutureWatcher<Result>(this);
    connect(m_watcher, &QFutureWatcher<Result>::finished, this, &DownloadDialog::onFinished);
    connect(m_cancel, &QPushButton::clicked, this, &DownloadDialog::onCancelClicked);
    connect(m_loadFromFile, &QPushButton::clicked, this, [this] {
        Q_EMIT loadFromFileRequested();
        accept();
    });
}

DownloadDialog::~DownloadDialog() {
    // The worker posts progress to this object: it must end first.
    m_cancelRequested->store(true);
    m_watcher->waitForFinished();
}

bool DownloadDialog::isRunning() const {
    return m_watcher->isRunning();
}

void DownloadDialog::start() {
    if (m_started) return;
    m_started = true;
    const fts::ZooEntry entry = m_entry;
    const auto cancelFlag = m_cancelRequested;
    m_watcher->setFuture(QtConcurrent::run([this, entry, cancelFlag]() {
        // Pool thread: only the queued calls below touch the dialog.
        Result r;
        try {
            const auto file = fts::fetchWeights(
                entry,
                [this](const fts::ZooProgress& p) {
                    QMetaObject::invokeMethod(
                        this,
                        [this, stage = int(p.stage), received = qint64(p.received),
                         total = qint64(p.total)] { onProgress(stage, received, total); },
                        Qt::QueuedConnection);
                },
                cancelFlag.get());
            if (file.empty())
                r.cancelled = true;
            else
                r.file = toQString(file.string());
        } catch (const fts::DownloadError& e) {
            r.error = toQString(e.what());
            r.offline = e.kind() == fts::DownloadError::Kind::Network ||
                        e.kind() == fts::DownloadError::Kind::Http;
        } catch (const std::exception& e) {
            r.error = toQString(e.what());
        }
        return r;
    }));
}

void DownloadDialog::cancel() {
    if (!isRunning()) return;
    m_cancelRequested->store(true);
    m_status->setText(tr("Cancelling\u2026"));
    m_cancel->setEnabled(false);
}

void DownloadDialog::onCancelClicked() {
    if (isRunning())
        cancel();
    else
        reject();
}

void DownloadDialog::onProgress(int stage, qint64 received, qint64 total) {
    const QLocale locale;
    switch (static_cast<fts::ZooProgress::Stage>(stage)) {
        case fts::ZooProgress::Stage::Checking:
            m_status->setText(tr("Looking for the file in the cache\u2026"));
            return;
        case fts::ZooProgress::Stage::Verifying:
            m_status->setText(tr("Checking the file's SHA-256\u2026"));
            m_progress->setRange(0, 1000);
            m_progress->setValue(1000);
            return;
        case fts::ZooProgress::Stage::Downloading:
            break;
    }
    if (!m_cancelRequested->load()) m_status->setText(tr("Downloading\u2026"));
    if (total > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(received * 1000 / total));
        m_bytes->setText(
            tr("%1 of %2")
                .arg(locale.formattedDataSize(received), locale.formattedDataSize(total)));
    } else {
        m_progress->setRange(0, 0);
        m_bytes->setText(locale.formattedDataSize(received));
    }
    Q_EMIT progressChanged(received, total);
}

void DownloadDialog::onFinished() {
    const Result r = m_watcher->result();
    m_cancel->setEnabled(true);
    if (!r.file.isEmpty()) {
        m_file = r.file;
        m_status->setText(tr("Done: %1").arg(QDir::toNativeSeparators(r.file)));
        Q_EMIT downloadFinished(r.file);
        accept();
        return;
    }
    if (r.cancelled) {
        m_status->setText(tr("Cancelled; the next download resumes where this one stopped."));
        Q_EMIT downloadCancelled();
        reject();
        return;
    }
    m_error = r.error;
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_status->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_status->setText(r.offline ? tr("%1\nWithout a network, choose a weights file you already "
                                     "have with \u201cLoad from file\u2026\u201d.")
                                      .arg(r.error)
                                : r.error);
    m_buttons->addButton(m_loadFromFile, QDialogButtonBox::ActionRole);
    m_loadFromFile->setVisible(true);
    m_cancel->setText(tr("Close"));
    Q_EMIT downloadFailed(r.error, r.offline);
}

}  // namespace fts::ui
