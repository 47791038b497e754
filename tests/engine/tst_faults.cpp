// Faults in the middle of a run, injected into a real finetune-cli child:
// kill -9 at random points while checkpoints are written, a full disk
// (RLIMIT_FSIZE) during checkpoint, best-weights and export writes, a loss
// that becomes non-finite, Ctrl-C mid-epoch, and resume after a crash
// compared bit for bit with an uninterrupted run.
#include "core/error.h"
#include "core/fileio.h"
#include "models/registry.h"
#include "processrunner.h"
#include "train/checkpoint.h"
#include "weights/safetensors.h"
#include "weights/statedictloader.h"

#include <torch/serialize/input-archive.h>
#include <torch/types.h>

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <signal.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <fstream>
#include <random>
#include <sstream>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// 2 classes x 16 images of 28 x 28 (demo_cnn's size): a bright band on the
// left or on the right, on noise. IDX, so no image decoder is involved.
void writeIdxData(const fs::path& dir, int perClass) {
    fs::create_directories(dir);
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> noise(0, 60);
    const int n = 2 * perClass;
    std::string images, labels;
    const auto be32 = [](std::string& s, std::uint32_t v) {
        for (int shift = 24; shift >= 0; shift -= 8) s += char((v >> shift) & 0xff);
    };
    be32(images, 0x803);
    be32(images, std::uint32_t(n));
    be32(images, 28);
    be32(images, 28);
    be32(labels, 0x801);
    be32(labels, std::uint32_t(n));
    for (int i = 0; i < n; ++i) {
        const int c = i % 2;
        labels += char(c);
        for (int y = 0; y < 28; ++y)
            for (int x = 0; x < 28; ++x) {
                const bool band = c == 0 ? (x >= 3 && x < 10) : (x >= 18 && x < 25);
                images += char(noise(rng) + (band ? 180 : 0));
            }
    }
    std::ofstream(dir / "train-images-idx3-ubyte", std::ios::binary) << images;
    std::ofstream(dir / "train-labels-idx1-ubyte", std::ios::binary) << labels;
    std::ofstream(dir / "classes.txt") << "left\nright\n";
}

json readJson(const fs::path& file) {
    std::ifstream in(file);
    return json::parse(in);
}

std::vector<std::uint8_t> bytesOf(const fs::path& file) {
    return fts::readFileBytes(file);
}

int latestEpoch(const fs::path& run) {
    std::error_code ec;
    const fs::path latest = run / "checkpoint" / "latest.json";
    if (!fs::is_regular_file(latest, ec)) return 0;
    try {
        return readJson(latest).at("epoch").get<int>();
    } catch (const std::exception&) {
        return -1;  // never expected: latest.json is replaced atomically
    }
}

// Leftovers of an interrupted atomic write (".tmp-NNN" siblings) under `dir`.
int temporaryLeftovers(const fs::path& dir) {
    int n = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
         it.increment(ec))
        n += it->path().filename().string().find(".tmp-") != std::string::npos;
    return n;
}

// The latest checkpoint loads as a whole: weights into a fresh demo_cnn, the
// optimizer archive parses, state.json agrees with latest.json. Returns its
// epoch; fails the test otherwise.
int verifyCheckpoint(const fs::path& run) {
    const fs::path dir = run / "checkpoint";
    const int epoch = latestEpoch(run);
    if (epoch <= 0) throw fts::Error("no readable latest.json in " + fts::displayPath(dir));
    auto model = fts::createModel("demo_cnn", 2);
    const fts::CheckpointState state = fts::loadCheckpoint(dir, *model, nullptr);
    if (state.epoch != epoch)
        throw fts::Error("state.json says epoch " + std::to_string(state.epoch) +
                         " but latest.json " + std::to_string(epoch));
    for (const auto& p : model->parameters())
        if (!torch::isfinite(p).all().item<bool>()) throw fts::Error("non-finite weights");
    const auto opt = bytesOf(fts::latestCheckpoint(dir) / "optimizer.pt");
    std::istringstream in(std::string(opt.begin(), opt.end()));
    torch::serialize::InputArchive archive;
    archive.load_from(in);  // throws on a damaged archive
    return epoch;
}

// A finetune-cli child; `fileSizeLimit` > 0 sets RLIMIT_FSIZE in the child
// (SIGXFSZ ignored, so writes past it fail with EFBIG like on a full disk).
class Child {
public:
    explicit Child(const QStringList& args, rlim_t fileSizeLimit = 0) {
        m_process.setProgram(QStringLiteral(FTS_CLI_PATH));
        m_process.setArguments(args);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("OMP_NUM_THREADS"), QStringLiteral("1"));
        m_process.setProcessEnvironment(env);
        if (fileSizeLimit > 0) {
            m_process.setChildProcessModifier([fileSizeLimit] {
                ::signal(SIGXFSZ, SIG_IGN);
                const rlimit limit{fileSizeLimit, fileSizeLimit};
                ::setrlimit(RLIMIT_FSIZE, &limit);
            });
        }
        m_process.start();
    }
    ~Child() {
        if (m_process.state() != QProcess::NotRunning) kill(SIGKILL);
    }
    bool started() { return m_process.waitForStarted(60000); }
    void kill(int signal) {
        ::kill(pid_t(m_process.processId()), signal);
        m_process.waitForFinished(120000);
    }
    bool running() const { return m_process.state() == QProcess::Running; }
    // Exit code; -2 after a crash or a signal; -1 still running after the timeout.
    int wait(int timeoutMs = 300000) {
        if (!m_process.waitForFinished(timeoutMs)) return -1;
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -2;
    }
    QByteArray err() { return m_process.readAllStandardError(); }
    QProcess& process() { return m_process; }

private:
    QProcess m_process;
};

}  // namespace

class TstFaults : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void killDuringCheckpointWritesKeepsResumableRun();
    void resumeAfterKillEqualsUninterruptedRun();
    void interruptMidEpochLeavesResumableCheckpoint();
    void fullDiskDuringCheckpointKeepsOldOne();
    void fullDiskDuringExportKeepsOldBundle();
    void nonFiniteLossStopsWithMessage_data();
    void nonFiniteLossStopsWithMessage();

private:
    QStringList trainArgs(const fs::path& run, int epochs, bool resume = false) const;
    fs::path makeRun(const QString& name) const {
        return fs::path(m_dir.filePath(name).toStdString());
    }

    QTemporaryDir m_dir;
    fs::path m_data;
};

void TstFaults::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_data = fs::path(m_dir.path().toStdString()) / "data";
    writeIdxData(m_data, 16);
}

QStringList TstFaults::trainArgs(const fs::path& run, int epochs, bool resume) const {
    QStringList args{"train",
                     "--model",
                     "demo_cnn",
                     "--data",
                     QString::fromStdString((m_data / "train-images-idx3-ubyte").string()),
                     "--val-split",
                     "0.25",
                     "--image-size",
                     "28",
                     "--epochs",
                     QString::number(epochs),
                     "--batch-size",
                     "8",
                     "--lr",
                     "0.01",
                     "--optimizer",
                     "adamw",
                     "--augment",
                     "light",
                     "--seed",
                     "7",
                     "--threads",
                     "1",
                     "--out",
                     QString::fromStdString(run.string())};
    if (resume) args << "--resume";
    return args;
}

void TstFaults::killDuringCheckpointWritesKeepsResumableRun() {
    // Each round resumes the run and kills it (SIGKILL) a random moment after
    // it wrote one more checkpoint: an epoch here is a few batches, so the
    // kills land in training, validation and in every step of a checkpoint
    // write. The run must stay loadable and resumable after every one.
    const fs::path run = makeRun("killed");
    const int kills = 20;
    const unsigned seed = 20261127;
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> delayMs(0, 120);
    int previous = 0, interruptedWrites = 0;
    for (int round = 0; round < kills; ++round) {
        Child child(trainArgs(run, 100000, /*resume=*/round > 0));
        QVERIFY(child.started());
        const int before = latestEpoch(run);
        QTRY_VERIFY_WITH_TIMEOUT(latestEpoch(run) > before || !child.running(), 120000);
        QVERIFY2(child.running(), child.err().constData());
        QTest::qWait(delayMs(rng));  // the fault's random moment, not synchronisation
        child.kill(SIGKILL);

        const int leftovers = temporaryLeftovers(run);
        interruptedWrites += leftovers > 0;
        int epoch = 0;
        try {
            epoch = verifyCheckpoint(run);
        } catch (const std::exception& e) {
            QFAIL(qPrintable(QString("after kill %1: %2").arg(round + 1).arg(e.what())));
        }
        QVERIFY2(
            epoch > previous,
            qPrintable(
                QString("kill %1: epoch %2 after %3").arg(round + 1).arg(epoch).arg(previous)));
        previous = epoch;
    }
    qInfo("%d kills (seed %u) up to epoch %d; %d left a partly written file behind", kills, seed,
          previous, interruptedWrites);

    // It finishes normally from where the last kill left it.
    Child last(trainArgs(run, previous + 1, /*resume=*/true));
    QVERIFY(last.started());
    const int code = last.wait();
    QVERIFY2(code == 0, last.err().constData());
    const json summary = readJson(run / "summary.json");
    QCOMPARE(summary["status"].get<std::string>(), std::string("completed"));
    QCOMPARE(summary["epochs_completed"].get<int>(), previous + 1);
    QCOMPARE(verifyCheckpoint(run), previous + 1);
    QCOMPARE(temporaryLeftovers(run / "checkpoint"), 0);
    // Temporary siblings of run-folder files a kill interrupted stay behind
    // (harmless: never read); counted for the record.
    qInfo("temporary files left in the run folder: %d", temporaryLeftovers(run));
}

void TstFaults::resumeAfterKillEqualsUninterruptedRun() {
    const int epochs = 4;
    const fs::path whole = makeRun("whole"), parts = makeRun("parts");
    {
        Child child(trainArgs(whole, epochs));
        QVERIFY(child.started());
        QVERIFY2(child.wait() == 0, child.err().constData());
    }
    int killedAt = 0;
    {
        Child child(trainArgs(parts, epochs));
        QVERIFY(child.started());
        QTRY_VERIFY_WITH_TIMEOUT(latestEpoch(parts) >= 2 || !child.running(), 120000);
        QVERIFY2(child.running(), "the run ended before it could be killed");
        child.kill(SIGKILL);
        killedAt = verifyCheckpoint(parts);
    }
    qInfo("killed after epoch %d of %d", killedAt, epochs);
    QVERIFY(killedAt < epochs);
    {
        Child child(trainArgs(parts, epochs, /*resume=*/true));
        QVERIFY(child.started());
        QVERIFY2(child.wait() == 0, child.err().constData());
    }

    // Bit for bit: the final checkpoint and the best weights.
    for (const auto& file :
         {fs::path("best.safetensors"), fs::path("checkpoint/epoch-0004/model.safetensors")}) {
        const auto a = fts::readSafetensors(whole / file).tensors;
        const auto b = fts::readSafetensors(parts / file).tensors;
        QCOMPARE(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i].first, b[i].first);
            QVERIFY2(torch::equal(a[i].second, b[i].second),
                     qPrintable(QString::fromStdString(file.string() + ": " + a[i].first)));
        }
    }
    // The same metrics, exactly, for every epoch (events.jsonl of the parts
    // holds the epochs before the kill once and those after it once).
    const auto epochLines = [](const fs::path& run) {
        std::map<int, json> byEpoch;
        std::ifstream in(run / "events.jsonl");
        std::string line;
        while (std::getline(in, line)) {
            const json e = json::parse(line, nullptr, /*allow_exceptions=*/false);
            if (e.is_object() && e.value("type", "") == "epoch") byEpoch[e["epoch"].get<int>()] = e;
        }
        return byEpoch;
    };
    const auto a = epochLines(whole), b = epochLines(parts);
    QCOMPARE(int(a.size()), epochs);
    QCOMPARE(int(b.size()), epochs);
    for (const auto& [epoch, e] : a)
        for (const char* key : {"train_loss", "train_accuracy", "val_loss", "val_accuracy"})
            QVERIFY2(e[key] == b.at(epoch)[key],
                     qPrintable(QString("epoch %1 %2: %3 vs %4")
                                    .arg(epoch)
                                    .arg(key)
                                    .arg(QString::fromStdString(e[key].dump()))
                                    .arg(QString::fromStdString(b.at(epoch)[key].dump()))));
    QCOMPARE(readJson(whole / "summary.json")["best_val_accuracy"],
             readJson(parts / "summary.json")["best_val_accuracy"]);
}

void TstFaults::interruptMidEpochLeavesResumableCheckpoint() {
    // Ctrl-C (SIGINT) a random moment into an epoch: the run stops within a
    // batch, exits 130 with the message to resume, and resumes.
    const fs::path run = makeRun("interrupted");
    Child child(trainArgs(run, 100000));
    QVERIFY(child.started());
    QTRY_VERIFY_WITH_TIMEOUT(latestEpoch(run) >= 1 || !child.running(), 120000);
    QVERIFY2(child.running(), child.err().constData());
    QTest::qWait(30);
    QElapsedTimer timer;
    timer.start();
    ::kill(pid_t(child.process().processId()), SIGINT);
    const int code = child.wait();
    qInfo("SIGINT to exit: %lld ms", static_cast<long long>(timer.elapsed()));
    QCOMPARE(code, 130);
    QCOMPARE(readJson(run / "summary.json")["status"].get<std::string>(), std::string("cancelled"));
    const int epoch = verifyCheckpoint(run);
    QVERIFY(epoch >= 1);

    Child again(trainArgs(run, epoch + 1, /*resume=*/true));
    QVERIFY(again.started());
    QVERIFY2(again.wait() == 0, again.err().constData());
    QCOMPARE(verifyCheckpoint(run), epoch + 1);
}

void TstFaults::fullDiskDuringCheckpointKeepsOldOne() {
    const fs::path run = makeRun("fulldisk");
    {
        Child child(trainArgs(run, 2));
        QVERIFY(child.started());
        QVERIFY2(child.wait() == 0, child.err().constData());
    }
    const auto bestBefore = bytesOf(run / "best.safetensors");
    const auto latestBefore = bytesOf(run / "checkpoint" / "latest.json");
    const auto modelBefore = bytesOf(run / "checkpoint" / "epoch-0002" / "model.safetensors");

    // Files may grow to half the model's size: the small JSON files fit, the
    // next checkpoint's weights do not.
    const rlim_t limit = rlim_t(modelBefore.size() / 2);
    Child child(trainArgs(run, 4, /*resume=*/true), limit);
    QVERIFY(child.started());
    const int code = child.wait();
    const QString err = QString::fromUtf8(child.err()).trimmed();
    qInfo("full disk: exit %d: %s", code, qPrintable(err));
    QCOMPARE(code, 1);
    QVERIFY2(err.contains(".safetensors") || err.contains(".pt") || err.contains(".json"),
             qPrintable(err));
    QVERIFY2(err.contains("could not be written"), qPrintable(err));
    QVERIFY2(err.contains("File too large"), qPrintable(err));

    QCOMPARE(bytesOf(run / "best.safetensors"), bestBefore);
    QCOMPARE(bytesOf(run / "checkpoint" / "latest.json"), latestBefore);
    QCOMPARE(bytesOf(run / "checkpoint" / "epoch-0002" / "model.safetensors"), modelBefore);
    QCOMPARE(verifyCheckpoint(run), 2);
    const json summary = readJson(run / "summary.json");
    QCOMPARE(summary["status"].get<std::string>(), std::string("failed"));

    // With room again, the same command resumes and finishes.
    Child again(trainArgs(run, 4, /*resume=*/true));
    QVERIFY(again.started());
    QVERIFY2(again.wait() == 0, again.err().constData());
    QCOMPARE(verifyCheckpoint(run), 4);
    QCOMPARE(temporaryLeftovers(run / "checkpoint"), 0);
}

void TstFaults::fullDiskDuringExportKeepsOldBundle() {
    const fs::path run = makeRun("exported"), other = makeRun("exported-other");
    const fs::path bundle = makeRun("bundle");
    const auto exportArgs = [&](const fs::path& from) {
        return QStringList{"export", "--run", QString::fromStdString(from.string()), "--out",
                           QString::fromStdString(bundle.string())};
    };
    {
        Child child(trainArgs(run, 1));
        QVERIFY(child.started());
        QVERIFY2(child.wait() == 0, child.err().constData());
        Child exporter(exportArgs(run));
        QVERIFY(exporter.started());
        QVERIFY2(exporter.wait() == 0, exporter.err().constData());
    }
    std::map<std::string, std::vector<std::uint8_t>> before;
    for (const auto& e : fs::directory_iterator(bundle))
        if (e.is_regular_file()) before[e.path().filename().string()] = bytesOf(e.path());
    QVERIFY(before.count("model.safetensors") && before.count("model.pth") &&
            before.count("model.json"));

    // Another run (another seed), so that a new export has other weights.
    {
        QStringList args = trainArgs(other, 1);
        args[args.indexOf("--seed") + 1] = "8";
        Child child(args);
        QVERIFY(child.started());
        QVERIFY2(child.wait() == 0, child.err().constData());
        QVERIFY(bytesOf(other / "best.safetensors") != bytesOf(run / "best.safetensors"));
    }
    // Room for model.safetensors but not for model.pth (a zip, a little
    // larger): a bundle written in place would end up half new, half old.
    const rlim_t limit = rlim_t(before["model.safetensors"].size() + 64);
    QVERIFY(before["model.pth"].size() > limit);
    Child exporter(exportArgs(other), limit);
    QVERIFY(exporter.started());
    const int code = exporter.wait();
    const QString err = QString::fromUtf8(exporter.err()).trimmed();
    qInfo("full disk in export: exit %d: %s", code, qPrintable(err));
    QCOMPARE(code, 1);
    QVERIFY2(err.contains("model.pth") && err.contains("File too large"), qPrintable(err));
    std::map<std::string, std::vector<std::uint8_t>> after;
    for (const auto& e : fs::directory_iterator(bundle))
        if (e.is_regular_file()) after[e.path().filename().string()] = bytesOf(e.path());
    QCOMPARE(after.size(), before.size());
    for (const auto& [name, bytes] : before) QVERIFY2(after[name] == bytes, name.c_str());
    int entries = 0;
    for (const auto& e : fs::directory_iterator(bundle)) entries += bool(e.path().filename() != "");
    QCOMPARE(entries, int(before.size()));  // no partial export left inside
}

void TstFaults::nonFiniteLossStopsWithMessage_data() {
    QTest::addColumn<QString>("how");
    QTest::newRow("lr 1e30") << "lr";
    QTest::newRow("NaN in the starting weights") << "weights";
}

void TstFaults::nonFiniteLossStopsWithMessage() {
    QFETCH(QString, how);
    const fs::path run = makeRun("nonfinite-" + how);
    QStringList args = trainArgs(run, 3);
    if (how == "lr") {
        args[args.indexOf("--lr") + 1] = "1e30";
        args[args.indexOf("--optimizer") + 1] = "sgd";
    } else {
        auto model = fts::createModel("demo_cnn", 2);
        fts::TensorList tensors = fts::stateDictOf(*model);
        for (auto& [name, t] : tensors) {
            t = t.detach().clone();
            if (name.find("weight") != std::string::npos && t.is_floating_point())
                t.view(-1)[0] = std::numeric_limits<float>::quiet_NaN();
        }
        const fs::path weights = makeRun("poisoned.safetensors");
        fts::writeSafetensors(weights, tensors);
        args << "--weights" << QString::fromStdString(weights.string());
    }
    Child child(args);
    QVERIFY(child.started());
    const int code = child.wait();
    const QString err = QString::fromUtf8(child.err()).trimmed();
    qInfo("%s: exit %d: %s", qPrintable(how), code, qPrintable(err));
    if (how == "lr") {
        // The CLI refuses such a rate before anything starts (the engine's
        // own NaN stop is tst_trainer's nonFiniteLossFailsAndKeepsCheckpoint).
        QVERIFY(code != 0);
        QVERIFY2(err.contains("--lr"), qPrintable(err));
        QVERIFY(!fs::exists(run));
        return;
    }
    QCOMPARE(code, 1);
    QVERIFY2(err.contains(QRegularExpression("NaN|infinite|non-finite")), qPrintable(err));
    QCOMPARE(readJson(run / "summary.json")["status"].get<std::string>(), std::string("failed"));
    // Whatever was kept is finite: a checkpoint only of a good epoch, best
    // weights only from a finite model.
    if (latestEpoch(run) > 0) verifyCheckpoint(run);
    std::error_code ec;
    if (fs::exists(run / "best.safetensors", ec))
        for (const auto& [name, t] : fts::readSafetensors(run / "best.safetensors").tensors)
            if (t.is_floating_point())
                QVERIFY2(torch::isfinite(t).all().item<bool>(), name.c_str());
}

QTEST_GUILESS_MAIN(TstFaults)
#include "tst_faults.moc"
