#pragma once

#include "train/lrfinder.h"

#include <QWidget>

#include <vector>

namespace fts::ui {

/// Loss against learning rate on a log10 x axis, drawn with QPainter: the
/// raw loss thin and light, the smoothed loss bold, the suggestion as a
/// vertical marker. Lives on the GUI thread.
class LrCurveView : public QWidget {
    Q_OBJECT
public:
    explicit LrCurveView(QWidget* parent = nullptr);

    void setRange(double startLr, double endLr);
    void setPoints(const std::vector<fts::LrPoint>& points);
    /// lr <= 0: no marker.
    void setSuggestion(double lr);

    QSize sizeHint() const override { return {520, 300}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<fts::LrPoint> m_points;
    double m_startLr = 1e-7;
    double m_endLr = 10.0;
    double m_suggestion = 0.0;
};

}  // namespace fts::ui
