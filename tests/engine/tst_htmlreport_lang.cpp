// The class report in another language (export/htmlreport.h's ReportLanguage):
// every visible string goes through the translation hook, English stays as it
// was, placeholders reorder, and the hook sees only reportSourceStrings().
// A tiny real experiment (head and scratch, one epoch) on generated IDX data.
#include "bandidx.h"

#include "core/resources.h"
#include "export/htmlreport.h"
#include "train/experiment.h"

#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <set>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::vector<std::string> kClasses{"left", "middle", "right"};



// The bands' data (tests/engine/bandidx.h); the first `mislabelled` images
// of a class carry the next class's band (wrong cards).
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

// The minute in "Written by ... on 2026-01-02 03:04." may turn between two reports.
std::string withoutDate(const std::string& html) {
    static const std::regex date("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}");
    return std::regex_replace(html, date, "DATE");
}

std::string decodeEntities(std::string text) {
    for (const auto& [entity, c] : std::vector<std::pair<std::string, std::string>>{
             {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}})
        for (auto p = text.find(entity); p != std::string::npos; p = text.find(entity, p))
            text.replace(p, entity.size(), c);
    return text;
}

// What a reader sees: the text between tags (styles dropped), plus the
// tooltips and labels (title=, aria-label=), entities decoded. Image data
// (src=) is inside tags and goes with them. Scanned by hand: std::regex
// recurses once per character and overflows the stack on a long <style> or
// an inline image (it did under AddressSanitizer).
std::string visibleText(const std::string& html) {
    std::string text, tags;
    for (std::size_t i = 0; i < html.size();) {
        if (html[i] != '<') {
            text += html[i++];
            continue;
        }
        for (const char* block : {"style", "script"}) {
            const std::string open = std::string("<") + block;
            if (html.compare(i, open.size(), open) == 0) {
                const std::size_t close = html.find(std::string("</") + block, i);
                i = close == std::string::npos ? html.size() : close;
                break;
            }
        }
        if (i >= html.size()) break;
        const std::size_t end = html.find('>', i);
        const std::string tag = html.substr(i, end == std::string::npos ? std::string::npos : end - i);
        for (const char* name : {" title=\"", " aria-label=\""}) {
            for (auto p = tag.find(name); p != std::string::npos; p = tag.find(name, p + 1)) {
                const std::size_t from = p + std::char_traits<char>::length(name);
                const std::size_t to = tag.find('"', from);
                tags += ' ' + tag.substr(from, to == std::string::npos ? std::string::npos : to - from) + ' ';
            }
        }
        text += ' ';
        i = end == std::string::npos ? html.size() : end + 1;
    }
    return decodeEntities(tags + text);
}

// Every string value in a JSON document (the run's own data: paths, names,
// settings values, the data description), longest first.
void collectStrings(const json& doc, std::vector<std::string>& out) {
    if (doc.is_string()) out.push_back(doc.get<std::string>());
    if (doc.is_structured())
        for (const auto& item : doc) collectStrings(item, out);
}

// The words left in the visible text once the translated parts ("[...]",
// innermost first: a translated word can sit inside a translated sentence)
// and the run's own data are taken out. Empty when every visible string of
// the report went through the translation hook.
std::string untranslatedWords(const std::string& html, std::vector<std::string> data) {
    std::string text = visibleText(html);
    // The innermost "[...]" first, until none is left.
    for (std::size_t close = text.find(']'); close != std::string::npos; close = text.find(']')) {
        const std::size_t open = text.rfind('[', close);
        if (open == std::string::npos) {
            text[close] = ' ';  // a stray ']'
            continue;
        }
        text.replace(open, close - open + 1, " ");
    }
    std::sort(data.begin(), data.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    for (const auto& value : data)
        if (value.size() >= 2)
            for (auto p = text.find(value); p != std::string::npos; p = text.find(value, p))
                text.replace(p, value.size(), " ");
    static const std::regex word("[A-Za-z]{2,}");
    std::string words;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), word);
         it != std::sregex_iterator(); ++it)
        words += it->str() + ' ';
    return words;
}

// A translator that wraps every string in brackets and remembers what it was asked.
struct Brackets {
    std::set<std::string> asked;
    std::mutex mutex;
    fts::ReportLanguage language() {
        fts::ReportLanguage l;
        l.htmlLang = "x-brackets";
        l.translate = [this](const char* english) {
            std::lock_guard<std::mutex> lock(mutex);
            asked.insert(english);
            return "[" + std::string(english) + "]";
        };
        return l;
    }
};

}  // namespace

class TstHtmlReportLang : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void sourceStringsAreATable();
    void strategyTitlesAreSourceStrings();
    void englishUnchanged();
    void everyVisibleStringTranslated_data();
    void everyVisibleStringTranslated();
    void placeholdersReorder();
    void translationsAreEscaped();
    void writesTheLanguage();

private:
    std::vector<std::string> runData(const fs::path& runDir) const;

    QTemporaryDir m_tmp;
    fs::path m_out;  // the experiment folder; runs in m_out/head, m_out/scratch
};

void TstHtmlReportLang::initTestCase() {
    QVERIFY(m_tmp.isValid());
    const fs::path root = fs::u8path(m_tmp.path().toStdString());
    const fs::path data = root / "data";
    m_out = root / "exp";
    fs::create_directories(data);
    writeIdx(data, "train", /*perClass=*/8, /*mislabelled=*/0, /*seed=*/3);
    writeIdx(data, "val", /*perClass=*/4, /*mislabelled=*/1, /*seed=*/4);
    std::ofstream names(data / "classes.txt");
    for (const auto& name : kClasses) names << name << '\n';
    names.close();

    fts::ExperimentSettings es;
    fts::TrainSettings& s = es.base;
    s.model = "demo_cnn";
    s.weightsFile = (fts::demoDirectory() / "backbone.safetensors").u8string();
    s.dataPath = (data / "train-images-idx3-ubyte").u8string();
    s.valPath = (data / "val-images-idx3-ubyte").u8string();
    s.epochs = 2;
    s.batchSize = 8;
    s.lr = 0.01;
    s.augment = "none";
    s.threads = 2;
    s.seed = 7;
    es.strategies = {"head", "scratch"};
    es.outDir = m_out.u8string();
    const fts::ExperimentResult result = fts::Experiment(es).run();
    QCOMPARE(QString::fromStdString(result.status), QStringLiteral("completed"));
    QVERIFY(fs::exists(m_out / "head" / "predictions.csv"));
}

std::vector<std::string> TstHtmlReportLang::runData(const fs::path& runDir) const {
    std::vector<std::string> data;
    collectStrings(readJson(runDir / "config.json"), data);
    collectStrings(readJson(runDir / "summary.json"), data);
    std::ifstream predictions(runDir / "predictions.csv");
    for (std::string line; std::getline(predictions, line);)
        data.push_back(line.substr(0, line.find(',')));
    data.push_back(runDir.filename().u8string());
    return data;
}

void TstHtmlReportLang::sourceStringsAreATable() {
    const auto& all = fts::reportSourceStrings();
    QVERIFY(all.size() > 50);
    std::set<std::string> unique;
    static const std::regex placeholder("\\{(\\d)\\}");
    for (const char* s : all) {
        QVERIFY(s && *s);
        QVERIFY2(unique.insert(s).second, s);  // a translation tool sees each once
        // Placeholders {1}..{n}, each once, none missing.
        const std::string text = s;
        std::vector<int> numbers;
        for (auto it = std::sregex_iterator(text.begin(), text.end(), placeholder);
             it != std::sregex_iterator(); ++it)
            numbers.push_back(std::stoi((*it)[1].str()));
        std::sort(numbers.begin(), numbers.end());
        for (std::size_t i = 0; i < numbers.size(); ++i) QCOMPARE(numbers[i], int(i) + 1);
    }
    // The same vector every time (translation tables may key on it).
    QCOMPARE(&fts::reportSourceStrings(), &all);
}

void TstHtmlReportLang::strategyTitlesAreSourceStrings() {
    const auto& all = fts::reportSourceStrings();
    for (const auto& strategy : fts::experimentStrategies()) {
        const std::string title = fts::experimentStrategyTitle(strategy);
        QVERIFY2(std::find(all.begin(), all.end(), title) != all.end(), title.c_str());
    }
}

void TstHtmlReportLang::englishUnchanged() {
    fts::ReportLanguage identity;
    identity.translate = [](const char* english) { return std::string(english); };
    for (const bool experiment : {false, true}) {
        const auto report = [&](const fts::ReportLanguage& l) {
            return withoutDate(experiment ? fts::experimentReportHtml(m_out, l)
                                          : fts::runReportHtml(m_out / "head", l));
        };
        const std::string plain = withoutDate(experiment ? fts::experimentReportHtml(m_out)
                                                         : fts::runReportHtml(m_out / "head"));
        QVERIFY(plain.find("<html lang=\"en\">") != std::string::npos);
        QVERIFY(plain.find("Most confidently wrong validation images") != std::string::npos);
        QVERIFY(plain.find("Written by Finetune Studio ") != std::string::npos);
        QVERIFY(plain == report(fts::ReportLanguage()));
        QVERIFY(plain == report(identity));
        // An empty translation keeps the English.
        fts::ReportLanguage empty;
        empty.translate = [](const char*) { return std::string(); };
        QVERIFY(plain == report(empty));
    }
    const std::string run = fts::runReportHtml(m_out / "head");
    QVERIFY(run.find("<td>24 training, 12 validation</td>") != std::string::npos);
    QVERIFY(run.find("<p>Status: <b>completed</b>; validation accuracy at the end <b>") !=
            std::string::npos);
}

void TstHtmlReportLang::everyVisibleStringTranslated_data() {
    QTest::addColumn<bool>("experiment");
    QTest::newRow("run") << false;
    QTest::newRow("experiment") << true;
}

void TstHtmlReportLang::everyVisibleStringTranslated() {
    QFETCH(bool, experiment);
    Brackets brackets;
    const std::string html = experiment ? fts::experimentReportHtml(m_out, brackets.language())
                                        : fts::runReportHtml(m_out / "head", brackets.language());
    std::vector<std::string> data = runData(m_out / "head");
    if (experiment) {
        const auto more = runData(m_out / "scratch");
        data.insert(data.end(), more.begin(), more.end());
        collectStrings(readJson(m_out / "experiment.json"), data);
    }
    // A strategy's title or a status word is a source string: not data.
    const auto& all = fts::reportSourceStrings();
    data.erase(std::remove_if(data.begin(), data.end(),
                              [&](const std::string& s) {
                                  return std::find(all.begin(), all.end(), s) != all.end();
                              }),
               data.end());
    const std::string left = untranslatedWords(html, data);
    QVERIFY2(left.empty(), ("untranslated: " + left).c_str());
    // The test sees translated text at all (and a plain English report fails it).
    QVERIFY(html.find("[Confusion matrix (validation, last epoch)]") != std::string::npos);
    const std::string english =
        experiment ? fts::experimentReportHtml(m_out) : fts::runReportHtml(m_out / "head");
    QVERIFY(!untranslatedWords(english, data).empty());
    // The hook is asked only for the table's strings, and for many of them.
    for (const auto& asked : brackets.asked)
        QVERIFY2(std::find(all.begin(), all.end(), asked) != all.end(), asked.c_str());
    qInfo("%zu of %zu source strings asked", brackets.asked.size(), all.size());
    QVERIFY(brackets.asked.size() >= (experiment ? 50u : 40u));
    if (experiment) QVERIFY(html.find("[Head only (frozen backbone)]") != std::string::npos);
}

void TstHtmlReportLang::placeholdersReorder() {
    const json config = readJson(m_out / "head" / "config.json");
    const std::string train = std::to_string(config["data"]["train_images"].get<int>());
    const std::string val = std::to_string(config["data"]["val_images"].get<int>());
    QVERIFY(train != val);
    fts::ReportLanguage l;
    l.translate = [](const char* english) -> std::string {
        const std::string s = english;
        if (s == "{1} training, {2} validation") return "V={2} T={1}";
        if (s ==
            "Status: {1}; validation accuracy at the end {2}, best {3}, after {4} epochs in "
            "{5}.")
            return "{5}|{4}|{3}|{2}|{1}";
        if (s == "completed") return "done";
        return s;
    };
    const std::string html = fts::runReportHtml(m_out / "head", l);
    QVERIFY2(html.find("<td>V=" + val + " T=" + train + "</td>") != std::string::npos,
             html.c_str());
    const json summary = readJson(m_out / "head" / "summary.json");
    const std::string epochs = std::to_string(summary["epochs_completed"].get<int>());
    static const std::regex status("<p>[0-9.]+ s\\|" + epochs +
                                   "\\|<b>[0-9.]+ %</b>\\|<b>[0-9.]+ %</b>\\|<b>done</b></p>");
    QVERIFY(std::regex_search(html, status));
}

void TstHtmlReportLang::translationsAreEscaped() {
    fts::ReportLanguage l;
    l.htmlLang = "x\"y";
    l.translate = [](const char* english) -> std::string {
        const std::string s = english;
        if (s == "Settings") return "A<b>&";
        if (s == "{1} % of {2}") return "\"{2}\" {1}";
        if (s == "true: {1}") return "{1} <i>";
        return s;
    };
    const std::string html = fts::runReportHtml(m_out / "head", l);
    QVERIFY(html.find("<html lang=\"x&quot;y\">") != std::string::npos);
    QVERIFY(html.find("<h2>A&lt;b&gt;&amp;</h2>") != std::string::npos);
    QVERIFY(html.find("title=\"&quot;left&quot; ") != std::string::npos);
    QVERIFY(html.find("</b> &lt;i&gt;</div>") != std::string::npos);
    QVERIFY(html.find("<i>") == std::string::npos);
}

void TstHtmlReportLang::writesTheLanguage() {
    Brackets brackets;
    fts::ReportLanguage l = brackets.language();
    l.htmlLang = "zh-CN";
    const fs::path file = m_out / "report-x.html";
    fts::writeExperimentReport(m_out, file, l);
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    QVERIFY(s.str().find("<html lang=\"zh-CN\">") != std::string::npos);
    QVERIFY(s.str().find("[Transfer learning experiment: {1}]") == std::string::npos);
    QVERIFY(s.str().find("[Transfer learning experiment: demo_cnn]") != std::string::npos);
    fts::writeRunReport(m_out / "scratch", m_out / "scratch.html", l);
    std::ifstream run(m_out / "scratch.html");
    std::stringstream r;
    r << run.rdbuf();
    QVERIFY(r.str().find("[Training report: demo_cnn (scratch)]") != std::string::npos);
    QVERIFY(r.str().find("[random initialisation (from scratch)]") != std::string::npos);
}

QTEST_GUILESS_MAIN(TstHtmlReportLang)
#include "tst_htmlreport_lang.moc"
