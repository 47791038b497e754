#include "lrcurveview.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace fts::ui {

LrCurveView::LrCurveView(QWidget* parent) : QWidget(parent) {
    setMinimumSize(360, 220);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
}

void LrCurveView::setRange(double startLr, double endLr) {
    m_startLr = startLr;
    m_endLr = endLr;
    update();
}

void LrCurveView::setPoints(const std::vector<fts::LrPoint>& points) {
    m_points = points;
    update();
}

void LrCurveView::setSuggestion(double lr) {
    m_suggestion = lr;
    update();
}

void LrCurveView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm = fontMetrics();
    const QRectF plot = QRectF(rect()).adjusted(fm.horizontalAdvance(QStringLiteral("00.00")) + 12,
                                                10, -12, -(2 * fm.height() + 8));
    const double x0 = std::log10(m_startLr), x1 = std::log10(m_endLr);
    // The y range: the smoothed curve (raw losses may spike off the chart).
    double lo = 0.0, hi = 1.0;
    bool any = false;
    for (const auto& pt : m_points)
        if (std::isfinite(pt.smoothed)) {
            lo = any ? std::min(lo, pt.smoothed) : pt.smoothed;
            hi = any ? std::max(hi, pt.smoothed) : pt.smoothed;
            any = true;
        }
    if (any) {
        const double pad = std::max(1e-6, (hi - lo) * 0.08);
        lo = std::max(0.0, lo - pad);
        hi += pad;
    }
    const auto px = [&](double lr) {
        return plot.left() + (std::log10(lr) - x0) / (x1 - x0) * plot.width();
    };
    const auto py = [&](double loss) {
        return plot.bottom() - (std::clamp(loss, lo, hi) - lo) / (hi - lo) * plot.height();
    };

    // Axes, a tick per decade, the y range.
    const QColor grid = palette().color(QPalette::Mid);
    p.setPen(grid);
    p.drawRect(plot);
    for (int d = int(std::ceil(x0)); d <= int(std::floor(x1)); ++d) {
        const double x = px(std::pow(10.0, d));
        p.setPen(QPen(grid, 1, Qt::DotLine));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.setPen(palette().color(QPalette::Text));
        const QString label = QStringLiteral("1e%1").arg(d);
        p.drawText(QPointF(x - fm.horizontalAdvance(label) / 2.0, plot.bottom() + fm.height()),
                   label);
    }
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QRectF(0, plot.top() - 2, plot.left() - 6, fm.height()), Qt::AlignRight,
               QString::number(hi, 'f', 2));
    p.drawText(QRectF(0, plot.bottom() - fm.height(), plot.left() - 6, fm.height()), Qt::AlignRight,
               QString::number(lo, 'f', 2));
    const QString xTitle = tr("learning rate (log scale)");
    p.drawText(QRectF(plot.left(), plot.bottom() + fm.height() + 4, plot.width(), fm.height()),
               Qt::AlignHCenter, xTitle);
    p.save();
    p.translate(fm.height() * 0.9, plot.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-plot.height() / 2, -fm.height(), plot.height(), fm.height()),
               Qt::AlignHCenter, tr("loss"));
    p.restore();
    if (m_points.empty()) return;

    p.setClipRect(plot);
    QPainterPath raw, smooth;
    for (std::size_t i = 0; i < m_points.size(); ++i) {
        const auto& pt = m_points[i];
        const QPointF a(px(pt.lr), py(std::isfinite(pt.loss) ? pt.loss : hi));
        const QPointF b(px(pt.lr), py(std::isfinite(pt.smoothed) ? pt.smoothed : hi));
        if (i == 0) {
            raw.moveTo(a);
            smooth.moveTo(b);
        } else {
            raw.lineTo(a);
            smooth.lineTo(b);
        }
    }
    p.setPen(QPen(QColor(0x90, 0xca, 0xf9), 1));
    p.drawPath(raw);
    p.setPen(QPen(QColor(0x15, 0x65, 0xc0), 2.2));
    p.drawPath(smooth);
    if (m_suggestion > 0.0) {
        const double x = px(m_suggestion);
        p.setPen(QPen(QColor(0xc6, 0x28, 0x28), 1.5, Qt::DashLine));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.setPen(QColor(0xc6, 0x28, 0x28));
        const QString label = QString::number(m_suggestion, 'g', 2);
        const double w = fm.horizontalAdvance(label);
        p.drawText(QPointF(x + w + 6 < plot.right() ? x + 4 : x - w - 4, plot.top() + fm.height()),
                   label);
    }
}

}  // namespace fts::ui
