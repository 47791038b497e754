#include "runcomparisonview.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace fts::ui {

namespace {

double valueOf(const fts::RunEpoch& e, RunComparisonView::Metric metric) {
    switch (metric) {
        case RunComparisonView::ValAccuracy:
            return e.valAccuracy;
        case RunComparisonView::ValLoss:
            return e.valLoss;
        case RunComparisonView::TrainAccuracy:
            return e.trainAccuracy;
        case RunComparisonView::TrainLoss:
            return e.trainLoss;
    }
    return std::nan("");
}

double niceStep(double range, int ticks) {
    const double raw = range / ticks;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (raw <= m * mag) return m * mag;
    return 10 * mag;
}

}  // namespace

RunComparisonView::RunComparisonView(QWidget* parent) : QWidget(parent) {
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void RunComparisonView::setSeries(QVector<Series> series) {
    m_series = std::move(series);
    update();
}

QString RunComparisonView::seriesName(int series) const {
    return series >= 0 && series < m_series.size() ? m_series[series].name : QString();
}

QColor RunComparisonView::seriesColour(int series) const {
    return series >= 0 && series < m_series.size() ? m_series[series].colour : QColor();
}

QVector<QPointF> RunComparisonView::points(int series, Metric metric) const {
    QVector<QPointF> out;
    if (series < 0 || series >= m_series.size()) return out;
    for (const auto& e : m_series[series].epochs) {
        const double v = valueOf(e, metric);
        if (std::isfinite(v)) out.append(QPointF(e.epoch, v));
    }
    return out;
}

void RunComparisonView::setMetric(Metric validationMetric) {
    m_metric = validationMetric == ValLoss || validationMetric == TrainLoss ? ValLoss : ValAccuracy;
    update();
}

void RunComparisonView::setShowTraining(bool on) {
    m_showTraining = on;
    update();
}

void RunComparisonView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm = fontMetrics();
    const QColor text = palette().color(QPalette::Text);
    const bool accuracy = m_metric == ValAccuracy;
    const Metric trainMetric = accuracy ? TrainAccuracy : TrainLoss;

    if (m_series.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap,
                   tr("Check runs in the table to overlay their curves here."));
        return;
    }

    // The legend under the plot: swatch + name, wrapped into rows.
    const int swatch = 22, gap = 16, rowH = fm.height() + 4;
    const int legendWidth = width() - 24;
    QVector<QRect> entries;
    {
        int x = 0, y = 0;
        for (const auto& s : m_series) {
            const int w = std::min(legendWidth, swatch + 10 + fm.horizontalAdvance(s.name));
            if (x > 0 && x + w > legendWidth) {
                x = 0;
                y += rowH;
            }
            entries.append(QRect(x, y, w, rowH));
            x += w + gap;
        }
    }
    const int legendHeight = entries.isEmpty() ? 0 : entries.back().bottom() + 1;

    const QString yTitle = accuracy ? tr("validation accuracy") : tr("validation loss");
    const QRectF plot =
        QRectF(rect()).adjusted(fm.horizontalAdvance(QStringLiteral("100%")) + fm.height() + 14, 10,
                                -14, -(2 * fm.height() + 14 + legendHeight));
    if (plot.width() < 40 || plot.height() < 40) return;

    // Ranges: epochs 1..the longest run; values over every drawn point.
    int maxEpoch = 1;
    double lo = 0, hi = 0;
    bool any = false;
    for (int i = 0; i < m_series.size(); ++i) {
        for (const Metric m : {m_metric, trainMetric}) {
            if (m == trainMetric && !m_showTraining) continue;
            for (const QPointF& pt : points(i, m)) {
                maxEpoch = std::max(maxEpoch, int(pt.x()));
                lo = any ? std::min(lo, pt.y()) : pt.y();
                hi = any ? std::max(hi, pt.y()) : pt.y();
                any = true;
            }
        }
        for (const auto& e : m_series[i].epochs) maxEpoch = std::max(maxEpoch, e.epoch);
    }
    if (!any) {
        lo = 0;
        hi = 1;
    }
    if (!accuracy) lo = 0.0;
    if (hi <= lo) hi = lo + (accuracy ? 0.1 : 1.0);
    const double yStep = niceStep(hi - lo, 5);
    lo = std::floor(lo / yStep + 1e-9) * yStep;
    hi = std::ceil(hi / yStep - 1e-9) * yStep;
    if (accuracy) {
        lo = std::max(0.0, lo);
        hi = std::min(1.0, hi);
    }
    const double x0 = 1.0, x1 = std::max(2, maxEpoch);
    const auto px = [&](double epoch) {
        return plot.left() + (epoch - x0) / (x1 - x0) * plot.width();
    };
    const auto py = [&](double v) {
        return plot.bottom() - (std::clamp(v, lo, hi) - lo) / (hi - lo) * plot.height();
    };

    // Grid, ticks and titles.
    const QColor grid = palette().color(QPalette::Mid);
    p.setPen(QPen(grid.lighter(130), 1, Qt::DotLine));
    for (double v = lo + yStep; v < hi - yStep * 1e-6; v += yStep)
        p.drawLine(QPointF(plot.left(), py(v)), QPointF(plot.right(), py(v)));
    p.setPen(grid);
    p.drawRect(plot);
    p.setPen(text);
    for (double v = lo; v <= hi + yStep * 1e-6; v += yStep) {
        const QString label =
            accuracy ? QStringLiteral("%1%").arg(std::lround(v * 100)) : QString::number(v, 'g', 3);
        p.drawText(QRectF(0, py(v) - fm.height() / 2.0, plot.left() - 6, fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, label);
    }
    const int xStep = std::max(1, int(niceStep(std::max(1.0, x1 - x0), 8)));
    for (int e = 1; e <= int(x1); e += (e == 1 && xStep > 1 ? xStep - 1 : xStep)) {
        const double x = px(e);
        p.setPen(grid);
        p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4));
        p.setPen(text);
        const QString label = QString::number(e);
        p.drawText(QPointF(x - fm.horizontalAdvance(label) / 2.0, plot.bottom() + 4 + fm.ascent()),
                   label);
    }
    p.drawText(QRectF(plot.left(), plot.bottom() + fm.height() + 6, plot.width(), fm.height()),
               Qt::AlignHCenter, tr("epoch"));
    p.save();
    p.translate(fm.height() * 0.2, plot.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-plot.height() / 2, 0, plot.height(), fm.height()), Qt::AlignHCenter, yTitle);
    p.restore();

    // The curves: one path per run and metric, broken at missing values.
    p.save();
    p.setClipRect(plot.adjusted(-4, -4, 4, 4));
    for (int i = 0; i < m_series.size(); ++i) {
        const QColor colour = m_series[i].colour;
        for (const Metric m : {trainMetric, m_metric}) {
            const bool training = m == trainMetric;
            if (training && !m_showTraining) continue;
            QPainterPath path;
            bool open = false;
            int lastEpoch = 0;
            for (const auto& e : m_series[i].epochs) {
                const double v = valueOf(e, m);
                if (!std::isfinite(v)) {
                    open = false;
                    continue;
                }
                const QPointF pt(px(e.epoch), py(v));
                if (open && e.epoch == lastEpoch + 1)
                    path.lineTo(pt);
                else
                    path.moveTo(pt);
                open = true;
                lastEpoch = e.epoch;
            }
            p.setBrush(Qt::NoBrush);
            p.setPen(QPen(colour, training ? 1.5 : 2.2, training ? Qt::DashLine : Qt::SolidLine,
                          Qt::RoundCap, Qt::RoundJoin));
            p.drawPath(path);
            if (!training) {
                p.setPen(QPen(colour, 1.2));
                p.setBrush(palette().color(QPalette::Base));
                for (const QPointF& pt : points(i, m))
                    p.drawEllipse(QPointF(px(pt.x()), py(pt.y())), 2.8, 2.8);
            }
        }
    }
    p.restore();

    // Legend.
    const QPoint origin(12, int(plot.bottom()) + 2 * fm.height() + 12);
    for (int i = 0; i < m_series.size(); ++i) {
        const QRect r = entries[i].translated(origin);
        const int mid = r.top() + r.height() / 2;
        p.setPen(QPen(m_series[i].colour, 2.5));
        p.drawLine(r.left(), mid, r.left() + swatch, mid);
        p.setPen(text);
        const QRect label(r.left() + swatch + 6, r.top(), r.width() - swatch - 6, r.height());
        p.drawText(label, Qt::AlignLeft | Qt::AlignVCenter,
                   fm.elidedText(m_series[i].name, Qt::ElideMiddle, label.width()));
    }
}

}  // namespace fts::ui
