#include "modelpanel.h"

#include "downloaddialog.h"
#include "models/torchscriptname.h"
#include "train/demopreset.h"
#include "uitypes.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace fts::ui {
namespace {

constexpr int kArchRole = Qt::UserRole;      // QString: registry name (addItem's data)
constexpr int kDemoRole = Qt::UserRole + 1;  // bool: the bundled demo entry
const char* const kDemoArch = "demo_cnn";

bool samePath(const QString& a, const QString& b) {
    if (a == b) return true;
    if (a.isEmpty() || b.isEmpty()) return false;
    const QFileInfo fa(a), fb(b);
    const QString ca = fa.canonicalFilePath(), cb = fb.canonicalFilePath();
    return !ca.isEmpty() && ca == cb;
}

}  // namespace

ModelPanel::ModelPanel(QWidget* parent) : QWidget(parent) {
    m_arch = new QComboBox(this);
    m_arch->setToolTip(tr("The network to fine-tune; the demo is small and trains in seconds."));
    m_arch->addItem(tr("Demo backbone (bundled, Fashion-MNIST)"), QString::fromLatin1(kDemoArch));
    m_arch->setItemData(0, true, kDemoRole);
    m_arch->setItemData(0,
                        tr("A small network this app pretrained on five Fashion-MNIST classes; "
                           "its weights ship with the app."),
                        Qt::ToolTipRole);
    for (const fts::ModelSummary& model : fts::listModels()) {
        const QString name = toQString(model.name);
        const QString text =
            tr("%1 (%2, %3 M parameters)")
                .arg(name, toQString(model.family),
                     QLocale().toString(double(model.imagenetParameters) / 1e6, 'f', 1));
        m_arch->addItem(text, name);
        const int index = m_arch->count() - 1;
        m_arch->setItemData(index, false, kDemoRole);
        m_arch->setItemData(index, toQString(model.description), Qt::ToolTipRole);
    }

    m_load = new QPushButton(tr("Load weights from file\u2026"), this);
    m_load->setToolTip(
        tr("Start from weights someone trained before (.safetensors, .pth, .pt "
           "or .bin) instead of random numbers."));
    m_clear = new QPushButton(tr("Clear"), this);
    m_clear->setToolTip(tr("Forget the weights file and start from random weights."));
    m_download = new QPushButton(tr("Download ImageNet weights\u2026"), this);
    m_download->setObjectName(QStringLiteral("downloadWeights"));
    m_loadScript = new QPushButton(tr("Load TorchScript backbone\u2026"), this);
    m_loadScript->setObjectName(QStringLiteral("loadTorchScript"));
    m_loadScript->setToolTip(
        tr("Fine-tune a network exported from PyTorch with torch.jit.script or torch.jit.trace "
           "(its classifier replaced by nn.Identity); a new head is added for your classes."));
    m_download->setToolTip(
        tr("Download the weights torchvision trained on ImageNet for this model into "
           "PyTorch's cache, and start from them."));

    m_parameters = new QLabel(this);
    m_parameters->setToolTip(tr("How many numbers the network can learn."));
    m_inputSize = new QLabel(this);
    m_inputSize->setToolTip(tr("The size in pixels images are scaled and cropped to."));
    m_weights = new QLabel(this);
    m_weights->setWordWrap(true);
    m_weights->setToolTip(tr("Where the network's starting weights come from."));
    m_weights->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setVisible(false);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_load);
    buttons->addWidget(m_download);
    buttons->addWidget(m_loadScript);
    buttons->addWidget(m_clear);
    buttons->addStretch(1);

    auto* form = new QFormLayout;
    auto* archLabel = new QLabel(tr("&Model:"), this);
    archLabel->setBuddy(m_arch);
    archLabel->setToolTip(m_arch->toolTip());
    form->addRow(archLabel, m_arch);
    form->addRow(QString(), buttons);
    form->addRow(tr("Size:"), m_parameters);
    form->addRow(tr("Input:"), m_inputSize);
    form->addRow(tr("Weights:"), m_weights);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_error);

    m_describeTimer = new QTimer(this);
    m_describeTimer->setSingleShot(true);
    m_describeTimer->setInterval(0);
    m_watcher = new QFutureWatcher<Result>(this);

    connect(m_arch, &QComboBox::activated, this, &ModelPanel::onArchActivated);
    connect(m_load, &QPushButton::clicked, this, &ModelPanel::loadWeights);
    connect(m_clear, &QPushButton::clicked, this, &ModelPanel::clearWeights);
    connect(m_download, &QPushButton::clicked, this, &ModelPanel::downloadImagenetWeights);
    connect(m_loadScript, &QPushButton::clicked, this, &ModelPanel::loadTorchScriptBackbone);
    connect(m_describeTimer, &QTimer::timeout, this, &ModelPanel::startDescribe);
    connect(m_watcher, &QFutureWatcher<Result>::finished, this, &ModelPanel::onDescribeFinished);

    // The app opens on the demo, so a newcomer can press Start at once.
    m_arch->setCurrentIndex(0);
    m_weightsFile = bundledWeights();
    updateLabels();
    updateEnabled();
    scheduleDescribe();
}

ModelPanel::~ModelPanel() = default;

QString ModelPanel::bundledWeights() const {
    if (!m_bundledResolved) {
        m_bundledResolved = true;
        try {
            m_bundledWeights = toQString(fts::demoSettings(fts::defaultDemoMode()).weightsFile);
        } catch (const std::exception&) {
            m_bundledWeights.clear();  // reported when the demo is described
        }
    }
    return m_bundledWeights;
}

int ModelPanel::indexOfArch(const QString& arch) const {
    for (int i = 0; i < m_arch->count(); ++i)
        if (!m_arch->itemData(i, kDemoRole).toBool() && m_arch->itemData(i, kArchRole) == arch)
            return i;
    return -1;
}

QString ModelPanel::arch() const {
    return m_arch->currentData(kArchRole).toString();
}

bool ModelPanel::isDemoSelected() const {
    return m_arch->currentData(kDemoRole).toBool();
}

void ModelPanel::selectDemo() {
    const bool changed = !isDemoSelected() || m_weightsFile != bundledWeights();
    m_arch->setCurrentIndex(0);
    m_weightsFile = bundledWeights();
    if (changed) Q_EMIT selectionChanged();
    scheduleDescribe();
}

bool ModelPanel::setSelection(const QString& arch, const QString& weightsFile) {
    if (arch == QLatin1String(kDemoArch) && !weightsFile.isEmpty() &&
        samePath(weightsFile, bundledWeights())) {
        selectDemo();
        return true;
    }
    const int index =
        arch == QLatin1String(fts::kTorchScriptModel) ? ensureTorchScriptEntry() : indexOfArch(arch);
    if (index < 0) {
        const QString message =
            tr("The model \u201c%1\u201d is not known to this version of Finetune Studio; choose "
               "another model.")
                .arg(arch);
        showError(message);
        Q_EMIT describeFailed(message);
        return false;
    }
    const bool changed = m_arch->currentIndex() != index || m_weightsFile != weightsFile;
    m_arch->setCurrentIndex(index);
    m_weightsFile = weightsFile;
    if (index == indexOfArch(QLatin1String(fts::kTorchScriptModel))) m_scriptFile = weightsFile;
    if (changed) Q_EMIT selectionChanged();
    scheduleDescribe();
    return true;
}

void ModelPanel::onArchActivated(int index) {
    // A new architecture starts from its own defaults: the demo from its
    // bundled weights, every other model from random weights.
    m_weightsFile = m_arch->itemData(index, kDemoRole).toBool() ? bundledWeights() : QString();
    // A TorchScript backbone is its file: keep the last one chosen.
    if (m_arch->itemData(index, kArchRole).toString() == QLatin1String(fts::kTorchScriptModel))
        m_weightsFile = m_scriptFile;
    Q_EMIT selectionChanged();
    scheduleDescribe();
}

void ModelPanel::loadWeights() {
    QSettings settings;
    const QString start = settings.value(QStringLiteral("lastWeightsFolder")).toString();
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Load weights"), start,
                                     tr("Weights (*.safetensors *.pth *.pt *.bin);;All files (*)"));
    if (!file.isEmpty())
        settings.setValue(QStringLiteral("lastWeightsFolder"), QFileInfo(file).absolutePath());
    if (file.isEmpty()) return;
    // Other weights for the demo network are no longer the bundled demo.
    if (isDemoSelected()) m_arch->setCurrentIndex(indexOfArch(QString::fromLatin1(kDemoArch)));
    m_weightsFile = file;
    Q_EMIT selectionChanged();
    scheduleDescribe();
}

int ModelPanel::ensureTorchScriptEntry() {
    const QString name = QString::fromLatin1(fts::kTorchScriptModel);
    int index = indexOfArch(name);
    if (index >= 0) return index;
    m_arch->addItem(tr("TorchScript backbone (from a file)"), name);
    index = m_arch->count() - 1;
    m_arch->setItemData(index, false, kDemoRole);
    m_arch->setItemData(index,
                        tr("A network exported from PyTorch as TorchScript, with a new head; "
                           "ImageNet mean/std and 224 pixels unless the image size says "
                           "otherwise."),
                        Qt::ToolTipRole);
    return index;
}

bool ModelPanel::showTorchScriptNoticeOnce() {
    QSettings settings;
    const QString key = QStringLiteral("torchScriptNoticeShown");
    if (settings.value(key, false).toBool()) return false;
    settings.setValue(key, true);
    QMessageBox::warning(
        this, tr("TorchScript files are code"),
        tr("A TorchScript file contains program code that runs when the model is loaded and "
           "used. Load only files from a source you trust."));
    return true;
}

void ModelPanel::loadTorchScriptBackbone() {
    showTorchScriptNoticeOnce();
    QSettings settings;
    const QString start = settings.value(QStringLiteral("lastWeightsFolder")).toString();
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Load TorchScript backbone"), start,
        tr("TorchScript (*.pt *.pth *.ts *.torchscript);;All files (*)"));
    if (file.isEmpty()) return;
    settings.setValue(QStringLiteral("lastWeightsFolder"), QFileInfo(file).absolutePath());
    useTorchScriptBackbone(file);
}

void ModelPanel::useTorchScriptBackbone(const QString& file) {
    m_arch->setCurrentIndex(ensureTorchScriptEntry());
    m_weightsFile = file;
    m_scriptFile = file;
    Q_EMIT selectionChanged();
    scheduleDescribe();
}

void ModelPanel::clearWeights() {
    if (isDemoSelected()) m_arch->setCurrentIndex(indexOfArch(QString::fromLatin1(kDemoArch)));
    if (m_weightsFile.isEmpty()) return;
    m_weightsFile.clear();
    Q_EMIT selectionChanged();
    scheduleDescribe();
}

void ModelPanel::setNumClasses(int numClasses) {
    if (numClasses == m_numClasses) return;
    m_numClasses = numClasses;
    scheduleDescribe();
}

void ModelPanel::setImageSize(int imageSize) {
    if (imageSize == m_imageSize) return;
    m_imageSize = imageSize;
    scheduleDescribe();
}

void ModelPanel::setRunning(bool running) {
    m_running = running;
    updateEnabled();
}

bool ModelPanel::isDescribing() const {
    return m_describeTimer->isActive() || m_watcher->isRunning();
}

void ModelPanel::scheduleDescribe() {
    updateEnabled();
    updateLabels();
    m_parameters->setText(tr("Describing the model\u2026"));
    m_describeTimer->start();
}

void ModelPanel::startDescribe() {
    if (isDemoSelected() && bundledWeights().isEmpty()) {
        QString message;
        try {
            fts::demoSettings(fts::defaultDemoMode());
        } catch (const std::exception& e) {
            message = toQString(e.what());
        }
        if (message.isEmpty()) message = tr("The bundled demo was not found.");
        showError(message);
        m_parameters->clear();
        Q_EMIT describeFailed(message);
        return;
    }

    const quint64 generation = ++m_generation;
    const std::string arch = toStdString(this->arch());
    const std::string weights = toStdString(m_weightsFile);
    const std::int64_t classes = m_numClasses;  // 0: the head the weights come with
    const int imageSize = m_imageSize;
    // Runs on a pool thread: only copies are captured, never `this`.
    m_watcher->setFuture(QtConcurrent::run([=]() {
        Result result;
        result.generation = generation;
        try {
            result.description = fts::describeModel(arch, weights, classes, imageSize);
        } catch (const std::exception& e) {
            result.error = toQString(e.what());
            if (result.error.isEmpty()) result.error = QStringLiteral("unknown error");
        }
        return result;
    }));
}

void ModelPanel::onDescribeFinished() {
    const QFuture<Result> future = m_watcher->future();
    if (future.isCanceled() || future.resultCount() == 0) return;
    const Result result = future.result();
    if (result.generation != m_generation) return;  // superseded by a newer request

    if (!result.error.isEmpty()) {
        QString message = result.error;
        // Name the file when the engine's sentence does not.
        if (!m_weightsFile.isEmpty() && !message.contains(QFileInfo(m_weightsFile).fileName()))
            message = tr("%1: %2").arg(QFileInfo(m_weightsFile).fileName(), message);
        showError(message);
        m_parameters->clear();
        Q_EMIT describeFailed(message);
        return;
    }
    m_description = result.description;
    m_error->clear();
    m_error->setVisible(false);
    updateLabels();
    Q_EMIT modelDescribed(m_description);
}

void ModelPanel::showError(const QString& message) {
    m_error->setText(message);
    m_error->setVisible(true);
}

void ModelPanel::updateLabels() {
    const bool current = !m_description.arch.empty() && toQString(m_description.arch) == arch() &&
                         toQString(m_description.weightsFile) == m_weightsFile;
    if (current) {
        m_parameters->setText(
            tr("%1 parameters (%2)")
                .arg(QLocale().toString(static_cast<qlonglong>(m_description.totalParameters)),
                     toQString(m_description.family)));
        m_inputSize->setText(
            m_imageSize > 0
                ? tr("%1 \u00d7 %1 pixels").arg(m_description.imageSize)
                : tr("%1 \u00d7 %1 pixels (the model's own size)").arg(m_description.imageSize));
    }
    if (m_weightsFile.isEmpty()) {
        m_weights->setText(tr("Random initialisation: every layer starts from scratch."));
    } else if (current && m_description.weightsTotal > 0) {
        const auto& d = m_description;
        const QString file = QFileInfo(m_weightsFile).fileName();
        QString text =
            d.headFromFile
                ? tr("Loaded %1 of %2 tensors from %3, the head (%4) included.")
                      .arg(d.weightsLoaded)
                      .arg(d.weightsTotal)
                      .arg(file, toQString(d.headPath))
                : tr("Loaded %1 of %2 tensors from %3; the head (%4) is new for %n class(es).",
                     nullptr, int(d.numClasses))
                      .arg(d.weightsLoaded)
                      .arg(d.weightsTotal)
                      .arg(file, toQString(d.headPath));
        if (d.weightsUnused > 0)
            text += QLatin1Char(' ') +
                    tr("%n entries of the file are not part of this model and are not used.",
                       nullptr, d.weightsUnused);
        if (d.backboneProblems > 0)
            text += QLatin1Char(' ') + tr("Training will refuse this file: %n backbone weight(s) "
                                          "are missing from it or have another shape.",
                                          nullptr, d.backboneProblems);
        m_weights->setText(text);
    } else {
        m_weights->setText(QFileInfo(m_weightsFile).fileName());
    }
    m_weights->setToolTip(m_weightsFile.isEmpty() ? tr("Where the network's starting weights "
                                                       "come from.")
                                                  : QDir::toNativeSeparators(m_weightsFile));
    m_clear->setEnabled(!m_running && !m_weightsFile.isEmpty());
}

void ModelPanel::updateEnabled() {
    m_arch->setEnabled(!m_running);
    m_load->setEnabled(!m_running);
    m_loadScript->setEnabled(!m_running);
    m_clear->setEnabled(!m_running && !m_weightsFile.isEmpty());
    m_download->setEnabled(!m_running && !isDemoSelected() &&
                           fts::imagenetWeights(toStdString(arch())).has_value());
}

DownloadDialog* ModelPanel::downloadImagenetWeights() {
    const auto entry = fts::imagenetWeights(toStdString(arch()));
    if (isDemoSelected() || !entry) return nullptr;
    auto* dialog = new DownloadDialog(*entry, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &DownloadDialog::downloadFinished, this, [this](const QString& file) {
        m_weightsFile = file;
        Q_EMIT selectionChanged();
        scheduleDescribe();
    });
    connect(dialog, &DownloadDialog::loadFromFileRequested, this, &ModelPanel::loadWeights,
            Qt::QueuedConnection);
    dialog->open();
    dialog->start();
    return dialog;
}

}  // namespace fts::ui
