#include "datasetpanel.h"

#include "classcountchart.h"
#include "healthpanel.h"
#include "uitypes.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace fts::ui {
namespace {

// Preview images are shown in cells of this size (pixels), whatever S is.
constexpr int kPreviewCell = 72;

enum PreviewMode { ShowTraining, ShowValidation, ShowOriginal };

// The chart's area grows with the class count up to this height (pixels),
// then scrolls.
constexpr int kMaxChartHeight = 200;

QString errorText(const QString& message) {
    return QStringLiteral("<span style=\"color:#c62828\">%1</span>").arg(message.toHtmlEscaped());
}

QLabel* makeWrappingLabel(QWidget* parent, Qt::TextFormat format = Qt::PlainText) {
    auto* label = new QLabel(parent);
    label->setTextFormat(format);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

}  // namespace

DatasetPanel::DatasetPanel(QWidget* parent) : QWidget(parent) {
    setAcceptDrops(true);

    // Training data: choosers, path, status.
    m_chooseFolder = new QPushButton(tr("Choose folder…"), this);
    m_chooseFolder->setToolTip(
        tr("Pick a folder with one subfolder of images per class (or a CIFAR-10 folder)."));
    m_chooseFile = new QPushButton(tr("Choose file…"), this);
    m_chooseFile->setToolTip(
        tr("Pick an IDX images file (like MNIST) or a CIFAR-10 .bin batch file."));
    m_pathLabel = makeWrappingLabel(this);
    m_pathLabel->setObjectName(QStringLiteral("dataPathLabel"));
    m_statusLabel = makeWrappingLabel(this, Qt::RichText);
    m_statusLabel->setObjectName(QStringLiteral("dataStatusLabel"));

    // Validation data.
    m_separateVal = new QCheckBox(tr("Separate validation set"), this);
    m_separateVal->setToolTip(
        tr("Off: a part of the training data is held back to check the "
           "model. On: the model is checked on images you choose."));
    m_chooseVal = new QPushButton(tr("Choose validation data…"), this);
    m_chooseVal->setToolTip(
        tr("Pick the folder or file with the validation images; it needs the same classes."));
    m_chooseVal->setEnabled(false);
    m_valPathLabel = makeWrappingLabel(this);
    m_valStatusLabel = makeWrappingLabel(this, Qt::RichText);
    m_valStatusLabel->setObjectName(QStringLiteral("valStatusLabel"));

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_chooseFolder);
    buttons->addWidget(m_chooseFile);
    buttons->addStretch(1);
    auto* valButtons = new QHBoxLayout;
    valButtons->addWidget(m_separateVal);
    valButtons->addWidget(m_chooseVal);
    valButtons->addStretch(1);

    // Images per class.
    m_chart = new ClassCountChart(this);
    auto* chartScroll = new QScrollArea(this);
    chartScroll->setWidgetResizable(true);
    chartScroll->setFrameShape(QFrame::NoFrame);
    chartScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    chartScroll->setWidget(m_chart);
    m_chartScroll = chartScroll;

    // Preview: mode, redraw, explanation, grid.
    m_previewMode = new QComboBox(this);
    m_previewMode->addItem(tr("As training sees them"), ShowTraining);
    m_previewMode->addItem(tr("As validation sees them"), ShowValidation);
    m_previewMode->addItem(tr("Original images"), ShowOriginal);
    m_previewMode->setToolTip(
        tr("Which version of each image to show: after the training "
           "augmentation, after the validation crop, or unchanged."));
    m_redraw = new QPushButton(tr("New random draw"), this);
    m_redraw->setToolTip(
        tr("Show another random augmentation of the same images: training "
           "changes every image a little every epoch."));
    m_previewInfo = makeWrappingLabel(this);
    m_previewGrid = new QWidget(this);
    m_previewLayout = new QGridLayout(m_previewGrid);
    m_previewLayout->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_previewLayout->setSpacing(4);
    auto* previewScroll = new QScrollArea(this);
    previewScroll->setWidgetResizable(true);
    previewScroll->setWidget(m_previewGrid);

    auto* previewPage = new QWidget(this);
    auto* previewTop = new QHBoxLayout;
    previewTop->addWidget(m_previewMode);
    previewTop->addWidget(m_redraw);
    previewTop->addStretch(1);
    auto* previewBox = new QVBoxLayout(previewPage);
    previewBox->setContentsMargins(0, 0, 0, 0);
    previewBox->addLayout(previewTop);
    previewBox->addWidget(m_previewInfo);
    previewBox->addWidget(previewScroll, 1);

    // Skipped files.
    m_skippedList = new QTreeWidget(this);
    m_skippedList->setObjectName(QStringLiteral("skippedFiles"));
    m_skippedList->setColumnCount(2);
    m_skippedList->setHeaderLabels({tr("File"), tr("Reason")});
    m_skippedList->setRootIsDecorated(false);
    m_skippedList->setUniformRowHeights(true);
    m_skippedList->setAlternatingRowColors(true);
    m_skippedList->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_skippedList->header()->resizeSection(0, 260);
    m_skippedList->setToolTip(tr("Files that cannot be used for training, and why."));

    m_tabs = new QTabWidget(this);
    m_tabs->addTab(previewPage, tr("Preview"));
    m_tabs->addTab(m_skippedList, QString());
    m_health = new HealthPanel(this);
    m_tabs->addTab(m_health, tr("Health check"));
    updateSkippedTitle();

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(chartScroll);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_pathLabel);
    layout->addWidget(m_statusLabel);
    layout->addLayout(valButtons);
    layout->addWidget(m_valPathLabel);
    layout->addWidget(m_valStatusLabel);
    layout->addWidget(splitter, 1);

    connect(m_chooseFolder, &QPushButton::clicked, this, &DatasetPanel::chooseFolder);
    connect(m_chooseFile, &QPushButton::clicked, this, &DatasetPanel::chooseFile);
    connect(m_chooseVal, &QPushButton::clicked, this, &DatasetPanel::chooseValidation);
    connect(m_separateVal, &QCheckBox::toggled, this, &DatasetPanel::onValidationToggled);
    connect(m_previewMode, QOverload<int>::of(&QComboBox::currentIndexChanged), this,
            &DatasetPanel::rebuildPreviews);
    connect(m_redraw, &QPushButton::clicked, this, &DatasetPanel::newRandomDraw);

    m_pathLabel->setText(
        tr("No training data chosen yet. Choose a folder or a file, or drop "
           "one here."));
    updateValidationStatus();
    rebuildPreviews();
}

// Jobs still running keep their own copies of everything they use (the
// source is shared); their watchers die with the panel and the results are
// dropped.
DatasetPanel::~DatasetPanel() = default;

QString DatasetPanel::valPath() const {
    return m_separateVal->isChecked() ? m_valPath : QString();
}

bool DatasetPanel::separateValidation() const {
    return m_separateVal->isChecked();
}

std::shared_ptr<const fts::DataSource> DatasetPanel::valSource() const {
    if (!m_separateVal->isChecked() || m_valSummary.path != m_valPath) return nullptr;
    return m_valSummary.source;
}

void DatasetPanel::setDataPath(const QString& path) {
    m_path = path;
    if (path.isEmpty()) {
        ++m_generation;  // drop whatever is in flight
        m_scanning = false;
        m_summary = DatasetSummary();
        m_pathLabel->setText(
            tr("No training data chosen yet. Choose a folder or a file, or "
               "drop one here."));
        m_statusLabel->clear();
        updateChart({}, {});
        resetSkipped({});
        rebuildPreviews();
        m_health->setData(nullptr, nullptr);
        return;
    }
    m_pathLabel->setText(tr("Training data: %1").arg(QDir::toNativeSeparators(path)));
    startScan();
}

void DatasetPanel::setValPath(const QString& path) {
    m_valPath = path;
    const bool separate = !path.isEmpty();
    if (m_separateVal->isChecked() != separate)
        m_separateVal->setChecked(separate);  // emits validationModeChanged
    Q_EMIT validationPathChanged(valPath());
    if (separate) startValidationScan();
    updateValidationStatus();
}

void DatasetPanel::setPreviewTransform(int imageSize, const QString& augment) {
    if (imageSize == m_imageSize && augment == m_augment) return;
    m_imageSize = imageSize;
    m_augment = augment;
    if (m_scanning)
        startScan();  // the scan in flight used the old transform
    else if (m_summary.ok())
        startRender();
    else
        rebuildPreviews();
}

void DatasetPanel::setPreviewsPerClass(int count) {
    if (count == m_previewsPerClass) return;
    m_previewsPerClass = count;
    if (m_scanning)
        startScan();
    else if (m_summary.ok())
        startRender();
}

void DatasetPanel::setRunning(bool running) {
    m_running = running;
    m_chooseFolder->setEnabled(!running);
    m_chooseFile->setEnabled(!running);
    m_separateVal->setEnabled(!running);
    m_chooseVal->setEnabled(!running && m_separateVal->isChecked());
}

void DatasetPanel::addSkippedFiles(const QVector<fts::SkippedFile>& files) {
    for (const auto& file : files) appendSkipped(file);
    updateSkippedTitle();
}

bool DatasetPanel::canAccept(const QMimeData* mime) const {
    if (m_running || mime == nullptr || !mime->hasUrls()) return false;
    const QList<QUrl> urls = mime->urls();
    if (urls.size() != 1 || !urls.first().isLocalFile()) return false;
    return QFileInfo::exists(urls.first().toLocalFile());
}

bool DatasetPanel::acceptDrop(const QMimeData* mime) {
    if (!canAccept(mime)) return false;
    setDataPath(QDir::cleanPath(mime->urls().first().toLocalFile()));
    return true;
}

void DatasetPanel::dragEnterEvent(QDragEnterEvent* event) {
    if (canAccept(event->mimeData())) event->acceptProposedAction();
}

void DatasetPanel::dropEvent(QDropEvent* event) {
    if (acceptDrop(event->mimeData())) event->acceptProposedAction();
}

QString DatasetPanel::startDirectory() const {
    // The folder the user last chose data in (QSettings), not the bundled demo's.
    const QString last = QSettings().value(QStringLiteral("lastDataFolder")).toString();
    if (!last.isEmpty() && QFileInfo(last).isDir()) return last;
    return QDir::homePath();
}

namespace {
void rememberDataFolder(const QString& chosen) {
    const QFileInfo info(chosen);
    QSettings().setValue(QStringLiteral("lastDataFolder"),
                         info.isDir() ? info.absolutePath() : info.absoluteDir().path());
}
}  // namespace

void DatasetPanel::chooseFolder() {
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Choose the training images folder"), startDirectory());
    if (dir.isEmpty()) return;
    rememberDataFolder(dir);
    setDataPath(dir);
}

void DatasetPanel::chooseFile() {
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Choose a training data file"), startDirectory(),
        tr("Image data files (*-idx3-ubyte *-idx3-ubyte.gz *.idx3-ubyte *.bin);;All files (*)"));
    if (file.isEmpty()) return;
    rememberDataFolder(file);
    setDataPath(file);
}

void DatasetPanel::chooseValidation() {
    // One dialog for both kinds: a folder is the common case; a file (IDX,
    // CIFAR .bin) can be typed or picked once the filter shows all files.
    QFileDialog dialog(this, tr("Choose the validation data (a folder or a file)"),
                       m_valPath.isEmpty() ? startDirectory() : m_valPath);
    dialog.setFileMode(QFileDialog::Directory);
    dialog.setOption(QFileDialog::ShowDirsOnly, false);
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty()) return;
    setValPath(dialog.selectedFiles().first());
}

void DatasetPanel::onValidationToggled(bool checked) {
    m_chooseVal->setEnabled(checked && !m_running);
    if (checked && !m_valPath.isEmpty() && m_valSummary.path != m_valPath) startValidationScan();
    updateValidationStatus();
    Q_EMIT validationModeChanged(checked);
}

void DatasetPanel::startScan() {
    const quint64 generation = ++m_generation;
    m_scanning = true;
    m_statusLabel->setText(tr("Scanning…").toHtmlEscaped());
    auto* watcher = new QFutureWatcher<DatasetSummary>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation == m_generation) onJobFinished(Job::Scan, watcher->result());
    });
    watcher->setFuture(
        QtConcurrent::run(scanDataset, m_path, m_imageSize, m_augment, m_previewsPerClass, m_seed));
}

void DatasetPanel::startRender() {
    const quint64 generation = ++m_generation;
    auto* watcher = new QFutureWatcher<DatasetSummary>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation == m_generation) onJobFinished(Job::Render, watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(renderPreviews, m_summary, m_imageSize, m_augment,
                                         m_previewsPerClass, m_seed));
}

void DatasetPanel::startValidationScan() {
    const quint64 generation = ++m_valGeneration;
    m_valStatusLabel->setText(tr("Scanning…"));
    auto* watcher = new QFutureWatcher<DatasetSummary>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation == m_valGeneration) onValidationScanned(watcher->result());
    });
    // No previews: the panel shows the training images only.
    watcher->setFuture(QtConcurrent::run(scanDataset, m_valPath, m_imageSize, m_augment,
                                         /*previewsPerClass=*/0, m_seed));
}

void DatasetPanel::onJobFinished(Job job, const DatasetSummary& result) {
    if (job == Job::Scan) m_scanning = false;
    m_summary = result;
    if (!result.ok()) {
        m_statusLabel->setText(errorText(result.error));
        updateChart({}, {});
        resetSkipped({});
        rebuildPreviews();
        updateValidationStatus();
        Q_EMIT scanFailed(result.error);
        return;
    }
    QString status = datasetSummaryText(result).toHtmlEscaped();
    if (!result.problems.isEmpty())
        status +=
            QStringLiteral("<br>") + errorText(tr("%n file(s) cannot be used: see Skipped files.",
                                                  nullptr, int(result.problems.size())));
    m_statusLabel->setText(status);
    updateChart(result.classNames, result.counts);
    // A re-render lists the scan's problems again; keep those found in training.
    QVector<fts::SkippedFile> skipped = result.problems;
    if (job == Job::Render) {
        for (const auto& file : m_skipped) skipped.push_back(file);
    }
    resetSkipped(skipped);
    rebuildPreviews();
    updateValidationStatus();
    if (job == Job::Scan) Q_EMIT datasetChanged(m_summary);
}

void DatasetPanel::onValidationScanned(const DatasetSummary& result) {
    m_valSummary = result;
    updateValidationStatus();
}

void DatasetPanel::updateValidationStatus() {
    // The health check follows the data shown (it drops stale findings).
    m_health->setData(m_summary.ok() ? m_summary.source : nullptr, valSource());
    const bool separate = m_separateVal->isChecked();
    m_valPathLabel->setVisible(separate);
    if (!separate) {
        m_valStatusLabel->setText(
            tr("Validation images are split from the training data (the same split each run)."));
        return;
    }
    if (m_valPath.isEmpty()) {
        m_valPathLabel->clear();
        m_valStatusLabel->setText(
            tr("Choose the validation data; until then the validation "
               "images are split from the training data."));
        return;
    }
    m_valPathLabel->setText(tr("Validation data: %1").arg(QDir::toNativeSeparators(m_valPath)));
    if (m_valSummary.path != m_valPath) return;  // still scanning
    if (!m_valSummary.ok()) {
        m_valStatusLabel->setText(errorText(m_valSummary.error));
        return;
    }
    QString text = datasetSummaryText(m_valSummary).toHtmlEscaped();
    if (m_summary.ok() && m_summary.classNames != m_valSummary.classNames)
        text +=
            QStringLiteral("<br>") +
            errorText(tr("Warning: the validation classes differ from the training classes (%1 vs "
                         "%2). Use the same class folders in both.")
                          .arg(m_valSummary.classNames.join(QStringLiteral(", ")),
                               m_summary.classNames.join(QStringLiteral(", "))));
    m_valStatusLabel->setText(text);
}

void DatasetPanel::updateChart(const QStringList& names, const QVector<qint64>& counts) {
    m_chart->setCounts(names, counts);
    m_chartScroll->setMinimumHeight(std::min(m_chart->sizeHint().height() + 2, kMaxChartHeight));
}

void DatasetPanel::newRandomDraw() {
    ++m_seed;
    if (m_scanning)
        startScan();
    else if (m_summary.ok())
        startRender();
}

void DatasetPanel::rebuildPreviews() {
    // Replace the whole grid: it holds at most kMaxPreviews images.
    while (QLayoutItem* item = m_previewLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const int mode = m_previewMode->currentData().toInt();
    m_redraw->setEnabled(mode == ShowTraining);
    const int s = m_summary.ok() ? m_summary.imageSize : m_imageSize;
    const QString augment = m_summary.ok() ? m_summary.augment : m_augment;
    switch (mode) {
        case ShowTraining:
            m_previewInfo->setText(
                tr("Each image as the model sees it in training: %1 × %1 pixels with %2 "
                   "augmentation, a new random draw every epoch. Validation uses the centre crop "
                   "without augmentation.")
                    .arg(s)
                    .arg(augmentationDisplayName(augment)));
            break;
        case ShowValidation:
            m_previewInfo->setText(tr("Each image as the model sees it in validation: the shorter "
                                      "side resized, then the centre %1 × %1 pixels.")
                                       .arg(s));
            break;
        default:
            m_previewInfo->setText(tr("The images as they are stored, before any transform."));
            break;
    }
    if (!m_summary.ok()) return;

    for (int c = 0; c < m_summary.previews.size(); ++c) {
        auto* name = new QLabel(m_summary.classNames.value(c), m_previewGrid);
        name->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        name->setMaximumWidth(140);
        name->setToolTip(tr("%1: %n image(s)", nullptr, int(m_summary.counts.value(c)))
                             .arg(m_summary.classNames.value(c)));
        m_previewLayout->addWidget(name, c, 0);
        const auto& row = m_summary.previews[c];
        if (row.isEmpty()) {
            auto* none = new QLabel(tr("(no images)"), m_previewGrid);
            none->setEnabled(false);
            m_previewLayout->addWidget(none, c, 1);
            continue;
        }
        for (int i = 0; i < row.size(); ++i) {
            const PreviewImage& preview = row[i];
            QImage image = mode == ShowTraining     ? preview.training
                           : mode == ShowValidation ? preview.validation
                                                    : preview.original;
            if (image.isNull()) image = preview.original;
            auto* cell = new QLabel(m_previewGrid);
            cell->setFixedSize(kPreviewCell, kPreviewCell);
            cell->setAlignment(Qt::AlignCenter);
            cell->setPixmap(QPixmap::fromImage(image.scaled(
                kPreviewCell, kPreviewCell, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
            cell->setToolTip(tr("%1\nOriginal: %2 × %3 pixels")
                                 .arg(QDir::toNativeSeparators(preview.item))
                                 .arg(preview.original.width())
                                 .arg(preview.original.height()));
            m_previewLayout->addWidget(cell, c, i + 1);
        }
    }
}

void DatasetPanel::resetSkipped(const QVector<fts::SkippedFile>& files) {
    m_skipped.clear();
    m_skippedPaths.clear();
    m_skippedList->clear();
    for (const auto& file : files) appendSkipped(file);
    updateSkippedTitle();
}

void DatasetPanel::appendSkipped(const fts::SkippedFile& file) {
    const QString path = toQString(file.path);
    if (m_skippedPaths.contains(path)) return;
    m_skippedPaths.insert(path);
    m_skipped.push_back(file);
    auto* item = new QTreeWidgetItem(m_skippedList);
    item->setText(0, QDir::toNativeSeparators(path));
    item->setText(1, toQString(file.reason));
    item->setToolTip(0, item->text(0));
    item->setToolTip(1, item->text(1));
}

void DatasetPanel::updateSkippedTitle() {
    m_tabs->setTabText(m_tabs->indexOf(m_skippedList),
                       tr("Skipped files (%1)").arg(m_skipped.size()));
}

}  // namespace fts::ui
