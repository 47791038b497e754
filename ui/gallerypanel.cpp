#include "gallerypanel.h"

#include "datasetedits.h"
#include "galleryfilterproxy.h"
#include "gallerymodel.h"
#include "imageinspector.h"

#include <QAbstractProxyModel>
#include <QAction>
#include <QActionGroup>
#include <QComboBox>
#include <QDir>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QPixmapCache>
#include <QPushButton>
#include <QSet>
#include <QStyledItemDelegate>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

namespace fts::ui {
namespace {

constexpr int kFrame = 3;  // pixels of the green / red frame
const QColor kCorrectColor(46, 125, 50);
const QColor kWrongColor(198, 40, 40);
const QColor kRelabelColor(21, 101, 192);  // badge of a pending relabelling
const QColor kExcludeColor(97, 97, 97);    // badge of a pending exclusion

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
        // A pending edit (DatasetEdits): a badge, and an excluded image fades.
        const int pendingKind = index.data(GalleryModel::PendingKindRole).toInt();
        if (pendingKind != 0) {
            if (pendingKind == 2) {
                QColor veil = option.palette.color(QPalette::Base);
                veil.setAlpha(170);
                painter->fillRect(inner, veil);
            }
            QFont bold = option.font;
            bold.setBold(true);
            const QFontMetrics bfm(bold);
            const QString badge =
                bfm.elidedText(index.data(GalleryModel::PendingTextRole).toString(),
                               Qt::ElideRight, inner.width() - 8);
            QRect b(0, 0, bfm.horizontalAdvance(badge) + 8, bfm.height() + 2);
            b.moveCenter(QPoint(inner.center().x(), inner.bottom() - b.height() / 2 - 2));
            painter->setRenderHint(QPainter::Antialiasing);
            painter->setPen(Qt::NoPen);
            painter->setBrush(pendingKind == 2 ? kExcludeColor : kRelabelColor);
            painter->drawRoundedRect(b, 4, 4);
            painter->setFont(bold);
            painter->setPen(Qt::white);
            painter->drawText(b, Qt::AlignCenter, badge);
            painter->setFont(option.font);
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
        // The true class of an image about to be relabelled or excluded is struck out.
        QFont first = option.font;
        first.setStrikeOut(pendingKind != 0);
        painter->setFont(first);
        painter->setPen(option.palette.color(pendingKind != 0 ? QPalette::PlaceholderText
                                                              : QPalette::Text));
        painter->drawText(text, Qt::AlignHCenter | Qt::AlignVCenter,
                          fm.elidedText(trueName, Qt::ElideRight, text.width()));
        painter->setFont(option.font);
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
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setToolTip(QString());  // items bring their own tooltips
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);

    // Fixing the data: pending edits, their undo, and the bar that applies them.
    m_edits = new DatasetEdits(this);
    m_model->setEdits(m_edits);
    m_undoAction = m_edits->undoStack()->createUndoAction(this, tr("Undo"));
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_undoAction->setObjectName(QStringLiteral("undoDatasetEdit"));
    m_redoAction = m_edits->undoStack()->createRedoAction(this, tr("Redo"));
    m_redoAction->setShortcut(QKeySequence::Redo);
    m_redoAction->setObjectName(QStringLiteral("redoDatasetEdit"));
    auto* editBar = new QFrame(this);
    editBar->setFrameShape(QFrame::StyledPanel);
    m_editBar = editBar;
    m_editBar->setObjectName(QStringLiteral("editBar"));
    m_editCount = new QLabel(m_editBar);
    m_editCount->setObjectName(QStringLiteral("editCount"));
    m_applyEdits = new QPushButton(tr("Apply to folder…"), m_editBar);
    m_applyEdits->setObjectName(QStringLiteral("applyEdits"));
    m_discardEdits = new QPushButton(tr("Discard"), m_editBar);
    m_discardEdits->setObjectName(QStringLiteral("discardEdits"));
    m_discardEdits->setToolTip(tr("Forget all pending changes (this can be undone)."));
    auto* undoButton = new QPushButton(tr("Undo"), m_editBar);
    undoButton->setObjectName(QStringLiteral("undoEdit"));
    auto* redoButton = new QPushButton(tr("Redo"), m_editBar);
    redoButton->setObjectName(QStringLiteral("redoEdit"));
    {
        auto* bar = new QHBoxLayout(m_editBar);
        bar->setContentsMargins(6, 3, 6, 3);
        bar->addWidget(m_editCount, 1);
        bar->addWidget(m_applyEdits);
        bar->addWidget(m_discardEdits);
        bar->addWidget(undoButton);
        bar->addWidget(redoButton);
    }
    connect(m_applyEdits, &QPushButton::clicked, this, &GalleryPanel::applyEdits);
    connect(m_discardEdits, &QPushButton::clicked, m_edits, &DatasetEdits::discard);
    connect(undoButton, &QPushButton::clicked, m_edits->undoStack(), &QUndoStack::undo);
    connect(redoButton, &QPushButton::clicked, m_edits->undoStack(), &QUndoStack::redo);
    connect(m_edits->undoStack(), &QUndoStack::canUndoChanged, undoButton, &QWidget::setEnabled);
    connect(m_edits->undoStack(), &QUndoStack::canRedoChanged, redoButton, &QWidget::setEnabled);
    connect(m_edits->undoStack(), &QUndoStack::undoTextChanged, undoButton,
            [undoButton](const QString& text) { undoButton->setToolTip(text); });
    connect(m_edits->undoStack(), &QUndoStack::redoTextChanged, redoButton,
            [redoButton](const QString& text) { redoButton->setToolTip(text); });
    undoButton->setEnabled(false);
    redoButton->setEnabled(false);
    connect(m_edits, &DatasetEdits::changed, this, &GalleryPanel::updateEditBar);
    connect(m_edits->undoStack(), &QUndoStack::indexChanged, this, &GalleryPanel::updateEditBar);
    connect(m_edits->undoStack(), &QUndoStack::cleanChanged, this, &GalleryPanel::updateEditBar);
    connect(m_edits, &DatasetEdits::applied, this, &GalleryPanel::onEditsApplied);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        QMenu* menu = createEditMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(m_view->viewport()->mapToGlobal(pos));
    });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_liveLabel);
    layout->addWidget(m_liveView);
    layout->addWidget(m_title);
    layout->addLayout(controls);
    layout->addWidget(m_editBar);
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
    updateEditBar();
}

void GalleryPanel::setClassNames(const QStringList& names) {
    m_model->setClassNames(names);
    m_liveModel->setClassNames(names);
    m_edits->setDataset(m_edits->root(), names);
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

void GalleryPanel::setDatasetRoot(const QString& root) {
    m_edits->setDataset(root, m_model->classNames());
}

void GalleryPanel::setTrainingRunning(bool running) {
    m_trainingRunning = running;
    updateEditBar();
}

QStringList GalleryPanel::selectedItems() const {
    QStringList items;
    for (const QModelIndex& index : m_view->selectionModel()->selectedIndexes())
        items << index.data(GalleryModel::ItemRole).toString();
    return items;
}

QMenu* GalleryPanel::createEditMenu(QWidget* parent) {
    auto* menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("galleryEditMenu"));
    menu->setToolTipsVisible(true);
    const QStringList items = selectedItems();
    QString why;  // empty: the selection can be edited
    if (m_edits->root().isEmpty())
        why = tr("Only image-folder datasets can be edited: these images are records inside a "
                 "data file (IDX or CIFAR), which cannot be moved.");
    else if (m_edits->isApplying())
        why = tr("The changes are being applied to the folder; wait until they are done.");
    else if (items.isEmpty())
        why = tr("Select one or more images first.");
    else if (!std::all_of(items.begin(), items.end(),
                          [this](const QString& item) { return m_edits->isEditable(item); }))
        why = tr("Only images of the dataset folder %1 can be relabelled or excluded.")
                  .arg(QDir::toNativeSeparators(m_edits->root()));
    const bool editable = why.isEmpty();

    QMenu* relabel = menu->addMenu(tr("Relabel as"));
    relabel->setObjectName(QStringLiteral("relabelMenu"));
    relabel->setToolTipsVisible(true);
    const QStringList& names = m_edits->classNames();
    // The class the selected images have now (a pending relabelling counts),
    // when they all have the same one: checked in the menu.
    QSet<QString> current;
    for (const QString& item : items) {
        const auto p = m_edits->pending(item);
        const int original = m_edits->originalClass(item);
        if (p && p->kind == fts::DatasetEdit::Kind::Relabel)
            current.insert(p->newClass);
        else if (!p && original >= 0)
            current.insert(names[original]);
        else
            current.insert(QString());  // excluded or unknown
    }
    auto* group = new QActionGroup(relabel);  // one class each: radio items
    for (int i = 0; i < names.size(); ++i) {
        QAction* action = relabel->addAction(names[i]);
        action->setData(i);
        action->setCheckable(true);
        group->addAction(action);
        action->setChecked(current.size() == 1 && *current.begin() == names[i]);
        connect(action, &QAction::triggered, m_edits, [this, items, i] {
            m_edits->relabel(items, i);
        });
    }
    relabel->menuAction()->setEnabled(editable && !names.isEmpty());
    relabel->menuAction()->setToolTip(
        editable ? tr("Move the image(s) into another class folder when the changes are applied.")
                 : why);

    QAction* exclude = menu->addAction(tr("Exclude from the dataset"));
    exclude->setObjectName(QStringLiteral("excludeAction"));
    exclude->setEnabled(editable);
    exclude->setToolTip(editable ? tr("Move the image(s) out of the dataset, into a folder beside "
                                      "it, when the changes are applied.")
                                 : why);
    connect(exclude, &QAction::triggered, m_edits, [this, items] { m_edits->exclude(items); });

    const bool anyPending = std::any_of(items.begin(), items.end(), [this](const QString& item) {
        return m_edits->pending(item).has_value();
    });
    QAction* revert = menu->addAction(tr("Revert changes"));
    revert->setObjectName(QStringLiteral("revertAction"));
    revert->setEnabled(editable && anyPending);
    revert->setToolTip(editable ? tr("Forget the pending changes of the image(s).") : why);
    connect(revert, &QAction::triggered, m_edits, [this, items] { m_edits->revert(items); });
    return menu;
}

QDialog* GalleryPanel::applyEdits() {
    if (m_trainingRunning) return nullptr;
    return m_edits->requestApply(this);
}

void GalleryPanel::updateEditBar() {
    const int pending = m_edits->pendingCount();
    const bool applying = m_edits->isApplying();
    const QUndoStack* undo = m_edits->undoStack();
    m_editBar->setVisible(pending > 0 || applying || undo->canUndo() || undo->canRedo());
    if (applying)
        m_editCount->setText(tr("Moving files…"));
    else if (pending > 0)
        m_editCount->setText(tr("%n change(s) pending", nullptr, pending));
    else
        m_editCount->setText(tr("No changes pending"));
    m_applyEdits->setEnabled(pending > 0 && !applying && !m_trainingRunning);
    m_applyEdits->setToolTip(
        m_trainingRunning
            ? tr("A training run is reading the data: stop it or wait until it finishes, then "
                 "apply the changes.")
            : tr("Move the files: relabelled images into their new class folders, excluded "
                 "images into a folder beside the dataset. Asks first; nothing is deleted."));
    m_discardEdits->setEnabled(pending > 0 && !applying);
}

QMessageBox* GalleryPanel::appliedMessage() const {
    return m_appliedMessage.data();
}

void GalleryPanel::onEditsApplied(int moved, int failed) {
    QString text = tr("Moved %n file(s).", nullptr, moved);
    if (failed > 0)
        text += QLatin1Char(' ') +
                tr("%n file(s) could not be moved and stay where they were (see the details).",
                   nullptr, failed);
    if (!m_edits->lastJournalProblem().isEmpty())
        text += QLatin1Char(' ') + m_edits->lastJournalProblem();
    if (moved > 0)
        text += QStringLiteral("\n\n") +
                tr("Train again to learn from the fixed data.");
    auto* box = new QMessageBox(failed > 0 ? QMessageBox::Warning : QMessageBox::Information,
                                tr("Changes applied"), text, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("editsAppliedMessage"));
    if (failed > 0) box->setDetailedText(m_edits->lastFailures().join(QLatin1Char('\n')));
    box->setAttribute(Qt::WA_DeleteOnClose);
    m_appliedMessage = box;
    box->open();
    if (moved > 0) Q_EMIT datasetChanged(m_edits->root());
}

}  // namespace fts::ui
