#include "classcountchart.h"

#include <QEvent>
#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace fts::ui {
namespace {

// Row heights in pixels: comfortable with few classes, still legible with 100.
constexpr int kMaxRowHeight = 22;
constexpr int kMinRowHeight = 14;
constexpr int kMargin = 4;
constexpr int kGap = 6;  // between name, bar and count
// Class names wider than this are elided (full name in the tooltip).
constexpr int kMaxNameWidth = 160;

}  // namespace

ClassCountChart::ClassCountChart(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setToolTip(
        tr("How many images each class has. Very uneven bars mean the model sees some "
           "classes far more often than others."));
}

void ClassCountChart::setCounts(const QStringList& classNames, const QVector<qint64>& counts) {
    m_names = classNames;
    m_counts = counts;
    m_counts.resize(m_names.size());
    updateGeometry();
    update();
}

void ClassCountChart::clear() {
    setCounts({}, {});
}

QSize ClassCountChart::sizeHint() const {
    const int rows = std::max<int>(1, int(m_names.size()));
    return {320, 2 * kMargin + rows * std::min(kMaxRowHeight, std::max(kMinRowHeight, 200 / rows))};
}

QSize ClassCountChart::minimumSizeHint() const {
    const int rows = std::max<int>(1, int(m_names.size()));
    return {160, 2 * kMargin + rows * kMinRowHeight};
}

ClassCountChart::Layout ClassCountChart::layoutRows() const {
    Layout layout;
    const int rows = int(m_names.size());
    if (rows == 0) return layout;
    layout.top = kMargin;
    layout.rowHeight = std::clamp((height() - 2 * kMargin) / rows, kMinRowHeight, kMaxRowHeight);
    const QFontMetrics metrics(font());
    for (const QString& name : m_names)
        layout.nameWidth = std::max(layout.nameWidth, metrics.horizontalAdvance(name) + 2);
    layout.nameWidth = std::min(layout.nameWidth, std::min(kMaxNameWidth, width() / 3));
    const qint64 largest =
        m_counts.isEmpty() ? 0 : *std::max_element(m_counts.begin(), m_counts.end());
    layout.countWidth = metrics.horizontalAdvance(QLocale().toString(largest));
    return layout;
}

int ClassCountChart::classAt(const QPoint& pos) const {
    const Layout layout = layoutRows();
    if (layout.rowHeight <= 0 || pos.y() < layout.top) return -1;
    const int row = (pos.y() - layout.top) / layout.rowHeight;
    return row < m_names.size() ? row : -1;
}

void ClassCountChart::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    const QPalette& pal = palette();
    if (m_names.isEmpty()) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("No dataset loaded"));
        return;
    }
    const Layout layout = layoutRows();
    const qint64 largest = std::max<qint64>(1, *std::max_element(m_counts.begin(), m_counts.end()));
    const QFontMetrics metrics(font());
    const int barLeft = kMargin + layout.nameWidth + kGap;
    const int barMax = std::max(1, width() - barLeft - kGap - layout.countWidth - kMargin);
    const QColor barColor = pal.color(QPalette::Highlight);
    const QColor emptyColor = QColor(198, 40, 40);  // a class with no images is a problem

    for (int row = 0; row < m_names.size(); ++row) {
        const int y = layout.top + row * layout.rowHeight;
        const QRect nameRect(kMargin, y, layout.nameWidth, layout.rowHeight);
        painter.setPen(pal.color(QPalette::WindowText));
        painter.drawText(nameRect, Qt::AlignRight | Qt::AlignVCenter,
                         metrics.elidedText(m_names[row], Qt::ElideRight, layout.nameWidth));

        const qint64 count = m_counts[row];
        const int barWidth = count > 0 ? std::max(1, int(double(barMax) * count / largest)) : 0;
        const int barHeight = std::max(4, layout.rowHeight - 6);
        const QRect bar(barLeft, y + (layout.rowHeight - barHeight) / 2, barWidth, barHeight);
        painter.fillRect(bar, barColor);

        painter.setPen(count > 0 ? pal.color(QPalette::WindowText) : emptyColor);
        const QRect countRect(barLeft + barWidth + kGap, y, layout.countWidth + kGap,
                              layout.rowHeight);
        painter.drawText(countRect, Qt::AlignLeft | Qt::AlignVCenter, QLocale().toString(count));
    }
}

bool ClassCountChart::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int row = classAt(help->pos());
        if (row >= 0) {
            QToolTip::showText(help->globalPos(),
                               tr("%1: %n image(s)", nullptr, int(m_counts[row])).arg(m_names[row]),
                               this);
            return true;
        }
    }
    return QWidget::event(event);
}

}  // namespace fts::ui
