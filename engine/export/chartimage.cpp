#include "export/chartimage.h"

#include "core/error.h"
#include "core/fileio.h"

#ifdef FTS_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace fs = std::filesystem;

namespace fts {

bool chartImagesAvailable() {
#ifdef FTS_WITH_OPENCV
    return true;
#else
    return false;
#endif
}

#ifdef FTS_WITH_OPENCV
namespace {

constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
constexpr double kTextScale = 0.5;
constexpr double kTitleScale = 0.7;

cv::Scalar bgr(const std::array<std::uint8_t, 3>& rgb) {
    return cv::Scalar(rgb[2], rgb[1], rgb[0]);
}

// A "nice" step (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` intervals.
double niceStep(double range, int ticks) {
    if (!(range > 0)) return 1.0;
    const double raw = range / ticks;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (raw <= m * power) return m * power;
    return 10.0 * power;
}

std::string tickText(double v, double step, bool percent) {
    char buf[32];
    if (percent) {
        std::snprintf(buf, sizeof buf, "%g%%", std::round(v * 1000.0) / 10.0);
    } else {
        const int decimals = step >= 1.0 ? 0 : std::min(4, int(std::ceil(-std::log10(step))) + 1);
        std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
        // 0.50 -> 0.5: keep the digits the step needs, no more.
        std::string s = buf;
        if (s.find('.') != std::string::npos) {
            while (!s.empty() && s.back() == '0') s.pop_back();
            if (!s.empty() && s.back() == '.') s.pop_back();
        }
        return s;
    }
    return buf;
}

void putText(cv::Mat& img, const std::string& text, cv::Point origin, double scale,
             const cv::Scalar& color, int thickness = 1) {
    cv::putText(img, text, origin, kFont, scale, color, thickness, cv::LINE_AA);
}

cv::Size textSize(const std::string& text, double scale, int thickness = 1) {
    int baseline = 0;
    return cv::getTextSize(text, kFont, scale, thickness, &baseline);
}

}  // namespace

std::vector<std::uint8_t> renderEpochChart(const EpochChart& c) {
    const int w = std::max(320, c.width);
    const int h = std::max(240, c.height);
    cv::Mat img(h, w, CV_8UC3, cv::Scalar(255, 255, 255));
    const cv::Scalar ink(40, 40, 40), grid(225, 225, 225), muted(110, 110, 110);

    // Plot area; the band above it holds the title and the legend.
    const int left = 78, right = w - 24, top = 64, bottom = h - 56;

    // Value range: accuracy always 0-100 %; otherwise 0 (or the minimum when
    // negative) to a nice maximum.
    double lo = 0.0, hi = 1.0;
    bool any = false;
    for (const auto& s : c.series)
        for (const auto& v : s.values)
            if (v) {
                if (!any) lo = hi = *v;
                lo = std::min(lo, *v);
                hi = std::max(hi, *v);
                any = true;
            }
    if (c.percent) {
        lo = 0.0;
        hi = 1.0;
    } else {
        lo = std::min(0.0, lo);
        if (!any || hi <= lo) hi = lo + 1.0;
    }
    const double yStep = niceStep(hi - lo, 5);
    lo = std::floor(lo / yStep) * yStep;
    hi = std::ceil(hi / yStep - 1e-9) * yStep;

    const int firstEpoch =
        c.epochs.empty() ? 1 : *std::min_element(c.epochs.begin(), c.epochs.end());
    const int lastEpoch =
        c.epochs.empty() ? 1 : *std::max_element(c.epochs.begin(), c.epochs.end());
    // One epoch: put it in the middle rather than on an edge.
    const double xLo = lastEpoch > firstEpoch ? firstEpoch : firstEpoch - 1.0;
    const double xHi = lastEpoch > firstEpoch ? lastEpoch : lastEpoch + 1.0;
    auto px = [&](double x) { return left + (x - xLo) / (xHi - xLo) * (right - left); };
    auto py = [&](double y) { return bottom - (y - lo) / (hi - lo) * (bottom - top); };

    // Horizontal grid and y ticks.
    for (double y = lo; y <= hi + yStep * 1e-6; y += yStep) {
        const int yy = int(std::lround(py(y)));
        cv::line(img, {left, yy}, {right, yy}, grid, 1, cv::LINE_AA);
        cv::line(img, {left - 5, yy}, {left, yy}, ink, 1, cv::LINE_AA);
        const std::string t = tickText(y, yStep, c.percent);
        const cv::Size ts = textSize(t, kTextScale);
        putText(img, t, {left - 9 - ts.width, yy + ts.height / 2}, kTextScale, ink);
    }
    // x ticks at whole epochs.
    const double xStep = std::max(1.0, std::round(niceStep(xHi - xLo, 8)));
    for (double x = std::ceil(xLo / xStep) * xStep; x <= xHi + 1e-9; x += xStep) {
        if (x < 1.0) continue;
        const int xx = int(std::lround(px(x)));
        cv::line(img, {xx, bottom}, {xx, bottom + 5}, ink, 1, cv::LINE_AA);
        const std::string t = std::to_string(int(x));
        const cv::Size ts = textSize(t, kTextScale);
        putText(img, t, {xx - ts.width / 2, bottom + 10 + ts.height}, kTextScale, ink);
    }
    // Axes.
    cv::line(img, {left, top}, {left, bottom}, ink, 1, cv::LINE_AA);
    cv::line(img, {left, bottom}, {right, bottom}, ink, 1, cv::LINE_AA);
    const cv::Size xl = textSize("epoch", kTextScale);
    putText(img, "epoch", {(left + right - xl.width) / 2, h - 12}, kTextScale, muted);
    putText(img, c.yLabel, {12, top - 12}, kTextScale, muted);
    putText(img, c.title, {12, 28}, kTitleScale, ink, 2);

    // Series: lines between consecutive recorded points, a dot on each.
    for (const auto& s : c.series) {
        const cv::Scalar color = bgr(s.rgb);
        std::optional<cv::Point> previous;
        for (std::size_t i = 0; i < s.values.size() && i < c.epochs.size(); ++i) {
            if (!s.values[i]) {
                previous.reset();
                continue;
            }
            const cv::Point p(int(std::lround(px(c.epochs[i]))),
                              int(std::lround(py(*s.values[i]))));
            if (previous) cv::line(img, *previous, p, color, 2, cv::LINE_AA);
            cv::circle(img, p, 4, color, cv::FILLED, cv::LINE_AA);
            previous = p;
        }
    }

    // Legend, right-aligned in the band above the plot.
    int x = right;
    for (auto it = c.series.rbegin(); it != c.series.rend(); ++it) {
        const cv::Size ts = textSize(it->name, kTextScale);
        x -= ts.width;
        putText(img, it->name, {x, 34}, kTextScale, ink);
        x -= 30;
        cv::line(img, {x, 30}, {x + 22, 30}, bgr(it->rgb), 2, cv::LINE_AA);
        cv::circle(img, {x + 11, 30}, 4, bgr(it->rgb), cv::FILLED, cv::LINE_AA);
        x -= 18;
    }

    std::vector<std::uint8_t> png;
    cv::imencode(".png", img, png);
    return png;
}

std::vector<fs::path> writeTrainingCharts(const fs::path& outDir,
                                          const std::vector<EpochRecord>& epochs) {
    if (epochs.empty()) return {};
    EpochChart loss;
    loss.title = "Loss per epoch";
    loss.yLabel = "cross-entropy loss";
    EpochChart accuracy;
    accuracy.title = "Accuracy per epoch";
    accuracy.yLabel = "accuracy";
    accuracy.percent = true;
    const std::array<std::uint8_t, 3> blue{{31, 119, 180}}, orange{{255, 127, 14}};
    ChartSeries trainLoss{"training", {}, blue}, valLoss{"validation", {}, orange};
    ChartSeries trainAcc{"training", {}, blue}, valAcc{"validation", {}, orange};
    for (const auto& r : epochs) {
        loss.epochs.push_back(r.epoch);
        accuracy.epochs.push_back(r.epoch);
        trainLoss.values.push_back(r.trainLoss);
        valLoss.values.push_back(r.valLoss);
        trainAcc.values.push_back(r.trainAccuracy);
        valAcc.values.push_back(r.valAccuracy);
    }
    loss.series = {trainLoss, valLoss};
    accuracy.series = {trainAcc, valAcc};

    std::vector<fs::path> written;
    for (const auto& [name, chart] :
         {std::make_pair("loss.png", &loss), std::make_pair("accuracy.png", &accuracy)}) {
        const std::vector<std::uint8_t> png = renderEpochChart(*chart);
        writeFileAtomically(outDir / name, png.data(), png.size());
        written.push_back(outDir / name);
    }
    return written;
}

#else

std::vector<std::uint8_t> renderEpochChart(const EpochChart&) {
    throw Error("this build has no OpenCV (FTS_WITH_OPENCV=OFF), so it cannot draw charts");
}

std::vector<fs::path> writeTrainingCharts(const fs::path&, const std::vector<EpochRecord>&) {
    return {};
}

#endif

}  // namespace fts
