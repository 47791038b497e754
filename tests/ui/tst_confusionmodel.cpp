// ConfusionModel, ClassMetricsModel and ConfusionPanel: counts equal the
// predictions behind them, metrics equal the engine's, colours follow the row
// share, and a click on a cell names that cell.

#include "classmetricsmodel.h"
#include "confusionmodel.h"
#include "confusionpanel.h"
#include "eval/metrics.h"  // the engine's reference computation (torch-free)

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QProxyStyle>
#include <QTableView>
#include <QtTest>

#include <random>

using namespace fts::ui;

namespace {

PredictionSample sample(int trueLabel, int predicted) {
    PredictionSample s;
    s.item = QStringLiteral("img_%1_%2.png").arg(trueLabel).arg(predicted);
    s.trueLabel = trueLabel;
    s.predicted = predicted;
    return s;
}

QVector<PredictionSample> repeat(int trueLabel, int predicted, int times) {
    return QVector<PredictionSample>(times, sample(trueLabel, predicted));
}

// Classes A, B, C, D: C is predicted once but has no images, D neither.
//   true A: 3 x A, 1 x B          true B: 1 x A, 2 x B, 1 x C
QVector<PredictionSample> smallCase() {
    return repeat(0, 0, 3) + repeat(0, 1, 1) + repeat(1, 0, 1) + repeat(1, 1, 2) + repeat(1, 2, 1);
}

double luminance(const QColor& c) {
    return 0.299 * c.redF() + 0.587 * c.greenF() + 0.114 * c.blueF();
}

// A style whose item views activate an item on a single click (as KDE's).
class SingleClickStyle : public QProxyStyle {
public:
    int styleHint(StyleHint hint, const QStyleOption* option, const QWidget* widget,
                  QStyleHintReturn* returnData) const override {
        if (hint == SH_ItemView_ActivateItemOnSingleClick) return 1;
        return QProxyStyle::styleHint(hint, option, widget, returnData);
    }
};

}  // namespace

class TestConfusionModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QLocale::setDefault(QLocale::c());
        registerUiTypes();
    }

    void modelTesterThroughChanges() {
        ConfusionModel confusion(nullptr);
        ClassMetricsModel metrics(nullptr);
        QAbstractItemModelTester confusionTester(
            &confusion, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester metricsTester(
            &metrics, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto sync = [&] { metrics.setCounts(confusion.counts(), confusion.classNames()); };

        confusion.setClassNames({"A", "B", "C", "D"});
        sync();
        confusion.setPredictions(smallCase());
        sync();
        confusion.setClassNames({"a", "b", "c", "d"});  // same size: labels only
        sync();
        confusion.setPredictions(smallCase() + repeat(5, 1, 2));  // grows to 6
        sync();
        confusion.setCounts({{1, 2}, {3}});
        sync();
        metrics.setReports({{"x", 0.5, 0.25, 1.0 / 3.0, 4}});
        confusion.clear();
        sync();
        QCOMPARE(confusion.rowCount(), 0);
        QCOMPARE(metrics.rowCount(), 0);
    }

    void countsEqualThePredictions() {
        std::mt19937 random(7);
        std::uniform_int_distribution<int> label(0, 4);
        QVector<PredictionSample> predictions;
        qint64 manual[5][5] = {};
        for (int i = 0; i < 300; ++i) {
            const int t = label(random);
            // Mostly right, sometimes a random class.
            const int p = random() % 3 == 0 ? label(random) : t;
            predictions << sample(t, p);
            ++manual[t][p];
        }
        ConfusionModel model(nullptr);
        model.setClassNames({"Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"});
        model.setPredictions(predictions);

        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.columnCount(), 5);
        QCOMPARE(model.total(), qint64(predictions.size()));
        qint64 correct = 0;
        for (int t = 0; t < 5; ++t) {
            qint64 row = 0;
            for (int p = 0; p < 5; ++p) {
                QCOMPARE(model.count(t, p), manual[t][p]);
                QCOMPARE(model.data(model.index(t, p)).toLongLong(), manual[t][p]);
                row += manual[t][p];
            }
            QCOMPARE(model.rowTotal(t), row);
            correct += manual[t][t];
        }
        QCOMPARE(model.accuracy(), double(correct) / 300.0);
        QCOMPARE(model.count(-1, 0), qint64(0));
        QCOMPARE(model.count(0, 5), qint64(0));
        QCOMPARE(model.headerData(4, Qt::Horizontal).toString(), QStringLiteral("Ankle boot"));
        QCOMPARE(model.headerData(1, Qt::Vertical).toString(), QStringLiteral("Shirt"));
    }

    void labelsPastTheNamesGrowTheMatrix() {
        ConfusionModel model(nullptr);
        model.setClassNames({"A", "B"});
        model.setPredictions({sample(0, 0), sample(3, 1), sample(-1, 0), sample(1, -2)});
        QCOMPARE(model.classCount(), 4);
        QCOMPARE(model.total(), qint64(2));  // negative labels are not counted
        QCOMPARE(model.count(3, 1), qint64(1));
        QCOMPARE(model.headerData(3, Qt::Vertical).toString(), QStringLiteral("3"));
    }

    void setCountsPadsRaggedRows() {
        ConfusionModel model(nullptr);
        model.setCounts({{5, 1}, {2}, {0, -4, 7}});
        QCOMPARE(model.classCount(), 3);
        QCOMPARE(model.count(1, 0), qint64(2));
        QCOMPARE(model.count(1, 1), qint64(0));
        QCOMPARE(model.count(2, 1), qint64(0));  // negative read as 0
        QCOMPARE(model.count(2, 2), qint64(7));
        QCOMPARE(model.total(), qint64(15));
        QCOMPARE(model.columnTotal(0), qint64(7));
        QCOMPARE(model.accuracy(), 12.0 / 15.0);
    }

    void renamingKeepsTheCountsAndNewClassesClearThem() {
        ConfusionModel model(nullptr);
        model.setClassNames({"A", "B", "C", "D"});
        model.setPredictions(smallCase());
        model.setClassNames({"W", "X", "Y", "Z"});
        QCOMPARE(model.count(0, 0), qint64(3));
        QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), QStringLiteral("W"));
        model.setClassNames({"P", "Q"});
        QCOMPARE(model.classCount(), 2);
        QCOMPARE(model.total(), qint64(0));
    }

    void colourFollowsTheRowShare() {
        ConfusionModel model(nullptr);
        model.setClassNames({"A", "B", "C"});
        // Row A: all right. Row B: all predicted as A. Row C: 1 right, 3 as B.
        model.setPredictions(repeat(0, 0, 5) + repeat(1, 0, 4) + repeat(2, 2, 1) + repeat(2, 1, 3));
        const auto background = [&](int t, int p) {
            return model.data(model.index(t, p), Qt::BackgroundRole).value<QBrush>().color();
        };
        const auto fraction = [&](int t, int p) {
            return model.data(model.index(t, p), ConfusionModel::RowFractionRole).toDouble();
        };
        QCOMPARE(fraction(0, 0), 1.0);
        QCOMPARE(fraction(0, 1), 0.0);
        QCOMPARE(fraction(2, 1), 0.75);
        QCOMPARE(fraction(2, 2), 0.25);

        // An empty cell keeps the view's base colour; a full one is coloured.
        QVERIFY(!model.data(model.index(0, 1), Qt::BackgroundRole).isValid());
        const QColor base = QGuiApplication::palette().color(QPalette::Base);
        QVERIFY(background(0, 0) != base);
        // Right answers green, mistakes red.
        QVERIFY(background(0, 0).green() > background(0, 0).red());
        QVERIFY(background(1, 0).red() > background(1, 0).green());
        // A quarter of the row is paler (nearer the base) than the whole row.
        const auto distance = [&](const QColor& c) {
            return std::abs(c.red() - base.red()) + std::abs(c.green() - base.green()) +
                   std::abs(c.blue() - base.blue());
        };
        QVERIFY(distance(background(2, 2)) < distance(background(0, 0)));
        QVERIFY(distance(background(2, 1)) < distance(background(1, 0)));
        QVERIFY(background(2, 2) != background(0, 0));

        // Text is white on dark cells and black on light ones.
        bool sawWhite = false, sawBlack = false;
        for (const auto& [t, p] :
             std::initializer_list<std::pair<int, int>>{{0, 0}, {1, 0}, {2, 1}, {2, 2}}) {
            const QColor text =
                model.data(model.index(t, p), Qt::ForegroundRole).value<QBrush>().color();
            const bool dark = luminance(background(t, p)) < 0.55;
            QCOMPARE(text, dark ? QColor(Qt::white) : QColor(Qt::black));
            (dark ? sawWhite : sawBlack) = true;
        }
        QVERIFY(sawWhite && sawBlack);
    }

    void tooltipSaysWhatTheCellHolds() {
        ConfusionModel model(nullptr);
        model.setClassNames({"T-shirt", "Shirt"});
        model.setPredictions(repeat(1, 0, 12) + repeat(1, 1, 28));
        const QString off = model.data(model.index(1, 0), Qt::ToolTipRole).toString();
        QVERIFY2(off.startsWith("12 of 40 'Shirt' images (30%) were predicted as 'T-shirt'"),
                 qPrintable(off));
        const QString right = model.data(model.index(1, 1), Qt::ToolTipRole).toString();
        QVERIFY2(right.contains("28 of 40 'Shirt' images (70%)"), qPrintable(right));
        const QString none = model.data(model.index(0, 0), Qt::ToolTipRole).toString();
        QVERIFY2(none.contains("no 'T-shirt' images"), qPrintable(none));
        QVERIFY(model.headerData(1, Qt::Vertical, Qt::ToolTipRole).toString().contains("True"));
        QVERIFY(
            model.headerData(0, Qt::Horizontal, Qt::ToolTipRole).toString().contains("Predicted"));
    }

    void metricsByHand() {
        ConfusionModel confusion(nullptr);
        confusion.setClassNames({"A", "B", "C", "D"});
        confusion.setPredictions(smallCase());
        QCOMPARE(confusion.accuracy(), 5.0 / 8.0);

        ClassMetricsModel metrics(nullptr);
        metrics.setCounts(confusion.counts(), confusion.classNames());
        QCOMPARE(metrics.rowCount(), 5);  // 4 classes + macro average
        QCOMPARE(metrics.macroRow(), 4);
        const auto value = [&](int row, int column) {
            return metrics.data(metrics.index(row, column), ClassMetricsModel::ValueRole)
                .toDouble();
        };
        using M = ClassMetricsModel;
        const double expected[4][4] = {
            // precision, recall, F1, support
            {0.75, 0.75, 0.75, 4},
            {2.0 / 3.0, 0.5, 4.0 / 7.0, 4},
            {0.0, 0.0, 0.0, 0},  // predicted once, never right, no images
            {0.0, 0.0, 0.0, 0},  // neither predicted nor present
        };
        for (int row = 0; row < 4; ++row) {
            QCOMPARE(value(row, M::PrecisionColumn), expected[row][0]);
            QCOMPARE(value(row, M::RecallColumn), expected[row][1]);
            QCOMPARE(value(row, M::F1Column), expected[row][2]);
            QCOMPARE(value(row, M::SupportColumn), expected[row][3]);
        }
        QCOMPARE(value(4, M::PrecisionColumn), (0.75 + 2.0 / 3.0) / 4.0);
        QCOMPARE(value(4, M::RecallColumn), (0.75 + 0.5) / 4.0);
        QCOMPARE(value(4, M::F1Column), (0.75 + 4.0 / 7.0) / 4.0);
        QCOMPARE(value(4, M::SupportColumn), 8.0);
        QCOMPARE(metrics.data(metrics.index(1, M::ClassColumn)).toString(), QStringLiteral("B"));
        QCOMPARE(metrics.data(metrics.index(1, M::F1Column)).toString(), QStringLiteral("0.571"));
        QVERIFY(metrics.data(metrics.index(4, M::ClassColumn)).toString().contains("average"));
        QVERIFY(metrics.data(metrics.index(2, M::RecallColumn), Qt::ToolTipRole)
                    .toString()
                    .contains("no 'C' images"));
    }

    void metricsAgreeWithTheEngine() {
        std::mt19937 random(11);
        const int n = 7;
        fts::ConfusionMatrix engine(n);
        QVector<PredictionSample> predictions;
        for (int i = 0; i < 500; ++i) {
            const int t = int(random() % (n - 1));  // class 6 has no images
            int p = random() % 2 == 0 ? t : int(random() % n);
            if (p == 3) p = 4;  // class 3 is never predicted
            engine.add(t, p);
            predictions << sample(t, p);
        }
        ConfusionModel confusion(nullptr);
        confusion.setClassNames({"c0", "c1", "c2", "c3", "c4", "c5", "c6"});
        confusion.setPredictions(predictions);
        QCOMPARE(confusion.total(), engine.total());
        QCOMPARE(confusion.accuracy(), engine.accuracy());
        for (int t = 0; t < n; ++t)
            for (int p = 0; p < n; ++p) QCOMPARE(confusion.count(t, p), engine.count(t, p));

        const auto ours =
            ClassMetricsModel::reportsFromCounts(confusion.counts(), confusion.classNames());
        const auto theirs = engine.perClass();
        QCOMPARE(ours.size(), theirs.size());
        for (std::size_t c = 0; c < theirs.size(); ++c) {
            QCOMPARE(ours[c].precision, theirs[c].precision);
            QCOMPARE(ours[c].recall, theirs[c].recall);
            QCOMPARE(ours[c].f1, theirs[c].f1);
            QCOMPARE(ours[c].support, theirs[c].support);
        }
        QCOMPARE(ours[3].precision, 0.0);
        QCOMPARE(ours[6].recall, 0.0);
        QCOMPARE(ours[6].support, std::int64_t(0));

        // The engine's reports (as EpochMetrics carries them) show the same.
        std::vector<fts::ClassReport> reports;
        for (std::size_t c = 0; c < theirs.size(); ++c)
            reports.push_back({"c" + std::to_string(c), theirs[c].precision, theirs[c].recall,
                               theirs[c].f1, theirs[c].support});
        ClassMetricsModel fromReports(nullptr), fromCounts(nullptr);
        fromReports.setReports(reports);
        fromCounts.setCounts(confusion.counts(), confusion.classNames());
        QCOMPARE(fromReports.rowCount(), fromCounts.rowCount());
        for (int row = 0; row < fromReports.rowCount(); ++row)
            for (int column = 0; column < ClassMetricsModel::ColumnCount; ++column)
                QCOMPARE(fromReports.data(fromReports.index(row, column)),
                         fromCounts.data(fromCounts.index(row, column)));
    }

    void clickingACellNamesIt() {
        ConfusionPanel panel(nullptr);
        panel.setClassNames({"Sandal", "Shirt", "Sneaker"});
        panel.setPredictions(repeat(0, 0, 4) + repeat(2, 1, 3) + repeat(1, 1, 2));
        panel.resize(800, 500);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy spy(&panel, &ConfusionPanel::cellActivated);

        QTableView* view = panel.matrixView();
        for (const auto& [t, p] : std::initializer_list<std::pair<int, int>>{{2, 1}, {0, 2}}) {
            const QRect rect = view->visualRect(panel.confusionModel()->index(t, p));
            QVERIFY(!rect.isEmpty());
            QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
            QCOMPARE(spy.count(), 1);
            QCOMPARE(spy.at(0).at(0).toInt(), t);
            QCOMPARE(spy.at(0).at(1).toInt(), p);
            spy.clear();
        }

        // The keyboard: Enter on the current cell.
        QCoreApplication::processEvents();
        view->setCurrentIndex(panel.confusionModel()->index(1, 0));
        QTest::keyClick(view, Qt::Key_Return);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toInt(), 1);
        QCOMPARE(spy.at(0).at(1).toInt(), 0);
    }

    void singleClickStylesReportOnce() {
        SingleClickStyle style;  // outlives the panel that uses it
        ConfusionPanel panel(nullptr);
        panel.matrixView()->setStyle(&style);
        panel.setClassNames({"A", "B"});
        panel.setPredictions(repeat(0, 1, 2));
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy spy(&panel, &ConfusionPanel::cellActivated);
        QTableView* view = panel.matrixView();
        const QRect rect = view->visualRect(panel.confusionModel()->index(0, 1));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toInt(), 0);
        QCOMPARE(spy.at(0).at(1).toInt(), 1);
    }

    void panelShowsAccuracyAndMetrics() {
        ConfusionPanel panel(nullptr);
        auto* label = panel.findChild<QLabel*>(QStringLiteral("accuracyLabel"));
        QVERIFY(label);
        QVERIFY(label->text().contains("No validation results"));

        panel.setClassNames({"A", "B", "C", "D"});
        panel.setPredictions(smallCase());
        QVERIFY2(label->text().contains("62.5%"), qPrintable(label->text()));
        QVERIFY2(label->text().contains("5 of 8"), qPrintable(label->text()));
        QCOMPARE(panel.metricsModel()->rowCount(), 5);
        QCOMPARE(panel.metricsModel()->reports()[1].recall, 0.5);

        // Counts set on the model directly reach the metrics too.
        panel.confusionModel()->setCounts({{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}});
        QCOMPARE(panel.metricsModel()->reports()[1].recall, 1.0);
        QVERIFY2(label->text().contains("100.0%"), qPrintable(label->text()));

        // Square cells.
        QTableView* view = panel.matrixView();
        QCOMPARE(view->columnWidth(0), view->rowHeight(0));

        panel.clear();
        QCOMPARE(panel.confusionModel()->rowCount(), 0);
        QCOMPARE(panel.metricsModel()->rowCount(), 0);
        QVERIFY(label->text().contains("No validation results"));
    }
};

QTEST_MAIN(TestConfusionModel)
#include "tst_confusionmodel.moc"
