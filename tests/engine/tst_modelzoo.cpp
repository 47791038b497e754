// The model zoo against a local HTTP server (tests/fixtures/zoo_server.py):
// download, verify, reuse, resume, wrong hash, 404, cancel, stall, no
// network, PyTorch's cache folder, and finetune-cli download end to end.
#include "processrunner.h"
#include "weights/modelzoo.h"
#include "zooserver.h"

#include <QtTest/QtTest>

#include <atomic>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace {

QByteArray readAll(const fs::path& p) {
    QFile f(QString::fromStdString(p.string()));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeBytes(const fs::path& p, const QByteArray& bytes) {
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out.write(bytes.constData(), bytes.size());
}

QString sha256Hex(const QByteArray& bytes) {
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

// A closed port on this machine: connecting is refused at once.
const char* const kNoServer = "http://127.0.0.1:9";

}  // namespace

class TstModelZoo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void registryEntries();
    void cacheFolderFollowsTorch_data();
    void cacheFolderFollowsTorch();
    void downloadsVerifiesAndReuses();
    void wrongHashLeavesNothing();
    void droppedConnectionResumes();
    void partialFileResumesWithRange();
    void serverWithoutRangesRestarts();
    void notFoundIsClear();
    void cancelKeepsOnlyThePartial();
    void stalledServerGivesUp();
    void noNetworkNamesTheUrl();
    void urlWithoutHashIsRefused();
    void cliDownloadEndToEnd();
    void cliErrors();

private:
    fts::ZooEntry entry(const QString& route, const QString& name = {}) const {
        return fts::zooEntryForUrl(
            m_server.url(route, name.isEmpty() ? m_tiny : name).toStdString());
    }

    ZooServer m_server;
    QString m_tiny;      // tiny-<sha256[:8]>.pth
    QByteArray m_bytes;  // its content
    std::unique_ptr<QTemporaryDir> m_home;
    fs::path m_cache;  // $TORCH_HOME/hub/checkpoints
};

void TstModelZoo::initTestCase() {
    const QString error = m_server.start(QStringLiteral(FTS_PYTHON));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_tiny = m_server.fileName(QStringLiteral("tiny"));
    QVERIFY(m_tiny.startsWith(QLatin1String("tiny-")));
    QTemporaryDir dir;
    const fs::path tmp = dir.path().toStdString();
    // The server's bytes, fetched with the plain client, checked independently.
    QVERIFY(fts::httpDownload(m_server.url(QStringLiteral("good"), m_tiny).toStdString(),
                              tmp / "tiny"));
    m_bytes = readAll(tmp / "tiny");
    QVERIFY(m_bytes.size() > 1000000);
    QVERIFY(m_tiny.contains(sha256Hex(m_bytes).left(8)));
}

void TstModelZoo::init() {
    m_home = std::make_unique<QTemporaryDir>();
    QVERIFY(m_home->isValid());
    qputenv("TORCH_HOME", m_home->path().toUtf8());
    qunsetenv("FTS_MODEL_ZOO_URL");
    m_cache = fs::path(m_home->path().toStdString()) / "hub" / "checkpoints";
}

void TstModelZoo::registryEntries() {
    const auto zoo = fts::modelZoo();
    QCOMPARE(int(zoo.size()), 7);  // every registry model but demo_cnn
    QVERIFY(!fts::imagenetWeights("demo_cnn"));
    const auto r18 = fts::imagenetWeights("resnet18");
    QVERIFY(r18);
    QCOMPARE(QString::fromStdString(r18->url),
             QStringLiteral("https://download.pytorch.org/models/resnet18-f37072fd.pth"));
    QCOMPARE(QString::fromStdString(r18->sha256Prefix), QStringLiteral("f37072fd"));
    // torchvision 0.16 renamed EfficientNet-B0's file to the hash its bytes have.
    QCOMPARE(QString::fromStdString(fts::imagenetWeights("efficientnet_b0")->fileName),
             QStringLiteral("efficientnet_b0_rwightman-7f5810bc.pth"));
    for (const auto& e : zoo) {
        QVERIFY(QString::fromStdString(e.url).endsWith(QString::fromStdString(e.fileName)));
        QVERIFY2(QString::fromStdString(e.fileName)
                     .contains(QString::fromStdString("-" + e.sha256Prefix + ".")),
                 e.fileName.c_str());
    }
    qputenv("FTS_MODEL_ZOO_URL", "http://127.0.0.1:1/models/");
    QCOMPARE(QString::fromStdString(fts::imagenetWeights("resnet18")->url),
             QStringLiteral("http://127.0.0.1:1/models/resnet18-f37072fd.pth"));
}

void TstModelZoo::cacheFolderFollowsTorch_data() {
    QTest::addColumn<QByteArray>("torchHome");
    QTest::addColumn<QByteArray>("xdgCache");
    QTest::addColumn<QString>("expected");
    QTest::newRow("TORCH_HOME") << QByteArray("/t/home") << QByteArray("/x/cache")
                                << QStringLiteral("/t/home/hub/checkpoints");
    QTest::newRow("XDG_CACHE_HOME") << QByteArray() << QByteArray("/x/cache")
                                    << QStringLiteral("/x/cache/torch/hub/checkpoints");
    QTest::newRow("default") << QByteArray() << QByteArray()
                             << QDir::homePath() + QStringLiteral("/.cache/torch/hub/checkpoints");
}

void TstModelZoo::cacheFolderFollowsTorch() {
    QFETCH(QByteArray, torchHome);
    QFETCH(QByteArray, xdgCache);
    QFETCH(QString, expected);
    const QByteArray oldXdg = qgetenv("XDG_CACHE_HOME");
    const auto setOrUnset = [](const char* name, const QByteArray& value) {
        if (value.isEmpty())
            qunsetenv(name);
        else
            qputenv(name, value);
    };
    setOrUnset("TORCH_HOME", torchHome);
    setOrUnset("XDG_CACHE_HOME", xdgCache);
    const QString got = QString::fromStdString(fts::torchHubCheckpointDir().string());
    setOrUnset("XDG_CACHE_HOME", oldXdg);
    QCOMPARE(got, expected);
}

void TstModelZoo::downloadsVerifiesAndReuses() {
    const auto e = entry(QStringLiteral("good"));
    const QString path = QStringLiteral("/good/") + m_tiny;
    const int before = m_server.count(path);  // initTestCase fetched it once
    std::vector<fts::ZooProgress> reports;
    const fs::path file =
        fts::fetchWeights(e, [&](const fts::ZooProgress& p) { reports.push_back(p); });
    QCOMPARE(QString::fromStdString(file.string()),
             QString::fromStdString((m_cache / m_tiny.toStdString()).string()));
    QCOMPARE(readAll(file), m_bytes);
    QVERIFY(!fs::exists(fts::partialPath(e)));
    // Progress: a downloading report with the size, and verification last.
    bool sawSize = false;
    for (const auto& p : reports)
        if (p.stage == fts::ZooProgress::Stage::Downloading && p.total == m_bytes.size())
            sawSize = true;
    QVERIFY(sawSize);
    QVERIFY(reports.back().stage == fts::ZooProgress::Stage::Verifying);

    // Found in the cache: no second request.
    QCOMPARE(m_server.count(path), before + 1);
    QCOMPARE(fts::fetchWeights(e), file);
    QCOMPARE(m_server.count(path), before + 1);

    // A cached file that does not match its name is fetched again.
    writeBytes(file, "damaged");
    QCOMPARE(fts::fetchWeights(e), file);
    QCOMPARE(m_server.count(path), before + 2);
    QCOMPARE(readAll(file), m_bytes);
}

void TstModelZoo::wrongHashLeavesNothing() {
    const auto e = entry(QStringLiteral("badhash"));
    try {
        fts::fetchWeights(e);
        QFAIL("a file whose bytes do not match its name was accepted");
    } catch (const fts::DownloadError& err) {
        QCOMPARE(err.kind(), fts::DownloadError::Kind::Hash);
        const QString message = QString::fromUtf8(err.what());
        QVERIFY2(message.contains(QString::fromStdString(e.url)), err.what());
        QVERIFY2(message.contains(QLatin1String("SHA-256")), err.what());
        QVERIFY2(message.contains(QLatin1String("deleted")), err.what());
    }
    QVERIFY(!fs::exists(fts::cachedPath(e)));
    QVERIFY(!fs::exists(fts::partialPath(e)));
}

void TstModelZoo::droppedConnectionResumes() {
    const auto e = entry(QStringLiteral("drop"));
    const fs::path file = fts::fetchWeights(e);
    QCOMPARE(readAll(file), m_bytes);
    const QString path = QStringLiteral("/drop/") + m_tiny;
    QCOMPARE(m_server.count(path), 2);
    QCOMPARE(m_server.count(path, /*withRangeOnly=*/true), 1);
    bool resumedMidway = false;
    for (const auto v : m_server.requests()) {
        const QJsonObject o = v.toObject();
        if (o.value(QStringLiteral("path")).toString() == path)
            resumedMidway |= o.value(QStringLiteral("range")).toString() ==
                             QStringLiteral("bytes=%1-").arg(m_bytes.size() / 2);
    }
    QVERIFY(resumedMidway);
}

void TstModelZoo::partialFileResumesWithRange() {
    const auto e = entry(QStringLiteral("good"));
    writeBytes(fts::partialPath(e), m_bytes.left(300000));
    const int before = m_server.count(QStringLiteral("/good/") + m_tiny, true);
    QCOMPARE(readAll(fts::fetchWeights(e)), m_bytes);
    QCOMPARE(m_server.count(QStringLiteral("/good/") + m_tiny, true), before + 1);
}

void TstModelZoo::serverWithoutRangesRestarts() {
    const auto e = entry(QStringLiteral("norange"));
    writeBytes(fts::partialPath(e), QByteArray(300000, 'x'));  // would break a blind append
    QCOMPARE(readAll(fts::fetchWeights(e)), m_bytes);
    QVERIFY(!fs::exists(fts::partialPath(e)));
}

void TstModelZoo::notFoundIsClear() {
    const auto e = entry(QStringLiteral("missing"));
    try {
        fts::fetchWeights(e);
        QFAIL("a 404 was taken for a file");
    } catch (const fts::DownloadError& err) {
        QCOMPARE(err.kind(), fts::DownloadError::Kind::Http);
        const QString message = QString::fromUtf8(err.what());
        QVERIFY2(message.contains(QString::fromStdString(e.url)), err.what());
        QVERIFY2(message.contains(QLatin1String("404")), err.what());
    }
    QVERIFY(!fs::exists(fts::cachedPath(e)));
    QVERIFY(!fs::exists(fts::partialPath(e)));
}

void TstModelZoo::cancelKeepsOnlyThePartial() {
    const auto e = entry(QStringLiteral("slow"));  // 16 KiB every 0.1 s: ~8 s for the file
    std::atomic<bool> cancel{false};
    const fs::path file = fts::fetchWeights(
        e,
        [&](const fts::ZooProgress& p) {
            if (p.stage == fts::ZooProgress::Stage::Downloading && p.received > 0) cancel = true;
        },
        &cancel);
    QVERIFY(file.empty());
    QVERIFY(!fs::exists(fts::cachedPath(e)));
    QVERIFY(fs::exists(fts::partialPath(e)));
    QVERIFY(qint64(fs::file_size(fts::partialPath(e))) < m_bytes.size());
    // The next call resumes from there (from a fast route with the same name).
    const auto good = entry(QStringLiteral("good"));
    const auto kept = qint64(fs::file_size(fts::partialPath(e)));
    QCOMPARE(readAll(fts::fetchWeights(good)), m_bytes);
    bool resumed = false;
    for (const auto v : m_server.requests())
        resumed |= v.toObject().value(QStringLiteral("range")).toString() ==
                   QStringLiteral("bytes=%1-").arg(kept);
    QVERIFY(resumed);
}

void TstModelZoo::stalledServerGivesUp() {
    const auto e = entry(QStringLiteral("stall"));
    fts::HttpOptions options;
    options.lowSpeedSeconds = 1;  // the default (30 s) is for real networks
    try {
        fts::fetchWeights(e, {}, nullptr, options);
        QFAIL("a stalled server was waited for without end");
    } catch (const fts::DownloadError& err) {
        QCOMPARE(err.kind(), fts::DownloadError::Kind::Network);
        QVERIFY2(QString::fromUtf8(err.what()).contains(QString::fromStdString(e.url)), err.what());
    }
    QVERIFY(!fs::exists(fts::cachedPath(e)));
}

void TstModelZoo::noNetworkNamesTheUrl() {
    qputenv("FTS_MODEL_ZOO_URL", kNoServer);
    const auto e = fts::imagenetWeights("resnet18");
    QVERIFY(e);
    try {
        fts::fetchWeights(*e);
        QFAIL("a download without a server succeeded");
    } catch (const fts::DownloadError& err) {
        QCOMPARE(err.kind(), fts::DownloadError::Kind::Network);
        QVERIFY2(QString::fromUtf8(err.what())
                     .contains(QLatin1String("http://127.0.0.1:9/resnet18-f37072fd.pth")),
                 err.what());
    }
    QVERIFY(!fs::exists(fts::cachedPath(*e)));
    QVERIFY(!fs::exists(fts::partialPath(*e)));
}

void TstModelZoo::urlWithoutHashIsRefused() {
    QVERIFY_THROWS_EXCEPTION(fts::Error, fts::zooEntryForUrl("http://127.0.0.1:9/weights.pth"));
    QVERIFY_THROWS_EXCEPTION(fts::Error, fts::zooEntryForUrl("http://127.0.0.1:9/w-abc.pth"));
    QCOMPARE(QString::fromStdString(
                 fts::zooEntryForUrl("http://h/x/resnet50-11ad3fa6.pth?raw=1").sha256Prefix),
             QStringLiteral("11ad3fa6"));
}

void TstModelZoo::cliDownloadEndToEnd() {
    const QString url = m_server.url(QStringLiteral("good"), m_tiny);
    ProcessResult r = runCli({"download", "--url", url});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString expected = QString::fromStdString((m_cache / m_tiny.toStdString()).string());
    QCOMPARE(QString::fromUtf8(r.out).trimmed(), expected);
    QCOMPARE(readAll(expected.toStdString()), m_bytes);
    // Not a terminal: sparse progress lines, the last at 100 %.
    QVERIFY2(r.err.contains("(100%)"), r.err.constData());
    QVERIFY2(r.err.count('\n') < 20, r.err.constData());
    QVERIFY2(!r.err.contains('\r'), r.err.constData());

    // Again: found in the cache, no request.
    const int requests = m_server.count(QStringLiteral("/good/") + m_tiny);
    r = runCli({"download", "--url", url});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains("already downloaded"), r.err.constData());
    QCOMPARE(m_server.count(QStringLiteral("/good/") + m_tiny), requests);

    r = runCli({"download", "--list"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("resnet18") && r.out.contains("not downloaded"), r.out.constData());
}

void TstModelZoo::cliErrors() {
    // A registry model whose served bytes do not match the name's hash.
    qputenv("FTS_MODEL_ZOO_URL", m_server.base(QStringLiteral("badhash")).toUtf8());
    ProcessResult r = runCli({"download", "resnet18"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("error: Downloaded") && r.err.contains("SHA-256"), r.err.constData());
    QVERIFY(!fs::exists(m_cache / "resnet18-f37072fd.pth"));
    QVERIFY(!fs::exists(m_cache / "resnet18-f37072fd.pth.partial"));

    // No network: one error line naming the URL and the way around it.
    qputenv("FTS_MODEL_ZOO_URL", kNoServer);
    for (const QStringList& args :
         {QStringList{"download", "resnet18"},
          QStringList{"train", "--model", "resnet18", "--weights", "imagenet", "--data",
                      m_home->filePath("none"), "--out", m_home->filePath("run")}}) {
        r = runCli(args);
        QVERIFY2(r.exitCode == 1, qPrintable(args.join(' ')));
        const QList<QByteArray> lines = r.err.trimmed().split('\n');
        QVERIFY2(lines.last().startsWith("error: Cannot download "
                                         "http://127.0.0.1:9/resnet18-f37072fd.pth"),
                 r.err.constData());
        QVERIFY2(lines.last().contains("--weights FILE"), r.err.constData());
    }

    r = runCli({"download", "demo_cnn"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("no ImageNet weights"), r.err.constData());
}

QTEST_GUILESS_MAIN(TstModelZoo)
#include "tst_modelzoo.moc"
