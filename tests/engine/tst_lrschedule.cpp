#include "train/lrschedule.h"

#include "core/error.h"
#include "train/settings.h"

#include <QtTest/QtTest>

#include <cmath>

class TstLrSchedule : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void factor_data();
    void factor();
    void cosineIsMonotoneAndEndsNearZero();
    void stepSizeDefault_data();
    void stepSizeDefault();
    void invalidSettingsThrow();
};

void TstLrSchedule::factor_data() {
    QTest::addColumn<QString>("scheduler");
    QTest::addColumn<int>("epochs");
    QTest::addColumn<int>("warmup");
    QTest::addColumn<int>("stepSize");
    QTest::addColumn<double>("gamma");
    QTest::addColumn<int>("iteration");
    QTest::addColumn<int>("itersPerEpoch");
    QTest::addColumn<double>("expected");

    QTest::newRow("none") << "none" << 10 << 0 << 0 << 0.1 << 57 << 10 << 1.0;
    QTest::newRow("step, epoch 0") << "step" << 9 << 0 << 0 << 0.1 << 0 << 10 << 1.0;
    QTest::newRow("step, last iteration of epoch 2")
        << "step" << 9 << 0 << 0 << 0.1 << 29 << 10 << 1.0;
    QTest::newRow("step, epoch 3 (default step 9/3)")
        << "step" << 9 << 0 << 0 << 0.1 << 30 << 10 << 0.1;
    QTest::newRow("step, epoch 6") << "step" << 9 << 0 << 0 << 0.1 << 60 << 10 << 0.01;
    QTest::newRow("step, explicit size 2, epoch 5")
        << "step" << 9 << 0 << 2 << 0.5 << 50 << 10 << 0.25;
    QTest::newRow("cosine, start") << "cosine" << 4 << 0 << 0 << 0.1 << 0 << 10 << 1.0;
    QTest::newRow("cosine, middle") << "cosine" << 4 << 0 << 0 << 0.1 << 20 << 10 << 0.5;
    QTest::newRow("cosine, quarter")
        << "cosine" << 4 << 0 << 0 << 0.1 << 10 << 10 << 0.5 * (1.0 + std::cos(M_PI / 4));
    QTest::newRow("cosine, end") << "cosine" << 4 << 0 << 0 << 0.1 << 40 << 10 << 0.0;
    QTest::newRow("warm-up, first iteration") << "none" << 5 << 2 << 0 << 0.1 << 0 << 10 << 0.05;
    QTest::newRow("warm-up, iteration 9") << "none" << 5 << 2 << 0 << 0.1 << 9 << 10 << 0.5;
    QTest::newRow("warm-up, last iteration") << "none" << 5 << 2 << 0 << 0.1 << 19 << 10 << 1.0;
    QTest::newRow("warm-up over") << "none" << 5 << 2 << 0 << 0.1 << 20 << 10 << 1.0;
    QTest::newRow("warm-up + cosine, during warm-up")
        << "cosine" << 5 << 1 << 0 << 0.1 << 4 << 10 << 0.5;
    QTest::newRow("warm-up + cosine, cosine starts")
        << "cosine" << 5 << 1 << 0 << 0.1 << 10 << 10 << 1.0;
    QTest::newRow("warm-up + cosine, cosine middle")
        << "cosine" << 5 << 1 << 0 << 0.1 << 30 << 10 << 0.5;
    QTest::newRow("warm-up + step")
        << "step" << 3 << 2 << 1 << 0.1 << 15 << 10 << 0.1 * 16.0 / 20.0;
}

void TstLrSchedule::factor() {
    QFETCH(QString, scheduler);
    QFETCH(int, epochs);
    QFETCH(int, warmup);
    QFETCH(int, stepSize);
    QFETCH(double, gamma);
    QFETCH(int, iteration);
    QFETCH(int, itersPerEpoch);
    QFETCH(double, expected);
    fts::TrainSettings s;
    s.scheduler = scheduler.toStdString();
    s.epochs = epochs;
    s.warmupEpochs = warmup;
    s.stepSize = stepSize;
    s.stepGamma = gamma;
    const double got = fts::lrFactor(iteration, itersPerEpoch, s);
    QVERIFY2(
        std::abs(got - expected) < 1e-12,
        qPrintable(QString("got %1, expected %2").arg(got, 0, 'g', 17).arg(expected, 0, 'g', 17)));
}

void TstLrSchedule::cosineIsMonotoneAndEndsNearZero() {
    fts::TrainSettings s;
    s.scheduler = "cosine";
    s.epochs = 3;
    double previous = 2.0;
    for (int i = 0; i < 3 * 7; ++i) {
        const double f = fts::lrFactor(i, 7, s);
        QVERIFY(f <= previous);
        QVERIFY(f > 0.0);
        previous = f;
    }
    QVERIFY(previous < 0.01);
}

void TstLrSchedule::stepSizeDefault_data() {
    QTest::addColumn<int>("epochs");
    QTest::addColumn<int>("expected");
    QTest::newRow("1 epoch") << 1 << 1;
    QTest::newRow("2 epochs") << 2 << 1;
    QTest::newRow("10 epochs") << 10 << 3;
    QTest::newRow("30 epochs") << 30 << 10;
}

void TstLrSchedule::stepSizeDefault() {
    QFETCH(int, epochs);
    fts::TrainSettings s;
    s.scheduler = "step";
    s.epochs = epochs;
    QTEST(fts::effectiveStepSize(s), "expected");
}

void TstLrSchedule::invalidSettingsThrow() {
    fts::TrainSettings s;
    s.scheduler = "exponential";
    try {
        fts::validateSchedule(s);
        QFAIL("no error for an unknown scheduler");
    } catch (const fts::Error& e) {
        QVERIFY(QString(e.what()).contains("exponential"));
        QVERIFY(QString(e.what()).contains("cosine"));
    }
    s.scheduler = "step";
    s.stepGamma = 0.0;
    QVERIFY_THROWS_EXCEPTION(fts::Error, fts::validateSchedule(s));
    s.stepGamma = 0.1;
    s.warmupEpochs = -1;
    QVERIFY_THROWS_EXCEPTION(fts::Error, fts::validateSchedule(s));
}

QTEST_GUILESS_MAIN(TstLrSchedule)
#include "tst_lrschedule.moc"
