#include "export/htmlreport.h"

#include "core/error.h"
#include "core/fileio.h"
#include "core/version.h"
#include "data/datasource.h"
#include "export/metricscsv.h"

#include <nlohmann/json.hpp>

#ifdef FTS_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <vector>

namespace fts {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kMistakes = 12;   // thumbnails per run
constexpr int kThumbSize = 96;  // pixels, the longer side at most

// Print-friendly colours (distinct in greyscale too, by dash and marker).
const char* const kColours[] = {"#1f5fa8", "#c0392b", "#2e8b3e", "#d4860b", "#7b3fa0", "#555555"};

const char* const kStyle = R"(
body{font-family:-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#111;
background:#fff;max-width:1040px;margin:24px auto;padding:0 16px;line-height:1.4}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;border-bottom:1px solid #bbb;
padding-bottom:.15em;margin-top:1.6em}h3{font-size:1.05em;margin-bottom:.3em}
.meta{color:#555;font-size:.9em}.note{color:#555;font-style:italic}
table{border-collapse:collapse;margin:.4em 0}th,td{border:1px solid #bbb;padding:3px 8px;
text-align:left;vertical-align:top}th{background:#f0f0f0}td.num{text-align:right;white-space:nowrap}
td.strategy{min-width:10em}table.results{font-size:.9em}
table.kv th{font-weight:600;white-space:nowrap}
.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{flex:0 0 auto;width:490px}
.legend{font-size:.85em;margin:2px 0 0 8px}.legend span{margin-right:14px;white-space:nowrap}
table.cm td{text-align:center;min-width:2.4em}table.cm th.corner{font-weight:normal;font-size:.8em}
.mistakes{display:flex;flex-wrap:wrap;gap:10px}.mistake{border:1px solid #bbb;padding:4px;
width:130px;font-size:.8em;text-align:center;word-wrap:break-word}
.mistake img{image-rendering:pixelated;display:block;margin:0 auto 3px auto;max-width:120px}
.bad{color:#b00020}.best{font-weight:700}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
@page{margin:14mm}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}
.chart,table,.mistake,.strategy-head{break-inside:avoid}}
)";

// ---------------------------------------------------------------- text

// Every visible string of a report, once: X(id, English). Sentences are
// whole, with numbered placeholders, so a translation can reorder them.
#define FTS_REPORT_STRINGS(X)                                                                     \
    X(ModelFallback, "model")                                                                     \
    X(Written, "Written by Finetune Studio {1} on {2}.")                                          \
    X(Seconds, "{1} s")                                                                           \
    X(MinutesSeconds, "{1} min {2} s")                                                            \
    X(AxisCut, "axis cut: higher values drawn at the top")                                        \
    X(EpochAxis, "epoch")                                                                         \
    X(Training, "training")                                                                       \
    X(Validation, "validation")                                                                   \
    X(LossChart, "Loss")                                                                          \
    X(AccuracyChart, "Accuracy")                                                                  \
    X(NoEpoch, "No epoch finished in this run.")                                                  \
    X(NoConfusion, "No confusion matrix in this run.")                                            \
    X(ConfusionCorner, "true ↓ / predicted →")                                                    \
    X(ConfusionAccuracy, "accuracy")                                                              \
    X(ConfusionCellTip, "{1} % of {2}")                                                           \
    X(ConfusionNote,                                                                              \
      "Rows: the true class; columns: what the model predicted. The diagonal (blue) is correct; " \
      "red cells are confusions. Colour strength is the share of the row.")                       \
    X(InMemoryData,                                                                               \
      "the run's images were not read from files (in-memory data), so none can be shown")         \
    X(ValidationDataGone, "the run's validation data cannot be opened any more: {1}")             \
    X(NoPredictions, "No validation predictions in this run.")                                    \
    X(AllCorrect, "Every validation image was classified correctly.")                             \
    X(NoOpenCv, "this build has no OpenCV, so the report cannot encode images")                   \
    X(CardTrue, "true: {1}")                                                                      \
    X(CardPredicted, "predicted: {1}")                                                            \
    X(CardConfidence, "confidence {1} %")                                                         \
    X(ImagesNotFound, "the images could not be found in the run's data")                          \
    X(ImagesOmitted, "Images omitted: {1}.")                                                      \
    X(HeldOut, "{1} of the training data, held out")                                              \
    X(Model, "Model")                                                                             \
    X(StartingWeights, "Starting weights")                                                        \
    X(RandomInit, "random initialisation (from scratch)")                                         \
    X(Frozen, "Frozen")                                                                           \
    X(TrainableParameters, "Trainable parameters")                                                \
    X(CountOfTotal, "{1} of {2}")                                                                 \
    X(TrainingData, "Training data")                                                              \
    X(ValidationData, "Validation data")                                                          \
    X(Images, "Images")                                                                           \
    X(ImageCounts, "{1} training, {2} validation")                                                \
    X(ImageSize, "Image size")                                                                    \
    X(Pixels, "{1} px")                                                                           \
    X(Augmentation, "Augmentation")                                                               \
    X(Epochs, "Epochs")                                                                           \
    X(BatchSize, "Batch size")                                                                    \
    X(Optimizer, "Optimizer")                                                                     \
    X(OptimizerValue, "{1}, learning rate {2} (backbone × {3}), weight decay {4}")                \
    X(Schedule, "Schedule")                                                                       \
    X(Seed, "Seed")                                                                               \
    X(Device, "Device")                                                                           \
    X(DeviceValue, "{1}, {2} threads")                                                            \
    X(RunTitle, "Training report: {1} ({2})")                                                     \
    X(StatusSentence,                                                                             \
      "Status: {1}; validation accuracy at the end {2}, best {3}, after {4} epochs in {5}.")      \
    X(StatusCompleted, "completed")                                                               \
    X(StatusCancelled, "cancelled")                                                               \
    X(StatusFailed, "failed")                                                                     \
    X(StatusUnknown, "unknown")                                                                   \
    /* the app's words for --freeze and --augment values */                                       \
    X(ValueNone, "none")                                                                          \
    X(ValueBackbone, "backbone")                                                                  \
    X(ValueLight, "light")                                                                        \
    X(ValueStrong, "strong")                                                                      \
    X(SettingsHeading, "Settings")                                                                \
    X(TrainingCurves, "Training curves")                                                          \
    X(CurvesNote,                                                                                 \
      "Training values (dashed) are measured on augmented images while the model learns; "        \
      "validation values (solid) on images it never trains on.")                                  \
    X(ConfusionHeading, "Confusion matrix (validation, last epoch)")                              \
    X(MistakesHeading, "Most confidently wrong validation images")                                \
    X(ExperimentTitle, "Transfer learning experiment: {1}")                                       \
    X(ExperimentIntro,                                                                            \
      "The same network trained on the same images with the same settings and random seed, "      \
      "once per strategy; only the settings in the table's last columns differ. Compare how "     \
      "fast each strategy learns and how well it does on validation images it never trained "     \
      "on.")                                                                                      \
    X(DiffersFrozen, "frozen")                                                                    \
    X(DiffersWeights, "starting weights")                                                         \
    X(DiffersBackboneLr, "backbone lr ×")                                                         \
    X(DiffersLr, "learning rate")                                                                 \
    X(DiffersAugment, "augmentation")                                                             \
    X(ResultsHeading, "Results")                                                                  \
    X(ColumnStrategy, "strategy")                                                                 \
    X(ColumnFinal, "final val. accuracy")                                                         \
    X(ColumnBest, "best val. accuracy")                                                           \
    X(ColumnTime, "time")                                                                         \
    X(ColumnTrainable, "trainable parameters")                                                    \
    X(WeightsPretrained, "pretrained")                                                            \
    X(WeightsRandom, "random")                                                                    \
    X(StatusWithError, "{1}: {2}")                                                                \
    X(PretrainedWeights, "Pretrained weights")                                                    \
    X(SharedOptimizerValue, "{1}, learning rate {2}, weight decay {3}")                           \
    X(SharedSettingsHeading, "Settings shared by all strategies")                                 \
    X(CurvesHeading, "Curves")                                                                    \
    X(ValidationAccuracyChart, "Validation accuracy")                                             \
    X(ValidationLossChart, "Validation loss")                                                     \
    X(AccuracyBothChart, "Accuracy: training and validation")                                     \
    X(LossBothChart, "Loss: training and validation")                                             \
    X(BothLegend, "dashed: training (augmented images), solid: validation")                       \
    X(RunDirUnreadable, "The run directory {1} cannot be read.")                                  \
    /* experimentStrategyTitle()'s titles (train/experiment.cpp), as experiment.json holds */     \
    X(StrategyHead, "Head only (frozen backbone)")                                                \
    X(StrategyLast, "Last block + head")                                                          \
    X(StrategyFull, "Everything, from pretrained weights")                                        \
    X(StrategyScratch, "Everything, from scratch (random weights)")

enum class S {
#define FTS_REPORT_ID(id, english) id,
    FTS_REPORT_STRINGS(FTS_REPORT_ID)
#undef FTS_REPORT_ID
};

const std::vector<const char*>& sourceStrings() {
    static const std::vector<const char*> strings{
#define FTS_REPORT_ENGLISH(id, english) english,
        FTS_REPORT_STRINGS(FTS_REPORT_ENGLISH)
#undef FTS_REPORT_ENGLISH
    };
    return strings;
}

// Element content: & < > escaped (quotes need no escaping there).
std::string escapeText(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else
            out += c;
    }
    return out;
}

// The report's strings in one language. Not thread-safe beyond what
// ReportLanguage::translate is.
class Text {
public:
    explicit Text(const ReportLanguage& language) : m_language(language) {}

    const std::string& htmlLang() const { return m_language.htmlLang; }

    /// The translated plain text.
    std::string operator()(S id) const {
        const char* english = sourceStrings()[std::size_t(id)];
        if (!m_language.translate) return english;
        std::string translated = m_language.translate(english);
        return translated.empty() ? std::string(english) : translated;
    }

    /// The translation with {1}..{9} replaced by `args` (plain text in, plain text out).
    std::string operator()(S id, const std::vector<std::string>& args) const {
        return substitute((*this)(id), args, [](std::string_view t) { return std::string(t); });
    }

    /// The translation escaped for element content, {1}..{9} replaced by
    /// `htmlArgs` as they are (markup, already escaped).
    std::string html(S id, const std::vector<std::string>& htmlArgs = {}) const {
        return substitute((*this)(id), htmlArgs, escapeText);
    }

    /// A known English string from the data (a strategy title, a status)
    /// translated, anything else as it is.
    std::string known(const std::string& english) const {
        const auto& all = sourceStrings();
        for (std::size_t i = 0; i < all.size(); ++i)
            if (english == all[i]) return (*this)(S(i));
        return english;
    }

private:
    template <typename Escape>
    static std::string substitute(const std::string& text, const std::vector<std::string>& args,
                                  Escape escape) {
        std::string out;
        std::size_t literal = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] != '{' || i + 2 >= text.size() || text[i + 2] != '}' || text[i + 1] < '1' ||
                text[i + 1] > '9')
                continue;
            const std::size_t n = std::size_t(text[i + 1] - '1');
            if (n >= args.size()) continue;
            out += escape(std::string_view(text).substr(literal, i - literal));
            out += args[n];  // a value is never scanned for placeholders again
            literal = i + 3;
            i += 2;
        }
        return out + escape(std::string_view(text).substr(literal));
    }

    const ReportLanguage& m_language;
};

// ---------------------------------------------------------------- helpers

std::string fixed(double value, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, value);
    return buf;
}

std::string percent(const json& value) {
    if (!value.is_number()) return "–";
    return fixed(100.0 * value.get<double>(), 1) + " %";
}

std::string seconds(const Text& tr, const json& value) {
    if (!value.is_number()) return "–";
    const double s = value.get<double>();
    if (s < 60) return tr(S::Seconds, {fixed(s, 1)});
    return tr(S::MinutesSeconds, {std::to_string(int(s) / 60), std::to_string(int(s) % 60)});
}

std::string thousands(long long n) {
    std::string digits = std::to_string(n < 0 ? -n : n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return (n < 0 ? "-" : "") + out;
}

std::string jsonText(const json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_null()) return "–";
    if (value.is_number_float()) {
        std::ostringstream s;
        s << value.get<double>();
        return s.str();
    }
    return value.dump();
}

json readJsonFile(const fs::path& file, bool required) {
    std::ifstream in(file);
    if (!in) {
        if (required)
            throw Error(displayPath(file) +
                        ": cannot be read; give a run directory written by "
                        "finetune-cli train or an experiment folder");
        return json();
    }
    json doc = json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
        if (required) throw Error(displayPath(file) + ": is not valid JSON; it may be damaged");
        return json();
    }
    return doc;
}

std::string readText(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return {};
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// RFC 4180 rows (quoted fields with "" escapes, \n or \r\n line ends).
std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, any = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
            any = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
            any = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            if (any || !field.empty()) {
                row.push_back(std::move(field));
                rows.push_back(std::move(row));
            }
            row.clear();
            field.clear();
            any = false;
        } else {
            field += c;
            any = true;
        }
    }
    if (any || !field.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string base64(const std::vector<std::uint8_t>& bytes) {
    static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::uint32_t n = (std::uint32_t(bytes[i]) << 16) |
                                (i + 1 < bytes.size() ? std::uint32_t(bytes[i + 1]) << 8 : 0) |
                                (i + 2 < bytes.size() ? std::uint32_t(bytes[i + 2]) : 0);
        out += table[(n >> 18) & 63];
        out += table[(n >> 12) & 63];
        out += i + 1 < bytes.size() ? table[(n >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? table[n & 63] : '=';
    }
    return out;
}

using Rows = std::vector<std::pair<S, std::string>>;  // a setting's name, its value

std::string kvTable(const Text& tr, const Rows& rows) {
    std::string html = "<table class=\"kv\">\n";
    for (const auto& [key, value] : rows)
        html += "<tr><th>" + htmlEscape(tr(key)) + "</th><td>" + htmlEscape(value) + "</td></tr>\n";
    return html + "</table>\n";
}

// ---------------------------------------------------------------- charts

struct Line {
    std::string name;
    std::string colour;
    bool dashed = false;
    std::vector<std::optional<double>> values;  // per epoch 1..N
};

double niceStep(double range, int ticks) {
    const double raw = range / ticks;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (raw <= m * mag) return m * mag;
    return 10 * mag;
}

std::string svgChart(const Text& tr, const std::string& title, const std::vector<Line>& lines,
                     bool asPercent) {
    const int W = 490, H = 300, left = 58, right = 14, top = 30, bottom = 44;
    const int pw = W - left - right, ph = H - top - bottom;
    std::size_t epochs = 0;
    double hi = 0.0;
    for (const auto& l : lines) {
        epochs = std::max(epochs, l.values.size());
        for (const auto& v : l.values)
            if (v && std::isfinite(*v)) hi = std::max(hi, *v);
    }
    // One diverging curve (a from-scratch run's first epochs) would flatten
    // all others: the loss axis stops at 2.5 x the 75th percentile, and the
    // values above it are drawn on the top edge (said under the title).
    bool cut = false;
    if (!asPercent) {
        std::vector<double> all;
        for (const auto& l : lines)
            for (const auto& v : l.values)
                if (v && std::isfinite(*v)) all.push_back(*v);
        if (all.size() >= 4) {
            std::sort(all.begin(), all.end());
            const double cap = 2.5 * all[all.size() * 3 / 4];
            if (cap > 0 && hi > cap) {
                hi = cap;
                cut = true;
            }
        }
    }
    double yMax = asPercent ? 1.0 : (hi > 0 ? hi * 1.05 : 1.0);
    const double yStep = asPercent ? 0.2 : niceStep(yMax, 5);
    if (!asPercent) yMax = std::ceil(yMax / yStep - 1e-9) * yStep;
    const auto xOf = [&](std::size_t i) {  // 0-based epoch index
        return epochs <= 1 ? left + pw / 2.0 : left + pw * double(i) / double(epochs - 1);
    };
    const auto yOf = [&](double v) { return top + ph * (1.0 - std::clamp(v / yMax, 0.0, 1.0)); };

    std::ostringstream s;
    s << "<svg width=\"" << W << "\" height=\"" << H << "\" viewBox=\"0 0 " << W << ' ' << H
      << "\" role=\"img\" aria-label=\"" << htmlEscape(title)
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
    s << "<rect x=\"0\" y=\"0\" width=\"" << W << "\" height=\"" << H << "\" fill=\"#fff\"/>\n";
    s << "<text x=\"" << W / 2
      << "\" y=\"18\" text-anchor=\"middle\" font-size=\"14\" "
         "font-weight=\"bold\">"
      << htmlEscape(title) << "</text>\n";
    if (cut)
        s << "<text x=\"4\" y=\"" << H - 6
          << "\" text-anchor=\"start\" font-size=\"10\" fill=\"#555\">" << tr.html(S::AxisCut)
          << "</text>\n";
    // Grid and y ticks.
    for (double v = 0.0; v <= yMax + 1e-9; v += yStep) {
        const double y = yOf(v);
        s << "<line x1=\"" << left << "\" y1=\"" << fixed(y, 1) << "\" x2=\"" << left + pw
          << "\" y2=\"" << fixed(y, 1) << "\" stroke=\"#ddd\"/>\n";
        const std::string label = asPercent ? std::to_string(int(std::lround(v * 100))) + "%"
                                            : fixed(v, yStep < 0.1 ? 2 : (yStep < 1 ? 1 : 0));
        s << "<text x=\"" << left - 6 << "\" y=\"" << fixed(y + 4, 1) << "\" text-anchor=\"end\">"
          << label << "</text>\n";
    }
    // x ticks: at most about 10 labels.
    const std::size_t every = std::max<std::size_t>(1, (epochs + 9) / 10);
    for (std::size_t i = 0; i < epochs; ++i) {
        if (i % every != 0 && i + 1 != epochs) continue;
        const double x = xOf(i);
        s << "<line x1=\"" << fixed(x, 1) << "\" y1=\"" << top + ph << "\" x2=\"" << fixed(x, 1)
          << "\" y2=\"" << top + ph + 4 << "\" stroke=\"#333\"/>\n";
        s << "<text x=\"" << fixed(x, 1) << "\" y=\"" << top + ph + 17
          << "\" text-anchor=\"middle\">" << i + 1 << "</text>\n";
    }
    s << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << pw << "\" height=\"" << ph
      << "\" fill=\"none\" stroke=\"#333\"/>\n";
    s << "<text x=\"" << left + pw / 2 << "\" y=\"" << H - 6 << "\" text-anchor=\"middle\">"
      << tr.html(S::EpochAxis) << "</text>\n";
    // Lines with markers.
    for (const auto& l : lines) {
        std::string points;
        for (std::size_t i = 0; i < l.values.size(); ++i) {
            const auto& v = l.values[i];
            if (!v || !std::isfinite(*v)) continue;
            points += fixed(xOf(i), 1) + "," + fixed(yOf(*v), 1) + " ";
        }
        if (points.empty()) continue;
        s << "<polyline fill=\"none\" stroke=\"" << l.colour << "\" stroke-width=\"2\""
          << (l.dashed ? " stroke-dasharray=\"6 4\"" : "") << " points=\"" << points << "\"><title>"
          << htmlEscape(l.name) << "</title></polyline>\n";
        for (std::size_t i = 0; i < l.values.size(); ++i) {
            const auto& v = l.values[i];
            if (!v || !std::isfinite(*v)) continue;
            s << "<circle cx=\"" << fixed(xOf(i), 1) << "\" cy=\"" << fixed(yOf(*v), 1)
              << "\" r=\"2.6\" fill=\"" << (l.dashed ? "#fff" : l.colour) << "\" stroke=\""
              << l.colour << "\"/>\n";
        }
    }
    s << "</svg>";
    return s.str();
}

std::string legendSwatch(const std::string& colour, bool dashed) {
    return "<svg width=\"26\" height=\"10\" aria-hidden=\"true\"><line x1=\"1\" y1=\"5\" x2=\"25\" "
           "y2=\"5\" stroke=\"" +
           colour + "\" stroke-width=\"2\"" + (dashed ? " stroke-dasharray=\"6 4\"" : "") +
           "/></svg> ";
}

// ---------------------------------------------------------------- one run

struct RunData {
    fs::path dir;
    json config;
    json summary;
    std::vector<EpochRecord> epochs;
    std::vector<std::string> classes;
};

RunData readRun(const fs::path& dir) {
    RunData r;
    r.dir = dir;
    r.config = readJsonFile(dir / "config.json", /*required=*/true);
    r.summary = readJsonFile(dir / "summary.json", /*required=*/false);
    if (fs::exists(dir / "events.jsonl")) r.epochs = readEpochRecords(dir / "events.jsonl");
    const json& classes =
        r.config.contains("data") ? r.config["data"].value("classes", json()) : json();
    if (classes.is_array())
        for (const auto& c : classes)
            r.classes.push_back(c.is_string() ? c.get<std::string>() : "");
    return r;
}

template <typename Get>
std::vector<std::optional<double>> column(const std::vector<EpochRecord>& epochs, Get get) {
    int last = 0;
    for (const auto& e : epochs) last = std::max(last, e.epoch);
    std::vector<std::optional<double>> values(std::size_t(std::max(last, 0)));
    for (const auto& e : epochs)
        if (e.epoch >= 1) values[std::size_t(e.epoch - 1)] = get(e);
    return values;
}

std::string confusionHtml(const Text& tr, const RunData& run) {
    const auto rows = parseCsv(readText(run.dir / "confusion.csv"));
    if (rows.size() < 2) return "<p class=\"note\">" + tr.html(S::NoConfusion) + "</p>\n";
    const std::size_t n = rows.size() - 1;
    std::vector<std::vector<long long>> m(n, std::vector<long long>(n, 0));
    std::vector<std::string> names;
    for (std::size_t t = 0; t < n; ++t) {
        const auto& row = rows[t + 1];
        names.push_back(t < run.classes.size() ? run.classes[t] : (row.empty() ? "" : row[0]));
        for (std::size_t p = 0; p < n && p + 1 < row.size(); ++p)
            m[t][p] = std::atoll(row[p + 1].c_str());
    }
    std::string html =
        "<table class=\"cm\">\n<tr><th class=\"corner\">" + tr.html(S::ConfusionCorner) + "</th>";
    for (const auto& name : names) html += "<th>" + htmlEscape(name) + "</th>";
    html += "<th>" + tr.html(S::ConfusionAccuracy) + "</th></tr>\n";
    for (std::size_t t = 0; t < n; ++t) {
        long long total = 0;
        for (long long c : m[t]) total += c;
        html += "<tr><th>" + htmlEscape(names[t]) + "</th>";
        for (std::size_t p = 0; p < n; ++p) {
            const double f = total > 0 ? double(m[t][p]) / double(total) : 0.0;
            // White to blue for the diagonal, white to red elsewhere.
            const bool diag = t == p;
            const int r = int(255 - f * (255 - (diag ? 31 : 192)));
            const int g = int(255 - f * (255 - (diag ? 95 : 57)));
            const int b = int(255 - f * (255 - (diag ? 168 : 43)));
            char style[96];
            std::snprintf(style, sizeof style, "background:rgb(%d,%d,%d);color:%s", r, g, b,
                          f > 0.5 ? "#fff" : "#111");
            html += std::string("<td style=\"") + style + "\" title=\"" +
                    htmlEscape(tr(S::ConfusionCellTip, {fixed(100 * f, 1), names[t]})) + "\">" +
                    std::to_string(m[t][p]) + "</td>";
        }
        html += "<td class=\"num\">" +
                (total > 0 ? fixed(100.0 * double(m[t][t]) / double(total), 1) + " %"
                           : std::string("–")) +
                "</td></tr>\n";
    }
    html += "</table>\n<p class=\"note\">" + tr.html(S::ConfusionNote) + "</p>\n";
    return html;
}

#ifdef FTS_WITH_OPENCV
std::string thumbnailPng(const RgbImage& image) {
    cv::Mat rgb(image.height, image.width, CV_8UC3, const_cast<std::uint8_t*>(image.pixels.data()));
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    const int longer = std::max(image.width, image.height);
    if (longer > kThumbSize) {
        const double scale = double(kThumbSize) / longer;
        cv::resize(bgr, bgr, cv::Size(), scale, scale, cv::INTER_AREA);
    } else if (longer * 2 <= kThumbSize) {
        const int factor = kThumbSize / longer;  // small images (28 px) shown larger, crisp
        cv::resize(bgr, bgr, cv::Size(), factor, factor, cv::INTER_NEAREST);
    }
    std::vector<std::uint8_t> png;
    if (!cv::imencode(".png", bgr, png)) return {};
    return base64(png);
}
#endif

// The validation source of a run, reopened from config.json's paths (the
// paths as given when training; relative ones from the current folder).
std::unique_ptr<DataSource> openValidationSource(const Text& tr, const RunData& run,
                                                 std::string& why) {
    const json data = run.config.value("data", json::object());
    std::string path = data.value("val_path", std::string());
    if (path.empty()) path = data.value("path", std::string());
    if (path.empty()) {
        why = tr(S::InMemoryData);
        return nullptr;
    }
    try {
        return openDataSource(fs::u8path(path));
    } catch (const std::exception& e) {
        why = tr(S::ValidationDataGone, {e.what()});
        return nullptr;
    }
}

std::string mistakesHtml(const Text& tr, const RunData& run) {
    const auto rows = parseCsv(readText(run.dir / "predictions.csv"));
    struct Wrong {
        std::string item, truth, predicted;
        double confidence = 0.0;
    };
    std::vector<Wrong> wrong;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const auto& r = rows[i];
        if (r.size() < 4 || r[1] == r[2]) continue;
        wrong.push_back({r[0], r[1], r[2], std::atof(r[3].c_str())});
    }
    if (rows.size() < 2) return "<p class=\"note\">" + tr.html(S::NoPredictions) + "</p>\n";
    if (wrong.empty()) return "<p>" + tr.html(S::AllCorrect) + "</p>\n";
    std::stable_sort(wrong.begin(), wrong.end(),
                     [](const Wrong& a, const Wrong& b) { return a.confidence > b.confidence; });
    if (wrong.size() > std::size_t(kMistakes)) wrong.resize(std::size_t(kMistakes));

    std::string note;
    std::unique_ptr<DataSource> source;
    std::unordered_map<std::string, std::size_t> index;
#ifdef FTS_WITH_OPENCV
    source = openValidationSource(tr, run, note);
    if (source)
        for (std::size_t i = 0; i < source->size(); ++i) index.emplace(source->itemName(i), i);
#else
    note = tr(S::NoOpenCv);
#endif
    std::string html = "<div class=\"mistakes\">\n";
    int shown = 0;
    for (const auto& w : wrong) {
        std::string img;
#ifdef FTS_WITH_OPENCV
        const auto found = index.find(w.item);
        if (found != index.end()) {
            try {
                const std::string png = thumbnailPng(source->load(found->second));
                if (!png.empty()) {
                    img = "<img alt=\"" + htmlEscape(w.item) + "\" src=\"data:image/png;base64," +
                          png + "\">";
                    ++shown;
                }
            } catch (const std::exception&) {
                // A file that changed since training: the card without its image.
            }
        }
#endif
        std::string name = w.item;
        const auto slash = name.find_last_of("/\\");
        if (slash != std::string::npos) name = name.substr(slash + 1);
        html += "<div class=\"mistake\" title=\"" + htmlEscape(w.item) + "\">" + img + "<div>" +
                tr.html(S::CardTrue, {"<b>" + htmlEscape(w.truth) + "</b>"}) +
                "</div><div class=\"bad\">" +
                tr.html(S::CardPredicted, {"<b>" + htmlEscape(w.predicted) + "</b>"}) +
                "</div><div>" + tr.html(S::CardConfidence, {fixed(100 * w.confidence, 1)}) +
                "</div><div class=\"meta\">" + htmlEscape(name) + "</div></div>\n";
    }
    html += "</div>\n";
    if (shown == 0 && note.empty()) note = tr(S::ImagesNotFound);
    if (shown == 0)
        html += "<p class=\"note\">" + tr.html(S::ImagesOmitted, {htmlEscape(note)}) + "</p>\n";
    return html;
}

// A --freeze or --augment value: the app's words translated, module lists as they are.
std::string settingWord(const Text& tr, const std::string& value) {
    if (value == "none") return tr(S::ValueNone);
    if (value == "backbone") return tr(S::ValueBackbone);
    if (value == "light") return tr(S::ValueLight);
    if (value == "strong") return tr(S::ValueStrong);
    return value;
}

Rows settingsRows(const Text& tr, const json& c) {
    const json data = c.value("data", json::object());
    const json opt = c.value("optimizer", json::object());
    const json sch = c.value("scheduler", json::object());
    const json weights = c.value("weights", json::object());
    const std::string w = weights.value("file", std::string());
    std::string val = data.value("val_path", std::string());
    if (val.empty() && data.contains("val_split"))
        val = tr(S::HeldOut, {jsonText(data["val_split"])});
    return {
        {S::Model, c.value("model", std::string())},
        {S::StartingWeights, w.empty() ? tr(S::RandomInit) : w},
        {S::Frozen, settingWord(tr, c.value("freeze", std::string()))},
        {S::TrainableParameters,
         tr(S::CountOfTotal, {thousands(c.value("trainable_parameters", 0LL)),
                              thousands(c.value("total_parameters", 0LL))})},
        {S::TrainingData, data.value("train", data.value("path", std::string()))},
        {S::ValidationData, data.value("val", val)},
        {S::Images, tr(S::ImageCounts, {std::to_string(data.value("train_images", 0)),
                                        std::to_string(data.value("val_images", 0))})},
        {S::ImageSize, tr(S::Pixels, {std::to_string(c.value("image_size", 0))})},
        {S::Augmentation, settingWord(tr, c.value("augment", std::string()))},
        {S::Epochs, std::to_string(c.value("epochs", 0))},
        {S::BatchSize, std::to_string(c.value("batch_size", 0))},
        {S::Optimizer,
         tr(S::OptimizerValue, {opt.value("name", std::string()), jsonText(opt.value("lr", json())),
                                jsonText(opt.value("backbone_lr_scale", json())),
                                jsonText(opt.value("weight_decay", json()))})},
        {S::Schedule, sch.value("name", std::string())},
        {S::Seed, jsonText(c.value("seed", json()))},
        {S::Device, tr(S::DeviceValue,
                       {c.value("device", std::string()), std::to_string(c.value("threads", 0))})},
    };
}

std::string header(const Text& tr, const std::string& title) {
    return "<!DOCTYPE html>\n<html lang=\"" + htmlEscape(tr.htmlLang()) +
           "\">\n<head>\n<meta charset=\"utf-8\">\n<meta "
           "name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
           htmlEscape(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
}

std::string generatedLine(const Text& tr) {
    const std::time_t now = std::time(nullptr);
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%d %H:%M", std::localtime(&now));
    return "<p class=\"meta\">" + tr.html(S::Written, {FTS_VERSION_STRING, date}) + "</p>\n";
}

// A status word of summary.json / experiment.json, translated when known.
std::string statusWord(const Text& tr, const std::string& status) {
    if (status == "completed") return tr(S::StatusCompleted);
    if (status == "cancelled") return tr(S::StatusCancelled);
    if (status == "failed") return tr(S::StatusFailed);
    if (status == "unknown") return tr(S::StatusUnknown);
    return status;
}

std::string runCharts(const Text& tr, const RunData& run) {
    if (run.epochs.empty()) return "<p class=\"note\">" + tr.html(S::NoEpoch) + "</p>\n";
    const std::string c0 = kColours[0], c1 = kColours[1];
    const std::string training = tr(S::Training), validation = tr(S::Validation);
    const std::vector<Line> loss{
        {training, c0, true, column(run.epochs, [](const EpochRecord& e) { return e.trainLoss; })},
        {validation, c1, false,
         column(run.epochs, [](const EpochRecord& e) { return e.valLoss; })}};
    const std::vector<Line> acc{
        {training, c0, true,
         column(run.epochs, [](const EpochRecord& e) { return e.trainAccuracy; })},
        {validation, c1, false,
         column(run.epochs, [](const EpochRecord& e) { return e.valAccuracy; })}};
    const std::string legend = "<div class=\"legend\"><span>" + legendSwatch(c0, true) +
                               escapeText(training) + "</span><span>" + legendSwatch(c1, false) +
                               escapeText(validation) + "</span></div>";
    return "<div class=\"charts\"><div class=\"chart\">" +
           svgChart(tr, tr(S::LossChart), loss, false) + legend + "</div><div class=\"chart\">" +
           svgChart(tr, tr(S::AccuracyChart), acc, true) + legend + "</div></div>\n";
}

}  // namespace

std::string htmlEscape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

bool htmlReportThumbnailsAvailable() {
#ifdef FTS_WITH_OPENCV
    return true;
#else
    return false;
#endif
}

std::string runReportHtml(const fs::path& runDir, const ReportLanguage& language) {
    const Text tr(language);
    const RunData run = readRun(runDir);
    const std::string model = run.config.value("model", tr(S::ModelFallback));
    const std::string title =
        tr(S::RunTitle, {model, fs::absolute(runDir).lexically_normal().filename().u8string()});
    std::string html = header(tr, title);
    html += "<h1>" + htmlEscape(title) + "</h1>\n" + generatedLine(tr);
    const json& s = run.summary;
    if (s.is_object()) {
        const auto bold = [](const std::string& text) { return "<b>" + text + "</b>"; };
        html +=
            "<p>" +
            tr.html(S::StatusSentence,
                    {bold(htmlEscape(statusWord(tr, s.value("status", std::string("unknown"))))),
                     bold(percent(s.value("final_val_accuracy", json()))),
                     bold(percent(s.value("best_val_accuracy", json()))),
                     std::to_string(s.value("epochs_completed", 0)),
                     htmlEscape(seconds(tr, s.value("wall_seconds", json())))}) +
            "</p>\n";
        const std::string error = s.value("error", std::string());
        if (!error.empty()) html += "<p class=\"bad\">" + htmlEscape(error) + "</p>\n";
    }
    html += "<h2>" + tr.html(S::SettingsHeading) + "</h2>\n" +
            kvTable(tr, settingsRows(tr, run.config));
    html += "<h2>" + tr.html(S::TrainingCurves) + "</h2>\n" + runCharts(tr, run);
    html += "<p class=\"note\">" + tr.html(S::CurvesNote) + "</p>\n";
    html += "<h2>" + tr.html(S::ConfusionHeading) + "</h2>\n" + confusionHtml(tr, run);
    html += "<h2>" + tr.html(S::MistakesHeading) + "</h2>\n" + mistakesHtml(tr, run);
    html += "</body>\n</html>\n";
    return html;
}

std::string experimentReportHtml(const fs::path& experimentDir, const ReportLanguage& language) {
    const Text tr(language);
    const fs::path file = experimentDir / "experiment.json";
    const json doc = readJsonFile(file, /*required=*/true);
    if (!doc.is_object() || !doc.value("strategies", json()).is_array())
        throw Error(displayPath(file) +
                    ": has no strategies; it is not an experiment file of "
                    "this app, or it is damaged");
    const json& strategies = doc["strategies"];
    const std::string model = doc.value("model", tr(S::ModelFallback));
    const std::string title = tr(S::ExperimentTitle, {model});
    std::string html = header(tr, title);
    html += "<h1>" + htmlEscape(title) + "</h1>\n" + generatedLine(tr);
    html += "<p>" + tr.html(S::ExperimentIntro) + "</p>\n";
    // A strategy's title (experimentStrategyTitle's English in experiment.json), translated.
    const auto strategyTitle = [&](const json& s) {
        return tr.known(s.value("title", s.value("name", std::string())));
    };

    std::vector<std::string> differs;
    for (const auto& d : doc.value("differs", json::array()))
        if (d.is_string()) differs.push_back(d.get<std::string>());
    const std::map<std::string, std::string> differsTitle{
        {"freeze", tr(S::DiffersFrozen)},
        {"weights", tr(S::DiffersWeights)},
        {"backbone_lr_scale", tr(S::DiffersBackboneLr)},
        {"lr", tr(S::DiffersLr)},
        {"augment", tr(S::DiffersAugment)}};

    // Results table; the best final accuracy in bold.
    double bestFinal = -1;
    for (const auto& s : strategies)
        if (s.value("final_val_accuracy", json()).is_number())
            bestFinal = std::max(bestFinal, s["final_val_accuracy"].get<double>());
    html += "<h2>" + tr.html(S::ResultsHeading) + "</h2>\n<table class=\"results\">\n<tr>";
    for (const S column :
         {S::ColumnStrategy, S::ColumnFinal, S::ColumnBest, S::ColumnTime, S::ColumnTrainable})
        html += "<th>" + tr.html(column) + "</th>";
    for (const auto& d : differs)
        html += "<th>" + htmlEscape(differsTitle.count(d) ? differsTitle.at(d) : d) + "</th>";
    html += "</tr>\n";
    for (std::size_t i = 0; i < strategies.size(); ++i) {
        const json& s = strategies[i];
        const std::string colour = kColours[i % 6];
        const json fin = s.value("final_val_accuracy", json());
        const bool top = fin.is_number() && fin.get<double>() >= bestFinal;
        html += "<tr><td class=\"strategy\">" + legendSwatch(colour, false) +
                htmlEscape(strategyTitle(s)) + "</td>";
        html +=
            std::string("<td class=\"num") + (top ? " best" : "") + "\">" + percent(fin) +
            "</td><td class=\"num\">" + percent(s.value("best_val_accuracy", json())) +
            "</td><td class=\"num\">" + htmlEscape(seconds(tr, s.value("wall_seconds", json()))) +
            "</td><td class=\"num\">" + thousands(s.value("trainable_parameters", 0LL)) + "</td>";
        const json settings = s.value("settings", json::object());
        for (const auto& d : differs) {
            std::string value = jsonText(settings.value(d, json()));
            if (d == "weights")  // the file is in the shared settings
                value = value.rfind("pretrained", 0) == 0 ? tr(S::WeightsPretrained)
                                                          : tr(S::WeightsRandom);
            if (d == "freeze" || d == "augment") value = settingWord(tr, value);
            if (d == "freeze")  // let long module lists wrap
                for (auto p = value.find(','); p != std::string::npos; p = value.find(',', p + 2))
                    value.insert(p + 1, " ");
            html += "<td>" + htmlEscape(value) + "</td>";
        }
        html += "</tr>\n";
        const std::string status = s.value("status", std::string());
        if (status != "completed")
            html += "<tr><td colspan=\"" + std::to_string(5 + differs.size()) +
                    "\" class=\"bad\">" +
                    htmlEscape(tr(S::StatusWithError,
                                  {statusWord(tr, status), s.value("error", std::string())})) +
                    "</td></tr>\n";
    }
    html += "</table>\n";

    // Shared settings (from the first run's config.json: they are the same for all).
    RunData first;
    bool haveFirst = false;
    std::vector<RunData> runs;
    for (const auto& s : strategies) {
        const fs::path dir =
            experimentDir / fs::u8path(s.value("run_dir", s.value("name", std::string())));
        try {
            runs.push_back(readRun(dir));
        } catch (const std::exception&) {
            runs.emplace_back();
            runs.back().dir = dir;
        }
        if (!haveFirst && runs.back().config.is_object()) {
            first = runs.back();
            haveFirst = true;
        }
    }
    if (haveFirst) {
        Rows shared;
        for (const auto& row : settingsRows(tr, first.config))
            if (row.first != S::StartingWeights && row.first != S::Frozen &&
                row.first != S::TrainableParameters && row.first != S::Optimizer)
                shared.push_back(row);
        const json opt = first.config.value("optimizer", json::object());
        // lr and augmentation as the experiment's shared recipe (a strategy may have its own).
        for (auto& row : shared)
            if (row.first == S::Augmentation && doc.value("augment", json()).is_string())
                row.second = settingWord(tr, doc["augment"].get<std::string>());
        // A setting the strategies do not share is in the results table only.
        if (std::find(differs.begin(), differs.end(), "augment") != differs.end())
            shared.erase(std::remove_if(shared.begin(), shared.end(),
                                        [](const auto& row) { return row.first == S::Augmentation; }),
                         shared.end());
        shared.push_back({S::Optimizer, tr(S::SharedOptimizerValue,
                                           {opt.value("name", std::string()),
                                            jsonText(doc.value("lr", opt.value("lr", json()))),
                                            jsonText(opt.value("weight_decay", json()))})});
        const std::string weights = doc.value("weights", std::string());
        if (!weights.empty()) shared.insert(shared.begin() + 1, {S::PretrainedWeights, weights});
        html += "<h2>" + tr.html(S::SharedSettingsHeading) + "</h2>\n" + kvTable(tr, shared);
    }

    // Overlaid curves: validation solid, training dashed, one colour per strategy.
    std::vector<Line> valAcc, valLoss, trainAcc, trainLoss;
    std::string legend = "<div class=\"legend\">";
    for (std::size_t i = 0; i < strategies.size(); ++i) {
        const json& s = strategies[i];
        const std::string colour = kColours[i % 6];
        const std::string name = strategyTitle(s);
        std::vector<std::optional<double>> va, vl, ta, tl;
        for (const auto& e : s.value("epochs", json::array())) {
            const int epoch = e.value("epoch", 0);
            if (epoch < 1 || epoch > 100000) continue;
            for (auto* v : {&va, &vl, &ta, &tl})
                if (v->size() < std::size_t(epoch)) v->resize(std::size_t(epoch));
            const auto get = [&](const char* key) -> std::optional<double> {
                const json value = e.value(key, json());
                if (value.is_number()) return value.get<double>();
                return std::nullopt;
            };
            va[std::size_t(epoch - 1)] = get("val_accuracy");
            vl[std::size_t(epoch - 1)] = get("val_loss");
            ta[std::size_t(epoch - 1)] = get("train_accuracy");
            tl[std::size_t(epoch - 1)] = get("train_loss");
        }
        valAcc.push_back({name, colour, false, va});
        valLoss.push_back({name, colour, false, vl});
        trainAcc.push_back({name, colour, true, ta});
        trainLoss.push_back({name, colour, true, tl});
        legend += "<span>" + legendSwatch(colour, false) + htmlEscape(name) + "</span>";
    }
    legend += "</div>";
    const std::string trainLegend =
        "<div class=\"legend\"><span>" + tr.html(S::BothLegend) + "</span></div>";
    std::vector<Line> accBoth = trainAcc, lossBoth = trainLoss;
    accBoth.insert(accBoth.end(), valAcc.begin(), valAcc.end());
    lossBoth.insert(lossBoth.end(), valLoss.begin(), valLoss.end());
    html +=
        "<h2>" + tr.html(S::CurvesHeading) + "</h2>\n<div class=\"charts\"><div class=\"chart\">" +
        svgChart(tr, tr(S::ValidationAccuracyChart), valAcc, true) + legend +
        "</div><div class=\"chart\">" + svgChart(tr, tr(S::ValidationLossChart), valLoss, false) +
        legend + "</div><div class=\"chart\">" +
        svgChart(tr, tr(S::AccuracyBothChart), accBoth, true) + legend + trainLegend +
        "</div><div class=\"chart\">" + svgChart(tr, tr(S::LossBothChart), lossBoth, false) +
        legend + trainLegend + "</div></div>\n";

    // Per strategy: confusion matrix and mistakes.
    for (std::size_t i = 0; i < strategies.size(); ++i) {
        const json& s = strategies[i];
        html += "<h2>" + htmlEscape(strategyTitle(s)) + "</h2>\n";
        if (!runs[i].config.is_object()) {
            html += "<p class=\"note\">" +
                    tr.html(S::RunDirUnreadable, {htmlEscape(displayPath(runs[i].dir))}) + "</p>\n";
            continue;
        }
        html += "<h3>" + tr.html(S::ConfusionHeading) + "</h3>\n" + confusionHtml(tr, runs[i]);
        html += "<h3>" + tr.html(S::MistakesHeading) + "</h3>\n" + mistakesHtml(tr, runs[i]);
    }
    html += "</body>\n</html>\n";
    return html;
}

const std::vector<const char*>& reportSourceStrings() {
    return sourceStrings();
}

void writeRunReport(const fs::path& runDir, const fs::path& outFile,
                    const ReportLanguage& language) {
    const std::string html = runReportHtml(runDir, language);
    writeFileAtomically(outFile, html.data(), html.size());
}

void writeExperimentReport(const fs::path& experimentDir, const fs::path& outFile,
                           const ReportLanguage& language) {
    const std::string html = experimentReportHtml(experimentDir, language);
    writeFileAtomically(outFile, html.data(), html.size());
}

}  // namespace fts
