#include "eval/metrics.h"

#include "core/error.h"

#include <QtTest/QtTest>

using fts::ConfusionMatrix;

namespace {

// Pairs (true, predicted) as a flat list: {t0, p0, t1, p1, ...}.
ConfusionMatrix matrixOf(int n, const QVector<int>& pairs) {
    ConfusionMatrix m(n);
    for (int i = 0; i + 1 < pairs.size(); i += 2) m.add(pairs[i], pairs[i + 1]);
    return m;
}

}  // namespace

class TstMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void counts();
    void accuracy_data();
    void accuracy();
    void perClass_data();
    void perClass();
    void outOfRangeThrows();
    void csv();
    void csvField_data();
    void csvField();
};

void TstMetrics::counts() {
    ConfusionMatrix m = matrixOf(3, {0, 0, 0, 1, 1, 1, 2, 0, 2, 0});
    QCOMPARE(m.numClasses(), 3);
    QCOMPARE(m.count(0, 0), std::int64_t(1));
    QCOMPARE(m.count(0, 1), std::int64_t(1));
    QCOMPARE(m.count(2, 0), std::int64_t(2));
    QCOMPARE(m.count(1, 2), std::int64_t(0));
    QCOMPARE(m.total(), std::int64_t(5));
    m.clear();
    QCOMPARE(m.total(), std::int64_t(0));
    QCOMPARE(m.accuracy(), 0.0);
}

void TstMetrics::accuracy_data() {
    QTest::addColumn<int>("classes");
    QTest::addColumn<QVector<int>>("pairs");
    QTest::addColumn<double>("expected");
    QTest::newRow("empty") << 2 << QVector<int>{} << 0.0;
    QTest::newRow("all right") << 2 << QVector<int>{0, 0, 1, 1} << 1.0;
    QTest::newRow("all wrong") << 2 << QVector<int>{0, 1, 1, 0} << 0.0;
    QTest::newRow("three of four") << 3 << QVector<int>{0, 0, 1, 1, 2, 2, 2, 1} << 0.75;
}

void TstMetrics::accuracy() {
    QFETCH(int, classes);
    QFETCH(QVector<int>, pairs);
    QFETCH(double, expected);
    QCOMPARE(matrixOf(classes, pairs).accuracy(), expected);
}

void TstMetrics::perClass_data() {
    QTest::addColumn<QVector<int>>("pairs");
    QTest::addColumn<int>("cls");
    QTest::addColumn<double>("precision");
    QTest::addColumn<double>("recall");
    QTest::addColumn<double>("f1");
    QTest::addColumn<int>("support");
    // 3 classes. true 0: predicted 0,0,1; true 1: predicted 1; class 2 never seen, never predicted.
    const QVector<int> a{0, 0, 0, 0, 0, 1, 1, 1};
    QTest::newRow("class 0") << a << 0 << 1.0 << 2.0 / 3.0 << 0.8 << 3;
    QTest::newRow("class 1") << a << 1 << 0.5 << 1.0 << 2.0 / 3.0 << 1;
    QTest::newRow("class 2: no samples, never predicted") << a << 2 << 0.0 << 0.0 << 0.0 << 0;
    // Class 2 predicted but never true: precision 0, recall 0 (no samples).
    const QVector<int> b{0, 2, 1, 1};
    QTest::newRow("predicted, never true") << b << 2 << 0.0 << 0.0 << 0.0 << 0;
    QTest::newRow("true, never predicted") << b << 0 << 0.0 << 0.0 << 0.0 << 1;
}

void TstMetrics::perClass() {
    QFETCH(QVector<int>, pairs);
    QFETCH(int, cls);
    const auto metrics = matrixOf(3, pairs).perClass();
    QCOMPARE(int(metrics.size()), 3);
    const auto& m = metrics[std::size_t(cls)];
    QTEST(m.precision, "precision");
    QTEST(m.recall, "recall");
    QFETCH(double, f1);
    QVERIFY2(std::abs(m.f1 - f1) < 1e-12, qPrintable(QString::number(m.f1)));
    QTEST(int(m.support), "support");
}

void TstMetrics::outOfRangeThrows() {
    ConfusionMatrix m(2);
    QVERIFY_THROWS_EXCEPTION(fts::Error, m.add(2, 0));
    QVERIFY_THROWS_EXCEPTION(fts::Error, m.add(0, -1));
    QCOMPARE(m.count(5, 5), std::int64_t(0));
}

void TstMetrics::csv() {
    const ConfusionMatrix m = matrixOf(3, {0, 0, 0, 1, 1, 1, 2, 0});
    const std::string csv = m.toCsv({"cat", "dog, large", "say \"hi\""});
    QCOMPARE(QString::fromStdString(csv),
             QString("true\\predicted,cat,\"dog, large\",\"say \"\"hi\"\"\"\n"
                     "cat,1,1,0\n"
                     "\"dog, large\",0,1,0\n"
                     "\"say \"\"hi\"\"\",1,0,0\n"));
}

void TstMetrics::csvField_data() {
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("plain") << "cat"
                           << "cat";
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("comma") << "a,b"
                           << "\"a,b\"";
    QTest::newRow("quote") << "a\"b"
                           << "\"a\"\"b\"";
    QTest::newRow("newline") << "a\nb"
                             << "\"a\nb\"";
    QTest::newRow("utf-8") << QString::fromUtf8("Katze \xc3\xa4")
                           << QString::fromUtf8("Katze \xc3\xa4");
}

void TstMetrics::csvField() {
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(QString::fromStdString(fts::csvField(in.toStdString())), out);
}

QTEST_GUILESS_MAIN(TstMetrics)
#include "tst_metrics.moc"
