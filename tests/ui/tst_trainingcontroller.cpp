#include "trainingcontroller.h"

#include "data/datasource.h"

#include <QtTest>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>

#include <random>

using fts::ui::PredictionSample;
using fts::ui::TrainingController;
using State = TrainingController::State;

namespace {

const std::vector<std::string> kClasses{"red stripe", "green bar", "blue checks"};

// One generated image of class `cls`: a coloured pattern (red vertical
// stripe, green horizontal bar, blue checkerboard) on grey noise.
fts::RgbImage patternImage(int cls, int size, std::mt19937& rng) {
    std::uniform_int_distribution<int> noise(0, 60);
    fts::RgbImage image;
    image.width = image.height = size;
    image.pixels.resize(std::size_t(size) * std::size_t(size) * 3);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) {
            int rgb[3] = {noise(rng), noise(rng), noise(rng)};
            if (cls == 0 && x >= size / 4 && x < size / 2) rgb[0] += 180;
            if (cls == 1 && y >= size / 2 && y < 3 * size / 4) rgb[1] += 180;
            if (cls == 2 && ((x / 4) + (y / 4)) % 2 == 0) rgb[2] += 180;
            for (int c = 0; c < 3; ++c)
                image.pixels[(std::size_t(y) * std::size_t(size) + std::size_t(x)) * 3 +
                             std::size_t(c)] = std::uint8_t(rgb[c]);
        }
    return image;
}

std::shared_ptr<const fts::DataSource> makeSource(int perClass, int size, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<fts::RgbImage> images;
    std::vector<int> labels;
    for (int k = 0; k < perClass; ++k)
        for (int c = 0; c < int(kClasses.size()); ++c) {
            images.push_back(patternImage(c, size, rng));
            labels.push_back(c);
        }
    return fts::makeMemorySource(kClasses, std::move(images), std::move(labels), "patterns");
}

fts::TrainSettings tinySettings(const QString& outDir, int epochs, int imageSize = 28) {
    fts::TrainSettings s;
    s.model = "demo_cnn";
    s.imageSize = imageSize;
    s.epochs = epochs;
    s.batchSize = 8;
    s.lr = 0.01;
    s.optimizer = "adamw";
    s.scheduler = "cosine";
    s.augment = "light";
    s.device = "cpu";
    s.threads = 2;
    s.loaderWorkers = 1;
    s.samplePredictions = 4;
    s.outDir = QDir(outDir).filePath(QStringLiteral("run")).toStdString();
    return s;
}

// Enough batches that one epoch takes a few seconds (150 batches of 8), so
// stop, pause and delete land in the middle of one; each batch stays short
// (one intra-op thread: with two on two busy cores, OpenMP's barriers can
// stretch a batch to over a second, and stop is honoured between batches).
struct LongRun {
    fts::TrainSettings settings;
    std::shared_ptr<const fts::DataSource> train = makeSource(/*perClass=*/400, 28, 3);
    std::shared_ptr<const fts::DataSource> val = makeSource(/*perClass=*/10, 28, 4);
    explicit LongRun(const QString& outDir) : settings(tinySettings(outDir, 5, 28)) {
        settings.threads = 1;
    }
};

}  // namespace

class TestTrainingController : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runsToTheEnd();
    void everyBatchWithoutThinning();
    void failedRunEndsIdle();
    void stopDuringAnEpoch();
    void pauseAndResume();
    void deleteWhileTraining();
};

void TestTrainingController::runsToTheEnd() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    TrainingController controller;
    QCOMPARE(controller.state(), State::Idle);
    QVERIFY(!controller.isBusy());

    QSignalSpy stateSpy(&controller, &TrainingController::stateChanged);
    QSignalSpy startedSpy(&controller, &TrainingController::runStarted);
    QSignalSpy batchSpy(&controller, &TrainingController::batchFinished);
    QSignalSpy epochSpy(&controller, &TrainingController::epochFinished);
    QSignalSpy valSpy(&controller, &TrainingController::validationPredicted);
    QSignalSpy samplesSpy(&controller, &TrainingController::trainingSamples);
    QSignalSpy finishedSpy(&controller, &TrainingController::finished);

    // The order the worker's signals arrive in, and the state finished() sees.
    QStringList order;
    State stateAtFinish = State::Running;
    connect(&controller, &TrainingController::runStarted, this, [&] { order << "runStarted"; });
    connect(&controller, &TrainingController::batchFinished, this, [&] { order << "batch"; });
    connect(&controller, &TrainingController::epochFinished, this, [&] { order << "epoch"; });
    connect(&controller, &TrainingController::validationPredicted, this,
            [&] { order << "validation"; });
    connect(&controller, &TrainingController::trainingSamples, this, [&] { order << "samples"; });
    connect(&controller, &TrainingController::finished, this, [&] {
        order << "finished";
        stateAtFinish = controller.state();
    });

    const int epochs = 2;
    const auto val = makeSource(/*perClass=*/4, 32, 2);
    const fts::TrainSettings settings = tinySettings(dir.path(), epochs, 28);
    QElapsedTimer wall;
    wall.start();
    QVERIFY(controller.start(settings, makeSource(/*perClass=*/12, 32, 1), val));
    QCOMPARE(controller.state(), State::Running);
    QVERIFY(controller.isBusy());
    // Pressing Start twice does nothing.
    QVERIFY(!controller.start(settings, makeSource(4, 32, 1), val));
    QVERIFY(!controller.start(settings));

    QVERIFY(finishedSpy.wait(180000));
    const double seconds = double(wall.elapsed()) / 1000.0;
    QCOMPARE(finishedSpy.count(), 1);
    const auto summary = finishedSpy.front().front().value<fts::RunSummary>();
    QVERIFY2(summary.status == "completed", summary.error.c_str());
    QCOMPARE(summary.epochsCompleted, epochs);
    QCOMPARE(stateAtFinish, State::Idle);
    QCOMPARE(controller.state(), State::Idle);
    QVERIFY(QFile::exists(QDir(dir.path()).filePath("run/summary.json")));

    QCOMPARE(stateSpy.count(), 2);
    QCOMPARE(stateSpy.at(0).front().value<State>(), State::Running);
    QCOMPARE(stateSpy.at(1).front().value<State>(), State::Idle);

    QCOMPARE(startedSpy.count(), 1);
    QCOMPARE(startedSpy.front().at(0).toStringList(),
             QStringList({"red stripe", "green bar", "blue checks"}));
    QCOMPARE(startedSpy.front().at(1).toLongLong(), 36);
    QCOMPARE(startedSpy.front().at(2).toLongLong(), 12);

    QCOMPARE(epochSpy.count(), epochs);
    for (int e = 0; e < epochs; ++e) {
        const auto m = epochSpy.at(e).front().value<fts::EpochMetrics>();
        QCOMPARE(m.epoch, e + 1);
        QCOMPARE(m.epochs, epochs);
        QVERIFY(m.valAccuracy >= 0.0 && m.valAccuracy <= 1.0);
    }

    // Thinned to one per 100 ms, but the last batch of every epoch is there.
    QVERIFY(batchSpy.count() >= epochs);
    QVERIFY2(
        batchSpy.count() <= int(seconds * 10.0) + epochs + 1,
        qPrintable(QStringLiteral("%1 batch signals in %2 s").arg(batchSpy.count()).arg(seconds)));
    QSet<int> epochsEnded;
    for (const auto& args : batchSpy) {
        const auto p = args.front().value<fts::BatchProgress>();
        QVERIFY(p.batch >= 1 && p.batch <= p.batches);
        if (p.batch == p.batches) epochsEnded.insert(p.epoch);
    }
    QCOMPARE(epochsEnded, QSet<int>({1, 2}));

    // Every validation image after every epoch; thumbnails the first time only.
    QCOMPARE(valSpy.count(), epochs);
    for (int e = 0; e < epochs; ++e) {
        QCOMPARE(valSpy.at(e).at(0).toInt(), e + 1);
        const auto rows = valSpy.at(e).at(1).value<QVector<PredictionSample>>();
        QCOMPARE(rows.size(), 12);
        QSet<QString> items;
        for (const PredictionSample& row : rows) {
            items.insert(row.item);
            QVERIFY(row.trueLabel >= 0 && row.trueLabel < 3);
            QVERIFY(row.predicted >= 0 && row.predicted < 3);
            QVERIFY(row.confidence > 0.0 && row.confidence <= 1.0);
            QVERIFY(!row.topIndices.isEmpty());
            QCOMPARE(row.topIndices.front(), row.predicted);
            QCOMPARE(row.topIndices.size(), row.topProbabilities.size());
            QCOMPARE(row.thumbnail.isNull(), e > 0);
        }
        QCOMPARE(items.size(), 12);
    }

    // The live strip: the first batch always reports, with thumbnails.
    QVERIFY(!samplesSpy.isEmpty());
    QCOMPARE(samplesSpy.front().at(0).toInt(), 1);
    const auto samples = samplesSpy.front().at(1).value<QVector<PredictionSample>>();
    QVERIFY(!samples.isEmpty() && samples.size() <= settings.batchSize);
    for (const PredictionSample& sample : samples) {
        QVERIFY(!sample.thumbnail.isNull());
        QVERIFY(!sample.item.isEmpty());
    }

    // finished() is the last signal of the run.
    QVERIFY(!order.isEmpty());
    QCOMPARE(order.front(), QStringLiteral("runStarted"));
    QCOMPARE(order.back(), QStringLiteral("finished"));
    QCOMPARE(order.count(QStringLiteral("finished")), 1);
}

void TestTrainingController::everyBatchWithoutThinning() {
    // Interval 0 lets every batch through; the controller also runs a second
    // time after its first run ended.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    TrainingController controller;
    controller.setBatchSignalInterval(0);
    QSignalSpy batchSpy(&controller, &TrainingController::batchFinished);
    QSignalSpy finishedSpy(&controller, &TrainingController::finished);
    for (int run = 0; run < 2; ++run) {
        batchSpy.clear();
        fts::TrainSettings settings = tinySettings(dir.path(), /*epochs=*/1, 28);
        settings.outDir += std::to_string(run);
        QVERIFY(controller.start(settings, makeSource(12, 28, 5), makeSource(2, 28, 6)));
        QVERIFY(finishedSpy.wait(180000));
        const auto summary = finishedSpy.back().front().value<fts::RunSummary>();
        QVERIFY2(summary.status == "completed", summary.error.c_str());
        QVERIFY(!batchSpy.isEmpty());
        const auto last = batchSpy.back().front().value<fts::BatchProgress>();
        QCOMPARE(batchSpy.count(), last.batches);
        for (int i = 0; i < batchSpy.count(); ++i)
            QCOMPARE(batchSpy.at(i).front().value<fts::BatchProgress>().batch, i + 1);
    }
    QCOMPARE(finishedSpy.count(), 2);
}

void TestTrainingController::failedRunEndsIdle() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    TrainingController controller;
    QSignalSpy finishedSpy(&controller, &TrainingController::finished);
    fts::TrainSettings settings = tinySettings(dir.path(), 1);
    settings.model = "no_such_model";
    QVERIFY(controller.start(settings, makeSource(4, 28, 1), makeSource(2, 28, 2)));
    QVERIFY(finishedSpy.wait(60000));
    const auto summary = finishedSpy.front().front().value<fts::RunSummary>();
    QCOMPARE(summary.status, std::string("failed"));
    QVERIFY(summary.error.find("no_such_model") != std::string::npos);
    QCOMPARE(controller.state(), State::Idle);
}

void TestTrainingController::stopDuringAnEpoch() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    LongRun run(dir.path());
    TrainingController controller;
    QSignalSpy batchSpy(&controller, &TrainingController::batchFinished);
    QSignalSpy epochSpy(&controller, &TrainingController::epochFinished);
    QSignalSpy finishedSpy(&controller, &TrainingController::finished);
    QSignalSpy stateSpy(&controller, &TrainingController::stateChanged);
    QVERIFY(controller.start(run.settings, run.train, run.val));
    QVERIFY(batchSpy.wait(120000));
    QCOMPARE(epochSpy.count(), 0);  // still in the first epoch

    QElapsedTimer sinceStop;
    sinceStop.start();
    controller.stop();
    QCOMPARE(controller.state(), State::Stopping);
    QVERIFY(!controller.start(run.settings, run.train, run.val));  // still busy
    QTRY_VERIFY_WITH_TIMEOUT(controller.state() == State::Idle, 1000);
    const qint64 ms = sinceStop.elapsed();
    qInfo("idle %lld ms after stop(), %lld batches in", ms, qint64(batchSpy.count()));
    QVERIFY2(ms <= 1000, qPrintable(QStringLiteral("stopped after %1 ms").arg(ms)));

    QCOMPARE(finishedSpy.count(), 1);
    const auto summary = finishedSpy.front().front().value<fts::RunSummary>();
    QCOMPARE(summary.status, std::string("cancelled"));
    QCOMPARE(summary.epochsCompleted, 0);
    QCOMPARE(epochSpy.count(), 0);
    QCOMPARE(stateSpy.back().front().value<State>(), State::Idle);
    QCOMPARE(stateSpy.at(stateSpy.count() - 2).front().value<State>(), State::Stopping);
}

void TestTrainingController::pauseAndResume() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    LongRun run(dir.path());
    TrainingController controller;
    controller.setBatchSignalInterval(0);  // every batch: the spy sees all progress
    QSignalSpy batchSpy(&controller, &TrainingController::batchFinished);
    QSignalSpy finishedSpy(&controller, &TrainingController::finished);
    QVERIFY(controller.start(run.settings, run.train, run.val));
    QVERIFY(batchSpy.wait(120000));

    controller.resume();  // not paused: nothing happens
    QCOMPARE(controller.state(), State::Running);
    controller.pause();
    QCOMPARE(controller.state(), State::Paused);
    // Signals already queued, and the batch being computed when pause() came,
    // still arrive; then none. A run that ignored the pause would keep the
    // loop below busy with a batch every few tens of milliseconds.
    int arrivals = 0;
    while (arrivals < 100 && batchSpy.wait(500)) {
        arrivals += int(batchSpy.count());
        batchSpy.clear();
    }
    QVERIFY2(arrivals < 100, "batches kept coming while paused");
    batchSpy.clear();
    QVERIFY2(!batchSpy.wait(1000), "a batch was trained while paused");
    QCOMPARE(controller.state(), State::Paused);

    controller.resume();
    QCOMPARE(controller.state(), State::Running);
    QVERIFY(batchSpy.wait(30000));
    const int before = batchSpy.count();
    QTRY_VERIFY_WITH_TIMEOUT(batchSpy.count() > before, 30000);  // keeps going

    // Stop while paused ends the run too, promptly.
    controller.pause();
    QCOMPARE(controller.state(), State::Paused);
    QElapsedTimer sinceStop;
    sinceStop.start();
    controller.stop();
    QCOMPARE(controller.state(), State::Stopping);
    QTRY_VERIFY_WITH_TIMEOUT(controller.state() == State::Idle, 2000);
    QVERIFY(sinceStop.elapsed() <= 2000);
    QCOMPARE(finishedSpy.count(), 1);
    QCOMPARE(finishedSpy.front().front().value<fts::RunSummary>().status, std::string("cancelled"));
}

void TestTrainingController::deleteWhileTraining() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    LongRun run(dir.path());
    auto* controller = new TrainingController;
    QSignalSpy batchSpy(controller, &TrainingController::batchFinished);
    QVERIFY(controller->start(run.settings, run.train, run.val));
    QVERIFY(batchSpy.wait(120000));
    QVERIFY(controller->isBusy());

    QElapsedTimer timer;
    timer.start();
    delete controller;  // stops the run and waits for the thread
    const qint64 ms = timer.elapsed();
    QVERIFY2(ms < 5000, qPrintable(QStringLiteral("destructor took %1 ms").arg(ms)));
    // The cancelled run still wrote its summary before the thread ended.
    QVERIFY(QFile::exists(QDir(dir.path()).filePath("run/summary.json")));
}

QTEST_MAIN(TestTrainingController)
#include "tst_trainingcontroller.moc"
