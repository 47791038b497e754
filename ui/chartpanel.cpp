#include "chartpanel.h"

#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <QEvent>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QGridLayout>
#include <QPainter>
#include <QTimer>

#include <algorithm>
#include <array>
#include <cmath>

namespace fts::ui {
namespace {

constexpr int kSeriesCount = int(ChartPanel::Series::LearningRate) + 1;
// A line of more points than this is shown thinned to evenly spaced ones:
// more cannot be told apart at chart size, and each redraw stays cheap.
constexpr int kMaxShownPoints = 4000;
// Share of the height the loss chart gets, above accuracy and learning rate.
constexpr int kLossRowStretch = 3;
constexpr int kLowerRowStretch = 2;

const QColor kTrainColour(31, 119, 180);  // blue
const QColor kValColour(230, 115, 0);     // orange
const QColor kLrColour(44, 160, 44);      // green

int index(ChartPanel::Series s) {
    return int(s);
}

QPen pen(QColor colour, qreal width, int alpha = 255, Qt::PenStyle style = Qt::SolidLine) {
    colour.setAlpha(alpha);
    QPen p(colour, width, style);
    p.setCapStyle(Qt::RoundCap);
    p.setJoinStyle(Qt::RoundJoin);
    return p;
}

QVector<QPointF> thinned(const QVector<QPointF>& all) {
    if (all.size() <= kMaxShownPoints) return all;
    const qsizetype stride = (all.size() + kMaxShownPoints - 1) / kMaxShownPoints;
    QVector<QPointF> out;
    out.reserve(all.size() / stride + 2);
    for (qsizetype i = 0; i < all.size(); i += stride) out.push_back(all[i]);
    if ((all.size() - 1) % stride != 0) out.push_back(all.back());
    return out;
}

/// A tick step for an epoch axis of `span` epochs: whole epochs, at most
/// about ten labels, on 1-2-5 steps.
double epochTickStep(double span) {
    for (double step : {1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0})
        if (span / step <= 10.0) return step;
    return std::ceil(span / 10.0);
}

double maxY(const QVector<QPointF>& points) {
    double m = 0.0;
    for (const QPointF& p : points) m = std::max(m, p.y());
    return m;
}

}  // namespace

struct ChartPanel::Private {
    QChart* lossChart = nullptr;
    QChart* accuracyChart = nullptr;
    QChart* lrChart = nullptr;
    std::array<QChartView*, 3> views{};
    std::array<QLineSeries*, kSeriesCount> series{};
    QValueAxis* lossX = nullptr;
    QValueAxis* lossY = nullptr;
    QValueAxis* accuracyX = nullptr;
    QValueAxis* accuracyY = nullptr;
    QValueAxis* lrX = nullptr;
    QValueAxis* lrY = nullptr;
    QTimer* updateTimer = nullptr;

    // Every point received since reset(); the series show them (thinned).
    std::array<QVector<QPointF>, kSeriesCount> data;
    std::array<bool, kSeriesCount> dirty{};
    double smoothed = 0.0;
    bool haveSmoothed = false;
    int epochs = 0;  // the run's epoch count, as the events say

    QLineSeries* s(Series which) const { return series[std::size_t(index(which))]; }
    QVector<QPointF>& points(Series which) { return data[std::size_t(index(which))]; }
    void append(Series which, QPointF p) {
        data[std::size_t(index(which))].push_back(p);
        dirty[std::size_t(index(which))] = true;
    }
};

ChartPanel::ChartPanel(QWidget* parent) : QWidget(parent), d(std::make_unique<Private>()) {
    const bool dark = palette().color(QPalette::Window).lightness() < 128;

    auto makeChart = [&](QValueAxis*& x, QValueAxis*& y) {
        auto* chart = new QChart;  // owned by its view
        chart->setAnimationOptions(QChart::NoAnimation);
        chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
        chart->setBackgroundRoundness(0);
        chart->setMargins(QMargins(2, 2, 2, 2));
        chart->layout()->setContentsMargins(0, 0, 0, 0);
        QFont titleFont = chart->titleFont();
        titleFont.setBold(true);
        chart->setTitleFont(titleFont);
        chart->legend()->setAlignment(Qt::AlignBottom);
        x = new QValueAxis(chart);
        y = new QValueAxis(chart);
        chart->addAxis(x, Qt::AlignBottom);
        chart->addAxis(y, Qt::AlignLeft);
        x->setLabelFormat(QStringLiteral("%g"));
        x->setTickType(QValueAxis::TicksDynamic);
        x->setTickAnchor(0.0);
        x->setTickInterval(1.0);
        x->setRange(0.0, 1.0);
        x->setMinorTickCount(0);
        return chart;
    };
    auto addSeries = [&](QChart* chart, Series which, const QPen& linePen, bool markers,
                         QValueAxis* x, QValueAxis* y) {
        auto* series = new QLineSeries(chart);
        series->setPen(linePen);
        if (markers) {
            series->setPointsVisible(true);
            series->setMarkerSize(6.0);
            series->setColor(linePen.color());
        }
        chart->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
        d->series[std::size_t(index(which))] = series;
    };

    d->lossChart = makeChart(d->lossX, d->lossY);
    addSeries(d->lossChart, Series::BatchLoss, pen(kTrainColour, 1.0, 70), false, d->lossX,
              d->lossY);
    addSeries(d->lossChart, Series::SmoothedLoss, pen(kTrainColour, 2.0), false, d->lossX,
              d->lossY);
    addSeries(d->lossChart, Series::TrainLoss,
              pen(kTrainColour.darker(150), 1.5, 255, Qt::DashLine), true, d->lossX, d->lossY);
    addSeries(d->lossChart, Series::ValLoss, pen(kValColour, 2.0), true, d->lossX, d->lossY);
    d->lossY->setLabelFormat(QStringLiteral("%.3g"));

    d->accuracyChart = makeChart(d->accuracyX, d->accuracyY);
    addSeries(d->accuracyChart, Series::TrainAccuracy, pen(kTrainColour, 2.0), true, d->accuracyX,
              d->accuracyY);
    addSeries(d->accuracyChart, Series::ValAccuracy, pen(kValColour, 2.0), true, d->accuracyX,
              d->accuracyY);
    // Two short names: beside the plot, where the half-width chart has room
    // to spare, rather than under it, where height is scarce.
    d->accuracyChart->legend()->setAlignment(Qt::AlignRight);
    d->accuracyY->setRange(0.0, 100.0);
    d->accuracyY->setTickCount(5);  // 0, 25, 50, 75, 100
    d->accuracyY->setLabelFormat(QStringLiteral("%.0f"));

    d->lrChart = makeChart(d->lrX, d->lrY);
    addSeries(d->lrChart, Series::LearningRate, pen(kLrColour, 2.0), false, d->lrX, d->lrY);
    d->lrChart->legend()->hide();  // one line: the title names it
    d->lrY->setLabelFormat(QStringLiteral("%.2g"));

    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(4);
    const std::array<QChart*, 3> charts{d->lossChart, d->accuracyChart, d->lrChart};
    for (std::size_t i = 0; i < charts.size(); ++i) {
        auto* view = new QChartView(charts[i], this);
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumSize(160, 120);
        d->views[i] = view;
    }
    grid->addWidget(d->views[0], 0, 0, 1, 2);
    grid->addWidget(d->views[1], 1, 0);
    grid->addWidget(d->views[2], 1, 1);
    grid->setRowStretch(0, kLossRowStretch);
    grid->setRowStretch(1, kLowerRowStretch);

    d->updateTimer = new QTimer(this);
    d->updateTimer->setSingleShot(true);
    d->updateTimer->setInterval(UpdateIntervalMs);
    connect(d->updateTimer, &QTimer::timeout, this, &ChartPanel::flush);

    retranslate();
    reset();
}

ChartPanel::~ChartPanel() = default;

void ChartPanel::retranslate() {
    d->lossChart->setTitle(tr("Loss"));
    d->accuracyChart->setTitle(tr("Accuracy (%)"));
    d->lrChart->setTitle(tr("Learning rate"));
    d->s(Series::BatchLoss)->setName(tr("Batch"));
    d->s(Series::SmoothedLoss)->setName(tr("Batch, smoothed"));
    d->s(Series::TrainLoss)->setName(tr("Training (epoch)"));
    d->s(Series::ValLoss)->setName(tr("Validation (epoch)"));
    d->s(Series::TrainAccuracy)->setName(tr("Training"));
    d->s(Series::ValAccuracy)->setName(tr("Validation"));
    d->s(Series::LearningRate)->setName(tr("Learning rate"));
    for (QValueAxis* x : {d->lossX, d->accuracyX, d->lrX}) x->setTitleText(tr("Epoch"));
    for (std::size_t i = 0; i < d->views.size(); ++i)
        d->views[i]->setToolTip(i == 0   ? tr("Loss of each batch (faint), its moving average "
                                                "and the mean loss of each epoch: lower is better.")
                                : i == 1 ? tr("Share of images classified correctly after each "
                                              "epoch: higher is better.")
                                         : tr("Learning rate the optimizer used for each batch."));
}

void ChartPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

void ChartPanel::reset() {
    d->updateTimer->stop();
    for (auto& points : d->data) points.clear();
    d->dirty.fill(true);
    d->smoothed = 0.0;
    d->haveSmoothed = false;
    d->epochs = 0;
    flush();
}

double ChartPanel::smoothingWeightFor(int batchesPerEpoch) {
    const double window = std::clamp(batchesPerEpoch / 2, 1, 10);
    return std::min(SmoothingWeight, 1.0 - 1.0 / window);
}

void ChartPanel::addBatch(const fts::BatchProgress& progress) {
    if (progress.batches <= 0 || progress.epoch <= 0) return;
    const double x = double(progress.epoch - 1) + double(progress.batch) / double(progress.batches);
    d->epochs = std::max(d->epochs, progress.epochs);
    if (std::isfinite(progress.loss)) {
        const double w = smoothingWeightFor(progress.batches);
        d->smoothed = d->haveSmoothed ? w * d->smoothed + (1.0 - w) * progress.loss : progress.loss;
        d->haveSmoothed = true;
        d->append(Series::BatchLoss, {x, progress.loss});
        d->append(Series::SmoothedLoss, {x, d->smoothed});
    }
    if (std::isfinite(progress.learningRate))
        d->append(Series::LearningRate, {x, progress.learningRate});
    scheduleUpdate();
}

void ChartPanel::addEpoch(const fts::EpochMetrics& metrics) {
    if (metrics.epoch <= 0) return;
    const double x = metrics.epoch;  // the end of the epoch on the batch axis
    d->epochs = std::max(d->epochs, metrics.epochs);
    if (std::isfinite(metrics.trainLoss)) d->append(Series::TrainLoss, {x, metrics.trainLoss});
    if (std::isfinite(metrics.valLoss)) d->append(Series::ValLoss, {x, metrics.valLoss});
    d->append(Series::TrainAccuracy, {x, 100.0 * metrics.trainAccuracy});
    d->append(Series::ValAccuracy, {x, 100.0 * metrics.valAccuracy});
    scheduleUpdate();
}

void ChartPanel::scheduleUpdate() {
    // Coalesces: the first buffered point starts the timer, later ones ride along.
    if (!d->updateTimer->isActive()) d->updateTimer->start();
}

void ChartPanel::flush() {
    d->updateTimer->stop();
    bool any = false;
    for (std::size_t i = 0; i < d->data.size(); ++i) {
        if (!d->dirty[i]) continue;
        d->series[i]->replace(thinned(d->data[i]));  // one repaint per series, not per point
        d->dirty[i] = false;
        any = true;
    }
    if (!any) return;

    // x: the whole run from the start, so the curves grow towards the right edge.
    double lastX = 0.0;
    for (const auto& points : d->data)
        if (!points.isEmpty()) lastX = std::max(lastX, points.back().x());
    const double span = std::max({1.0, double(d->epochs), std::ceil(lastX)});
    for (QValueAxis* x : {d->lossX, d->accuracyX, d->lrX}) {
        x->setRange(0.0, span * 1.02);  // room for the last epoch's markers
        x->setTickInterval(epochTickStep(span));
    }

    // Loss: from 0 to just above what matters; a few early spikes of the raw
    // batch loss may leave the top rather than squash every other line.
    double top = std::max({maxY(d->points(Series::SmoothedLoss)),
                           maxY(d->points(Series::TrainLoss)), maxY(d->points(Series::ValLoss))});
    QVector<double> raw;
    raw.reserve(d->points(Series::BatchLoss).size());
    for (const QPointF& p : d->points(Series::BatchLoss)) raw.push_back(p.y());
    if (!raw.isEmpty()) {
        const auto at = raw.begin() + qsizetype(0.95 * double(raw.size() - 1));
        std::nth_element(raw.begin(), at, raw.end());
        top = std::max(top, *at);
    }
    d->lossY->setRange(0.0, top > 0.0 ? top * 1.1 : 1.0);
    d->lossY->applyNiceNumbers();

    const double lrTop = maxY(d->points(Series::LearningRate));
    d->lrY->setRange(0.0, lrTop > 0.0 ? lrTop * 1.1 : 1e-3);
    d->lrY->applyNiceNumbers();
}

int ChartPanel::pointCount(Series series) const {
    return int(d->s(series)->count());
}

QVector<QPointF> ChartPanel::points(Series series) const {
    return d->s(series)->points();
}

QImage ChartPanel::renderImage(const QSize& size) {
    if (size.isEmpty()) return {};
    flush();
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(palette().color(QPalette::Window));
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);

    // The on-screen arrangement: loss across the top, accuracy and learning
    // rate below, side by side.
    const int lossHeight = size.height() * kLossRowStretch / (kLossRowStretch + kLowerRowStretch);
    const int half = size.width() / 2;
    const std::array<QRect, 3> targets{
        QRect(0, 0, size.width(), lossHeight),
        QRect(0, lossHeight, half, size.height() - lossHeight),
        QRect(half, lossHeight, size.width() - half, size.height() - lossHeight)};
    const std::array<QChart*, 3> charts{d->lossChart, d->accuracyChart, d->lrChart};
    for (std::size_t i = 0; i < charts.size(); ++i) {
        QChart* chart = charts[i];
        // Laid out at the target size (not scaled), then put back as the view had it.
        const QSizeF shown = chart->size();
        chart->resize(targets[i].size());
        chart->layout()->activate();
        chart->scene()->render(&painter, QRectF(targets[i]), chart->geometry());
        chart->resize(shown);
        chart->layout()->activate();
    }
    painter.end();
    return image;
}

QSize ChartPanel::sizeHint() const {
    return {700, 450};
}

}  // namespace fts::ui
