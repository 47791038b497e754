// finetune-cli experiment's engine (train/experiment.h), the "last block"
// freeze preset, and the HTML report (export/htmlreport.h), on a tiny IDX
// dataset with the bundled demo backbone, plus `finetune-cli report`.
#include "bandidx.h"
#include "processrunner.h"

#include "core/resources.h"
#include "export/htmlreport.h"
#include "models/registry.h"
#include "train/experiment.h"
#include "train/freezeplan.h"

#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A class name a report must escape.
const std::vector<std::string> kClasses{"left", "mid <&\" dle", "right"};



// The bands' data (tests/engine/bandidx.h), three classes; `mislabelled`
// images per class carry the next class's band: no model gets them right, so
// every run has confidently wrong images to show.
void writeIdx(const fs::path& dir, const std::string& prefix, int perClass, int mislabelled,
              unsigned seed) {
    bandidx::Options o;
    o.classes = int(kClasses.size());
    o.perClass = perClass;
    o.mislabelled = mislabelled;
    o.seed = seed;
    bandidx::write(dir, prefix, o);
}

json readJson(const fs::path& file) {
    std::ifstream in(file);
    return json::parse(in);
}

std::string readText(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// No src/href/url() that leaves the file (http:, https:, protocol-relative).
bool selfContained(const std::string& html) {
    static const std::regex external("(src|href)\\s*=\\s*[\"']?\\s*(https?:|//)|url\\s*\\(",
                                     std::regex::icase);
    return !std::regex_search(html, external) && html.find("http://") == std::string::npos &&
           html.find("https://") == std::string::npos;
}

}  // namespace

class TstExperiment : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void lastBlockSpec_data();
    void lastBlockSpec();
    void parsesStrategies();
    void htmlEscapes();
    void experimentRunsFourStrategies();
    void experimentReportIsSelfContained();
    void cliReportsARun();

private:
    QTemporaryDir m_tmp;
    fs::path m_data;
    fs::path m_out;
    bool m_ran = false;
};

void TstExperiment::initTestCase() {
    QVERIFY(m_tmp.isValid());
    const fs::path root = fs::u8path(m_tmp.path().toStdString());
    m_data = root / "data";
    m_out = root / "exp";
    fs::create_directories(m_data);
    writeIdx(m_data, "train", /*perClass=*/16, /*mislabelled=*/0, /*seed=*/3);
    writeIdx(m_data, "val", /*perClass=*/6, /*mislabelled=*/1, /*seed=*/4);
    std::ofstream names(m_data / "classes.txt");
    for (const auto& name : kClasses) names << name << '\n';
}

void TstExperiment::lastBlockSpec_data() {
    QTest::addColumn<QString>("lastBlock");
    QTest::addColumn<QString>("spec");
    QTest::newRow("registry's last block") << "layer3"
                                           << "bn1,conv1,layer1,layer2";
    QTest::newRow("nested: a layer inside a block")
        << "layer3.0.conv2"
        << "bn1,conv1,layer1,layer2,layer3.0.bn1,layer3.0.conv1";
    QTest::newRow("no last block: head only") << ""
                                              << "backbone";
    QTest::newRow("unknown module: head only") << "layer9"
                                               << "backbone";
}

void TstExperiment::lastBlockSpec() {
    QFETCH(QString, lastBlock);
    QFETCH(QString, spec);
    fts::Classifier model = fts::createModel("demo_cnn", 3);
    const std::string got = fts::lastBlockFreezeSpec(*model, lastBlock.toStdString());
    QCOMPARE(QString::fromStdString(got), spec);
    // The spec is one FreezePlan accepts, and it leaves the last block and the head trainable.
    const fts::FreezePlan plan = fts::FreezePlan::parse(got, *model);
    QVERIFY(!plan.isFrozen("fc.weight"));
    if (!lastBlock.isEmpty() && lastBlock != "layer9") {
        QVERIFY(plan.isFrozen("conv1.weight"));
        QVERIFY(plan.isFrozen("layer2.0.conv1.weight"));
        QVERIFY(!plan.isFrozen("layer3.0.conv2.weight"));
    }
    QCOMPARE(fts::findModel("demo_cnn")->backboneLastBlock, std::string("layer3"));
}

void TstExperiment::parsesStrategies() {
    QCOMPARE(fts::parseExperimentStrategies("scratch, head"),
             (std::vector<std::string>{"head", "scratch"}));
    QCOMPARE(fts::parseExperimentStrategies("head,last,full,scratch"), fts::experimentStrategies());
    QVERIFY_THROWS_EXCEPTION(std::exception, fts::parseExperimentStrategies("head,frozen"));
    QVERIFY_THROWS_EXCEPTION(std::exception, fts::parseExperimentStrategies("head,head"));
    QVERIFY_THROWS_EXCEPTION(std::exception, fts::parseExperimentStrategies(" , "));
}

void TstExperiment::htmlEscapes() {
    QCOMPARE(fts::htmlEscape("a<b>&\"c'"), std::string("a&lt;b&gt;&amp;&quot;c&#39;"));
    QCOMPARE(fts::htmlEscape("Größe"), std::string("Größe"));
}

void TstExperiment::experimentRunsFourStrategies() {
    fts::ExperimentSettings es;
    fts::TrainSettings& s = es.base;
    s.model = "demo_cnn";
    s.weightsFile = (fts::demoDirectory() / "backbone.safetensors").u8string();
    s.dataPath = (m_data / "train-images-idx3-ubyte").u8string();
    s.valPath = (m_data / "val-images-idx3-ubyte").u8string();
    s.epochs = 2;
    s.batchSize = 16;
    s.lr = 0.01;
    s.augment = "none";
    s.threads = 2;
    s.seed = 7;
    es.outDir = m_out.u8string();
    fts::Experiment experiment(es);
    const fts::ExperimentResult result = experiment.run();
    QCOMPARE(QString::fromStdString(result.status), QStringLiteral("completed"));
    QCOMPARE(int(result.runs.size()), 4);
    m_ran = true;

    const json doc = readJson(m_out / "experiment.json");
    QCOMPARE(doc["model"].get<std::string>(), std::string("demo_cnn"));
    QCOMPARE(doc["classes"].get<std::vector<std::string>>(), kClasses);
    const json& st = doc["strategies"];
    QCOMPARE(int(st.size()), 4);
    const std::vector<std::string> names{"head", "last", "full", "scratch"};
    std::vector<long long> trainable;
    for (std::size_t i = 0; i < 4; ++i) {
        const json& r = st[i];
        QCOMPARE(r["name"].get<std::string>(), names[i]);
        QCOMPARE(r["status"].get<std::string>(), std::string("completed"));
        QVERIFY(fs::exists(m_out / names[i] / "summary.json"));
        QVERIFY(fs::exists(m_out / names[i] / "predictions.csv"));
        const json summary = readJson(m_out / names[i] / "summary.json");
        QCOMPARE(r["final_val_accuracy"].get<double>(),
                 summary["final_val_accuracy"].get<double>());
        QCOMPARE(r["best_val_accuracy"].get<double>(), summary["best_val_accuracy"].get<double>());
        QVERIFY(r["best_val_accuracy"].get<double>() >= r["final_val_accuracy"].get<double>());
        QVERIFY(r["wall_seconds"].get<double>() > 0.0);
        QCOMPARE(int(r["epochs"].size()), 2);
        for (int e = 0; e < 2; ++e) {
            const json& epoch = r["epochs"][std::size_t(e)];
            QCOMPARE(epoch["epoch"].get<int>(), e + 1);
            for (const char* key : {"train_loss", "train_accuracy", "val_loss", "val_accuracy"})
                QVERIFY2(epoch[key].is_number(), key);
        }
        QCOMPARE(r["epochs"][1]["val_accuracy"].get<double>(),
                 r["final_val_accuracy"].get<double>());
        const json config = readJson(m_out / names[i] / "config.json");
        QCOMPARE(r["trainable_parameters"].get<long long>(),
                 config["trainable_parameters"].get<long long>());
        QCOMPARE(r["settings"]["freeze"].get<std::string>(), config["freeze"].get<std::string>());
        trainable.push_back(r["trainable_parameters"].get<long long>());
    }
    QVERIFY(trainable[0] > 0);
    QVERIFY(trainable[0] < trainable[1]);
    QVERIFY(trainable[1] < trainable[2]);
    QCOMPARE(trainable[2], trainable[3]);
    QCOMPARE(st[0]["settings"]["freeze"].get<std::string>(), std::string("backbone"));
    QCOMPARE(st[1]["settings"]["freeze"].get<std::string>(),
             std::string("bn1,conv1,layer1,layer2"));
    QCOMPARE(st[3]["settings"]["weights"].get<std::string>(), std::string("random initialisation"));
    const auto differs = doc["differs"].get<std::vector<std::string>>();
    QCOMPARE(differs, (std::vector<std::string>{"freeze", "weights", "backbone_lr_scale"}));
    // The scratch run really started from random weights.
    QCOMPARE(readJson(m_out / "scratch" / "config.json")["weights"]["file"].get<std::string>(),
             std::string());
}

void TstExperiment::experimentReportIsSelfContained() {
    if (!m_ran) QSKIP("the experiment did not run");
    fts::writeExperimentReport(m_out, m_out / "report.html");
    const std::string html = readText(m_out / "report.html");
    QVERIFY(html.rfind("<!DOCTYPE html>", 0) == 0);
    QVERIFY(selfContained(html));
    QVERIFY(html.find("mid &lt;&amp;&quot; dle") != std::string::npos);
    QVERIFY(html.find("mid <&") == std::string::npos);
    for (const char* title :
         {"Head only (frozen backbone)", "Last block + head", "Everything, from pretrained weights",
          "Everything, from scratch (random weights)"})
        QVERIFY2(html.find(title) != std::string::npos, title);
    QVERIFY(html.find("<svg") != std::string::npos);
    QVERIFY(html.find("<polyline") != std::string::npos);
    QVERIFY(html.find("class=\"cm\"") != std::string::npos);
    // Three mislabelled validation images per run: at least one card each.
    if (fts::htmlReportThumbnailsAvailable()) {
        QVERIFY(html.find("src=\"data:image/png;base64,iVBORw0KGgo") != std::string::npos);
    } else {
        QVERIFY(html.find("Images omitted") != std::string::npos);
    }
}

void TstExperiment::cliReportsARun() {
    if (!m_ran) QSKIP("the experiment did not run");
    const fs::path run = m_out / "head";
    ProcessResult r = runCli({"report", "--run", QString::fromStdString(run.u8string())});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const std::string html = readText(run / "report.html");
    QVERIFY(selfContained(html));
    QVERIFY(html.find("demo_cnn") != std::string::npos);
    QVERIFY(html.find("mid &lt;&amp;&quot; dle") != std::string::npos);
    QVERIFY(html.find("mid <&") == std::string::npos);
    QVERIFY(html.find("<svg") != std::string::npos);
    if (fts::htmlReportThumbnailsAvailable())
        QVERIFY(html.find("data:image/png;base64,") != std::string::npos);

    const fs::path other = m_out / "other.html";
    r = runCli({"report", "--run", QString::fromStdString(run.u8string()), "--out",
                QString::fromStdString(other.u8string())});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(fs::exists(other));

    r = runCli({"report", "--run", QString::fromStdString((m_out / "missing").u8string())});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.startsWith("error: "));
    QVERIFY(r.err.contains("config.json"));
}

QTEST_GUILESS_MAIN(TstExperiment)
#include "tst_experiment.moc"
