// The GUI's experiment runner: fts::Experiment on its own thread, its events
// as queued signals, stop and destruction while it trains.
#include "experimentrunner.h"
#include "experimenttestdata.h"

#include <QtTest>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTemporaryDir>
#include <QThread>

using fts::ui::ExperimentRunner;

namespace {

QJsonObject readJson(const QString& file) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

}  // namespace

class TestExperimentRunner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runsAllFourStrategies();
    void stopMidway();
    void badModelFails();
    void destroyWhileRunning();
};

void TestExperimentRunner::runsAllFourStrategies() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    fts::ExperimentSettings settings;
    settings.base = experimenttest::tinySettings(dir.filePath(QStringLiteral("data")));
    // The demo's head recipe as its own base: the head run must train with it.
    settings.strategyBase["head"] = settings.base;
    settings.strategyBase["head"].lr = 0.05;
    const QString out = dir.filePath(QStringLiteral("exp"));
    settings.outDir = out.toStdString();

    ExperimentRunner runner;
    QVERIFY(!runner.isBusy());
    QStringList order;
    QThread* guiThread = QThread::currentThread();
    bool allOnGuiThread = true;
    const auto note = [&](const QString& event) {
        order << event;
        allOnGuiThread = allOnGuiThread && QThread::currentThread() == guiThread;
    };
    QStringList titles;
    QVector<double> best;
    QStringList statuses;
    QString finalStatus, finalDir, finalError;
    bool busyAtFinish = true;
    int epochs = 0;
    int batches = 0;
    connect(&runner, &ExperimentRunner::strategyStarted, this,
            [&](int index, int count, const QString& strategy, const QString& title) {
                note(QStringLiteral("started %1 %2/%3").arg(strategy).arg(index).arg(count));
                titles << title;
            });
    connect(&runner, &ExperimentRunner::batchProgress, this,
            [&](const QString& strategy, int epoch, int epochCount, int batch, int batchCount) {
                ++batches;
                QVERIFY(order.last().startsWith(QStringLiteral("started ") + strategy) ||
                        order.last() == QStringLiteral("progress ") + strategy);
                QCOMPARE(epoch, 1);
                QCOMPARE(epochCount, 1);
                QVERIFY(batch >= 1 && batch <= batchCount);
                if (order.last() != QStringLiteral("progress ") + strategy)
                    note(QStringLiteral("progress ") + strategy);
            });
    connect(&runner, &ExperimentRunner::epochFinished, this,
            [&](const QString& strategy, const fts::EpochMetrics& metrics) {
                ++epochs;
                QCOMPARE(metrics.epoch, 1);
                QVERIFY(metrics.valAccuracy >= 0.0 && metrics.valAccuracy <= 1.0);
                note(QStringLiteral("epoch ") + strategy);
            });
    connect(&runner, &ExperimentRunner::strategyFinished, this,
            [&](int index, int count, const QString& strategy, const QString& status,
                double bestValAccuracy, double wallSeconds, const QString& error) {
                note(QStringLiteral("finished %1 %2/%3").arg(strategy).arg(index).arg(count));
                statuses << status;
                best << bestValAccuracy;
                QVERIFY(wallSeconds > 0.0);
                QVERIFY2(error.isEmpty(), qPrintable(error));
            });
    QSignalSpy finishedSpy(&runner, &ExperimentRunner::finished);
    connect(&runner, &ExperimentRunner::finished, this,
            [&](const QString& status, const QString& experimentDir, const QString& error) {
                note(QStringLiteral("done"));
                finalStatus = status;
                finalDir = experimentDir;
                finalError = error;
                busyAtFinish = runner.isBusy();
            });

    QVERIFY(runner.start(settings));
    QVERIFY(runner.isBusy());
    // Pressing Start twice does nothing.
    QVERIFY(!runner.start(settings));

    QVERIFY(finishedSpy.wait(240000));
    QCOMPARE(finishedSpy.count(), 1);
    QVERIFY2(finalError.isEmpty(), qPrintable(finalError));
    QCOMPARE(finalStatus, QStringLiteral("completed"));
    QCOMPARE(finalDir, out);
    QVERIFY(!busyAtFinish);
    QVERIFY(!runner.isBusy());
    QVERIFY(allOnGuiThread);

    // Each strategy: started, its batches, its epoch, finished; then done, last.
    QStringList expected;
    const QStringList names{"head", "last", "full", "scratch"};
    for (int i = 0; i < 4; ++i)
        expected << QStringLiteral("started %1 %2/4").arg(names[i]).arg(i)
                 << QStringLiteral("progress ") + names[i] << QStringLiteral("epoch ") + names[i]
                 << QStringLiteral("finished %1 %2/4").arg(names[i]).arg(i);
    expected << QStringLiteral("done");
    QCOMPARE(order, expected);
    QCOMPARE(epochs, 4);
    QVERIFY(batches >= 4);
    QCOMPARE(titles.first(), QStringLiteral("Head only (frozen backbone)"));
    QCOMPARE(statuses, QStringList(4, QStringLiteral("completed")));

    // experiment.json and the report, as the CLI writes them.
    const QJsonObject doc = readJson(QDir(out).filePath(QStringLiteral("experiment.json")));
    QCOMPARE(doc.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
    const QJsonArray strategies = doc.value(QStringLiteral("strategies")).toArray();
    QCOMPARE(strategies.size(), 4);
    for (int i = 0; i < 4; ++i) {
        const QJsonObject s = strategies[i].toObject();
        QCOMPARE(s.value(QStringLiteral("name")).toString(), names[i]);
        QCOMPARE(s.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(s.value(QStringLiteral("best_val_accuracy")).toDouble(), best[i]);
        QVERIFY(QFile::exists(QDir(out).filePath(names[i] + QStringLiteral("/summary.json"))));
    }
    QCOMPARE(strategies[0]
                 .toObject()
                 .value(QStringLiteral("settings"))
                 .toObject()
                 .value(QStringLiteral("lr"))
                 .toDouble(),
             0.05);
    QCOMPARE(strategies[2]
                 .toObject()
                 .value(QStringLiteral("settings"))
                 .toObject()
                 .value(QStringLiteral("lr"))
                 .toDouble(),
             0.01);
    QVERIFY(QFile::exists(QDir(out).filePath(QStringLiteral("report.html"))));

    // The runner takes another experiment once the first is over.
    settings.strategies = {"scratch"};
    settings.outDir = dir.filePath(QStringLiteral("again")).toStdString();
    QVERIFY(runner.start(settings));
    QVERIFY(finishedSpy.wait(240000));
    QCOMPARE(finalStatus, QStringLiteral("completed"));
}

void TestExperimentRunner::stopMidway() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    fts::ExperimentSettings settings;
    // Enough batches (about 40) that the first run is still training when
    // the stop request arrives.
    settings.base =
        experimenttest::tinySettings(dir.filePath(QStringLiteral("data")), /*trainPerClass=*/200);
    settings.base.epochs = 2;
    const QString out = dir.filePath(QStringLiteral("exp"));
    settings.outDir = out.toStdString();

    ExperimentRunner runner;
    runner.setBatchSignalInterval(0);
    connect(&runner, &ExperimentRunner::batchProgress, &runner, &ExperimentRunner::stop);
    QSignalSpy startedSpy(&runner, &ExperimentRunner::strategyStarted);
    QSignalSpy strategySpy(&runner, &ExperimentRunner::strategyFinished);
    QSignalSpy finishedSpy(&runner, &ExperimentRunner::finished);
    QStringList order;
    connect(&runner, &ExperimentRunner::strategyFinished, this, [&] { order << "strategy"; });
    connect(&runner, &ExperimentRunner::finished, this, [&] { order << "finished"; });
    QVERIFY(runner.start(settings));
    QVERIFY(finishedSpy.wait(240000));
    QVERIFY(runner.isStopping() == false);
    QCOMPARE(finishedSpy.count(), 1);
    QCOMPARE(finishedSpy.first().at(0).toString(), QStringLiteral("cancelled"));
    QCOMPARE(order.last(), QStringLiteral("finished"));
    // Stopped while the first strategies trained: not all four ran.
    QVERIFY(startedSpy.count() >= 1);
    QVERIFY(startedSpy.count() < 4);
    QCOMPARE(strategySpy.count(), startedSpy.count());
    const QJsonObject doc = readJson(QDir(out).filePath(QStringLiteral("experiment.json")));
    QCOMPARE(doc.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
    QVERIFY(doc.value(QStringLiteral("strategies")).toArray().size() < 4);
    QVERIFY(!runner.isBusy());
}

void TestExperimentRunner::badModelFails() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    fts::ExperimentSettings settings;
    settings.base = experimenttest::tinySettings(dir.filePath(QStringLiteral("data")));
    settings.base.model = "no_such_model";
    settings.outDir = dir.filePath(QStringLiteral("exp")).toStdString();
    ExperimentRunner runner;
    QSignalSpy startedSpy(&runner, &ExperimentRunner::strategyStarted);
    QSignalSpy finishedSpy(&runner, &ExperimentRunner::finished);
    QVERIFY(runner.start(settings));
    QVERIFY(finishedSpy.wait(60000));
    QCOMPARE(finishedSpy.first().at(0).toString(), QStringLiteral("failed"));
    const QString error = finishedSpy.first().at(2).toString();
    QVERIFY2(error.contains(QStringLiteral("no_such_model")), qPrintable(error));
    // "last" needs the model's module tree, so nothing was trained.
    QCOMPARE(startedSpy.count(), 0);
    QVERIFY(!runner.isBusy());
}

void TestExperimentRunner::destroyWhileRunning() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    fts::ExperimentSettings settings;
    settings.base =
        experimenttest::tinySettings(dir.filePath(QStringLiteral("data")), /*trainPerClass=*/200);
    settings.base.epochs = 3;
    settings.outDir = dir.filePath(QStringLiteral("exp")).toStdString();
    auto* runner = new ExperimentRunner;
    QSignalSpy batchSpy(runner, &ExperimentRunner::batchProgress);
    QVERIFY(runner->start(settings));
    QVERIFY(batchSpy.wait(120000));
    // Stops the run within a batch and joins the thread; no signal after.
    QPointer<ExperimentRunner> guard(runner);
    delete runner;
    QVERIFY(guard.isNull());
    const QJsonObject doc = readJson(dir.filePath(QStringLiteral("exp/experiment.json")));
    QCOMPARE(doc.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
}

QTEST_MAIN(TestExperimentRunner)
#include "tst_experimentrunner.moc"
