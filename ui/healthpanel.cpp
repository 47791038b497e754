#include "healthpanel.h"

#include "data/datasource.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QPixmap>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace fts::ui {
namespace {

constexpr int kThumbSize = 64;      // pixels, the longer side
constexpr int kMaxThumbnails = 48;  // decoded per selected finding; the rest are listed
constexpr int kWarningRole = Qt::UserRole + 1;

QString fromUtf8(const std::string& s) {
    return QString::fromUtf8(s.data(), int(s.size()));
}

// The file behind an item name: "/data/a.gz#12" -> "/data/a.gz".
QString itemFile(const QString& item) {
    const int hash = item.lastIndexOf(QLatin1Char('#'));
    if (hash > 0 && !QFileInfo::exists(item)) return item.left(hash);
    return item;
}

QImage toQImage(const fts::RgbImage& img) {
    if (img.empty()) return {};
    QImage q(img.pixels.data(), img.width, img.height, img.width * 3, QImage::Format_RGB888);
    return q.scaled(kThumbSize, kThumbSize, Qt::KeepAspectRatio, Qt::SmoothTransformation)
        .copy();  // owns its pixels once the RgbImage is gone
}

}  // namespace

HealthPanel::HealthPanel(QWidget* parent) : QWidget(parent) {
    m_check = new QPushButton(tr("Check dataset"), this);
    m_check->setToolTip(
        tr("Look for unreadable files, imbalanced or tiny classes, and duplicate images within "
           "and across the training and validation data."));
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_progress = new QProgressBar(this);
    m_progress->setTextVisible(true);
    m_summary = new QLabel(tr("Not checked yet."), this);
    m_summary->setWordWrap(true);

    m_warnings = new QTreeWidget(this);
    m_warnings->setColumnCount(2);
    m_warnings->setHeaderLabels({tr("Finding"), tr("Details")});
    m_warnings->setRootIsDecorated(false);
    m_warnings->setUniformRowHeights(true);
    m_warnings->setAlternatingRowColors(true);
    m_warnings->setWordWrap(true);
    m_warnings->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_warnings->header()->setStretchLastSection(true);

    m_files = new QListWidget(this);
    m_files->setIconSize(QSize(kThumbSize, kThumbSize));
    m_files->setUniformItemSizes(true);
    m_files->setSelectionMode(QAbstractItemView::SingleSelection);
    m_files->setToolTip(tr("The files of the selected finding."));
    m_openFolder = new QPushButton(tr("Open folder"), this);
    m_openFolder->setToolTip(tr("Show the selected file's folder in the file manager."));

    auto* top = new QHBoxLayout;
    top->addWidget(m_check);
    top->addWidget(m_cancelButton);
    top->addWidget(m_progress, 1);

    auto* filesPage = new QWidget(this);
    auto* filesLayout = new QVBoxLayout(filesPage);
    filesLayout->setContentsMargins(0, 0, 0, 0);
    filesLayout->addWidget(m_files);
    auto* filesButtons = new QHBoxLayout;
    filesButtons->addStretch();
    filesButtons->addWidget(m_openFolder);
    filesLayout->addLayout(filesButtons);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_warnings);
    splitter->addWidget(filesPage);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);

    connect(m_check, &QPushButton::clicked, this, &HealthPanel::startCheck);
    connect(m_cancelButton, &QPushButton::clicked, this, &HealthPanel::cancelCheck);
    connect(m_warnings, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem* item) { showFiles(item); });
    connect(m_files, &QListWidget::currentRowChanged, this, [this] { updateButtons(); });
    connect(m_files, &QListWidget::itemActivated, this, [this] { openFolder(); });
    connect(m_openFolder, &QPushButton::clicked, this, &HealthPanel::openFolder);
    updateButtons();
}

HealthPanel::~HealthPanel() {
    if (m_cancel) m_cancel->store(true);
    // The workers hold shared sources but post to this object: wait for them.
    for (auto* watcher : findChildren<QFutureWatcherBase*>()) watcher->waitForFinished();
}

void HealthPanel::setData(std::shared_ptr<const fts::DataSource> training,
                          std::shared_ptr<const fts::DataSource> validation) {
    if (training == m_training && validation == m_validation) return;
    cancelCheck();
    m_training = std::move(training);
    m_validation = std::move(validation);
    m_report = {};
    m_hasReport = false;
    ++m_thumbGeneration;
    m_warnings->clear();
    m_files->clear();
    m_progress->reset();
    m_summary->setText(m_training ? tr("Not checked yet.") : tr("No dataset."));
    updateButtons();
}

void HealthPanel::setValidationSplit(double fraction, quint64 seed) {
    m_valSplit = fraction;
    m_seed = seed;
}

void HealthPanel::startCheck() {
    if (!m_training) return;
    cancelCheck();
    const quint64 generation = ++m_generation;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_checking = true;
    m_progress->setRange(0, 0);  // busy until the first progress report
    m_summary->setText(tr("Checking..."));
    updateButtons();

    fts::HealthCheckOptions options;
    options.valSplit = m_validation ? 0.0 : m_valSplit;
    options.seed = m_seed;
    auto training = m_training;
    auto validation = m_validation;
    auto cancel = m_cancel;
    QPointer<HealthPanel> self(this);
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, generation] {
        onFinished(generation, watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run([=]() {
        Outcome outcome;
        // Runs on the worker: reports are posted, at most one per percent.
        int lastPercent = -1;
        const auto progress = [&](std::size_t done, std::size_t total) {
            const int percent = total ? int(done * 100 / total) : 100;
            if (percent == lastPercent) return;
            lastPercent = percent;
            QMetaObject::invokeMethod(
                self.data(),
                [self, generation, done, total] {
                    if (self) self->onProgress(generation, int(done), int(total));
                },
                Qt::QueuedConnection);
        };
        try {
            outcome.report = fts::checkDatasetHealth(*training, validation.get(), options, progress,
                                                     cancel.get());
        } catch (const std::exception& e) {
            outcome.error = QString::fromUtf8(e.what());
        }
        return outcome;
    }));
}

void HealthPanel::cancelCheck() {
    if (m_cancel) m_cancel->store(true);
    if (m_checking) {
        ++m_generation;  // the cancelled check's result is dropped
        m_checking = false;
        m_progress->reset();
        m_summary->setText(tr("Check cancelled."));
    }
    updateButtons();
}

void HealthPanel::onProgress(quint64 generation, int done, int total) {
    if (generation != m_generation || !m_checking) return;
    m_progress->setRange(0, total);
    m_progress->setValue(done);
}

void HealthPanel::onFinished(quint64 generation, const Outcome& outcome) {
    if (generation != m_generation) return;
    m_checking = false;
    m_progress->setRange(0, 1);
    m_progress->setValue(1);
    updateButtons();
    if (!outcome.error.isEmpty()) {
        m_summary->setText(outcome.error.toHtmlEscaped());
        Q_EMIT checkFailed(outcome.error);
        return;
    }
    m_report = outcome.report;
    m_hasReport = true;
    m_warnings->clear();
    m_files->clear();
    int problems = 0, warnings = 0;
    for (int i = 0; i < int(m_report.warnings.size()); ++i) {
        const auto& w = m_report.warnings[std::size_t(i)];
        QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
        if (w.severity == fts::HealthSeverity::Problem) {
            icon = QStyle::SP_MessageBoxCritical;
            ++problems;
        } else if (w.severity == fts::HealthSeverity::Warning) {
            icon = QStyle::SP_MessageBoxWarning;
            ++warnings;
        }
        auto* item = new QTreeWidgetItem(m_warnings);
        item->setIcon(0, style()->standardIcon(icon));
        item->setText(0, kindDisplayName(w.kind));
        const QString message = fromUtf8(w.message);
        item->setText(1, w.files.empty()
                             ? message
                             : tr("%1 (%n file(s))", nullptr, int(w.files.size())).arg(message));
        item->setToolTip(1, message);
        item->setData(0, kWarningRole, i);
    }
    QString text = tr("%1 training images, %2 validation images: %3 problem(s), %4 warning(s).")
                       .arg(m_report.trainingImages)
                       .arg(m_report.validationImages)
                       .arg(problems)
                       .arg(warnings);
    if (m_report.warnings.empty()) text += QLatin1Char(' ') + tr("Nothing to report.");
    m_summary->setText(text.toHtmlEscaped());
    if (m_warnings->topLevelItemCount() > 0)
        m_warnings->setCurrentItem(m_warnings->topLevelItem(0));
    Q_EMIT checkFinished(problems, warnings);
}

void HealthPanel::selectWarning(int row) {
    if (auto* item = m_warnings->topLevelItem(row)) m_warnings->setCurrentItem(item);
}

QStringList HealthPanel::shownFiles() const {
    QStringList names;
    for (int i = 0; i < m_files->count(); ++i)
        names << m_files->item(i)->data(Qt::UserRole).toString();
    return names;
}

int HealthPanel::warningCount() const {
    return m_warnings->topLevelItemCount();
}

void HealthPanel::showFiles(QTreeWidgetItem* item) {
    m_files->clear();
    const quint64 generation = ++m_thumbGeneration;
    if (!item) return updateButtons();
    const int index = item->data(0, kWarningRole).toInt();
    if (index < 0 || index >= int(m_report.warnings.size())) return updateButtons();
    const auto& w = m_report.warnings[std::size_t(index)];
    for (const auto& f : w.files) {
        const QString name = fromUtf8(f.item);
        const QString set = f.set == fts::HealthSet::Training ? tr("training") : tr("validation");
        QString text = QStringLiteral("%1 · %2").arg(set, QDir::toNativeSeparators(name));
        if (!f.className.empty()) text += QStringLiteral(" · ") + fromUtf8(f.className);
        auto* row = new QListWidgetItem(text, m_files);
        row->setData(Qt::UserRole, name);
        row->setToolTip(QDir::toNativeSeparators(name));
    }
    if (m_files->count() > 0) m_files->setCurrentRow(0);
    updateButtons();
    if (w.kind == fts::HealthWarningKind::UnreadableFile || w.files.empty()) return;

    // Thumbnails on a worker: decoding is slow for photos.
    struct Job {
        std::shared_ptr<const fts::DataSource> source;
        std::size_t index;
    };
    QVector<Job> jobs;
    for (const auto& f : w.files) {
        if (jobs.size() >= kMaxThumbnails) break;
        const bool val = f.set == fts::HealthSet::Validation && m_validation;
        jobs.push_back({val ? m_validation : m_training, f.index});
    }
    auto* watcher = new QFutureWatcher<QVector<QImage>>(this);
    connect(watcher, &QFutureWatcher<QVector<QImage>>::finished, this, [this, watcher, generation] {
        const QVector<QImage> images = watcher->result();
        watcher->deleteLater();
        if (generation != m_thumbGeneration) return;
        for (int i = 0; i < images.size() && i < m_files->count(); ++i)
            if (!images[i].isNull())
                m_files->item(i)->setIcon(QIcon(QPixmap::fromImage(images[i])));
    });
    watcher->setFuture(QtConcurrent::run([jobs]() {
        QVector<QImage> images;
        for (const auto& job : jobs) {
            try {
                images.push_back(toQImage(job.source->load(job.index)));
            } catch (const std::exception&) {
                images.push_back(QImage());
            }
        }
        return images;
    }));
}

void HealthPanel::openFolder() {
    auto* item = m_files->currentItem();
    if (!item) return;
    const QFileInfo file(itemFile(item->data(Qt::UserRole).toString()));
    QDesktopServices::openUrl(QUrl::fromLocalFile(file.absolutePath()));
}

void HealthPanel::updateButtons() {
    m_check->setEnabled(m_training != nullptr && !m_checking);
    m_cancelButton->setEnabled(m_checking);
    m_openFolder->setEnabled(m_files->currentItem() != nullptr);
}

QString HealthPanel::kindDisplayName(fts::HealthWarningKind kind) {
    switch (kind) {
        case fts::HealthWarningKind::UnreadableFile:
            return tr("Unreadable file");
        case fts::HealthWarningKind::EmptyClass:
            return tr("Empty class");
        case fts::HealthWarningKind::TinyClass:
            return tr("Tiny class");
        case fts::HealthWarningKind::ClassImbalance:
            return tr("Class imbalance");
        case fts::HealthWarningKind::ExactDuplicate:
            return tr("Exact duplicates");
        case fts::HealthWarningKind::NearDuplicate:
            return tr("Near duplicates");
        case fts::HealthWarningKind::TrainValLeak:
            return tr("Training/validation leak");
        case fts::HealthWarningKind::LabelConflict:
            return tr("Label conflict");
    }
    return QString();
}

}  // namespace fts::ui
