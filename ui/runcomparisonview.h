#pragma once

#include "export/runhistory.h"

#include <QColor>
#include <QPointF>
#include <QString>
#include <QVector>
#include <QWidget>

#include <vector>

namespace fts::ui {

/// Per-epoch curves of several runs overlaid, drawn with QPainter: the
/// chosen validation metric solid with a dot per epoch, optionally the
/// training metric dashed in the same colour; one colour per run and a
/// legend under the plot. Runs may differ in length; a missing value (NaN)
/// breaks the line. Lives on the GUI thread.
class RunComparisonView : public QWidget {
    Q_OBJECT
public:
    enum Metric { ValAccuracy, ValLoss, TrainAccuracy, TrainLoss };

    struct Series {
        QString name;
        QColor colour;
        std::vector<fts::RunEpoch> epochs;
    };

    explicit RunComparisonView(QWidget* parent = nullptr);

    void setSeries(QVector<Series> series);
    int seriesCount() const { return int(m_series.size()); }
    QString seriesName(int series) const;
    QColor seriesColour(int series) const;
    /// (epoch, value) of one series for a metric, NaN values left out;
    /// accuracies as fractions 0..1.
    QVector<QPointF> points(int series, Metric metric) const;

    /// Accuracy (ValAccuracy) or loss (ValLoss) on the plot; the training
    /// counterpart is dashed when showTraining is on.
    void setMetric(Metric validationMetric);
    Metric metric() const { return m_metric; }
    void setShowTraining(bool on);
    bool showTraining() const { return m_showTraining; }

    QSize sizeHint() const override { return {560, 320}; }
    QSize minimumSizeHint() const override { return {300, 200}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QVector<Series> m_series;
    Metric m_metric = ValAccuracy;
    bool m_showTraining = false;
};

}  // namespace fts::ui
