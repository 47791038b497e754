// finetune-cli train / demo / export / predict --run|--bundle, end to end on
// real files: a torchvision ResNet-18 state dict, an ImageFolder of JPEGs with
// broken files, the bundled demo, and Python reading the export.
#include "processrunner.h"
#include "weights/safetensors.h"
#include "weights/weightfile.h"

#include <ATen/ATen.h>

#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <fstream>

using nlohmann::json;

namespace {

QString fixture(const QString& rel) {
    return QStringLiteral(FTS_FIXTURE_DIR "/train/") + rel;
}

json readJson(const QString& file) {
    std::ifstream in(file.toStdString());
    return json::parse(in);
}

}  // namespace

class TstCliTrain : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void frozenBackboneStaysBitIdentical();
    void exportLoadsInPython();
    void badInputGivesOneLine_data();
    void badInputGivesOneLine();
    void demoDefaultReachesTarget();

private:
    QTemporaryDir m_dir;
    QString m_run;
};

void TstCliTrain::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_run = m_dir.filePath("run");
}

void TstCliTrain::frozenBackboneStaysBitIdentical() {
    const QString weights = fixture("resnet18-imagenet-layout.pth");
    const ProcessResult r = runCli({"train",
                                    "--model",
                                    "resnet18",
                                    "--weights",
                                    weights,
                                    "--data",
                                    fixture("images"),
                                    "--val-split",
                                    "0.25",
                                    "--freeze",
                                    "backbone",
                                    "--image-size",
                                    "32",
                                    "--epochs",
                                    "2",
                                    "--batch-size",
                                    "8",
                                    "--lr",
                                    "0.01",
                                    "--threads",
                                    "2",
                                    "--out",
                                    m_run});
    QVERIFY2(r.exitCode == 0, r.err.constData());

    const json summary = readJson(m_run + "/summary.json");
    QCOMPARE(summary["status"].get<std::string>(), std::string("completed"));
    QCOMPARE(summary["epochs_completed"].get<int>(), 2);
    QCOMPARE(summary["classes"].get<std::vector<std::string>>(),
             (std::vector<std::string>{"apples", "leaves", "sky"}));
    QCOMPARE(summary["train_images"].get<int>() + summary["val_images"].get<int>(), 38);
    // The two broken files are listed with reasons; the 36 good images trained.
    QStringList skipped;
    for (const auto& s : summary["skipped_files"]) {
        QVERIFY(!s["reason"].get<std::string>().empty());
        skipped << QFileInfo(QString::fromStdString(s["path"].get<std::string>())).fileName();
    }
    skipped.sort();
    QCOMPARE(skipped, (QStringList{"notes.jpg", "truncated.jpg"}));
    std::ifstream events((m_run + "/events.jsonl").toStdString());
    std::string line;
    bool sawSkipped = false;
    while (std::getline(events, line))
        sawSkipped = sawSkipped || json::parse(line)["type"] == "skipped";
    QVERIFY(sawSkipped);
    for (const char* f : {"config.json", "predictions.csv", "confusion.csv", "best.safetensors",
                          "checkpoint/latest.json"})
        QVERIFY2(QFile::exists(m_run + "/" + f), f);

    // Every backbone tensor, BatchNorm statistics included, is bit-identical
    // to the file it started from; only the new 3-class head changed.
    const fts::WeightFile start = fts::loadWeightFile(weights.toStdString());
    const fts::SafetensorsContent best =
        fts::readSafetensors((m_run + "/best.safetensors").toStdString());
    std::map<std::string, at::Tensor> trained(best.tensors.begin(), best.tensors.end());
    int compared = 0;
    for (const auto& [name, tensor] : start.tensors) {
        if (name.rfind("fc.", 0) == 0) continue;
        QVERIFY2(trained.count(name), name.c_str());
        QVERIFY2(at::equal(trained[name], tensor), name.c_str());
        ++compared;
    }
    QCOMPARE(compared, 120);  // resnet18: 122 state-dict entries less fc.weight, fc.bias
    QCOMPARE(trained["fc.weight"].sizes().vec(), (std::vector<std::int64_t>{3, 512}));
}

void TstCliTrain::exportLoadsInPython() {
    const QString bundle = m_dir.filePath("bundle");
    const ProcessResult e = runCli({"export", "--run", m_run, "--out", bundle});
    QVERIFY2(e.exitCode == 0, e.err.constData());
    const json model = readJson(bundle + "/model.json");
    QCOMPARE(model["architecture"].get<std::string>(), std::string("resnet18"));
    QCOMPARE(model["input_size"].get<int>(), 32);
    QCOMPARE(model["classes"].size(), std::size_t(3));

    const QString image = fixture("images/leaves/03.jpg");
    const ProcessResult mine =
        runCli({"predict", "--bundle", bundle, "--topk", "3", "--json", image});
    QVERIFY2(mine.exitCode == 0, mine.err.constData());
    const ProcessResult viaRun =
        runCli({"predict", "--run", m_run, "--topk", "3", "--json", image});
    QVERIFY2(viaRun.exitCode == 0, viaRun.err.constData());
    QCOMPARE(json::parse(viaRun.out.toStdString()), json::parse(mine.out.toStdString()));

    // Python loads model.pth into torchvision's resnet18 unchanged and, with
    // torchvision's transforms, gives the same probabilities.
    const QString script = QStringLiteral(R"(
import json, sys, torch, torchvision
from PIL import Image
from torchvision import transforms as T
bundle, image = sys.argv[1], sys.argv[2]
meta = json.load(open(bundle + "/model.json"))
model = torchvision.models.resnet18(num_classes=len(meta["classes"]))
model.load_state_dict(torch.load(bundle + "/model.pth"))
model.eval()
tf = T.Compose([T.Resize(meta["resize_size"]), T.CenterCrop(meta["input_size"]), T.ToTensor(),
                T.Normalize(meta["mean"], meta["std"])])
with torch.no_grad():
    p = torch.softmax(model(tf(Image.open(image).convert("RGB")).unsqueeze(0)), 1)[0]
print(json.dumps([float(x) for x in p]))
)");
    const ProcessResult py = runProcess(QStringLiteral(FTS_PYTHON), {"-c", script, bundle, image});
    QVERIFY2(py.exitCode == 0, py.err.constData());
    const auto probs = json::parse(py.out.toStdString()).get<std::vector<double>>();
    const json top = json::parse(mine.out.toStdString())[0]["top"];
    QCOMPARE(top.size(), std::size_t(3));
    for (const auto& t : top)
        QVERIFY(std::abs(probs.at(t["index"].get<int>()) - t["probability"].get<double>()) < 1e-4);
    QCOMPARE(top[0]["label"].get<std::string>(),
             model["classes"][top[0]["index"].get<int>()].get<std::string>());
}

void TstCliTrain::badInputGivesOneLine_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    const QString out = QDir::tempPath() + "/fts-clitrain-never";
    QTest::newRow("missing data") << QStringList{"train",  "--model",           "resnet18",
                                                 "--data", "/nonexistent/pets", "--out",
                                                 out}
                                  << "/nonexistent/pets";
    QTest::newRow("cuda without cuda")
        << QStringList{"train",    "--model", "demo_cnn", "--data", fixture("images"),
                       "--device", "cuda",    "--out",    out}
        << "cuda";
    QTest::newRow("unknown freeze path")
        << QStringList{"train",    "--model", "resnet18", "--data", fixture("images"),
                       "--freeze", "layer9",  "--out",    out}
        << "layer9";
    QTest::newRow("export of a non-run")
        << QStringList{"export", "--run", "/nonexistent/run", "--out", out} << "/nonexistent/run";
}

void TstCliTrain::badInputGivesOneLine() {
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const ProcessResult r = runCli(args);
    QVERIFY2(r.exitCode == 1, qPrintable(QString::number(r.exitCode) + r.err));
    const QString err = QString::fromUtf8(r.err).trimmed();
    QCOMPARE(err.count('\n'), 0);
    QVERIFY2(err.contains(mentions), qPrintable(err));
}

void TstCliTrain::demoDefaultReachesTarget() {
    // The acceptance figure of the bundled demo, with its default settings.
    const QString out = m_dir.filePath("demo");
    QElapsedTimer timer;
    timer.start();
    const ProcessResult r = runCli({"demo", "--out", out});
    const double seconds = timer.elapsed() / 1000.0;
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const json summary = readJson(out + "/summary.json");
    const double best = summary["best_val_accuracy"].get<double>();
    qInfo("demo (default mode): best val accuracy %.3f in %.1f s", best, seconds);
    QVERIFY2(best >= 0.83, qPrintable(QString::number(best)));
}

QTEST_GUILESS_MAIN(TstCliTrain)
#include "tst_clitrain.moc"
