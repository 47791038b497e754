#include "gallerypanel.h"

#include "galleryfilterproxy.h"
#include "gallerymodel.h"
#include "imageinspector.h"

#include <QAbstractProxyModel>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPainter>
#include <QPixmapCache>
#include <QStyledItemDelegate>
#include <QVBoxLayout>

#include <algorithm>

namespace fts::ui {
namespace {

constexpr int kFrame = 3;  // pixels of the green / red frame
const QColor kCorrectColor(46, 125, 50);
const QColor kWrongColor(198, 40, 40);

/// Paints one prediction: the thumbnail scaled up to `thumbnailSize` inside a
/// green (correct) or red (wrong) frame, then the true class and the
/// prediction with its confidence. Stateless apart from its sizes.
class GalleryDelegate : public QStyledItemDelegate {
public:
    GalleryDelegate(int thumbnailSize, QObject* parent)
        : QStyledItemDelegate(parent), m_thumbnail(thumbnailSize) {}

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const override {
        const int line = option.fontMetrics.height();
        // Wide enough for a typical class name and "→ name 99%" under a small
        // thumbnail (the live strip's), so that captions are rarely elided.
        const int text = option.fontMetrics.horizontalAdvance(QStringLiteral("→ Ankle boot 99%"));
        return {std::max(m_thumbnail + 2 * kFrame + 16, text + 8),
                m_thumbnail + 2 * kFrame + 2 * line + 10};
    }

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override {
        painter->save();
        const QRect r = option.rect;
        if (option.state & QStyle::State_Selected)
            painter->fillRect(r, option.palette.color(QPalette::Highlight).lighter(160));

        // An unlabelled image (folder prediction) is neither right nor wrong.
        const bool unlabelled = index.data(GalleryModel::TrueLabelRole).toInt() < 0;
        const bool correct = unlabelled || index.data(GalleryModel::CorrectRole).toBool();
        const int box = m_thumbnail + 2 * kFrame;
        const QRect frame(r.left() + (r.width() - box) / 2, r.top() + 2, box, box);
        painter->fillRect(frame, unlabelled ? option.palette.color(QPalette::Mid)
                                            : (correct ? kCorrectColor : kWrongColor));
        const QRect inner = frame.adjusted(kFrame, kFrame, -kFrame, -kFrame);
        painter->fillRect(inner, option.palette.color(QPalette::Base));

        const QImage image = index.data(Qt::DecorationRole).value<QImage>();
        if (!image.isNull()) {
            const QPixmap pixmap = scaledPixmap(image);
            painter->drawPixmap(inner.left() + (inner.width() - pixmap.width()) / 2,
                                inner.top() + (inner.height() - pixmap.height()) / 2, pixmap);
        }

        const auto* model = qobject_cast<const GalleryModel*>(sourceModel(index.model()));
        const int trueLabel = index.data(GalleryModel::TrueLabelRole).toInt();
        const int predicted = index.data(GalleryModel::PredictedRole).toInt();
        const QString trueName = model ? model->className(trueLabel) : QString::number(trueLabel);
        const QString predictedName =
            model ? model->className(predicted) : QString::number(predicted);
        const int percent = qRound(index.data(GalleryModel::ConfidenceRole).toDouble() * 100.0);

        const QFontMetrics& fm = option.fontMetrics;
        const int line = fm.height();
        QRect text(r.left() + 2, frame.bottom() + 3, r.width() - 4, line);
        painter->setPen(option.palette.color(QPalette::Text));
        painter->drawText(text, Qt::AlignHCenter | Qt::AlignVCenter,
                          fm.elidedText(trueName, Qt::ElideRight, text.width()));
        text.translate(0, line);
        painter->setPen(correct ? option.palette.color(QPalette::Text) : kWrongColor);
        const QString second = QStringLiteral("→ %1 %2%").arg(predictedName).arg(percent);
        painter->drawText(text, Qt::AlignHCenter | Qt::AlignVCenter,
                          fm.elidedText(second, Qt::ElideMiddle, text.width()));
        painter->restore();
    }

private:
    static const QAbstractItemModel* sourceModel(const QAbstractItemModel* model) {
        while (const auto* proxy = qobject_cast<const QAbstractProxyModel*>(model))
            model = proxy->sourceModel();
        return model;
    }

    // Scaling 750 thumbnails on every repaint is wasteful: cache the pixmaps.
    QPixmap scaledPixmap(const QImage& image) const {
        const QString key =
            QStringLiteral("fts-gallery-%1-%2").arg(image.cacheKey()).arg(m_thumbnail);
        QPixmap pixmap;
        if (QPixmapCache::find(key, &pixmap)) return pixmap;
        pixmap = QPixmap::fromImage(
            image.scaled(m_thumbnail, m_thumbnail, Qt::KeepAspectRatio, Qt::SmoothTransformation));
        QPixmapCache::insert(key, pixmap);
        return pixmap;
    }

    int m_thumbnail;
};

// Sizes of the thumbnails (pixels) in the gallery and in the live strip.
constexpr int kGalleryThumbnail = 96;
constexpr int kLiveThumbnail = 56;

enum FilterItem { FilterAll, FilterWrong, FilterRight, FilterTrue, FilterPredicted, FilterCell };

}  // namespace

GalleryPanel::GalleryPanel(QWidget* parent) : QWidget(parent) {
    m_model = new GalleryModel(this);
    m_proxy = new GalleryFilterProxy(this);
    m_proxy->setSourceModel(m_model);
    m_liveModel = new GalleryModel(this);

    // Live strip.
    m_liveLabel = new QLabel(tr("Training now: the model's guesses on the (augmented) images "
                                "it is learning from"),
                             this);
    m_liveView = new QListView(this);
    m_liveView->setObjectName(QStringLiteral("liveStrip"));
    m_liveView->setModel(m_liveModel);
    m_liveView->setItemDelegate(new GalleryDelegate(kLiveThumbnail, m_liveView));
    m_liveView->setViewMode(QListView::IconMode);
    m_liveView->setFlow(QListView::LeftToRight);
    m_liveView->setWrapping(false);
    m_liveView->setMovement(QListView::Static);
    m_liveView->setUniformItemSizes(true);
    m_liveView->setSelectionMode(QAbstractItemView::NoSelection);
    m_liveView->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_liveView->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    {
        const int line = fontMetrics().height();
        m_liveView->setFixedHeight(kLiveThumbnail + 2 * kFrame + 2 * line + 10 + 24);
    }

    // Filter and sort controls.
    m_filterMode = new QComboBox(this);
    m_filterMode->addItem(tr("All images"), FilterAll);
    m_filterMode->addItem(tr("Misclassified"), FilterWrong);
    m_filterMode->addItem(tr("Correctly classified"), FilterRight);
    m_filterMode->addItem(tr("By true class"), FilterTrue);
    m_filterMode->addItem(tr("By predicted class"), FilterPredicted);
    m_filterMode->addItem(tr("True and predicted class"), FilterCell);
    m_filterMode->setToolTip(
        tr("Which validation images to show, for example only the ones the "
           "model got wrong."));
    m_trueClass = new QComboBox(this);
    m_trueClass->setToolTip(tr("Show images whose real class is this one."));
    m_predictedClass = new QComboBox(this);
    m_predictedClass->setToolTip(tr("Show images the model predicted as this class."));
    m_sort = new QComboBox(this);
    m_sort->addItem(tr("Highest loss first"), int(GalleryFilterProxy::Sort::LossDescending));
    m_sort->addItem(tr("Most confident first"),
                    int(GalleryFilterProxy::Sort::ConfidenceDescending));
    m_sort->addItem(tr("Least confident first"),
                    int(GalleryFilterProxy::Sort::ConfidenceAscending));
    m_sort->addItem(tr("File name"), int(GalleryFilterProxy::Sort::Item));
    m_sort->setToolTip(
        tr("The order of the images: highest loss first shows the worst "
           "mistakes at the top."));
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("galleryCount"));
    m_title = new QLabel(this);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Show:"), this));
    controls->addWidget(m_filterMode);
    controls->addWidget(m_trueClass);
    controls->addWidget(m_predictedClass);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("Sort:"), this));
    controls->addWidget(m_sort);
    controls->addStretch(1);
    controls->addWidget(m_count);

    // The gallery.
    m_view = new QListView(this);
    m_view->setObjectName(QStringLiteral("gallery"));
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new GalleryDelegate(kGalleryThumbnail, m_view));
    m_view->setViewMode(QListView::IconMode);
    m_view->setMovement(QListView::Static);
    m_view->setResizeMode(QListView::Adjust);
    m_view->setWrapping(true);
    m_view->setUniformItemSizes(true);
    m_view->setLayoutMode(QListView::Batched);
    m_view->setBatchSize(200);
    m_view->setSpacing(4);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setToolTip(QString());  // items bring their own tooltips

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_liveLabel);
    layout->addWidget(m_liveView);
    layout->addWidget(m_title);
    layout->addLayout(controls);
    layout->addWidget(m_view, 1);

    connect(m_filterMode, QOverload<int>::of(&QComboBox::currentIndexChanged), this,
            &GalleryPanel::applyFilter);
    connect(m_trueClass, QOverload<int>::of(&QComboBox::currentIndexChanged), this,
            &GalleryPanel::applyFilter);
    connect(m_predictedClass, QOverload<int>::of(&QComboBox::currentIndexChanged), this,
            &GalleryPanel::applyFilter);
    connect(m_sort, QOverload<int>::of(&QComboBox::currentIndexChanged), this,
            &GalleryPanel::applySort);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &GalleryPanel::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &GalleryPanel::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &GalleryPanel::updateCount);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &GalleryPanel::updateCount);
    connect(m_view, &QListView::doubleClicked, this, &GalleryPanel::openInspector);
    connect(m_liveView, &QListView::doubleClicked, this, &GalleryPanel::openInspector);

    applySort();
    updateFilterControls();
    updateCount();
}

void GalleryPanel::setClassNames(const QStringList& names) {
    m_model->setClassNames(names);
    m_liveModel->setClassNames(names);
    // Keep the classes filtered on (showCell() may have come before the names).
    const int wanted[2] = {m_proxy->trueClass(), m_proxy->predictedClass()};
    QComboBox* combos[2] = {m_trueClass, m_predictedClass};
    for (int i = 0; i < 2; ++i) {
        const int current = wanted[i] >= 0 ? wanted[i] : combos[i]->currentIndex();
        const QSignalBlocker block(combos[i]);
        combos[i]->clear();
        combos[i]->addItems(names);
        combos[i]->setCurrentIndex(current >= 0 && current < names.size() ? current : 0);
    }
    applyFilter();
}

void GalleryPanel::setPredictions(int epoch, const QVector<PredictionSample>& predictions) {
    m_model->setPredictions(epoch, predictions);
    m_title->setText(tr("Validation images after epoch %1").arg(epoch));
    updateCount();
}

void GalleryPanel::setFolderPredictions(const QString& title,
                                        const QVector<PredictionSample>& predictions) {
    // The images are files, not items of the training data: the inspector
    // shows the thumbnail rather than looking them up in a data source.
    m_source.reset();
    m_model->setPredictions(/*epoch=*/0, predictions);
    m_title->setText(title);
    updateCount();
}

void GalleryPanel::addTrainingSamples(int epoch, const QVector<PredictionSample>& samples) {
    for (const auto& sample : samples) m_live.prepend(sample);
    if (m_live.size() > kLiveSamples) m_live.resize(kLiveSamples);
    m_liveModel->setPredictions(epoch, m_live);
    m_liveLabel->setText(tr("Training now (epoch %1): the model's guesses on the (augmented) "
                            "images it is learning from")
                             .arg(epoch));
}

void GalleryPanel::clear() {
    m_model->clear();
    m_live.clear();
    m_liveModel->clear();
    m_title->clear();
    updateCount();
}

void GalleryPanel::setDataSource(std::shared_ptr<const fts::DataSource> source) {
    m_source = std::move(source);
}

void GalleryPanel::showCell(int trueLabel, int predicted) {
    {
        const QSignalBlocker b1(m_filterMode);
        const QSignalBlocker b2(m_trueClass);
        const QSignalBlocker b3(m_predictedClass);
        m_filterMode->setCurrentIndex(m_filterMode->findData(FilterCell));
        m_trueClass->setCurrentIndex(trueLabel);
        m_predictedClass->setCurrentIndex(predicted);
    }
    // Filter on the numbers asked for, even before the class names arrive.
    m_proxy->setFilter(GalleryFilterProxy::Filter::Cell, trueLabel, predicted);
    updateFilterControls();
    updateCount();
}

void GalleryPanel::showAll() {
    m_filterMode->setCurrentIndex(m_filterMode->findData(FilterAll));
}

ImageInspector* GalleryPanel::openInspector(const QModelIndex& index) {
    if (!index.isValid()) return nullptr;
    const auto sample = index.data(GalleryModel::SampleRole).value<PredictionSample>();
    auto* inspector = new ImageInspector(sample, m_model->classNames(), m_source, this);
    inspector->setRunDirectory(m_runDir);
    inspector->show();
    Q_EMIT inspectorOpened(inspector);
    return inspector;
}

void GalleryPanel::applyFilter() {
    using Filter = GalleryFilterProxy::Filter;
    const int t = m_trueClass->currentIndex();
    const int p = m_predictedClass->currentIndex();
    switch (m_filterMode->currentData().toInt()) {
        case FilterWrong:
            m_proxy->setFilter(Filter::Misclassified);
            break;
        case FilterRight:
            m_proxy->setFilter(Filter::Correct);
            break;
        case FilterTrue:
            m_proxy->setFilter(Filter::TrueClass, t);
            break;
        case FilterPredicted:
            m_proxy->setFilter(Filter::PredictedClass, -1, p);
            break;
        case FilterCell:
            m_proxy->setFilter(Filter::Cell, t, p);
            break;
        default:
            m_proxy->setFilter(Filter::All);
            break;
    }
    updateFilterControls();
    updateCount();
}

void GalleryPanel::applySort() {
    m_proxy->setSort(GalleryFilterProxy::Sort(m_sort->currentData().toInt()));
}

void GalleryPanel::updateFilterControls() {
    const int mode = m_filterMode->currentData().toInt();
    m_trueClass->setVisible(mode == FilterTrue || mode == FilterCell);
    m_predictedClass->setVisible(mode == FilterPredicted || mode == FilterCell);
}

QString GalleryPanel::countText() const {
    return m_count->text();
}

void GalleryPanel::updateCount() {
    if (m_model->rowCount() == 0) {
        m_count->setText(tr("No predictions yet: they appear after the first epoch."));
        return;
    }
    m_count->setText(
        tr("%1 of %n image(s)", nullptr, m_model->rowCount()).arg(m_proxy->rowCount()));
}

}  // namespace fts::ui
