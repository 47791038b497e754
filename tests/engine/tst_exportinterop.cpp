// The export bundle taken back into Python: predict.py (Debian's torch +
// torchvision) gives the same top-1 and the same probabilities as
// finetune-cli predict; ONNX through torch.onnx; metrics.csv and the charts.
#include "data/imagedecode.h"
#include "export/chartimage.h"
#include "export/exportextras.h"
#include "export/metricscsv.h"
#include "exporttestdata.h"

#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <set>

using nlohmann::json;

namespace {

QByteArray readAll(const QString& file) {
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

struct Top {
    int index = -1;
    std::map<int, double> probabilities;
};

// path -> top-1 and every class's probability, from finetune-cli's JSON output
// (the same format predict.py --json prints).
std::map<std::string, Top> parsePredictions(const QByteArray& out) {
    std::map<std::string, Top> result;
    for (const auto& item : json::parse(out.toStdString())) {
        Top t;
        t.index = item["top"][0]["index"].get<int>();
        for (const auto& s : item["top"])
            t.probabilities[s["index"].get<int>()] = s["probability"].get<double>();
        result[item["path"].get<std::string>()] = t;
    }
    return result;
}

}  // namespace

class TstExportInterop : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void exportWritesPythonFiles();
    void pythonMatchesCli_data();
    void pythonMatchesCli();
    void onnxThroughPython();
    void metricsFromEvents();
    void chartHasRequestedSize();
    void cleanupTestCase();

private:
    QString bundleOf(const QString& model) const { return m_dir.filePath(model + "-bundle"); }

    QTemporaryDir m_dir;
    double m_largestDifference = 0.0;
};

void TstExportInterop::initTestCase() {
    QVERIFY(m_dir.isValid());
    // Training data at 40x40; evaluation folders per model: images already at
    // the resize size round(S / 0.875) (the resize is the identity, so the
    // preprocessing is exact) and at other sizes (Pillow's resize, which the
    // engine reimplements), one grayscale.
    exporttest::writeImageFolder(m_dir.filePath("train"), 8, 40, 40, 1);
    struct Case {
        QString model;
        int imageSize;
        int resize;
    };
    for (const Case& c : {Case{"demo_cnn", 0, 32}, Case{"resnet18", 32, 37}}) {
        const QString run = m_dir.filePath(c.model + "-run");
        const ProcessResult r =
            exporttest::trainTiny(c.model, m_dir.filePath("train"), run, c.imageSize);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const ProcessResult e = runCli({"export", "--run", run, "--out", bundleOf(c.model)});
        QVERIFY2(e.exitCode == 0, e.err.constData());
        for (int i = 0; i < 6; ++i) {
            exporttest::writeImage(m_dir.filePath(c.model + "-exact/%1.ppm").arg(i), c.resize,
                                   c.resize, i % 3, 500u + unsigned(i));
            exporttest::writeImage(m_dir.filePath(c.model + "-resized/%1.ppm").arg(i), 45 + 7 * i,
                                   33 + 5 * i, i % 3, 600u + unsigned(i));
        }
        exporttest::writeImage(m_dir.filePath(c.model + "-resized/gray.pgm"), 50, 41, 1, 700u,
                               /*gray=*/true);
    }
}

void TstExportInterop::exportWritesPythonFiles() {
    const QString bundle = bundleOf("demo_cnn");
    QCOMPARE(readAll(bundle + "/predict.py").toStdString(), fts::predictScriptText());
    QVERIFY(fts::predictScriptText().find("def build_model") != std::string::npos);

    // One training epoch: a header and one row of numbers.
    const QList<QByteArray> lines = readAll(bundle + "/metrics.csv").trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines[0],
             QByteArray("epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds"));
    const QList<QByteArray> row = lines[1].split(',');
    QCOMPARE(row.size(), 7);
    QCOMPARE(row[0], QByteArray("1"));
    for (int i = 1; i < 7; ++i) {
        bool ok = false;
        const double v = row[i].toDouble(&ok);
        QVERIFY2(ok && v >= 0.0, row[i].constData());
        if (i == 2 || i == 4) QVERIFY(v <= 1.0);  // accuracies
    }

    for (const char* png : {"loss.png", "accuracy.png"}) {
        const QString file = bundle + "/" + png;
        QVERIFY2(QFileInfo(file).size() > 5000, png);  // axes, ticks, text: not blank
        const fts::RgbImage image = fts::decodeImageFile(file.toStdString());
        QCOMPARE(image.width, 800);
        QCOMPARE(image.height, 480);
    }
}

void TstExportInterop::pythonMatchesCli_data() {
    QTest::addColumn<QString>("model");
    // Both folders in one run each (Python starts slowly): images at the
    // resize size (exact preprocessing) and at other sizes (Pillow's resize,
    // which the engine reimplements), held to the same bound.
    QTest::newRow("demo_cnn") << "demo_cnn";
    QTest::newRow("resnet18") << "resnet18";
}

void TstExportInterop::pythonMatchesCli() {
    QFETCH(QString, model);
    const QString bundle = bundleOf(model);
    const QString exact = m_dir.filePath(model + "-exact");
    const QString resized = m_dir.filePath(model + "-resized");

    const ProcessResult cli =
        runCli({"predict", "--bundle", bundle, "--topk", "3", "--json", exact, resized});
    QVERIFY2(cli.exitCode == 0, cli.err.constData());
    const ProcessResult py =
        runProcess(QStringLiteral(FTS_PYTHON),
                   {bundle + "/predict.py", "--topk", "3", "--json", exact, resized});
    QVERIFY2(py.exitCode == 0, py.err.constData());

    const auto mine = parsePredictions(cli.out);
    const auto theirs = parsePredictions(py.out);
    QCOMPARE(mine.size(), std::size_t(13));
    QCOMPARE(theirs.size(), mine.size());
    double largest = 0.0;
    std::set<double> topProbabilities;  // the model tells the images apart
    for (const auto& [path, top] : mine) {
        topProbabilities.insert(top.probabilities.at(top.index));
        QVERIFY2(theirs.count(path), path.c_str());
        const Top& other = theirs.at(path);
        QVERIFY2(other.index == top.index, path.c_str());
        QCOMPARE(other.probabilities.size(), std::size_t(3));
        for (const auto& [cls, p] : top.probabilities)
            largest = std::max(largest, std::abs(other.probabilities.at(cls) - p));
    }
    QVERIFY(topProbabilities.size() > 3);
    qInfo("%s: largest probability difference Python vs finetune-cli: %.3g", qPrintable(model),
          largest);
    m_largestDifference = std::max(m_largestDifference, largest);
    QVERIFY2(largest < 1e-4, QByteArray::number(largest).constData());
}

void TstExportInterop::onnxThroughPython() {
    const ProcessResult probe =
        runProcess(QStringLiteral(FTS_PYTHON), {"-c", "import torch.onnx, torchvision"});
    if (probe.exitCode != 0)
        QSKIP(qPrintable(QStringLiteral("%1 cannot import torch.onnx: %2")
                             .arg(QStringLiteral(FTS_PYTHON), QString::fromUtf8(probe.err))));
    const QString bundle = bundleOf("resnet18");
    const ProcessResult e = runCli({"export", "--run", m_dir.filePath("resnet18-run"), "--out",
                                    bundle, "--onnx", "--python", FTS_PYTHON});
    QVERIFY2(e.exitCode == 0, e.err.constData());
    const QByteArray onnx = readAll(bundle + "/model.onnx");
    QVERIFY(onnx.size() > 100000);  // the weights are in it
    QVERIFY(onnx.contains("logits"));
    QVERIFY(onnx.contains("image"));

    // A Python without torch gives one clear line, not a traceback.
    const ProcessResult none =
        runCli({"export", "--run", m_dir.filePath("resnet18-run"), "--out",
                m_dir.filePath("no-onnx"), "--onnx", "--python", "/bin/false"});
    QCOMPARE(none.exitCode, 1);
    QVERIFY2(none.err.contains("ONNX export needs PyTorch"), none.err.constData());
}

void TstExportInterop::metricsFromEvents() {
    // A resumed run repeats epoch 2 (the last line wins), a torn last line is
    // ignored, a run without validation has null val values.
    const QString events = m_dir.filePath("events.jsonl");
    std::ofstream(events.toStdString())
        << R"({"type":"batch","epoch":1,"loss":2.0})" << '\n'
        << R"({"type":"epoch","epoch":1,"train_loss":1.5,"train_accuracy":0.25,"val_loss":null,"val_accuracy":null,"lr":0.01,"seconds":3.5})"
        << '\n'
        << R"({"type":"epoch","epoch":2,"train_loss":9,"train_accuracy":0,"val_loss":9,"val_accuracy":0,"lr":0.01,"seconds":1})"
        << '\n'
        << R"({"type":"message","text":"resuming from epoch 1"})" << '\n'
        << R"({"type":"epoch","epoch":2,"train_loss":1.25,"train_accuracy":0.5,"val_loss":1.0,"val_accuracy":0.75,"lr":0.005,"seconds":2})"
        << '\n'
        << R"({"type":"epoch","epoch":3,"train_lo)";
    const auto epochs = fts::readEpochRecords(events.toStdString());
    QCOMPARE(epochs.size(), std::size_t(2));
    QCOMPARE(epochs[0].epoch, 1);
    QVERIFY(!epochs[0].valLoss && !epochs[0].valAccuracy);
    QCOMPARE(*epochs[1].trainLoss, 1.25);
    QCOMPARE(*epochs[1].valAccuracy, 0.75);

    const QString csv = m_dir.filePath("metrics.csv");
    fts::writeMetricsCsv(csv.toStdString(), epochs);
    QCOMPARE(readAll(csv),
             QByteArray("epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds\n"
                        "1,1.5,0.25,,,0.01,3.5\n"
                        "2,1.25,0.5,1,0.75,0.005,2\n"));
}

void TstExportInterop::chartHasRequestedSize() {
    if (!fts::chartImagesAvailable()) QSKIP("built without OpenCV: no chart images");
    fts::EpochChart chart;
    chart.title = "Loss per epoch";
    chart.yLabel = "loss";
    chart.epochs = {1, 2, 3, 4};
    chart.series = {{"training", {2.0, 1.0, std::nullopt, 0.5}, {{31, 119, 180}}}};
    chart.width = 640;
    chart.height = 360;
    const std::vector<std::uint8_t> png = fts::renderEpochChart(chart);
    const fts::RgbImage image = fts::decodeImageBytes(png.data(), png.size(), "chart");
    QCOMPARE(image.width, 640);
    QCOMPARE(image.height, 360);
    // The line's colour is drawn somewhere (not only axes on white).
    int blue = 0;
    for (std::size_t i = 0; i + 2 < image.pixels.size(); i += 3)
        if (image.pixels[i] == 31 && image.pixels[i + 1] == 119 && image.pixels[i + 2] == 180)
            ++blue;
    QVERIFY(blue > 100);
}

void TstExportInterop::cleanupTestCase() {
    qInfo("largest probability difference Python vs finetune-cli over all images: %.3g",
          m_largestDifference);
}

QTEST_GUILESS_MAIN(TstExportInterop)
#include "tst_exportinterop.moc"
