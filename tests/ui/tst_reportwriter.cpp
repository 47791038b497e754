// ReportWriter: the class report written on a worker thread, in the UI's
// language (QCoreApplication::translate, context "fts::ui::Report"), on a
// tiny real experiment (one strategy, one epoch, generated IDX data).
#include "reportwriter.h"

#include "../engine/bandidx.h"

#include "core/resources.h"
#include "train/experiment.h"

#include <QtTest>

#include <QDir>
#include <QFile>
#include <QMutex>
#include <QTemporaryDir>
#include <QThread>
#include <QTranslator>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>

using fts::ui::ReportWriter;
namespace fs = std::filesystem;

namespace {



// Two classes of the bands' data (tests/engine/bandidx.h): a band left or right.
void writeIdx(const fs::path& dir, const std::string& prefix, int perClass, unsigned seed) {
    bandidx::Options o;
    o.classes = 2;
    o.perClass = perClass;
    o.bandStep = 16;
    o.bandWidth = 8;
    o.seed = seed;
    bandidx::write(dir, prefix, o);
}

QString readAll(const QString& file) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) return QString();
    return QString::fromUtf8(f.readAll());
}

// Maps one report string, as a loaded .qm file would.
class OneStringTranslator : public QTranslator {
public:
    OneStringTranslator(const char* source, QString translation)
        : m_source(source), m_translation(std::move(translation)) {}
    QString translate(const char* context, const char* sourceText, const char* = nullptr,
                      int = -1) const override {
        if (qstrcmp(context, "fts::ui::Report") == 0 && qstrcmp(sourceText, m_source) == 0)
            return m_translation;
        return QString();
    }
    bool isEmpty() const override { return false; }

private:
    const char* m_source;
    QString m_translation;
};

}  // namespace

class TstReportWriter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void listsAreEqual();
    void defaultFileName();
    void writesARunReport();
    void writesAnExperimentReport();
    void writesOffTheGuiThread();
    void missingDirectoryNamesIt();
    void translatorIsUsed();
    void englishWithoutTranslation();

private:
    QTemporaryDir m_tmp;
    QString m_experiment;  // the experiment folder
    QString m_run;         // its one run directory
};

void TstReportWriter::initTestCase() {
    QVERIFY(m_tmp.isValid());
    const fs::path root = fs::u8path(m_tmp.path().toStdString());
    const fs::path data = root / "data";
    fs::create_directories(data);
    writeIdx(data, "train", /*perClass=*/8, /*seed=*/1);
    writeIdx(data, "val", /*perClass=*/4, /*seed=*/2);

    fts::ExperimentSettings es;
    fts::TrainSettings& s = es.base;
    s.model = "demo_cnn";
    s.weightsFile = (fts::demoDirectory() / "backbone.safetensors").u8string();
    s.dataPath = (data / "train-images-idx3-ubyte").u8string();
    s.valPath = (data / "val-images-idx3-ubyte").u8string();
    s.epochs = 1;
    s.batchSize = 8;
    s.augment = "none";
    s.threads = 1;
    es.strategies = {"head"};
    es.outDir = (root / "exp").u8string();
    const fts::ExperimentResult result = fts::Experiment(es).run();
    QCOMPARE(QString::fromStdString(result.status), QStringLiteral("completed"));
    m_experiment = QString::fromStdString(es.outDir);
    m_run = QDir(m_experiment).filePath(QStringLiteral("head"));
    QVERIFY(QFile::exists(QDir(m_run).filePath(QStringLiteral("summary.json"))));
}

void TstReportWriter::listsAreEqual() {
    const QStringList ui = fts::ui::reportTranslationSources();
    QStringList engine;
    for (const char* english : fts::reportSourceStrings()) engine << QString::fromUtf8(english);
    for (const QString& s : engine)
        QVERIFY2(ui.contains(s), qPrintable("not in the UI table: " + s));
    for (const QString& s : ui) QVERIFY2(engine.contains(s), qPrintable("not in the report: " + s));
    QCOMPARE(ui, engine);
}

void TstReportWriter::defaultFileName() {
    QCOMPARE(ReportWriter::defaultReportFileName(QStringLiteral("/x/run"), false),
             QStringLiteral("/x/run/report.html"));
    QCOMPARE(ReportWriter::defaultReportFileName(QStringLiteral("/x/exp/"), true),
             QStringLiteral("/x/exp/report.html"));
}

void TstReportWriter::writesARunReport() {
    ReportWriter writer;
    QSignalSpy spy(&writer, &ReportWriter::finished);
    const QString out = ReportWriter::defaultReportFileName(m_run, false);
    writer.write(m_run, false, out);
    QCOMPARE(writer.pending(), 1);
    QVERIFY(spy.wait(60000));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), out);
    QCOMPARE(spy.at(0).at(1).toString(), QString());
    QCOMPARE(writer.pending(), 0);
    const QString html = readAll(out);
    QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
    QVERIFY(html.contains(QStringLiteral("<html lang=\"en\">")));
    QVERIFY(html.contains(QStringLiteral("Training report: demo_cnn (head)")));
    QVERIFY(html.contains(QStringLiteral("<svg")));
}

void TstReportWriter::writesAnExperimentReport() {
    ReportWriter writer;
    QSignalSpy spy(&writer, &ReportWriter::finished);
    const QString out = QDir(m_experiment).filePath(QStringLiteral("class report.html"));
    writer.write(m_experiment, true, out);
    QVERIFY(spy.wait(60000));
    QCOMPARE(spy.at(0).at(1).toString(), QString());
    const QString html = readAll(out);
    QVERIFY(html.contains(QStringLiteral("Transfer learning experiment: demo_cnn")));
    QVERIFY(html.contains(QStringLiteral("Head only (frozen backbone)")));
}

void TstReportWriter::writesOffTheGuiThread() {
    // The translate hook runs where the report is written.
    auto threads = std::make_shared<std::set<QThread*>>();
    auto mutex = std::make_shared<QMutex>();
    fts::ReportLanguage language;
    language.translate = [threads, mutex](const char* english) {
        QMutexLocker lock(mutex.get());
        threads->insert(QThread::currentThread());
        return std::string(english);
    };
    ReportWriter writer;
    QSignalSpy spy(&writer, &ReportWriter::finished);
    writer.write(m_run, false, QDir(m_tmp.path()).filePath(QStringLiteral("t.html")), language);
    QVERIFY(spy.wait(60000));
    QCOMPARE(spy.at(0).at(1).toString(), QString());
    QMutexLocker lock(mutex.get());
    QVERIFY(!threads->empty());
    QVERIFY(!threads->count(QThread::currentThread()));
}

void TstReportWriter::missingDirectoryNamesIt() {
    ReportWriter writer;
    QSignalSpy spy(&writer, &ReportWriter::finished);
    const QString missing = QDir(m_tmp.path()).filePath(QStringLiteral("no-such-run"));
    const QString out = QDir(m_tmp.path()).filePath(QStringLiteral("missing.html"));
    writer.write(missing, false, out);
    QVERIFY(spy.wait(60000));
    QCOMPARE(spy.at(0).at(0).toString(), out);
    const QString error = spy.at(0).at(1).toString();
    QVERIFY2(error.contains(QStringLiteral("no-such-run")), qPrintable(error));
    QVERIFY(!QFile::exists(out));

    writer.write(missing, true, out);
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 2, 60000);
    QVERIFY(spy.at(1).at(1).toString().contains(QStringLiteral("no-such-run")));
}

void TstReportWriter::translatorIsUsed() {
    OneStringTranslator translator("Settings", QStringLiteral("设置"));
    QVERIFY(QCoreApplication::installTranslator(&translator));
    const fts::ReportLanguage zh = fts::ui::currentReportLanguage(QStringLiteral("zh_CN"));
    QCOMPARE(QString::fromStdString(zh.htmlLang), QStringLiteral("zh-CN"));
    QVERIFY(zh.translate);
    QCOMPARE(QString::fromStdString(zh.translate("Settings")), QStringLiteral("设置"));
    QCOMPARE(zh.translate("Curves"), std::string("Curves"));

    // The language of the default locale, as the app sets it from --lang.
    QLocale::setDefault(QLocale(QStringLiteral("zh_CN")));
    QCOMPARE(fts::ui::currentReportLanguage().htmlLang, std::string("zh-CN"));
    QLocale::setDefault(QLocale(QLocale::English));
    QCOMPARE(fts::ui::currentReportLanguage().htmlLang, std::string("en"));
    QLocale::setDefault(QLocale(QStringLiteral("zh_CN")));

    // The language is taken when write() is called: removing the translator
    // right after does not change the report.
    ReportWriter writer;
    QSignalSpy spy(&writer, &ReportWriter::finished);
    const QString out = QDir(m_tmp.path()).filePath(QStringLiteral("zh.html"));
    writer.write(m_run, false, out);
    QCoreApplication::removeTranslator(&translator);
    QLocale::setDefault(QLocale(QLocale::English));
    QVERIFY(spy.wait(60000));
    QCOMPARE(spy.at(0).at(1).toString(), QString());
    const QString html = readAll(out);
    QVERIFY(html.contains(QStringLiteral("<html lang=\"zh-CN\">")));
    QVERIFY(html.contains(QStringLiteral("<h2>设置</h2>")));
    QVERIFY(!html.contains(QStringLiteral("<h2>Settings</h2>")));
    QVERIFY(html.contains(QStringLiteral("<h2>Training curves</h2>")));  // not translated
}

void TstReportWriter::englishWithoutTranslation() {
    // No translator: English, and a locale without a translation writes lang="en".
    QLocale::setDefault(QLocale(QStringLiteral("de_DE")));
    const fts::ReportLanguage language = fts::ui::currentReportLanguage();
    QLocale::setDefault(QLocale(QLocale::English));
    QCOMPARE(language.htmlLang, std::string("en"));
    QVERIFY(!language.translate);
}

QTEST_MAIN(TstReportWriter)
#include "tst_reportwriter.moc"
