#pragma once

// Torch-free: a self-contained HTML report of a run or an experiment for a
// class (settings, curves as inline SVG, the confusion matrix, the most
// confidently wrong validation images as inline PNG). No external resources:
// it opens offline and prints on paper.

#include <filesystem>
#include <string>
#include <string_view>

namespace fts {

/// Text escaped for HTML element content and attribute values (& < > " ').
std::string htmlEscape(std::string_view text);

/// True when reports can hold image thumbnails (the build has OpenCV).
bool htmlReportThumbnailsAvailable();

/// The report of one run directory (config.json, summary.json, events.jsonl,
/// confusion.csv, predictions.csv). Thumbnails are read from the run's
/// validation data (config.json's data paths) when they can still be opened;
/// otherwise the report says why there are none. Throws fts::Error naming
/// the run directory when it has no config.json.
std::string runReportHtml(const std::filesystem::path& runDir);

/// The report of an experiment folder (experiment.json and its run
/// directories): the strategies' curves overlaid, a results table, the
/// settings that differ, and each strategy's confusion matrix and mistakes.
/// Throws fts::Error naming experiment.json when it is missing or damaged.
std::string experimentReportHtml(const std::filesystem::path& experimentDir);

/// The above, written atomically to outFile. Throws fts::Error naming the file.
void writeRunReport(const std::filesystem::path& runDir, const std::filesystem::path& outFile);
void writeExperimentReport(const std::filesystem::path& experimentDir,
                           const std::filesystem::path& outFile);

}  // namespace fts
