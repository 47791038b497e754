#include "imageinspector.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
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

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
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
    if (image.isNull()) {
        m_picture->setText(tr("No image available"));
        return;
    }
    // Small images (28 px digits) are enlarged by a whole factor without
    // blurring; larger ones are scaled smoothly.
    const int longest = std::max(image.width(), image.height());
    QImage shown;
    if (m_fullLoaded && longest * 4 <= kDisplaySize) {
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
}

}  // namespace fts::ui
