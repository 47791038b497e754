#pragma once

// The dataset health check run before training: unreadable files, class
// imbalance, tiny classes, and exact or near-duplicate images within and
// across the training and validation sets (leakage), with label conflicts.
// Torch-free: the GUI and the CLI include it directly.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace fts {

class DataSource;
struct RgbImage;

/// A 64-bit DCT perceptual hash (pHash) of an image: the image is turned to
/// grayscale and averaged down to 32 x 32, its 2-D DCT taken, and each of the
/// 8 x 8 lowest frequencies becomes one bit (1 when above their median, DC
/// left out of the median). Re-encoding, mild resizing and small colour
/// changes move few bits; different images differ in about half of them.
struct PerceptualHash {
    std::uint64_t bits = 0;
    /// False for (nearly) flat images: their low frequencies are all ~0 and
    /// the bits are noise, so they take part in exact-duplicate search only.
    bool reliable = false;
};

PerceptualHash perceptualHash(const RgbImage& image);

/// Number of differing bits of two hashes (0..64).
int hammingDistance(std::uint64_t a, std::uint64_t b);

/// A hash of the decoded pixels (width, height, RGB bytes): equal for exact
/// copies, whatever their file names or formats (a PNG and its BMP copy).
std::uint64_t pixelHash(const RgbImage& image);

enum class HealthWarningKind {
    UnreadableFile,  // a file the loader would skip (scan problem or decode failure)
    EmptyClass,      // a class folder without a single usable image
    TinyClass,       // fewer than minClassImages, or below a fraction of the median
    ClassImbalance,  // largest / smallest class above imbalanceRatio
    ExactDuplicate,  // identical pixels, within one set
    NearDuplicate,   // perceptual hashes within nearDuplicateDistance, within one set
    TrainValLeak,    // the same (or a near-identical) image in training and validation
    LabelConflict,   // the same (or a near-identical) image under different classes
};

enum class HealthSeverity { Info, Warning, Problem };

/// Stable identifiers for JSON ("unreadable-file", "train-val-leak", ...)
/// and display ("info", "warning", "problem").
const char* healthWarningKindId(HealthWarningKind kind);
const char* healthSeverityId(HealthSeverity severity);

enum class HealthSet { Training, Validation };

/// One file a warning is about.
struct HealthFile {
    std::string item;       // DataSource::itemName(): a path or "file#record"
    std::string className;  // empty when not known (a scan problem)
    HealthSet set = HealthSet::Training;
    std::size_t index = 0;  // into the set's DataSource; meaningless for scan problems
};

struct HealthWarning {
    HealthWarningKind kind = HealthWarningKind::UnreadableFile;
    HealthSeverity severity = HealthSeverity::Warning;
    std::string message;  // one English sentence, naming what to do
    std::vector<HealthFile> files;
};

struct HealthCheckOptions {
    /// With no separate validation source: the fraction held out as the
    /// Trainer does it (stratifiedSplit with `seed`); 0 checks the training
    /// data alone.
    double valSplit = 0.0;
    std::uint64_t seed = 42;
    double imbalanceRatio = 10.0;     // largest / smallest class above this warns
    std::size_t minClassImages = 5;   // a class with fewer training images is tiny
    double tinyMedianFraction = 0.1;  // ... or with fewer than this x the median class
    int nearDuplicateDistance = 6;    // Hamming distance on the 64-bit pHash; < 0: off
    /// ... and at least this correlation of the 16 x 16 grayscale thumbnails
    /// (a second look that keeps look-alike silhouettes apart).
    double nearDuplicateCorrelation = 0.98;
    bool findDuplicates = true;          // false: decode nothing, counts and scan problems only
    int threads = 0;                     // decode workers; 0: hardware threads (at most 8)
    std::size_t bruteForceLimit = 4096;  // up to this many hashes: all pairs; above: bands
};

/// Images per class of one set, indexed like its classNames().
struct HealthClassCounts {
    std::vector<std::string> classNames;
    std::vector<std::size_t> counts;
};

struct HealthReport {
    HealthClassCounts training;
    HealthClassCounts validation;  // empty when there is no validation set
    bool validationIsSplit = false;
    std::size_t trainingImages = 0;
    std::size_t validationImages = 0;
    std::size_t unreadable = 0;           // files that cannot be decoded, both sets
    std::size_t leakedValidation = 0;     // validation images with a copy in training
    double imbalance = 0.0;               // largest / smallest non-empty training class
    std::vector<HealthWarning> warnings;  // most severe first
    bool cancelled = false;               // stopped early: counts are complete, duplicates not
};

/// Called from worker threads, one call at a time: `done` of `total` images
/// decoded and hashed.
using HealthProgress = std::function<void(std::size_t done, std::size_t total)>;

/// Checks `training` and `validation` (null: none, or the split of
/// options.valSplit). Decodes every image once on options.threads workers;
/// `cancel` (optional) is polled between images. Never throws for a bad
/// image (it becomes an UnreadableFile warning); throws fts::Error for bad
/// options. Blocking; call it on a worker thread in a GUI.
HealthReport checkDatasetHealth(const DataSource& training, const DataSource* validation,
                                const HealthCheckOptions& options = {},
                                const HealthProgress& progress = {},
                                const std::atomic<bool>* cancel = nullptr);

/// A one-line English summary: "1200 training and 300 validation images;
/// 3 problems, 2 warnings".
std::string healthSummaryLine(const HealthReport& report);

}  // namespace fts
