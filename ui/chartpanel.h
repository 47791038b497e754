#pragma once

#include "uitypes.h"

#include <QPointF>
#include <QSize>
#include <QVector>
#include <QWidget>

#include <memory>

namespace fts::ui {

/// The live training charts: (a) loss (every signalled batch, faint; its
/// exponential moving average; per-epoch training and validation loss),
/// (b) training and validation accuracy per epoch, in percent, and (c) the
/// learning rate per batch. The x axis is the epoch, fractional for batches
/// (epoch - 1 + batch / batches), so a batch curve meets its epoch's marker.
///
/// Every use of Qt Charts (deprecated from Qt 6.10) stays inside this class:
/// its header exposes no Qt Charts type, so a later switch touches one class.
///
/// GUI thread only. addBatch()/addEpoch() only buffer; the series are
/// updated in bulk at most five times a second (or at once by flush()), so a
/// stream of batch events does not redraw the charts each time.
class ChartPanel : public QWidget {
    Q_OBJECT
public:
    enum class Series {
        BatchLoss,
        SmoothedLoss,
        TrainLoss,
        ValLoss,
        TrainAccuracy,
        ValAccuracy,
        LearningRate
    };
    Q_ENUM(Series)

    /// Weight of the previous value in the smoothed loss:
    /// s_1 = x_1, s_n = w * s_(n-1) + (1 - w) * x_n. At 0.9 a batch's weight
    /// halves after about 6.6 further points, so the curve follows the trend
    /// of roughly the last ten plotted batches (about a second of training at
    /// the controller's ten batch signals a second) while removing most of
    /// the batch-to-batch noise, and lags a falling loss only slightly.
    static constexpr double SmoothingWeight = 0.9;
    /// The weight actually used: SmoothingWeight, but never averaging over
    /// more than half an epoch, so that a run of few batches per epoch (the
    /// demo has two) is not drawn lagging an epoch behind:
    /// w = 1 - 1 / clamp(batchesPerEpoch / 2, 1, 10).
    static double smoothingWeightFor(int batchesPerEpoch);

    /// Milliseconds between two bulk updates of the series (about 5 Hz).
    static constexpr int UpdateIntervalMs = 200;

    explicit ChartPanel(QWidget* parent = nullptr);
    ~ChartPanel() override;

    /// Empties every series (a new run).
    void reset();
    void addBatch(const fts::BatchProgress& progress);
    void addEpoch(const fts::EpochMetrics& metrics);
    /// Pushes the buffered points into the charts now.
    void flush();

    /// Points shown in a series (after the last update; long runs show an
    /// evenly thinned subset of at most a few thousand points).
    int pointCount(Series series) const;
    /// The points shown in a series; accuracy in percent.
    QVector<QPointF> points(Series series) const;

    /// The three charts laid out as on screen, rendered at `size` (for
    /// exporting as PNG). Null for an empty size.
    QImage renderImage(const QSize& size);

    QSize sizeHint() const override;

protected:
    void changeEvent(QEvent* event) override;

private:
    struct Private;
    void scheduleUpdate();
    void retranslate();

    std::unique_ptr<Private> d;
};

}  // namespace fts::ui
