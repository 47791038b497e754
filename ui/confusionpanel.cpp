#include "confusionpanel.h"

#include "classmetricsmodel.h"
#include "confusionmodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QSplitter>
#include <QStyle>
#include <QStyleOptionHeader>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace fts::ui {

namespace {

// The matrix's column header: labels run bottom to top, so that class names
// fit over narrow square columns. Names longer than `maxLength` pixels are
// elided; the full name is in the model's tooltip.
class VerticalTextHeader : public QHeaderView {
public:
    VerticalTextHeader(int maxLength, QWidget* parent)
        : QHeaderView(Qt::Horizontal, parent), m_maxLength(maxLength) {}

protected:
    void paintSection(QPainter* painter, const QRect& rect, int logicalIndex) const override {
        if (!rect.isValid() || !model()) return;
        QStyleOptionHeader option;
        initStyleOption(&option);
        option.rect = rect;
        option.section = logicalIndex;
        style()->drawControl(QStyle::CE_HeaderSection, &option, painter, this);  // no text

        const QString text = model()->headerData(logicalIndex, orientation()).toString();
        const int margin = style()->pixelMetric(QStyle::PM_HeaderMargin, &option, this);
        painter->save();
        // Rotated a quarter turn anticlockwise: x runs up the section, y to the right.
        painter->translate(rect.left(), rect.top() + rect.height());
        painter->rotate(-90);
        const QRect textRect(margin, 0, rect.height() - 2 * margin, rect.width());
        painter->setPen(palette().color(QPalette::ButtonText));
        painter->drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter,
                          fontMetrics().elidedText(text, Qt::ElideRight, textRect.width()));
        painter->restore();
    }

    QSize sectionSizeFromContents(int logicalIndex) const override {
        const int margin = style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, this);
        const QString text =
            model() ? model()->headerData(logicalIndex, orientation()).toString() : QString();
        const int length = std::min(fontMetrics().horizontalAdvance(text), m_maxLength);
        // + 2: horizontalAdvance rounds, elidedText measures exactly.
        return {fontMetrics().height() + 2 * margin, length + 2 * margin + 2};
    }

private:
    int m_maxLength;
};

}  // namespace

ConfusionPanel::ConfusionPanel(QWidget* parent)
    : QWidget(parent),
      m_confusion(new ConfusionModel(this)),
      m_metrics(new ClassMetricsModel(this)) {
    m_accuracyLabel = new QLabel(this);
    m_accuracyLabel->setObjectName(QStringLiteral("accuracyLabel"));
    m_accuracyLabel->setToolTip(
        tr("The share of validation images whose predicted class is their true class."));
    QFont bold = m_accuracyLabel->font();
    bold.setBold(true);
    m_accuracyLabel->setFont(bold);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);

    auto* matrixBox = new QWidget(splitter);
    auto* matrixLayout = new QVBoxLayout(matrixBox);
    matrixLayout->setContentsMargins(0, 0, 0, 0);
    m_captionLabel = new QLabel(
        tr("rows: true class \u00b7 columns: predicted class \u00b7 colour: share of the row"),
        matrixBox);
    m_captionLabel->setWordWrap(true);
    m_captionLabel->setToolTip(
        tr("Each row holds the validation images of one class; the column says what the model "
           "predicted. Green cells on the diagonal are right answers, red cells are mistakes. "
           "Click a cell to see its images."));
    matrixLayout->addWidget(m_captionLabel);

    m_matrixView = new QTableView(matrixBox);
    m_matrixView->setObjectName(QStringLiteral("confusionMatrixView"));
    m_matrixView->setModel(m_confusion);
    m_matrixView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_matrixView->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_matrixView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_matrixView->setWordWrap(false);
    m_matrixView->setToolTip(tr("Click a cell to show its images in the gallery."));
    // Long class names are elided rather than pushing the matrix away; the
    // headers' tooltips hold the full names.
    const int maxLabelLength = fontMetrics().horizontalAdvance(QLatin1Char('M')) * 10;
    m_matrixView->setHorizontalHeader(new VerticalTextHeader(maxLabelLength, m_matrixView));
    for (QHeaderView* header : {m_matrixView->horizontalHeader(), m_matrixView->verticalHeader()}) {
        header->setMinimumSectionSize(16);
        header->setSectionResizeMode(QHeaderView::Fixed);
        header->setTextElideMode(Qt::ElideRight);
        header->setSectionsClickable(false);
    }
    m_matrixView->verticalHeader()->setMaximumWidth(maxLabelLength);
    matrixLayout->addWidget(m_matrixView, /*stretch=*/1);
    matrixLayout->addStretch();  // takes the height the matrix does not need

    m_metricsView = new QTableView(splitter);
    m_metricsView->setObjectName(QStringLiteral("classMetricsView"));
    m_metricsView->setModel(m_metrics);
    m_metricsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_metricsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_metricsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_metricsView->setAlternatingRowColors(true);
    m_metricsView->setWordWrap(false);
    m_metricsView->verticalHeader()->hide();
    QHeaderView* metricsHeader = m_metricsView->horizontalHeader();
    metricsHeader->setSectionResizeMode(QHeaderView::ResizeToContents);
    metricsHeader->setSectionResizeMode(ClassMetricsModel::ClassColumn, QHeaderView::Stretch);

    splitter->addWidget(matrixBox);
    splitter->addWidget(m_metricsView);
    splitter->setStretchFactor(0, 2);  // the matrix first
    splitter->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_accuracyLabel);
    layout->addWidget(splitter, /*stretch=*/1);

    connect(m_confusion, &QAbstractItemModel::modelReset, this, &ConfusionPanel::refresh);
    connect(m_confusion, &QAbstractItemModel::dataChanged, this, &ConfusionPanel::refresh);
    connect(m_matrixView, &QAbstractItemView::clicked, this, &ConfusionPanel::onCellClicked);
    connect(m_matrixView, &QAbstractItemView::activated, this, &ConfusionPanel::onCellActivated);
    refresh();
}

void ConfusionPanel::setClassNames(const QStringList& names) {
    m_confusion->setClassNames(names);
}

void ConfusionPanel::setPredictions(const QVector<PredictionSample>& predictions) {
    m_confusion->setPredictions(predictions);
}

void ConfusionPanel::clear() {
    m_confusion->clear();
}

void ConfusionPanel::refresh() {
    m_metrics->setCounts(m_confusion->counts(), m_confusion->classNames());

    const qint64 total = m_confusion->total();
    if (total == 0) {
        m_accuracyLabel->setText(
            tr("No validation results yet: they appear here after the first epoch."));
    } else {
        qint64 correct = 0;
        for (int i = 0; i < m_confusion->classCount(); ++i) correct += m_confusion->count(i, i);
        m_accuracyLabel->setText(
            tr("Validation accuracy: %1% (%L2 of %L3 images correct)")
                .arg(QLocale().toString(100.0 * m_confusion->accuracy(), 'f', 1))
                .arg(correct)
                .arg(total));
    }

    // Square cells just wide enough for the largest count (and never tiny).
    qint64 largest = 0;
    for (int t = 0; t < m_confusion->classCount(); ++t)
        for (int p = 0; p < m_confusion->classCount(); ++p)
            largest = std::max(largest, m_confusion->count(t, p));
    const QFontMetrics metrics = m_matrixView->fontMetrics();
    const int digits = std::max(3, int(QString::number(largest).size()));
    const int side = std::max({metrics.horizontalAdvance(QString(digits, QLatin1Char('8'))) + 12,
                               metrics.height() + 12, 32});
    m_matrixView->horizontalHeader()->setDefaultSectionSize(side);
    m_matrixView->verticalHeader()->setDefaultSectionSize(side);

    // The matrix takes no more room than it needs: the metrics table gets the rest.
    const int n = m_confusion->classCount();
    QWidget* box = m_matrixView->parentWidget();
    if (n == 0) {
        m_matrixView->setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX);
        box->setMaximumWidth(QWIDGETSIZE_MAX);
        return;
    }
    const QHeaderView* vertical = m_matrixView->verticalHeader();
    const int frame = 2 * m_matrixView->frameWidth();
    const int width =
        std::min(vertical->sizeHint().width(), vertical->maximumWidth()) + n * side + frame;
    const int height = m_matrixView->horizontalHeader()->sizeHint().height() + n * side + frame;
    m_matrixView->setMaximumSize(width, height);
    box->setMaximumWidth(std::max(width, m_captionLabel->minimumSizeHint().width()));
}

void ConfusionPanel::onCellClicked(const QModelIndex& index) {
    if (!index.isValid()) return;
    // Forgotten once this mouse event is handled.
    m_lastClicked = index;
    QTimer::singleShot(0, this, [this] { m_lastClicked = QPersistentModelIndex(); });
    Q_EMIT cellActivated(index.row(), index.column());
}

void ConfusionPanel::onCellActivated(const QModelIndex& index) {
    // Styles that activate on a single click send activated() right after
    // clicked(), in the same mouse event: report that click once. Enter on a
    // cell and double clicks arrive here alone.
    const bool justClicked = index == m_lastClicked;
    m_lastClicked = QPersistentModelIndex();
    if (!justClicked && index.isValid()) Q_EMIT cellActivated(index.row(), index.column());
}

}  // namespace fts::ui
