// The threaded batch loader: coverage and order per epoch, determinism across
// worker counts, skipped items, and abandoning an epoch.
#include "core/error.h"
#include "core/fileio.h"
#include "data/datasource.h"
#include "data/imagefoldersource.h"
#include "data/loader.h"

#include <ATen/ATen.h>

#include <QtTest/QtTest>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

namespace fs = std::filesystem;

namespace {

// Image i is 8 x 6 with every byte equal to i (mod 256) plus a little texture.
fts::RgbImage imageFor(std::size_t i) {
    fts::RgbImage im;
    im.width = 8;
    im.height = 6;
    im.pixels.resize(8 * 6 * 3);
    for (std::size_t p = 0; p < im.pixels.size(); ++p)
        im.pixels[p] = static_cast<std::uint8_t>((i * 3 + p % 5) % 256);
    return im;
}

// Wraps a memory source: items in `broken` throw as a damaged file would, and
// every load can be slowed down to make abandonment observable.
class TestSource : public fts::DataSource {
public:
    TestSource(std::size_t n, std::set<std::size_t> broken = {}, int delayMs = 0)
        : m_n(n), m_broken(std::move(broken)), m_delayMs(delayMs) {}
    std::string description() const override { return "test"; }
    const std::vector<std::string>& classNames() const override { return m_classes; }
    std::size_t size() const override { return m_n; }
    int label(std::size_t i) const override { return static_cast<int>(i % 3); }
    std::string itemName(std::size_t i) const override { return "item#" + std::to_string(i); }
    fts::RgbImage load(std::size_t i) const override {
        ++loads;
        if (m_delayMs > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(m_delayMs));  // a slow decoder
        if (m_broken.count(i))
            throw fts::Error(itemName(i) +
                             ": not an image this app can decode, or the file is damaged");
        return imageFor(i);
    }
    mutable std::atomic<int> loads{0};

private:
    std::size_t m_n;
    std::set<std::size_t> m_broken;
    int m_delayMs;
    std::vector<std::string> m_classes{"a", "b", "c"};
};

std::vector<std::size_t> range(std::size_t n) {
    std::vector<std::size_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = i;
    return v;
}

fts::TransformSpec smallSpec(fts::Augment augment = fts::Augment::None) {
    fts::TransformSpec spec;
    spec.cropSize = 6;
    spec.augment = augment;
    return spec;
}

struct Epoch {
    std::vector<std::size_t> order;
    std::vector<at::Tensor> images;
    std::vector<at::Tensor> labels;
};

Epoch runEpoch(fts::BatchLoader& loader, int epoch) {
    Epoch e;
    loader.startEpoch(epoch);
    fts::Batch b;
    while (loader.next(b)) {
        e.order.insert(e.order.end(), b.items.begin(), b.items.end());
        e.images.push_back(b.images);
        e.labels.push_back(b.labels);
    }
    return e;
}

}  // namespace

class TstLoader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyItemOncePerEpoch_data();
    void everyItemOncePerEpoch();
    void batchesAreWellFormed();
    void orderDependsOnSeedAndEpochOnly();
    void workerCountDoesNotChangeTensors();
    void evalBatchesMatchEvalTransform();
    void brokenItemsAreSkippedOnce();
    void corruptFilesInAnImageFolder();
    void abandoningAnEpochIsPrompt_data();
    void abandoningAnEpochIsPrompt();
    void rejectsBadOptions();
    void imageCacheGivesTheSameBatches_data();
    void imageCacheGivesTheSameBatches();
    void imageCacheKeepsToItsBudget();
    void presizedAugmentationDoesNotDependOnTheCache();
    void channelsLastBatchesHoldTheSameValues_data();
    void channelsLastBatchesHoldTheSameValues();
};

void TstLoader::everyItemOncePerEpoch_data() {
    QTest::addColumn<int>("items");
    QTest::addColumn<int>("batchSize");
    QTest::addColumn<bool>("dropLast");
    QTest::addColumn<bool>("shuffle");
    QTest::addColumn<int>("workers");
    QTest::addColumn<int>("prefetch");
    QTest::newRow("even") << 24 << 6 << false << true << 2 << 2;
    QTest::newRow("partial last batch") << 25 << 6 << false << true << 3 << 1;
    QTest::newRow("drop last") << 25 << 6 << true << true << 2 << 4;
    QTest::newRow("in order, one worker") << 10 << 3 << false << false << 1 << 1;
    QTest::newRow("zero workers means one") << 7 << 2 << false << true << 0 << 0;
    QTest::newRow("batch larger than data") << 5 << 8 << false << true << 4 << 2;
    QTest::newRow("drop the only batch") << 5 << 8 << true << true << 2 << 2;
    QTest::newRow("no items") << 0 << 4 << false << true << 2 << 2;
}

void TstLoader::everyItemOncePerEpoch() {
    QFETCH(int, items);
    QFETCH(int, batchSize);
    QFETCH(bool, dropLast);
    QFETCH(bool, shuffle);
    QFETCH(int, workers);
    QFETCH(int, prefetch);
    TestSource source(static_cast<std::size_t>(items));
    fts::LoaderOptions opt;
    opt.batchSize = batchSize;
    opt.dropLast = dropLast;
    opt.shuffle = shuffle;
    opt.workers = workers;
    opt.prefetchBatches = prefetch;
    fts::BatchLoader loader(source, range(std::size_t(items)), smallSpec(fts::Augment::Light), opt);
    const std::size_t expectedBatches =
        dropLast ? items / batchSize : (items + batchSize - 1) / batchSize;
    QCOMPARE(loader.batchesPerEpoch(), expectedBatches);
    QCOMPARE(loader.itemCount(), std::size_t(items));
    for (int epoch = 0; epoch < 3; ++epoch) {
        const Epoch e = runEpoch(loader, epoch);
        QCOMPARE(e.images.size(), expectedBatches);
        QCOMPARE(e.order.size(), dropLast ? expectedBatches * batchSize : std::size_t(items));
        const std::set<std::size_t> unique(e.order.begin(), e.order.end());
        QCOMPARE(unique.size(), e.order.size());  // nothing twice
        if (!shuffle) QCOMPARE(e.order, range(std::size_t(items)));
    }
    fts::Batch b;
    QVERIFY(!loader.next(b));  // the epoch is over
}

void TstLoader::batchesAreWellFormed() {
    TestSource source(10);
    fts::LoaderOptions opt;
    opt.batchSize = 4;
    fts::BatchLoader loader(source, range(10), smallSpec(fts::Augment::Strong), opt);
    loader.startEpoch(0);
    fts::Batch b;
    std::size_t seen = 0;
    while (loader.next(b)) {
        const auto n = static_cast<std::int64_t>(b.items.size());
        QCOMPARE(b.images.sizes().vec(), (std::vector<std::int64_t>{n, 3, 6, 6}));
        QCOMPARE(b.images.scalar_type(), at::kFloat);
        QVERIFY(b.images.is_contiguous());
        QCOMPARE(b.labels.sizes().vec(), (std::vector<std::int64_t>{n}));
        QCOMPARE(b.labels.scalar_type(), at::kLong);
        for (std::int64_t k = 0; k < n; ++k)
            QCOMPARE(b.labels[k].item<std::int64_t>(),
                     std::int64_t(source.label(b.items[std::size_t(k)])));
        seen += b.items.size();
    }
    QCOMPARE(seen, std::size_t(10));
}

void TstLoader::orderDependsOnSeedAndEpochOnly() {
    TestSource source(40);
    fts::LoaderOptions opt;
    opt.batchSize = 5;
    opt.seed = 123;
    fts::BatchLoader a(source, range(40), smallSpec(), opt);
    opt.workers = 3;
    opt.prefetchBatches = 1;
    fts::BatchLoader b(source, range(40), smallSpec(), opt);
    const Epoch a0 = runEpoch(a, 0);
    const Epoch a1 = runEpoch(a, 1);
    const Epoch b1 = runEpoch(b, 1);  // epoch 1 first: no state carried between epochs
    const Epoch b0 = runEpoch(b, 0);
    QCOMPARE(a0.order, b0.order);
    QCOMPARE(a1.order, b1.order);
    QVERIFY(a0.order != a1.order);
    QVERIFY(a0.order != range(40));
    opt.seed = 124;
    fts::BatchLoader c(source, range(40), smallSpec(), opt);
    QVERIFY(runEpoch(c, 0).order != a0.order);
}

void TstLoader::workerCountDoesNotChangeTensors() {
    TestSource source(23);
    fts::LoaderOptions opt;
    opt.batchSize = 4;
    opt.seed = 5;
    opt.workers = 1;
    fts::BatchLoader one(source, range(23), smallSpec(fts::Augment::Strong), opt);
    opt.workers = 3;
    opt.prefetchBatches = 6;
    fts::BatchLoader three(source, range(23), smallSpec(fts::Augment::Strong), opt);
    for (int epoch = 0; epoch < 2; ++epoch) {
        const Epoch x = runEpoch(one, epoch);
        const Epoch y = runEpoch(three, epoch);
        QCOMPARE(x.order, y.order);
        QCOMPARE(x.images.size(), y.images.size());
        for (std::size_t k = 0; k < x.images.size(); ++k) {
            QVERIFY(at::equal(x.images[k], y.images[k]));  // bitwise
            QVERIFY(at::equal(x.labels[k], y.labels[k]));
        }
    }
    // Augmentation draws differ between epochs: item 0 in epoch 0 vs epoch 1.
    auto sampleOf = [](const Epoch& e, std::size_t item) {
        std::size_t k = 0;
        for (const at::Tensor& images : e.images)
            for (std::int64_t j = 0; j < images.size(0); ++j, ++k)
                if (e.order[k] == item) return images[j];
        return at::Tensor();
    };
    const Epoch e0 = runEpoch(one, 0);
    const Epoch e1 = runEpoch(one, 1);
    QVERIFY(!at::equal(sampleOf(e0, 0), sampleOf(e1, 0)));
}

void TstLoader::evalBatchesMatchEvalTransform() {
    TestSource source(9);
    fts::LoaderOptions opt;
    opt.batchSize = 4;
    opt.train = false;
    opt.shuffle = false;
    const fts::TransformSpec spec = smallSpec(fts::Augment::Strong);  // ignored when train is false
    fts::BatchLoader loader(source, range(9), spec, opt);
    const Epoch e0 = runEpoch(loader, 0);
    const Epoch e1 = runEpoch(loader, 1);
    std::size_t k = 0;
    for (std::size_t b = 0; b < e0.images.size(); ++b) {
        QVERIFY(at::equal(e0.images[b], e1.images[b]));
        for (std::int64_t j = 0; j < e0.images[b].size(0); ++j, ++k)
            QVERIFY(at::equal(e0.images[b][j], fts::evalTransform(imageFor(k), 6, spec.norm)));
    }
    QCOMPARE(k, std::size_t(9));
}

void TstLoader::brokenItemsAreSkippedOnce() {
    TestSource source(20, {3, 4, 5, 6, 17});
    fts::LoaderOptions opt;
    opt.batchSize = 4;
    opt.shuffle = false;
    opt.workers = 3;
    fts::BatchLoader loader(source, range(20), smallSpec(fts::Augment::Light), opt);
    const Epoch e0 = runEpoch(loader, 0);
    // Batch [4, 5, 6, 7] lost three items, none was lost whole or shifted.
    QCOMPARE(e0.order,
             (std::vector<std::size_t>{0, 1, 2, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19}));
    QCOMPARE(e0.images.size(), std::size_t(5));
    QCOMPARE(e0.images[1].size(0), std::int64_t(1));
    auto skipped = loader.takeSkipped();
    std::sort(skipped.begin(), skipped.end(),
              [](const auto& a, const auto& b) { return a.path < b.path; });
    QCOMPARE(skipped.size(), std::size_t(5));
    QCOMPARE(skipped[0].path, std::string("item#17"));
    QCOMPARE(skipped[1].path, std::string("item#3"));
    QCOMPARE(skipped[1].reason,
             std::string("not an image this app can decode, or the file is damaged"));
    QVERIFY(loader.takeSkipped().empty());  // reported once

    QCOMPARE(loader.itemCount(), std::size_t(15));
    QCOMPARE(loader.batchesPerEpoch(), std::size_t(4));
    const int loadsBefore = source.loads;
    const Epoch e1 = runEpoch(loader, 1);
    QCOMPARE(source.loads - loadsBefore, 15);  // broken items are not tried again
    QCOMPARE(e1.order.size(), std::size_t(15));
    QCOMPARE(e1.images.size(), std::size_t(4));
    QVERIFY(loader.takeSkipped().empty());
}

void TstLoader::corruptFilesInAnImageFolder() {
    QTemporaryDir tmp;
    const fs::path root = fs::u8path(tmp.path().toStdString());
    auto write = [&](const fs::path& f, const std::string& bytes) {
        fs::create_directories(f.parent_path());
        std::ofstream(f, std::ios::binary) << bytes;
    };
    const std::string ppm = "P6\n2 2\n255\n" + std::string(12, '\x40');
    write(root / "a" / "1.ppm", ppm);
    write(root / "a" / "broken.jpg", std::string("\xff\xd8\xff garbage, not a JPEG stream", 30));
    write(root / "b" / "1.ppm", ppm);
    write(root / "b" / "cut.ppm", "P6\n40 40\n255\n\x01\x02");
    fts::ImageFolderSource source(root);
    QCOMPARE(source.size(), std::size_t(4));
    fts::LoaderOptions opt;
    opt.batchSize = 3;
    fts::BatchLoader loader(source, range(4), smallSpec(fts::Augment::Light), opt);
    const Epoch e = runEpoch(loader, 0);
    QCOMPARE(e.order.size(), std::size_t(2));
    const auto skipped = loader.takeSkipped();
    QCOMPARE(skipped.size(), std::size_t(2));
    for (const auto& s : skipped) {
        QVERIFY2(s.path.find("broken.jpg") != std::string::npos ||
                     s.path.find("cut.ppm") != std::string::npos,
                 s.path.c_str());
        QVERIFY(!s.reason.empty());
        QVERIFY2(s.reason.find(s.path) == std::string::npos,
                 s.reason.c_str());  // the path is not repeated
    }
}

void TstLoader::abandoningAnEpochIsPrompt_data() {
    QTest::addColumn<QString>("how");
    QTest::newRow("start the next epoch") << "restart";
    QTest::newRow("destroy after one batch") << "destroy";
    QTest::newRow("destroy before consuming") << "destroy-early";
    QTest::newRow("destroy before any epoch") << "never-started";
}

void TstLoader::abandoningAnEpochIsPrompt() {
    QFETCH(QString, how);
    // 400 items at 5 ms each would take seconds per epoch; abandoning must not wait for them.
    TestSource source(400, {}, /*delayMs=*/5);
    fts::LoaderOptions opt;
    opt.batchSize = 8;
    opt.workers = 3;
    opt.prefetchBatches = 50;
    QElapsedTimer timer;
    {
        fts::BatchLoader loader(source, range(400), smallSpec(fts::Augment::Light), opt);
        fts::Batch b;
        if (how != "never-started") loader.startEpoch(0);
        if (how == "restart" || how == "destroy") QVERIFY(loader.next(b));
        timer.start();
        if (how == "restart") {
            loader.startEpoch(1);
            QVERIFY(timer.elapsed() < 1000);
            QVERIFY(loader.next(b));  // the new epoch works
            QCOMPARE(b.items.size(), std::size_t(8));
            timer.restart();
        }
    }  // destructor: stops and joins the workers
    QVERIFY2(timer.elapsed() < 1000, std::to_string(timer.elapsed()).c_str());
    QVERIFY(source.loads < 400);
}

void TstLoader::rejectsBadOptions() {
    TestSource source(4);
    fts::LoaderOptions opt;
    opt.batchSize = 0;
    QVERIFY_THROWS_EXCEPTION(fts::Error, fts::BatchLoader(source, range(4), smallSpec(), opt));
    opt.batchSize = 2;
    QVERIFY_THROWS_EXCEPTION(fts::Error, fts::BatchLoader(source, {0, 9}, smallSpec(), opt));
    fts::TransformSpec spec = smallSpec();
    spec.cropSize = 0;
    QVERIFY_THROWS_EXCEPTION(fts::Error, fts::BatchLoader(source, range(4), spec, opt));
    fts::BatchLoader idle(source, range(4), smallSpec(), opt);
    fts::Batch b;
    QVERIFY(!idle.next(b));  // no epoch started
}

void TstLoader::imageCacheGivesTheSameBatches_data() {
    QTest::addColumn<int>("augment");
    QTest::addColumn<bool>("train");
    QTest::newRow("no augmentation") << int(fts::Augment::None) << true;
    QTest::newRow("light") << int(fts::Augment::Light) << true;
    QTest::newRow("strong") << int(fts::Augment::Strong) << true;
    QTest::newRow("evaluation") << int(fts::Augment::None) << false;
}

void TstLoader::imageCacheGivesTheSameBatches() {
    QFETCH(int, augment);
    QFETCH(bool, train);
    TestSource plainSource(23), cachedSource(23);
    fts::LoaderOptions opt;
    opt.batchSize = 5;
    opt.workers = 3;
    opt.train = train;
    opt.shuffle = train;
    const auto spec = smallSpec(fts::Augment(augment));
    fts::BatchLoader plain(plainSource, range(23), spec, opt);
    opt.cacheBytes = std::size_t(1) << 20;
    fts::BatchLoader cached(cachedSource, range(23), spec, opt);
    for (int epoch = 0; epoch < 3; ++epoch) {
        const int loadsBefore = cachedSource.loads;
        const Epoch a = runEpoch(plain, epoch);
        const Epoch b = runEpoch(cached, epoch);
        QCOMPARE(a.order, b.order);
        QCOMPARE(a.images.size(), b.images.size());
        for (std::size_t i = 0; i < a.images.size(); ++i) {
            QVERIFY(at::equal(a.images[i], b.images[i]));
            QVERIFY(at::equal(a.labels[i], b.labels[i]));
        }
        // Decoded once: later epochs come from the cache.
        QCOMPARE(cachedSource.loads - loadsBefore, epoch == 0 ? 23 : 0);
    }
    const auto stats = cached.cacheStats();
    QCOMPARE(stats.items, std::size_t(23));
    QCOMPARE(stats.overBudget, std::size_t(0));
    // No augmentation or evaluation: the 6 x 6 crop is kept; else the 8 x 6 image.
    const std::size_t each = augment == int(fts::Augment::None) || !train ? 6 * 6 * 3 : 8 * 6 * 3;
    QCOMPARE(stats.bytes, 23 * each);
    QCOMPARE(plain.cacheStats().items, std::size_t(0));
}

void TstLoader::imageCacheKeepsToItsBudget() {
    TestSource source(20);
    fts::LoaderOptions opt;
    opt.batchSize = 4;
    opt.workers = 2;
    opt.train = false;
    opt.shuffle = false;
    opt.cacheBytes = 5 * 6 * 6 * 3 + 100;  // room for five 6 x 6 crops
    fts::BatchLoader loader(source, range(20), smallSpec(), opt);
    runEpoch(loader, 0);
    auto stats = loader.cacheStats();
    QCOMPARE(stats.items, std::size_t(5));
    QCOMPARE(stats.bytes, std::size_t(5 * 6 * 6 * 3));
    QCOMPARE(stats.overBudget, std::size_t(15));
    const int before = source.loads;
    const Epoch again = runEpoch(loader, 1);
    QCOMPARE(source.loads - before, 15);  // the others are decoded again
    QCOMPARE(again.order.size(), std::size_t(20));
    stats = loader.cacheStats();
    QCOMPARE(stats.items, std::size_t(5));
    QCOMPARE(stats.overBudget, std::size_t(15));  // counted once per image
}

void TstLoader::presizedAugmentationDoesNotDependOnTheCache() {
    // 40 x 30 images at crop size 8: presized to a shorter side of round(8 / 0.875) = 9.
    std::vector<fts::RgbImage> images;
    for (int i = 0; i < 6; ++i) {
        fts::RgbImage im;
        im.width = 40;
        im.height = 30;
        im.pixels.resize(40 * 30 * 3);
        for (std::size_t p = 0; p < im.pixels.size(); ++p)
            im.pixels[p] = static_cast<std::uint8_t>((p * 7 + std::size_t(i) * 31) % 251);
        images.push_back(std::move(im));
    }
    const auto source = fts::makeMemorySource({"a", "b"}, images, {0, 1, 0, 1, 0, 1}, "big images");
    fts::TransformSpec spec;
    spec.cropSize = 8;
    spec.augment = fts::Augment::Light;
    fts::LoaderOptions opt;
    opt.batchSize = 6;
    opt.shuffle = false;
    opt.presize = true;
    fts::BatchLoader uncached(*source, range(6), spec, opt);
    opt.cacheBytes = 1 << 20;
    fts::BatchLoader cached(*source, range(6), spec, opt);
    const Epoch a = runEpoch(uncached, 0);
    const Epoch b = runEpoch(cached, 0);
    const Epoch c = runEpoch(cached, 1);  // from the cache
    QVERIFY(at::equal(a.images[0], b.images[0]));
    QCOMPARE(cached.cacheStats().bytes, std::size_t(6 * 12 * 9 * 3));
    QVERIFY(!at::equal(b.images[0], c.images[0]));  // another epoch, other random crops
    const fts::RgbImage presized = fts::presizeForTraining(images[0], 8);
    QCOMPARE(presized.width, 12);
    QCOMPARE(presized.height, 9);
    QCOMPARE(fts::presizeForTraining(presized, 8).pixels, presized.pixels);  // already small
}

void TstLoader::channelsLastBatchesHoldTheSameValues_data() {
    QTest::addColumn<int>("augment");
    QTest::addColumn<bool>("train");
    QTest::newRow("evaluation") << int(fts::Augment::None) << false;
    QTest::newRow("light") << int(fts::Augment::Light) << true;
    QTest::newRow("strong") << int(fts::Augment::Strong) << true;
}

void TstLoader::channelsLastBatchesHoldTheSameValues() {
    QFETCH(int, augment);
    QFETCH(bool, train);
    TestSource source(9);
    fts::LoaderOptions opt;
    opt.batchSize = 4;
    opt.train = train;
    const auto spec = smallSpec(fts::Augment(augment));
    fts::BatchLoader planar(source, range(9), spec, opt);
    opt.channelsLast = true;
    fts::BatchLoader interleaved(source, range(9), spec, opt);
    const Epoch a = runEpoch(planar, 2);
    const Epoch b = runEpoch(interleaved, 2);
    QCOMPARE(a.images.size(), b.images.size());
    for (std::size_t i = 0; i < a.images.size(); ++i) {
        QVERIFY(a.images[i].is_contiguous());
        QVERIFY(b.images[i].is_contiguous(at::MemoryFormat::ChannelsLast));
        QVERIFY(!b.images[i].is_contiguous());
        QVERIFY(at::equal(a.images[i], b.images[i]));  // bitwise the same values
    }
}

QTEST_GUILESS_MAIN(TstLoader)

#include "tst_loader.moc"
