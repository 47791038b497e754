#pragma once

// Torch-free: the run's curves as PNG files, drawn with OpenCV (no Qt), so the
// CLI's export has them too.

#include "export/metricscsv.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fts {

/// One line of a chart: a value per epoch (empty: no point there).
struct ChartSeries {
    std::string name;  // legend text (ASCII: OpenCV's Hershey font has no other glyphs)
    std::vector<std::optional<double>> values;
    std::array<std::uint8_t, 3> rgb{{0, 0, 0}};
};

struct EpochChart {
    std::string title;
    std::string yLabel;
    std::vector<int> epochs;  // the x value of each entry of the series' values
    std::vector<ChartSeries> series;
    bool percent = false;  // values are fractions 0..1, axis shows 0-100 %
    int width = 800;       // pixels
    int height = 480;
};

/// Draws the chart (axes, ticks, grid, a line with markers per series, a
/// legend) as PNG bytes. Throws fts::Error when this build has no OpenCV.
std::vector<std::uint8_t> renderEpochChart(const EpochChart& chart);

/// loss.png (train and validation loss per epoch) and accuracy.png (train and
/// validation accuracy) in outDir, written atomically. Returns the files
/// written: none when there are no epochs or the build has no OpenCV.
std::vector<std::filesystem::path> writeTrainingCharts(const std::filesystem::path& outDir,
                                                       const std::vector<EpochRecord>& epochs);

/// True when this build can draw charts (built with OpenCV).
bool chartImagesAvailable();

}  // namespace fts
