#include "imageinspector.h"

#include "export/gradcam.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <exception>

namespace fts::ui {
namespace {

// The picture's box, in pixels: large enough to see what a 28 px thumbnail hides.
constexpr int kDisplaySize = 384;

QString nameOf(const QStringList& names, int index) {
    if (index < 0) return QCoreApplication::translate("fts::ui::ImageInspector", "unlabelled");
    return index < names.size() ? names[index] : QStringLiteral("#%1").arg(index);
}

}  // namespace

long long ImageInspector::findItem(const fts::DataSource& source, const QString& item) {
    const std::string wanted = toStdString(item);
    // Records inside a container (IDX, CIFAR, memory) are named "file#index".
    const int hash = item.lastIndexOf(QLatin1Char('#'));
    if (hash >= 0) {
        bool ok = false;
        const qulonglong index = item.mid(hash + 1).toULongLong(&ok);
        if (ok && index < source.size() && source.itemName(std::size_t(index)) == wanted)
            return static_cast<long long>(index);
    }
    for (std::size_t i = 0; i < source.size(); ++i)
        if (source.itemName(i) == wanted) return static_cast<long long>(i);
    return -1;
}

ImageInspector::ImageInspector(const PredictionSample& sample, const QStringList& classNames,
                               std::shared_ptr<const fts::DataSource> source, QWidget* parent)
    : QDialog(parent), m_sample(sample) {
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Image: %1").arg(QDir::toNativeSeparators(sample.item)));

    m_picture = new QLabel(this);
    m_picture->setObjectName(QStringLiteral("inspectorPicture"));
    m_picture->setAlignment(Qt::AlignCenter);
    m_picture->setMinimumSize(kDisplaySize, kDisplaySize);
    m_picture->setFrameShape(QFrame::StyledPanel);

    auto* item = new QLabel(QDir::toNativeSeparators(sample.item), this);
    item->setWordWrap(true);
    item->setTextInteractionFlags(Qt::TextSelectableByMouse);
    item->setMaximumWidth(320);

    auto* trueLabel = new QLabel(
        tr("True class: <b>%1</b>").arg(nameOf(classNames, sample.trueLabel).toHtmlEscaped()),
        this);
    const QString color = sample.trueLabel < 0 ? QStringLiteral("#424242")
                          : sample.correct()   ? QStringLiteral("#2e7d32")
                                               : QStringLiteral("#c62828");
    auto* predicted =
        new QLabel(tr("Predicted: <b><span style=\"color:%1\">%2</span></b> (%3%)")
                       .arg(color, nameOf(classNames, sample.predicted).toHtmlEscaped())
                       .arg(sample.confidence * 100.0, 0, 'f', 1),
                   this);
    predicted->setObjectName(QStringLiteral("inspectorPredicted"));
    auto* verdict = new QLabel(sample.trueLabel < 0 ? tr("No true class is known for this image.")
                               : sample.correct() ? tr("Correct.")
                                                : tr("Wrong: this is %1, but the model said %2.")
                                                      .arg(nameOf(classNames, sample.trueLabel),
                                                           nameOf(classNames, sample.predicted)),
                               this);
    verdict->setWordWrap(true);

    auto* details = new QVBoxLayout;
    details->addWidget(item);
    details->addWidget(trueLabel);
    details->addWidget(predicted);
    details->addWidget(verdict);
    if (sample.loss > 0.0)
        details->addWidget(new QLabel(tr("Loss: %1").arg(sample.loss, 0, 'f', 3), this));

    // Top-5 probabilities as bars (the true class in bold).
    if (!sample.topIndices.isEmpty()) {
        auto* heading = new QLabel(tr("Most probable classes:"), this);
        details->addSpacing(8);
        details->addWidget(heading);
        auto* bars = new QGridLayout;
        const int rows = int(std::min(sample.topIndices.size(), sample.topProbabilities.size()));
        for (int r = 0; r < rows; ++r) {
            const int cls = sample.topIndices[r];
            auto* name = new QLabel(nameOf(classNames, cls), this);
            if (cls == sample.trueLabel) {
                QFont bold = name->font();
                bold.setBold(true);
                name->setFont(bold);
                name->setToolTip(tr("The true class"));
            }
            auto* bar = new QProgressBar(this);
            bar->setObjectName(QStringLiteral("topBar%1").arg(r));
            bar->setRange(0, 1000);
            bar->setValue(qRound(double(sample.topProbabilities[r]) * 1000.0));
            bar->setFormat(
                QStringLiteral("%1%").arg(double(sample.topProbabilities[r]) * 100.0, 0, 'f', 1));
            bar->setTextVisible(true);
            bar->setMinimumWidth(160);
            bars->addWidget(name, r, 0);
            bars->addWidget(bar, r, 1);
        }
        details->addLayout(bars);
    }
    details->addStretch(1);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setEnabled(false);
    details->addWidget(m_status);

    auto* top = new QHBoxLayout;
    top->addWidget(m_picture, 1);
    top->addLayout(details);

    // Grad-CAM: shown once setRunDirectory() names a run.
    m_camBox = new QWidget(this);
    m_camBox->setVisible(false);
    auto* showImageButton = new QRadioButton(tr("Image"), m_camBox);
    showImageButton->setObjectName(QStringLiteral("gradCamImage"));
    showImageButton->setChecked(true);
    auto* showPredicted = new QRadioButton(tr("Grad-CAM: predicted class"), m_camBox);
    showPredicted->setObjectName(QStringLiteral("gradCamPredicted"));
    showPredicted->setToolTip(
        tr("Where the model looked for its prediction (Grad-CAM at the chosen layer)"));
    m_showTrue = new QRadioButton(tr("Grad-CAM: true class"), m_camBox);
    m_showTrue->setObjectName(QStringLiteral("gradCamTrue"));
    m_showTrue->setToolTip(tr("Where the model sees evidence for the true class"));
    m_showTrue->setEnabled(sample.trueLabel >= 0);
    auto* group = new QButtonGroup(m_camBox);
    group->addButton(showImageButton, int(View::Image));
    group->addButton(showPredicted, int(View::GradCamPredicted));
    group->addButton(m_showTrue, int(View::GradCamTrue));
    connect(group, &QButtonGroup::idClicked, this, [this](int id) {
        m_view = View(id);
        updateView();
    });
    m_layer = new QComboBox(m_camBox);
    m_layer->setObjectName(QStringLiteral("gradCamLayer"));
    m_layer->setToolTip(tr("The layer whose activations Grad-CAM weighs (default: the last block)"));
    m_layer->setEnabled(false);
    m_layer->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_layer, &QComboBox::currentTextChanged, this, [this] { updateView(); });
    m_camStatus = new QLabel(m_camBox);
    m_camStatus->setObjectName(QStringLiteral("gradCamStatus"));
    m_camStatus->setWordWrap(true);
    auto* camRow = new QHBoxLayout;
    camRow->addWidget(showImageButton);
    camRow->addWidget(showPredicted);
    camRow->addWidget(m_showTrue);
    camRow->addSpacing(12);
    camRow->addWidget(new QLabel(tr("Layer:"), m_camBox));
    camRow->addWidget(m_layer);
    camRow->addStretch(1);
    auto* camLayout = new QVBoxLayout(m_camBox);
    camLayout->setContentsMargins(0, 0, 0, 0);
    camLayout->addLayout(camRow);
    camLayout->addWidget(m_camStatus);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addWidget(m_camBox);
    layout->addWidget(buttons);

    showImage(sample.thumbnail);
    if (!source) {
        m_status->setText(tr("Showing the small preview: the dataset is not open."));
        return;
    }
    m_status->setText(tr("Loading the full image…"));
    m_loading = true;
    auto* watcher = new QFutureWatcher<QImage>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        onLoaded(watcher->result());
    });
    // The job holds its own reference to the source; a closed dialog drops the result.
    const QString wanted = sample.item;
    watcher->setFuture(QtConcurrent::run([source, wanted]() -> QImage {
        try {
            const long long index = findItem(*source, wanted);
            if (index < 0) return {};
            return toQImage(source->load(std::size_t(index)));
        } catch (const std::exception&) {
            return {};
        }
    }));
}

void ImageInspector::showImage(const QImage& image) {
    m_image = image;
    if (m_view != View::Image) return;  // the overlay stays until updateView()
    if (image.isNull()) {
        m_picture->setText(tr("No image available"));
        return;
    }
    showPicture(image, m_fullLoaded);
}

void ImageInspector::showPicture(const QImage& image, bool crisp) {
    // Small images (28 px digits) are enlarged by a whole factor without
    // blurring; larger ones are scaled smoothly.
    const int longest = std::max(image.width(), image.height());
    QImage shown;
    if (crisp && longest * 4 <= kDisplaySize) {
        const int factor = kDisplaySize / longest;
        shown = image.scaled(image.width() * factor, image.height() * factor, Qt::KeepAspectRatio,
                             Qt::FastTransformation);
    } else {
        shown =
            image.scaled(kDisplaySize, kDisplaySize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    }
    m_picture->setPixmap(QPixmap::fromImage(shown));
}

void ImageInspector::onLoaded(const QImage& image) {
    m_loading = false;
    if (image.isNull()) {
        m_status->setText(
            tr("Showing the small preview: the full image could not be loaded "
               "from the dataset."));
        return;
    }
    m_fullLoaded = true;
    showImage(image);
    m_status->setText(tr("Full image: %1 × %2 pixels.").arg(image.width()).arg(image.height()));
    Q_EMIT imageLoaded();
    // Maps computed from the thumbnail are replaced by ones from the full image.
    m_overlays.clear();
    if (m_view != View::Image) updateView();
}

struct ImageInspector::CamJob {
    std::shared_ptr<fts::GradCam> cam;
    QStringList layers;
    QString defaultLayer;
    QString key;  // "class|layer" of the overlay
    QImage overlay;
    QString error;
};

void ImageInspector::setRunDirectory(const QString& runDir) {
    m_runDir = runDir;
    m_cam.reset();
    m_overlays.clear();
    m_camFailed = false;
    m_camBox->setVisible(!runDir.isEmpty());
    if (m_view != View::Image) updateView();
}

void ImageInspector::setView(View view) {
    if (auto* group = m_showTrue->group())
        if (auto* button = group->button(int(view))) button->setChecked(true);
    m_view = view;
    updateView();
}

QStringList ImageInspector::gradCamLayers() const {
    QStringList layers;
    for (int i = 0; i < m_layer->count(); ++i) layers << m_layer->itemText(i);
    return layers;
}

QString ImageInspector::gradCamLayer() const {
    return m_layer->currentText();
}

void ImageInspector::setGradCamLayer(const QString& layer) {
    m_layer->setCurrentText(layer);
}

void ImageInspector::updateView() {
    if (m_view == View::Image) {
        m_overlay = QImage();
        m_camStatus->clear();
        showImage(m_image);
        return;
    }
    if (m_camFailed || m_runDir.isEmpty() || m_camBusy) return;  // onCamFinished() comes back
    if (m_loading) {
        m_camStatus->setText(tr("Waiting for the image…"));
        return;
    }
    const int cls = m_view == View::GradCamPredicted ? m_sample.predicted : m_sample.trueLabel;
    if (cls < 0) return;
    const QString layer = m_layer->currentText();
    const QString key = QStringLiteral("%1|%2").arg(cls).arg(layer);
    if (!layer.isEmpty() && m_overlays.contains(key)) {
        m_overlay = m_overlays.value(key);
        showPicture(m_overlay, /*crisp=*/true);
        m_camStatus->setText(
            (m_view == View::GradCamPredicted
                 ? tr("Grad-CAM of the predicted class at %1: red marks where the evidence "
                      "for it lies.")
                 : tr("Grad-CAM of the true class at %1: red marks where the evidence for it "
                      "lies."))
                .arg(layer));
        Q_EMIT gradCamShown();
        return;
    }
    m_camBusy = true;
    m_overlay = QImage();
    m_camStatus->setText(tr("Computing Grad-CAM…"));
    auto* watcher = new QFutureWatcher<CamJob>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        onCamFinished(watcher->result());
    });
    // The model is loaded and run on the worker (never on the GUI thread);
    // jobs never overlap (m_camBusy), so the GradCam object has one user.
    watcher->setFuture(QtConcurrent::run(
        [cam = m_cam, runDir = m_runDir, rgb = toRgbImage(m_image), cls, layer]() mutable {
            CamJob job;
            try {
                if (!cam) cam = std::make_shared<fts::GradCam>(toPath(runDir));
                job.cam = cam;
                for (const auto& l : cam->layers()) job.layers << toQString(l);
                job.defaultLayer = toQString(cam->defaultLayer());
                const fts::GradCamResult r = cam->compute(rgb, cls, toStdString(layer));
                job.key = QStringLiteral("%1|%2").arg(cls).arg(toQString(r.layer));
                job.overlay = toQImage(r.overlay);
            } catch (const std::exception& e) {
                job.error = toQString(e.what());
            }
            return job;
        }));
}

void ImageInspector::onCamFinished(const CamJob& job) {
    m_camBusy = false;
    if (!job.error.isEmpty()) {
        m_camFailed = true;
        m_camStatus->setText(tr("Grad-CAM is not available: %1").arg(job.error));
        Q_EMIT gradCamFailed(job.error);
        return;
    }
    if (!m_cam) m_cam = job.cam;
    if (m_layer->count() == 0) {
        const QSignalBlocker block(m_layer);
        m_layer->addItems(job.layers);
        m_layer->setCurrentText(job.defaultLayer);
        m_layer->setEnabled(true);
    }
    m_overlays.insert(job.key, job.overlay);
    updateView();
}

}  // namespace fts::ui
