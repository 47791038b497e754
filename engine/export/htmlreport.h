#pragma once

// Torch-free: a self-contained HTML report of a run or an experiment for a
// class (settings, curves as inline SVG, the confusion matrix, the most
// confidently wrong validation images as inline PNG). No external resources:
// it opens offline and prints on paper.

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace fts {

/// The language a report is written in. Every visible string of a report is
/// one of reportSourceStrings(), passed through `translate` (whole sentences;
/// "{1}".."{9}" are numbered placeholders a translation may reorder; the
/// result is plain text, escaped by the report). Numbers and dates stay
/// locale-neutral. `translate` is called on the thread that writes the report
/// and must be safe there; an empty result keeps the English.
struct ReportLanguage {
    std::string htmlLang = "en";                                // <html lang="...">, a BCP 47 tag
    std::function<std::string(const char* english)> translate;  // null: English
};

/// Every English string a report can contain (the one table the report draws
/// its text from, in a fixed order), for translation tools and tests.
const std::vector<const char*>& reportSourceStrings();

/// Text escaped for HTML element content and attribute values (& < > " ').
std::string htmlEscape(std::string_view text);

/// True when reports can hold image thumbnails (the build has OpenCV).
bool htmlReportThumbnailsAvailable();

/// The report of one run directory (config.json, summary.json, events.jsonl,
/// confusion.csv, predictions.csv). Thumbnails are read from the run's
/// validation data (config.json's data paths) when they can still be opened;
/// otherwise the report says why there are none. Throws fts::Error naming
/// the run directory when it has no config.json.
std::string runReportHtml(const std::filesystem::path& runDir,
                          const ReportLanguage& language = ReportLanguage());

/// The report of an experiment folder (experiment.json and its run
/// directories): the strategies' curves overlaid, a results table, the
/// settings that differ, and each strategy's confusion matrix and mistakes.
/// Throws fts::Error naming experiment.json when it is missing or damaged.
std::string experimentReportHtml(const std::filesystem::path& experimentDir,
                                 const ReportLanguage& language = ReportLanguage());

/// The above, written atomically to outFile. Throws fts::Error naming the file.
void writeRunReport(const std::filesystem::path& runDir, const std::filesystem::path& outFile,
                    const ReportLanguage& language = ReportLanguage());
void writeExperimentReport(const std::filesystem::path& experimentDir,
                           const std::filesystem::path& outFile,
                           const ReportLanguage& language = ReportLanguage());

}  // namespace fts
