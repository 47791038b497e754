// The dataset health check (healthcheck.h): the perceptual hash on its own,
// then a generated ImageFolder pair with one of each problem (an unreadable
// file, an imbalanced and a tiny class, an exact and a near copy across
// training and validation, a copy under another label) among ~80 distinct
// images that must not be flagged.
#include "data/datasource.h"
#include "data/healthcheck.h"
#include "data/imagedecode.h"

#include <QProcess>
#include <QtTest/QtTest>
#include <nlohmann/json.hpp>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>

namespace fs = std::filesystem;
using namespace fts;

namespace {

// A distinct 64 x 64 picture: a gradient in a random direction and a few
// filled shapes of random colours (structure at low frequencies, as photos).
cv::Mat randomPicture(std::uint32_t seed) {
    std::mt19937 rng(seed);
    const auto u = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    cv::Mat m(64, 64, CV_8UC3);
    const double angle = u(0, 359) * CV_PI / 180.0;
    const cv::Vec3b a(u(0, 255), u(0, 255), u(0, 255)), b(u(0, 255), u(0, 255), u(0, 255));
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; ++x) {
            const double t = 0.5 + ((x - 32) * std::cos(angle) + (y - 32) * std::sin(angle)) / 90.0;
            for (int c = 0; c < 3; ++c)
                m.at<cv::Vec3b>(y, x)[c] = cv::saturate_cast<uchar>(a[c] * (1 - t) + b[c] * t);
        }
    for (int s = 0; s < 4; ++s) {
        const cv::Scalar colour(u(0, 255), u(0, 255), u(0, 255));
        if (u(0, 1))
            cv::rectangle(m, cv::Point(u(0, 50), u(0, 50)), cv::Point(u(10, 63), u(10, 63)), colour,
                          cv::FILLED);
        else
            cv::circle(m, cv::Point(u(0, 63), u(0, 63)), u(5, 20), colour, cv::FILLED);
    }
    return m;
}

RgbImage toRgb(const cv::Mat& bgr) {
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    RgbImage img;
    img.width = rgb.cols;
    img.height = rgb.rows;
    img.pixels.assign(rgb.data, rgb.data + rgb.total() * 3);
    return img;
}

void write(const fs::path& file, const cv::Mat& m, const std::vector<int>& params = {}) {
    fs::create_directories(file.parent_path());
    QVERIFY(cv::imwrite(file.string(), m, params));
}

bool hasFile(const HealthWarning& w, const std::string& suffix) {
    return std::any_of(w.files.begin(), w.files.end(), [&](const HealthFile& f) {
        return f.item.size() >= suffix.size() &&
               f.item.compare(f.item.size() - suffix.size(), suffix.size(), suffix) == 0;
    });
}

std::vector<const HealthWarning*> ofKind(const HealthReport& r, HealthWarningKind kind) {
    std::vector<const HealthWarning*> out;
    for (const auto& w : r.warnings)
        if (w.kind == kind) out.push_back(&w);
    return out;
}

void dump(const HealthReport& r) {
    for (const auto& w : r.warnings)
        qInfo("%s %s: %s (%zu files)", healthSeverityId(w.severity), healthWarningKindId(w.kind),
              w.message.c_str(), w.files.size());
}

bool isDuplicateKind(HealthWarningKind k) {
    return k == HealthWarningKind::ExactDuplicate || k == HealthWarningKind::NearDuplicate ||
           k == HealthWarningKind::TrainValLeak || (k == HealthWarningKind::LabelConflict);
}

}  // namespace

class TestHealthCheck : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void hashIdentical();
    void hashSmallChange();
    void hashDifferent();
    void hashFlatImageUnreliable();
    void findsEveryProblem();
    void bandSearchFindsTheSamePairs();
    void splitCase();
    void exactCopiesInMemory();
    void progressAndCancel();
    void commandLine();

private:
    QTemporaryDir m_tmp;
    fs::path m_train, m_val;
};

void TestHealthCheck::initTestCase() {
    QVERIFY(m_tmp.isValid());
    if (!imageDecodingAvailable()) QSKIP("this build cannot decode images");
    const fs::path root = m_tmp.path().toStdString();
    m_train = root / "train";
    m_val = root / "val";
    std::uint32_t seed = 1000;
    // big: 50 distinct images; mid: 8; tiny: 2 (+ a relabelled copy).
    for (int i = 0; i < 50; ++i)
        write(m_train / "big" / ("r" + std::to_string(i) + ".png"), randomPicture(seed++));
    for (int i = 0; i < 8; ++i)
        write(m_train / "mid" / ("m" + std::to_string(i) + ".png"), randomPicture(seed++));
    for (int i = 0; i < 2; ++i)
        write(m_train / "tiny" / ("t" + std::to_string(i) + ".png"), randomPicture(seed++));
    // Label conflict: r2 of "big" again under "tiny".
    fs::copy_file(m_train / "big" / "r2.png", m_train / "tiny" / "conflict.png");
    // Unreadable: a PNG cut in half (the scan sniffs it as PNG; decoding fails).
    {
        std::vector<uchar> png;
        QVERIFY(cv::imencode(".png", randomPicture(seed++), png));
        std::ofstream(m_train / "big" / "broken.png", std::ios::binary)
            .write(reinterpret_cast<const char*>(png.data()), std::streamsize(png.size() / 2));
    }
    // Validation: distinct images in every class, plus an exact copy of
    // mid/m0 and a near copy (resized by 10 %, JPEG quality 70) of big/r1.
    for (const char* cls : {"big", "mid", "tiny"})
        for (int i = 0; i < 4; ++i)
            write(m_val / cls / ("v" + std::to_string(i) + ".png"), randomPicture(seed++));
    fs::copy_file(m_train / "mid" / "m0.png", m_val / "mid" / "copy.png");
    cv::Mat r1 = cv::imread((m_train / "big" / "r1.png").string()), small;
    cv::resize(r1, small, cv::Size(58, 58), 0, 0, cv::INTER_AREA);
    write(m_val / "big" / "near.jpg", small, {cv::IMWRITE_JPEG_QUALITY, 70});
}

void TestHealthCheck::hashIdentical() {
    const RgbImage a = toRgb(randomPicture(7));
    QCOMPARE(hammingDistance(perceptualHash(a).bits, perceptualHash(a).bits), 0);
    QVERIFY(perceptualHash(a).reliable);
    QCOMPARE(pixelHash(a), pixelHash(toRgb(randomPicture(7))));
    QVERIFY(pixelHash(a) != pixelHash(toRgb(randomPicture(8))));
}

void TestHealthCheck::hashSmallChange() {
    const cv::Mat m = randomPicture(11);
    cv::Mat brighter, small, blurred;
    m.convertTo(brighter, -1, 1.0, 12.0);
    cv::resize(m, small, cv::Size(58, 58), 0, 0, cv::INTER_AREA);
    cv::GaussianBlur(m, blurred, cv::Size(3, 3), 0.8);
    std::vector<uchar> jpeg;
    QVERIFY(cv::imencode(".jpg", small, jpeg, {cv::IMWRITE_JPEG_QUALITY, 70}));
    const cv::Mat reencoded = cv::imdecode(jpeg, cv::IMREAD_COLOR);
    const auto h = perceptualHash(toRgb(m)).bits;
    for (const cv::Mat* changed :
         std::vector<const cv::Mat*>{&brighter, &small, &blurred, &reencoded}) {
        const int d = hammingDistance(h, perceptualHash(toRgb(*changed)).bits);
        QVERIFY2(d <= 6, qPrintable(QString::number(d)));
    }
    QVERIFY(pixelHash(toRgb(m)) != pixelHash(toRgb(brighter)));
}

void TestHealthCheck::hashDifferent() {
    int minimum = 64;
    double sum = 0;
    int pairs = 0;
    std::vector<std::uint64_t> hashes;
    for (std::uint32_t s = 0; s < 60; ++s)
        hashes.push_back(perceptualHash(toRgb(randomPicture(5000 + s))).bits);
    for (std::size_t i = 0; i < hashes.size(); ++i)
        for (std::size_t j = i + 1; j < hashes.size(); ++j) {
            const int d = hammingDistance(hashes[i], hashes[j]);
            minimum = std::min(minimum, d);
            sum += d;
            ++pairs;
        }
    qInfo("pHash distance of distinct images: minimum %d, mean %.1f", minimum, sum / pairs);
    QVERIFY(minimum > 6);
    QVERIFY(sum / pairs > 20);
}

void TestHealthCheck::hashFlatImageUnreliable() {
    const cv::Mat grey(40, 40, CV_8UC3, cv::Scalar(128, 128, 128));
    QVERIFY(!perceptualHash(toRgb(grey)).reliable);
    QCOMPARE(hammingDistance(0, ~std::uint64_t{0}), 64);
}

void TestHealthCheck::findsEveryProblem() {
    const auto train = openDataSource(m_train);
    const auto val = openDataSource(m_val);
    HealthCheckOptions o;
    o.threads = 2;
    const HealthReport r = checkDatasetHealth(*train, val.get(), o);
    dump(r);
    QVERIFY(!r.cancelled);
    QCOMPARE(r.training.classNames, (std::vector<std::string>{"big", "mid", "tiny"}));
    QCOMPARE(r.training.counts, (std::vector<std::size_t>{51, 8, 3}));  // broken.png is an item
    QCOMPARE(r.validation.counts, (std::vector<std::size_t>{5, 5, 4}));

    const auto unreadable = ofKind(r, HealthWarningKind::UnreadableFile);
    QCOMPARE(unreadable.size(), std::size_t{1});
    QVERIFY(hasFile(*unreadable[0], "broken.png"));
    QCOMPARE(r.unreadable, std::size_t{1});

    const auto tiny = ofKind(r, HealthWarningKind::TinyClass);
    QCOMPARE(tiny.size(), std::size_t{1});
    QVERIFY(tiny[0]->message.find("'tiny'") != std::string::npos);
    QCOMPARE(tiny[0]->files.size(), std::size_t{3});
    QCOMPARE(ofKind(r, HealthWarningKind::ClassImbalance).size(), std::size_t{1});
    QCOMPARE(r.imbalance, 51.0 / 3.0);

    const auto leaks = ofKind(r, HealthWarningKind::TrainValLeak);
    QCOMPARE(leaks.size(), std::size_t{2});
    const auto leak = [&](const std::string& a, const std::string& b) {
        return std::any_of(leaks.begin(), leaks.end(), [&](const HealthWarning* w) {
            return w->files.size() == 2 && hasFile(*w, a) && hasFile(*w, b);
        });
    };
    QVERIFY(leak("mid/m0.png", "mid/copy.png"));
    QVERIFY(leak("big/r1.png", "big/near.jpg"));
    QCOMPARE(r.leakedValidation, std::size_t{2});

    const auto conflicts = ofKind(r, HealthWarningKind::LabelConflict);
    QCOMPARE(conflicts.size(), std::size_t{1});
    QCOMPARE(conflicts[0]->files.size(), std::size_t{2});
    QVERIFY(hasFile(*conflicts[0], "big/r2.png") && hasFile(*conflicts[0], "tiny/conflict.png"));
    QCOMPARE(conflicts[0]->severity, HealthSeverity::Problem);

    // No false positives among the ~80 distinct images.
    const auto dups = std::count_if(r.warnings.begin(), r.warnings.end(),
                                    [](const HealthWarning& w) { return isDuplicateKind(w.kind); });
    QCOMPARE(dups, 3);
    // Most severe first.
    QCOMPARE(r.warnings.front().severity, HealthSeverity::Problem);
}

void TestHealthCheck::bandSearchFindsTheSamePairs() {
    const auto train = openDataSource(m_train);
    const auto val = openDataSource(m_val);
    HealthCheckOptions o;
    o.bruteForceLimit = 0;  // multi-index search on bands
    const HealthReport r = checkDatasetHealth(*train, val.get(), o);
    dump(r);
    QCOMPARE(ofKind(r, HealthWarningKind::TrainValLeak).size(), std::size_t{2});
    QCOMPARE(ofKind(r, HealthWarningKind::LabelConflict).size(), std::size_t{1});
    QCOMPARE(ofKind(r, HealthWarningKind::NearDuplicate).size(), std::size_t{0});
    QCOMPARE(r.leakedValidation, std::size_t{2});
}

void TestHealthCheck::splitCase() {
    const auto train = openDataSource(m_train);
    HealthCheckOptions o;
    o.valSplit = 0.25;
    const HealthReport r = checkDatasetHealth(*train, nullptr, o);
    QVERIFY(r.validationIsSplit);
    QCOMPARE(r.trainingImages + r.validationImages, train->size());
    QVERIFY(r.validationImages > 0);
    // The relabelled copy is a conflict wherever the split puts its halves.
    QCOMPARE(ofKind(r, HealthWarningKind::LabelConflict).size(), std::size_t{1});
    QCOMPARE(ofKind(r, HealthWarningKind::TrainValLeak).size(), std::size_t{0});
    // No split: everything is training.
    o.valSplit = 0.0;
    const HealthReport all = checkDatasetHealth(*train, nullptr, o);
    QCOMPARE(all.trainingImages, train->size());
    QCOMPARE(all.validationImages, std::size_t{0});
    QVERIFY(all.validation.classNames.empty());
}

void TestHealthCheck::exactCopiesInMemory() {
    std::vector<RgbImage> images = {toRgb(randomPicture(1)), toRgb(randomPicture(2)),
                                    toRgb(randomPicture(1)), toRgb(randomPicture(3)),
                                    toRgb(randomPicture(4)), toRgb(randomPicture(5))};
    const auto source = makeMemorySource({"a", "b"}, images, {0, 1, 0, 1, 0, 1});
    HealthCheckOptions o;
    o.minClassImages = 1;
    const HealthReport r = checkDatasetHealth(*source, nullptr, o);
    dump(r);
    const auto exact = ofKind(r, HealthWarningKind::ExactDuplicate);
    QCOMPARE(exact.size(), std::size_t{1});
    QCOMPARE(exact[0]->files.size(), std::size_t{2});
    QCOMPARE(exact[0]->files[0].index, std::size_t{0});
    QCOMPARE(exact[0]->files[1].index, std::size_t{2});
    QCOMPARE(r.warnings.size(), std::size_t{1});
}

void TestHealthCheck::progressAndCancel() {
    const auto train = openDataSource(m_train);
    std::atomic<std::size_t> calls{0}, last{0};
    HealthCheckOptions o;
    checkDatasetHealth(*train, nullptr, o, [&](std::size_t done, std::size_t total) {
        ++calls;
        last = done;
        QCOMPARE(total, train->size());
    });
    QCOMPARE(calls.load(), train->size());
    QCOMPARE(last.load(), train->size());

    std::atomic<bool> cancel{true};
    const HealthReport r = checkDatasetHealth(*train, nullptr, o, {}, &cancel);
    QVERIFY(r.cancelled);
    QCOMPARE(ofKind(r, HealthWarningKind::LabelConflict).size(), std::size_t{0});
    QCOMPARE(r.training.counts.size(), std::size_t{3});  // counts are still there
}

void TestHealthCheck::commandLine() {
    QProcess cli;
    cli.start(QStringLiteral(FTS_CLI_PATH),
              {QStringLiteral("check"), QStringLiteral("--data"),
               QString::fromStdString(m_train.string()), QStringLiteral("--val"),
               QString::fromStdString(m_val.string()), QStringLiteral("--json")});
    QVERIFY(cli.waitForFinished(60000));
    QCOMPARE(cli.exitCode(), 0);  // findings are not errors
    const auto json = nlohmann::json::parse(cli.readAllStandardOutput().toStdString());
    QCOMPARE(json["leakedValidation"].get<int>(), 2);
    int leaks = 0;
    for (const auto& w : json["warnings"]) leaks += w["kind"] == "train-val-leak";
    QCOMPARE(leaks, 2);
    // Text mode names the files; a missing folder is an error (exit 1).
    cli.start(QStringLiteral(FTS_CLI_PATH), {QStringLiteral("check"), QStringLiteral("--data"),
                                             QString::fromStdString(m_train.string())});
    QVERIFY(cli.waitForFinished(60000));
    QCOMPARE(cli.exitCode(), 0);
    const QString text = QString::fromUtf8(cli.readAllStandardOutput());
    QVERIFY(text.contains(QStringLiteral("[label-conflict]")));
    QVERIFY(text.contains(QStringLiteral("conflict.png")));
    cli.start(QStringLiteral(FTS_CLI_PATH), {QStringLiteral("check"), QStringLiteral("--data"),
                                             m_tmp.path() + QStringLiteral("/none")});
    QVERIFY(cli.waitForFinished(60000));
    QCOMPARE(cli.exitCode(), 1);
}

QTEST_GUILESS_MAIN(TestHealthCheck)
#include "tst_healthcheck.moc"
