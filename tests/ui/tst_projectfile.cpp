// Project files: every field round-trips, paths inside the project folder
// travel with it, hostile files give an error naming the file (never a
// crash), and a failed save leaves the earlier file as it was.

#include "projectfile.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#endif

using namespace fts::ui;

namespace {

QByteArray readAll(const QString& file) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.readAll();
}

bool writeAll(const QString& file, const QByteArray& bytes) {
    QFile f(file);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// Every field away from its default.
Project fullProject(const QString& inside, const QString& outside) {
    Project p;
    p.arch = QStringLiteral("mobilenet_v3_small");
    p.weightsFile = inside + QStringLiteral("/Gewichte ü/backbone (1).safetensors");
    p.freezeSpec = QStringLiteral("conv1,bn1,layer1,layer2");
    p.dataPath = inside + QStringLiteral("/数据/train");
    p.valPath = outside + QStringLiteral("/validación/val");
    p.runsDirectory = outside + QStringLiteral("/runs ø");
    fts::TrainSettings& s = p.settings;
    s.valSplit = 0.15;
    s.imageSize = 160;
    s.augment = "strong";
    s.epochs = 37;
    s.batchSize = 48;
    s.lr = 1.0 / 3.0 * 1e-3;
    s.backboneLrScale = 0.25;
    s.optimizer = "sgd";
    s.momentum = 0.875;
    s.nesterov = true;
    s.weightDecay = 5e-5;
    s.scheduler = "step";
    s.warmupEpochs = 3;
    s.stepSize = 7;
    s.stepGamma = 0.3;
    s.seed = (std::uint64_t(1) << 63) + 5;
    s.device = "cuda:1";
    s.precision = "bf16";
    s.threads = 6;
    s.loaderWorkers = 3;
    s.samplePredictions = 12;
    return p;
}

QJsonObject jsonOf(const QString& file) {
    return QJsonDocument::fromJson(readAll(file)).object();
}

}  // namespace

class TestProjectFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTripsEveryField() {
        QTemporaryDir dir, elsewhere;
        QVERIFY(dir.isValid() && elsewhere.isValid());
        const QString file = dir.filePath(QStringLiteral("projekt ü.ftsproj"));
        const Project saved = fullProject(dir.path(), elsewhere.path());
        QString error;
        QVERIFY2(saveProject(file, saved, &error), qPrintable(error));
        QVERIFY(error.isEmpty());

        const auto loaded = loadProject(file, &error);
        QVERIFY2(loaded, qPrintable(error));
        QCOMPARE(loaded->version, 1);
        QCOMPARE(loaded->arch, saved.arch);
        QCOMPARE(loaded->weightsFile, saved.weightsFile);
        QCOMPARE(loaded->freezeSpec, saved.freezeSpec);
        QCOMPARE(loaded->dataPath, saved.dataPath);
        QCOMPARE(loaded->valPath, saved.valPath);
        QCOMPARE(loaded->runsDirectory, saved.runsDirectory);

        const fts::TrainSettings& a = loaded->settings;
        const fts::TrainSettings& b = saved.settings;
        QCOMPARE(a.valSplit, b.valSplit);
        QCOMPARE(a.imageSize, b.imageSize);
        QCOMPARE(a.augment, b.augment);
        QCOMPARE(a.epochs, b.epochs);
        QCOMPARE(a.batchSize, b.batchSize);
        QVERIFY(a.lr == b.lr);  // exactly, not fuzzily
        QCOMPARE(a.backboneLrScale, b.backboneLrScale);
        QCOMPARE(a.optimizer, b.optimizer);
        QCOMPARE(a.momentum, b.momentum);
        QCOMPARE(a.nesterov, b.nesterov);
        QVERIFY(a.weightDecay == b.weightDecay);
        QCOMPARE(a.scheduler, b.scheduler);
        QCOMPARE(a.warmupEpochs, b.warmupEpochs);
        QCOMPARE(a.stepSize, b.stepSize);
        QCOMPARE(a.stepGamma, b.stepGamma);
        QCOMPARE(a.seed, std::uint64_t(9223372036854775813ull));
        QCOMPARE(a.device, b.device);
        QCOMPARE(a.precision, std::string("bf16"));
        QCOMPARE(a.threads, b.threads);
        QCOMPARE(a.loaderWorkers, b.loaderWorkers);
        QCOMPARE(a.samplePredictions, b.samplePredictions);
        // The settings' copies of the model and data fields match the project's.
        QCOMPARE(QString::fromStdString(a.model), saved.arch);
        QCOMPARE(QString::fromUtf8(a.weightsFile.c_str()), saved.weightsFile);
        QCOMPARE(QString::fromStdString(a.freeze), saved.freezeSpec);
        QCOMPARE(QString::fromUtf8(a.dataPath.c_str()), saved.dataPath);
        QCOMPARE(QString::fromUtf8(a.valPath.c_str()), saved.valPath);
        // Per-run settings are not part of a project.
        QCOMPARE(a.outDir, std::string());
        QCOMPARE(a.resume, false);

        // Saving what was loaded gives the same bytes.
        const QString again = dir.filePath(QStringLiteral("again.ftsproj"));
        QVERIFY2(saveProject(again, *loaded, &error), qPrintable(error));
        QCOMPARE(readAll(again), readAll(file));
    }

    void theFileIsIndentedJsonWithTheSeedAsText() {
        QTemporaryDir dir, elsewhere;
        const QString file = dir.filePath(QStringLiteral("p.ftsproj"));
        QString error;
        QVERIFY(saveProject(file, fullProject(dir.path(), elsewhere.path()), &error));
        const QByteArray bytes = readAll(file);
        QVERIFY(bytes.contains("\n    \""));  // indented
        const QJsonObject root = jsonOf(file);
        QCOMPARE(root.value("version").toInt(), 1);
        QCOMPARE(root.value("training").toObject().value("seed").toString(),
                 QStringLiteral("9223372036854775813"));
        QCOMPARE(projectFileSuffix(), QStringLiteral("ftsproj"));
        QVERIFY(projectFileFilter().contains("*.ftsproj"));
    }

    void defaultsRoundTrip() {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("defaults.ftsproj"));
        QString error;
        QVERIFY2(saveProject(file, Project{}, &error), qPrintable(error));
        const auto loaded = loadProject(file, &error);
        QVERIFY2(loaded, qPrintable(error));
        const fts::TrainSettings defaults;
        QCOMPARE(loaded->arch, QString::fromStdString(defaults.model));
        QCOMPARE(loaded->dataPath, QString());  // empty stays empty, not the folder
        QCOMPARE(loaded->weightsFile, QString());
        QCOMPARE(loaded->settings.seed, defaults.seed);
        QCOMPARE(loaded->settings.optimizer, defaults.optimizer);
        QCOMPARE(loaded->settings.epochs, defaults.epochs);
    }

    void pathsInsideTravelWithTheProject() {
        QTemporaryDir root, elsewhere;
        QVERIFY(root.isValid() && elsewhere.isValid());
        const QString before = root.filePath(QStringLiteral("项目 before"));
        const QString sibling = before + QStringLiteral("-sibling");  // a prefix, not inside
        QVERIFY(QDir().mkpath(before + "/data set/train"));
        QVERIFY(QDir().mkpath(sibling));

        Project p;
        p.dataPath = before + QStringLiteral("/data set/train");
        p.valPath = sibling;
        p.weightsFile = elsewhere.filePath(QStringLiteral("w.safetensors"));
        p.runsDirectory = before;  // the project's own folder
        const QString file = before + QStringLiteral("/p.ftsproj");
        QString error;
        QVERIFY2(saveProject(file, p, &error), qPrintable(error));

        const QJsonObject json = jsonOf(file);
        QCOMPARE(json["data"].toObject()["train"].toString(), QStringLiteral("data set/train"));
        QCOMPARE(json["data"].toObject()["validation"].toString(), sibling);
        QCOMPARE(json["model"].toObject()["weights"].toString(), p.weightsFile);
        QCOMPARE(json["output"].toObject()["runsDirectory"].toString(), QStringLiteral("."));

        // Move the project folder with its data.
        const QString after = root.filePath(QStringLiteral("moved ø"));
        QVERIFY(QDir().rename(before, after));
        const auto loaded = loadProject(after + QStringLiteral("/p.ftsproj"), &error);
        QVERIFY2(loaded, qPrintable(error));
        QCOMPARE(loaded->dataPath, after + QStringLiteral("/data set/train"));
        QVERIFY(QFileInfo(loaded->dataPath).isDir());
        QCOMPARE(loaded->runsDirectory, after);
        QCOMPARE(loaded->valPath, sibling);  // absolute: unchanged by the move
        QCOMPARE(loaded->weightsFile, p.weightsFile);
    }

    void unknownKeysAreIgnoredAndMissingOnesDefault() {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("sparse.ftsproj"));
        QVERIFY(writeAll(file, R"({"version": 1, "comment": [1, {"x": null}],
            "training": {"epochs": 4, "seed": 17, "futureKnob": "on"},
            "data": {"train": "imgs"}, "plugins": {}})"));
        QString error;
        const auto loaded = loadProject(file, &error);
        QVERIFY2(loaded, qPrintable(error));
        QCOMPARE(loaded->settings.epochs, 4);
        QCOMPARE(loaded->settings.seed, std::uint64_t(17));  // a plain number where exact
        QCOMPARE(loaded->settings.lr, fts::TrainSettings().lr);
        QCOMPARE(loaded->dataPath, dir.filePath(QStringLiteral("imgs")));
    }

    void missingFileOrFolderNamesIt() {
        QTemporaryDir dir;
        const QString missing = dir.filePath(QStringLiteral("nowhere ü.ftsproj"));
        QString error;
        QVERIFY(!loadProject(missing, &error));
        QVERIFY2(error.contains(QDir::toNativeSeparators(missing)), qPrintable(error));
        QVERIFY(error.contains("does not exist"));

        error.clear();
        QVERIFY(!loadProject(dir.path(), &error));
        QVERIFY2(error.contains(QDir::toNativeSeparators(dir.path())), qPrintable(error));
        QVERIFY(!loadProject(missing, nullptr));  // no error wanted: no crash
    }

    void malformedFilesAreRefused_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("hint");  // a word the error must hold

        QTest::newRow("empty") << QByteArray() << "empty";
        QTest::newRow("only whitespace") << QByteArray(" \n\t ") << "empty";
        QTest::newRow("truncated")
            << QByteArray(R"({"version": 1, "training": {"epochs": 3)") << "byte";
        QTest::newRow("binary") << QByteArray("\x89PNG\r\n\x1a\n\0\0\xff\xfe", 12) << "JSON";
        QTest::newRow("array at top") << QByteArray("[1, 2, 3]") << "object";
        QTest::newRow("string at top") << QByteArray(R"("version")") << "JSON";
        QTest::newRow("no version") << QByteArray("{}") << "version";
        QTest::newRow("version as text") << QByteArray(R"({"version": "1"})") << "version";
        QTest::newRow("version 999") << QByteArray(R"({"version": 999})") << "999";
        QTest::newRow("version 0") << QByteArray(R"({"version": 0})") << "version";
        QTest::newRow("version 1.5") << QByteArray(R"({"version": 1.5})") << "version";
        QTest::newRow("other format")
            << QByteArray(R"({"format": "something-else", "version": 1})") << "format";
        QTest::newRow("section is a list")
            << QByteArray(R"({"version": 1, "training": []})") << "training";
        QTest::newRow("epochs as text")
            << QByteArray(R"({"version": 1, "training": {"epochs": "10"}})") << "training.epochs";
        QTest::newRow("epochs 1e300")
            << QByteArray(R"({"version": 1, "training": {"epochs": 1e300}})") << "training.epochs";
        QTest::newRow("batch size past int64")
            << QByteArray(R"({"version": 1, "training": {"batchSize": 99999999999999999999999}})")
            << "training.batchSize";
        QTest::newRow("epochs negative")
            << QByteArray(R"({"version": 1, "training": {"epochs": -3}})") << "training.epochs";
        QTest::newRow("epochs fractional")
            << QByteArray(R"({"version": 1, "training": {"epochs": 2.5}})") << "training.epochs";
        QTest::newRow("lr negative")
            << QByteArray(R"({"version": 1, "training": {"lr": -0.1}})") << "training.lr";
        QTest::newRow("lr 1e400") << QByteArray(R"({"version": 1, "training": {"lr": 1e400}})")
                                  << "";
        QTest::newRow("val split 2")
            << QByteArray(R"({"version": 1, "data": {"valSplit": 2}})") << "data.valSplit";
        QTest::newRow("nesterov as number")
            << QByteArray(R"({"version": 1, "training": {"nesterov": 1}})") << "nesterov";
        QTest::newRow("arch as number")
            << QByteArray(R"({"version": 1, "model": {"arch": 5}})") << "model.arch";
        QTest::newRow("path null")
            << QByteArray(R"({"version": 1, "data": {"train": null}})") << "data.train";
        QTest::newRow("path with NUL")
            << QByteArray(R"({"version": 1, "data": {"train": "a\u0000b"}})") << "data.train";
        QTest::newRow("unknown optimizer")
            << QByteArray(R"({"version": 1, "training": {"optimizer": "rmsprop"}})") << "rmsprop";
        QTest::newRow("unknown scheduler")
            << QByteArray(R"({"version": 1, "training": {"scheduler": "exponential"}})")
            << "exponential";
        QTest::newRow("unknown augment")
            << QByteArray(R"({"version": 1, "data": {"augment": "extreme"}})") << "extreme";
        QTest::newRow("unknown device")
            << QByteArray(R"({"version": 1, "machine": {"device": "tpu"}})") << "tpu";
        QTest::newRow("unknown precision")
            << QByteArray(R"({"version": 1, "machine": {"precision": "fp16"}})") << "fp16";
        QTest::newRow("seed past uint64")
            << QByteArray(R"({"version": 1, "training": {"seed": "18446744073709551616"}})")
            << "seed";
        QTest::newRow("seed negative")
            << QByteArray(R"({"version": 1, "training": {"seed": "-1"}})") << "seed";
        QTest::newRow("seed in hex")
            << QByteArray(R"({"version": 1, "training": {"seed": "0x10"}})") << "seed";
        QTest::newRow("seed number past 2^53")
            << QByteArray(R"({"version": 1, "training": {"seed": 18446744073709551615}})")
            << "seed";
        QTest::newRow("seed fractional")
            << QByteArray(R"({"version": 1, "training": {"seed": 1.5}})") << "seed";
        QTest::newRow("deeply nested") << QByteArray(200000, '[') << "";
        QTest::newRow("deeply nested inside")
            << QByteArray(R"({"version": 1, "x": )") + QByteArray(100000, '[') << "";
        QTest::newRow("long hostile enum")
            << QByteArray(R"({"version": 1, "training": {"optimizer": ")") +
                   QByteArray(5000, '\x01').replace("\x01", "\\u0001") + QByteArray(R"("}})")
            << "optimizer";
    }

    void malformedFilesAreRefused() {
        QFETCH(QByteArray, content);
        QFETCH(QString, hint);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("böse datei.ftsproj"));
        QVERIFY(writeAll(file, content));
        QString error;
        const auto loaded = loadProject(file, &error);
        QVERIFY(!loaded);
        QVERIFY2(error.contains(QDir::toNativeSeparators(file)), qPrintable(error));
        QVERIFY2(error.contains(hint), qPrintable(error));
        QVERIFY2(error.size() < 600, qPrintable(error));                // hostile text is cut short
        QVERIFY2(error.endsWith(QLatin1Char('.')), qPrintable(error));  // a sentence
    }

    void saveRefusesWhatCouldNotBeLoaded() {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("p.ftsproj"));
        Project p;
        p.settings.optimizer = "rmsprop";
        QString error;
        QVERIFY(!saveProject(file, p, &error));
        QVERIFY2(error.contains(QDir::toNativeSeparators(file)), qPrintable(error));
        QVERIFY(error.contains("rmsprop"));
        QVERIFY(!QFile::exists(file));
    }

    void saveIntoAMissingFolderFails() {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("no such folder/p.ftsproj"));
        QString error;
        QVERIFY(!saveProject(file, Project{}, &error));
        QVERIFY2(error.contains(QDir::toNativeSeparators(file)), qPrintable(error));
        QVERIFY(!QFile::exists(file));
    }

    void saveIntoReadOnlyFolderKeepsTheOldFile() {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("locked"));
        QVERIFY(QDir().mkpath(folder));
        const QString file = folder + QStringLiteral("/p.ftsproj");
        Project first;
        first.settings.epochs = 5;
        QString error;
        QVERIFY2(saveProject(file, first, &error), qPrintable(error));
        const QByteArray before = readAll(file);

        const auto permissions = QFile::permissions(folder);
        QVERIFY(QFile::setPermissions(folder, QFile::ReadOwner | QFile::ExeOwner));
        // Root (and some file systems) ignore the permission: nothing to test then.
        QFile probe(folder + QStringLiteral("/probe"));
        const bool writable = probe.open(QIODevice::WriteOnly);
        if (writable) {
            probe.close();
            probe.remove();
            QFile::setPermissions(folder, permissions);
            QSKIP(
                "this user may write into a read-only folder (root?); "
                "saveFailingMidWriteKeepsTheOldFile covers atomicity");
        }
        Project second = first;
        second.settings.epochs = 9;
        const bool saved = saveProject(file, second, &error);
        QFile::setPermissions(folder, permissions);
        QVERIFY(!saved);
        QVERIFY2(error.contains(QDir::toNativeSeparators(file)), qPrintable(error));
        QCOMPARE(readAll(file), before);
        QCOMPARE(QDir(folder).entryList(QDir::Files | QDir::Hidden).size(), 1);
    }

    void saveFailingMidWriteKeepsTheOldFile() {
#ifdef Q_OS_UNIX
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("p.ftsproj"));
        QString error;
        QVERIFY2(saveProject(file, Project{}, &error), qPrintable(error));
        const QByteArray before = readAll(file);

        // A file-size limit makes the write fail part-way, whoever we are
        // (root included). Past it write() fails with EFBIG instead of a signal.
        Project huge;
        huge.runsDirectory = QStringLiteral("/") + QString(200000, QLatin1Char('x'));
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit old{};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &old), 0);
        rlimit small = old;
        small.rlim_cur = 8192;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &small), 0);
        const bool saved = saveProject(file, huge, &error);
        setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, oldHandler);

        QVERIFY(!saved);
        QVERIFY2(error.contains(QDir::toNativeSeparators(file)), qPrintable(error));
        QCOMPARE(readAll(file), before);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);  // no temp
        QVERIFY(loadProject(file, &error));
#else
        QSKIP("needs RLIMIT_FSIZE");
#endif
    }
};

QTEST_MAIN(TestProjectFile)
#include "tst_projectfile.moc"
