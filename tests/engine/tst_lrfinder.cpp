// The learning-rate range test on the demo CNN and generated data.
#include "core/error.h"
#include "core/fileio.h"
#include "data/datasource.h"
#include "train/lrfinder.h"

#include <QtTest>

#include <QTemporaryDir>

#include <cmath>
#include <random>

namespace {

// A bright bar on the left (class 0) or the right (class 1), on noise.
std::shared_ptr<const fts::DataSource> makeSource(int perClass) {
    std::mt19937 rng(5);
    std::uniform_int_distribution<int> noise(0, 60);
    std::vector<fts::RgbImage> images;
    std::vector<int> labels;
    for (int k = 0; k < perClass; ++k)
        for (int c = 0; c < 2; ++c) {
            fts::RgbImage img;
            img.width = img.height = 28;
            img.pixels.resize(28 * 28 * 3);
            for (int y = 0; y < 28; ++y)
                for (int x = 0; x < 28; ++x) {
                    const bool bar = c == 0 ? (x >= 4 && x < 10) : (x >= 18 && x < 24);
                    for (int ch = 0; ch < 3; ++ch)
                        img.pixels[(y * 28 + x) * 3 + ch] = std::uint8_t(bar ? 220 : noise(rng));
                }
            images.push_back(std::move(img));
            labels.push_back(c);
        }
    return fts::makeMemorySource({"left", "right"}, std::move(images), std::move(labels), "bars");
}

fts::TrainSettings tinySettings() {
    fts::TrainSettings s;
    s.model = "demo_cnn";
    s.batchSize = 8;
    s.augment = "none";
    s.optimizer = "sgd";
    s.threads = 2;
    s.loaderWorkers = 1;
    return s;
}

}  // namespace

class TestLrFinder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fullRange() {
        fts::LrFinderOptions o;
        o.steps = 60;
        fts::LrFinder finder(tinySettings(), o);
        finder.setDataSource(makeSource(16));
        int calls = 0;
        const auto r = finder.run([&](const fts::LrPoint&, int step, int steps) {
            QCOMPARE(steps, 60);
            QCOMPARE(step, ++calls);
        });
        QVERIFY(!r.points.empty());
        QCOMPARE(int(r.points.size()), calls);
        qInfo("points %d, diverged %d, suggestion %g (%s), minimum-loss lr %g",
              int(r.points.size()), int(r.diverged), r.suggestedLr, r.method.c_str(),
              r.minimumLossLr);
        // Exponential: every step multiplies the lr by the same factor.
        QVERIFY(std::abs(r.points.front().lr - 1e-7) < 1e-12);
        const double ratio = std::pow(10.0 / 1e-7, 1.0 / 59.0);
        for (std::size_t i = 1; i < r.points.size(); ++i)
            QVERIFY(std::abs(r.points[i].lr / r.points[i - 1].lr - ratio) < 1e-9);
        // SGD at lr 10 diverges: stopped early, and the suggestion lies below
        // the divergence point, inside the range.
        QVERIFY(r.diverged);
        QVERIFY(int(r.points.size()) < 60);
        QVERIFY(r.suggestedLr >= 1e-8 && r.suggestedLr <= 10.0);
        QVERIFY(r.suggestedLr < r.points.back().lr);
        QVERIFY(r.suggestedIndex + 1 < r.points.size());
    }

    void expectedLengthWithoutDivergence() {
        fts::LrFinderOptions o;
        o.steps = 12;
        o.endLr = 1e-4;  // too small to diverge
        fts::LrFinder finder(tinySettings(), o);
        finder.setDataSource(makeSource(4));  // 1 batch per epoch: several epochs
        const auto r = finder.run();
        QCOMPARE(int(r.points.size()), 12);
        QVERIFY(!r.diverged);
        QVERIFY(std::abs(r.points.back().lr - 1e-4) < 1e-12);
        QVERIFY(r.suggestedLr > 0.0 && r.suggestedLr <= 1e-4);

        QTemporaryDir dir;
        const auto csv = std::filesystem::u8path(dir.filePath("lr.csv").toStdString());
        fts::writeLrFinderCsv(csv, r);
        const auto bytes = fts::readFileBytes(csv);
        const QString text =
            QString::fromUtf8(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()));
        QVERIFY(text.startsWith("lr,loss,smoothed\n"));
        QCOMPARE(text.count('\n'), 13);
    }

    void suggestionRule() {
        // A loss that falls fastest around lr 1e-3, bottoms at 1e-1, then rises.
        fts::LrFinderResult r;
        for (int i = 0; i <= 80; ++i) {
            const double logLr = -7.0 + i * 0.1;
            fts::LrPoint p;
            p.lr = std::pow(10.0, logLr);
            p.smoothed = p.loss = 2.0 - std::tanh(2.0 * (logLr + 3.0)) +
                                  (logLr > -1.0 ? 3 * (logLr + 1) * (logLr + 1) : 0.0);
            r.points.push_back(p);
        }
        fts::suggestLearningRate(r);
        QCOMPARE(r.method, std::string("steepest descent"));
        QVERIFY2(std::abs(std::log10(r.suggestedLr) + 3.0) < 0.15,
                 qPrintable(QString::number(r.suggestedLr)));
        QVERIFY(std::abs(std::log10(r.minimumLossLr) + 1.0) < 0.5);

        // Too short for a slope: a tenth of the minimum.
        fts::LrFinderResult two;
        two.points = {{1e-3, 1.0, 1.0}, {1e-2, 0.5, 0.5}};
        fts::suggestLearningRate(two);
        QCOMPARE(two.method, std::string("minimum / 10"));
        QVERIFY(std::abs(two.suggestedLr - 1e-3) < 1e-12);
    }

    void cancel() {
        fts::LrFinderOptions o;
        o.steps = 50;
        fts::LrFinder finder(tinySettings(), o);
        finder.setDataSource(makeSource(8));
        const auto r = finder.run([&](const fts::LrPoint&, int step, int) {
            if (step == 3) finder.requestStop();
        });
        QVERIFY(r.cancelled);
        QCOMPARE(int(r.points.size()), 3);
    }

    void badModel() {
        auto s = tinySettings();
        s.model = "no_such_net";
        fts::LrFinder finder(s);
        finder.setDataSource(makeSource(2));
        QVERIFY_THROWS_EXCEPTION(fts::Error, finder.run());
    }
};

QTEST_GUILESS_MAIN(TestLrFinder)
#include "tst_lrfinder.moc"
