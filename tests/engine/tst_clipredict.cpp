// finetune-cli predict against torchvision: the same weights, the same
// images, top-5 probabilities within 1e-4; and one clear line for bad input.
#include "processrunner.h"

#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <fstream>

using nlohmann::json;

namespace {

QString fixture(const QString& rel) {
    return QStringLiteral(FTS_FIXTURE_DIR) + QStringLiteral("/predict/") + rel;
}

json expectedCases() {
    std::ifstream in((std::string(FTS_FIXTURE_DIR) + "/predict/expected.json").c_str());
    return json::parse(in);
}

}  // namespace

class TstCliPredict : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void topFiveMatchesTorchvision_data();
    void topFiveMatchesTorchvision();
    void folderAndClassNames();
    void folderImagesByContent();
    void badInputGivesOneLine_data();
    void badInputGivesOneLine();
};

void TstCliPredict::topFiveMatchesTorchvision_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("weights");
    for (const char* m : {"resnet18", "mobilenet_v2"})
        QTest::newRow(m) << m
                         << (QString(m) == "resnet18" ? "resnet18_10.pth" : "mobilenet_v2.pth");
}

void TstCliPredict::topFiveMatchesTorchvision() {
    QFETCH(QString, model);
    QFETCH(QString, weights);
    const json cases = expectedCases();
    QStringList args{"predict",        "--model", model, "--weights",
                     fixture(weights), "--topk",  "5",   "--json"};
    std::vector<json> mine;
    for (const auto& c : cases)
        if (c["model"] == model.toStdString()) {
            args << fixture("images/" + QString::fromStdString(c["image"].get<std::string>()));
            mine.push_back(c);
        }
    QVERIFY(mine.size() >= 7);
    const ProcessResult r = runCli(args);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const json got = json::parse(r.out.toStdString());
    QCOMPARE(got.size(), mine.size());
    double worst = 0;
    for (std::size_t i = 0; i < mine.size(); ++i) {
        const auto& exp = mine[i]["top"];
        const auto& top = got[i]["top"];
        QCOMPARE(top.size(), std::size_t(5));
        QVERIFY(got[i]["path"].get<std::string>().find(mine[i]["image"].get<std::string>()) !=
                std::string::npos);
        for (std::size_t k = 0; k < 5; ++k) {
            QCOMPARE(top[k]["index"].get<int>(), exp[k]["index"].get<int>());
            worst = std::max(worst, std::abs(top[k]["probability"].get<double>() -
                                             exp[k]["probability"].get<double>()));
        }
    }
    qInfo("%s: max |p - p_torchvision| over %zu images x top-5 = %.3g", qPrintable(model),
          mine.size(), worst);
    QVERIFY2(worst <= 1e-4, qPrintable(QString::number(worst)));
}

void TstCliPredict::folderAndClassNames() {
    const ProcessResult r =
        runCli({"predict", "--model", "resnet18", "--weights", fixture("resnet18_10.pth"),
                "--classes", fixture("classes10.txt"), "--topk", "3", "--json", fixture("images")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const json got = json::parse(r.out.toStdString());
    QCOMPARE(got.size(), std::size_t(7));  // every image in the folder
    QCOMPARE(got[0]["top"].size(), std::size_t(3));
    const std::vector<std::string> labels{
        "T-shirt", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal",  "Shirt",   "Sneaker",  "Bag",   "Ankle boot \xE9\x9D\xB4"};
    for (const auto& p : got)
        for (const auto& t : p["top"])
            QCOMPARE(t["label"].get<std::string>(), labels.at(t["index"].get<int>()));

    const ProcessResult text =
        runCli({"predict", "--model", "resnet18", "--weights", fixture("resnet18_10.pth"),
                fixture("images/square_256x256.png")});
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.out.contains("square_256x256.png"));
    QVERIFY(text.out.contains("1. class 0"));
}

// A folder's images are decided by content, as for training and --csv: a
// PNG without an image extension is classified, a text file named .jpg is
// reported by name, other files are left alone.
void TstCliPredict::folderImagesByContent() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QFile::copy(fixture("images/square_256x256.png"), dir.filePath("scan_0001.dat")));
    QFile fake(dir.filePath("notes.jpg"));
    QVERIFY(fake.open(QIODevice::WriteOnly));
    fake.write("not a picture\n");
    fake.close();
    QFile readme(dir.filePath("README.txt"));
    QVERIFY(readme.open(QIODevice::WriteOnly));
    readme.write("a folder of scans\n");
    readme.close();

    const ProcessResult r =
        runCli({"predict", "--model", "resnet18", "--weights", fixture("resnet18_10.pth"),
                "--json", dir.path()});
    QCOMPARE(r.exitCode, 1);  // notes.jpg failed
    const json got = json::parse(r.out.toStdString());
    QCOMPARE(got.size(), std::size_t(1));
    QVERIFY(QString::fromStdString(got[0]["path"].get<std::string>()).endsWith("scan_0001.dat"));
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(err.contains("notes.jpg"), qPrintable(err));
    QVERIFY2(!err.contains("README.txt"), qPrintable(err));
}

void TstCliPredict::badInputGivesOneLine_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    const QString r18 = fixture("resnet18_10.pth");
    const QString img = fixture("images/square_256x256.png");
    QTest::newRow("missing image")
        << QStringList{"predict", "--model", "resnet18", "--weights", r18, "/nonexistent/cat.png"}
        << "/nonexistent/cat.png";
    QTest::newRow("weights of another architecture")
        << QStringList{"predict", "--model", "mobilenet_v2", "--weights", r18, img}
        << "resnet18_10.pth";
    QTest::newRow("missing weights")
        << QStringList{"predict", "--model", "resnet18", "--weights", "/nonexistent/w.pth", img}
        << "/nonexistent/w.pth";
    QTest::newRow("class names of the wrong count") << QStringList{"predict",
                                                                   "--model",
                                                                   "resnet18",
                                                                   "--weights",
                                                                   r18,
                                                                   "--classes",
                                                                   fixture("expected.json"),
                                                                   img}
                                                    << "expected.json";
    QTest::newRow("unknown model")
        << QStringList{"predict", "--model", "vgg99", "--weights", r18, img} << "vgg99";
    QTest::newRow("image is not an image")
        << QStringList{"predict", "--model", "resnet18", "--weights", r18, fixture("classes10.txt")}
        << "classes10.txt";
}

void TstCliPredict::badInputGivesOneLine() {
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const ProcessResult r = runCli(args);
    QVERIFY2(r.exitCode > 0, qPrintable(QString::number(r.exitCode)));
    const QString err = QString::fromUtf8(r.err).trimmed();
    QCOMPARE(err.count('\n'), 0);
    QVERIFY2(err.contains(mentions), qPrintable(err));
}

QTEST_GUILESS_MAIN(TstCliPredict)
#include "tst_clipredict.moc"
