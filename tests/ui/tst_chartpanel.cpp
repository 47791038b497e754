#include "chartpanel.h"

#include <QtTest>

using fts::ui::ChartPanel;
using Series = ChartPanel::Series;

namespace {

fts::BatchProgress batch(int epoch, int epochs, int b, int batches, double loss, double lr) {
    fts::BatchProgress p;
    p.epoch = epoch;
    p.epochs = epochs;
    p.batch = b;
    p.batches = batches;
    p.loss = loss;
    p.learningRate = lr;
    return p;
}

fts::EpochMetrics epoch(int e, int epochs, double trainLoss, double valLoss, double trainAcc,
                        double valAcc) {
    fts::EpochMetrics m;
    m.epoch = e;
    m.epochs = epochs;
    m.trainLoss = trainLoss;
    m.valLoss = valLoss;
    m.trainAccuracy = trainAcc;
    m.valAccuracy = valAcc;
    return m;
}

// Fraction of pixels that differ from the top-left pixel: a blank image is 0.
double inkedShare(const QImage& image) {
    const QRgb background = image.pixel(0, 0);
    qint64 differ = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) differ += image.pixel(x, y) != background;
    return double(differ) / double(image.width() * image.height());
}

}  // namespace

class TestChartPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void startsEmpty();
    void buffersUntilFlush();
    void timerFlushesBufferedPoints();
    void countsPerSeries();
    void fractionalEpochOnX();
    void smoothingOfAKnownSequence();
    void accuracyInPercent();
    void axesFollowTheData();
    void resetEmpties();
    void longRunsAreThinned();
    void rendersAnImage();
};

void TestChartPanel::startsEmpty() {
    ChartPanel panel;
    for (int s = 0; s <= int(Series::LearningRate); ++s) QCOMPARE(panel.pointCount(Series(s)), 0);
}

void TestChartPanel::buffersUntilFlush() {
    ChartPanel panel;
    panel.addBatch(batch(1, 2, 1, 4, 1.0, 0.01));
    panel.addEpoch(epoch(1, 2, 0.9, 1.1, 0.5, 0.4));
    QCOMPARE(panel.pointCount(Series::BatchLoss), 0);  // nothing drawn per event
    QCOMPARE(panel.pointCount(Series::ValAccuracy), 0);
    panel.flush();
    QCOMPARE(panel.pointCount(Series::BatchLoss), 1);
    QCOMPARE(panel.pointCount(Series::ValAccuracy), 1);
}

void TestChartPanel::timerFlushesBufferedPoints() {
    ChartPanel panel;
    for (int b = 1; b <= 5; ++b) panel.addBatch(batch(1, 1, b, 5, 1.0 / b, 0.01));
    QCOMPARE(panel.pointCount(Series::BatchLoss), 0);
    QTRY_COMPARE_WITH_TIMEOUT(panel.pointCount(Series::BatchLoss), 5,
                              ChartPanel::UpdateIntervalMs * 10);
    QCOMPARE(panel.pointCount(Series::LearningRate), 5);
}

void TestChartPanel::countsPerSeries() {
    ChartPanel panel;
    for (int e = 1; e <= 3; ++e) {
        for (int b = 1; b <= 4; ++b) panel.addBatch(batch(e, 3, b, 4, 2.0 - 0.1 * b, 0.001));
        panel.addEpoch(epoch(e, 3, 1.5, 1.6, 0.3 * e, 0.25 * e));
    }
    panel.flush();
    QCOMPARE(panel.pointCount(Series::BatchLoss), 12);
    QCOMPARE(panel.pointCount(Series::SmoothedLoss), 12);
    QCOMPARE(panel.pointCount(Series::LearningRate), 12);
    QCOMPARE(panel.pointCount(Series::TrainLoss), 3);
    QCOMPARE(panel.pointCount(Series::ValLoss), 3);
    QCOMPARE(panel.pointCount(Series::TrainAccuracy), 3);
    QCOMPARE(panel.pointCount(Series::ValAccuracy), 3);
}

void TestChartPanel::fractionalEpochOnX() {
    ChartPanel panel;
    panel.addBatch(batch(1, 2, 1, 4, 1.0, 0.1));
    panel.addBatch(batch(1, 2, 4, 4, 1.0, 0.1));
    panel.addBatch(batch(2, 2, 2, 4, 1.0, 0.1));
    panel.addEpoch(epoch(2, 2, 0.8, 0.9, 0.5, 0.5));
    panel.flush();
    const QVector<QPointF> points = panel.points(Series::BatchLoss);
    QCOMPARE(points.size(), 3);
    QCOMPARE(points[0].x(), 0.25);
    QCOMPARE(points[1].x(), 1.0);
    QCOMPARE(points[2].x(), 1.5);
    QCOMPARE(panel.points(Series::LearningRate)[2].x(), 1.5);
    QCOMPARE(panel.points(Series::TrainLoss).front(), QPointF(2.0, 0.8));  // end of epoch 2
    QCOMPARE(panel.points(Series::ValLoss).front(), QPointF(2.0, 0.9));
}

void TestChartPanel::smoothingOfAKnownSequence() {
    ChartPanel panel;
    const double w = ChartPanel::SmoothingWeight;
    const QVector<double> losses{1.0, 0.0, 0.0, 2.0};
    for (int i = 0; i < losses.size(); ++i) panel.addBatch(batch(1, 1, i + 1, 40, losses[i], 0.1));
    panel.flush();
    const QVector<QPointF> smoothed = panel.points(Series::SmoothedLoss);
    QCOMPARE(smoothed.size(), 4);
    // s1 = x1, sn = w * s(n-1) + (1 - w) * xn.
    const double s1 = 1.0, s2 = w * s1, s3 = w * s2, s4 = w * s3 + (1 - w) * 2.0;
    QVERIFY(qFuzzyCompare(smoothed[0].y(), s1));
    QVERIFY(qFuzzyCompare(smoothed[1].y(), s2));
    QVERIFY(qFuzzyCompare(smoothed[2].y(), s3));
    QVERIFY(qFuzzyCompare(smoothed[3].y(), s4));
    QVERIFY(qFuzzyCompare(w, 0.9));
    QVERIFY(qFuzzyCompare(s4, 0.929));
    QCOMPARE(ChartPanel::smoothingWeightFor(40), 0.9);
    // Few batches per epoch: never averaged over more than half an epoch.
    QCOMPARE(ChartPanel::smoothingWeightFor(2), 0.0);
    QCOMPARE(ChartPanel::smoothingWeightFor(8), 0.75);
    // The raw line keeps the batch values.
    QCOMPARE(panel.points(Series::BatchLoss)[3].y(), 2.0);
}

void TestChartPanel::accuracyInPercent() {
    ChartPanel panel;
    panel.addEpoch(epoch(1, 1, 1.0, 1.0, 0.25, 0.875));
    panel.flush();
    QCOMPARE(panel.points(Series::TrainAccuracy).front(), QPointF(1.0, 25.0));
    QCOMPARE(panel.points(Series::ValAccuracy).front(), QPointF(1.0, 87.5));
}

void TestChartPanel::axesFollowTheData() {
    // Rendered after many batches with one early spike and a tiny learning
    // rate: every line must still be drawn inside its chart.
    ChartPanel panel;
    panel.resize(700, 450);
    for (int b = 1; b <= 200; ++b) panel.addBatch(batch(1, 10, b, 200, b == 1 ? 50.0 : 0.5, 3e-5));
    panel.addEpoch(epoch(1, 10, 0.6, 0.7, 0.8, 0.75));
    const QImage image = panel.renderImage(QSize(700, 450));
    QVERIFY(!image.isNull());
    // The learning-rate chart (bottom right) shows its green line.
    const QRect lrArea(350, 270, 350, 180);
    int green = 0;
    for (int y = lrArea.top(); y <= lrArea.bottom(); ++y)
        for (int x = lrArea.left(); x <= lrArea.right(); ++x) {
            const QColor c = image.pixelColor(x, y);
            green += c.green() > 120 && c.red() < 100 && c.blue() < 100;
        }
    QVERIFY2(green > 50, qPrintable(QString::number(green)));
}

void TestChartPanel::resetEmpties() {
    ChartPanel panel;
    for (int b = 1; b <= 3; ++b) panel.addBatch(batch(1, 1, b, 3, 3.0, 0.1));
    panel.addEpoch(epoch(1, 1, 1.0, 1.0, 0.5, 0.5));
    panel.flush();
    QCOMPARE(panel.pointCount(Series::BatchLoss), 3);
    panel.addBatch(batch(1, 1, 1, 3, 1.0, 0.1));  // buffered, then dropped
    panel.reset();
    for (int s = 0; s <= int(Series::LearningRate); ++s) QCOMPARE(panel.pointCount(Series(s)), 0);
    panel.flush();
    QCOMPARE(panel.pointCount(Series::BatchLoss), 0);
    // Smoothing starts again from the first batch of the new run.
    panel.addBatch(batch(1, 1, 1, 3, 0.5, 0.1));
    panel.flush();
    QCOMPARE(panel.points(Series::SmoothedLoss).front().y(), 0.5);
}

void TestChartPanel::longRunsAreThinned() {
    ChartPanel panel;
    const int batches = 10000;
    for (int b = 1; b <= batches; ++b) panel.addBatch(batch(1, 1, b, batches, 1.0, 0.1));
    panel.flush();
    const int shown = panel.pointCount(Series::BatchLoss);
    QVERIFY2(shown > 1000 && shown <= 4001, qPrintable(QString::number(shown)));
    // The newest point is always shown.
    QCOMPARE(panel.points(Series::BatchLoss).back().x(), 1.0);
}

void TestChartPanel::rendersAnImage() {
    ChartPanel panel;
    QVERIFY(panel.renderImage(QSize()).isNull());
    for (int e = 1; e <= 2; ++e) {
        for (int b = 1; b <= 10; ++b) panel.addBatch(batch(e, 2, b, 10, 2.0 / (e + b), 0.01));
        panel.addEpoch(epoch(e, 2, 1.0 / e, 1.2 / e, 0.4 * e, 0.35 * e));
    }
    const QImage image = panel.renderImage(QSize(900, 600));
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), QSize(900, 600));
    const double inked = inkedShare(image);
    QVERIFY2(inked > 0.02, qPrintable(QString::number(inked)));
    // Rendering does not disturb the on-screen charts.
    QCOMPARE(panel.pointCount(Series::BatchLoss), 20);
}

QTEST_MAIN(TestChartPanel)
#include "tst_chartpanel.moc"
