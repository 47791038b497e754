#include "data/healthcheck.h"

#include "core/error.h"
#include "data/datasource.h"
#include "data/imagedecode.h"
#include "data/split.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <mutex>
#include <numeric>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>

namespace fts {
namespace {

constexpr int kHashSide = 32;  // grayscale grid the DCT is taken of
constexpr int kLowFreq = 8;    // 8 x 8 lowest frequencies = 64 bits
// Below this variance (in squared 8-bit gray levels) of the 32 x 32 grid the
// image is flat: its DCT bits would be rounding noise.
constexpr double kFlatVariance = 4.0;
// How many files a tiny-class warning lists at most.
constexpr std::size_t kMaxClassFiles = 50;

const std::array<std::array<double, kHashSide>, kLowFreq>& dctTable() {
    static const auto table = [] {
        std::array<std::array<double, kHashSide>, kLowFreq> t{};
        const double pi = std::acos(-1.0);
        for (int u = 0; u < kLowFreq; ++u)
            for (int x = 0; x < kHashSide; ++x)
                t[u][x] = std::cos((2.0 * x + 1.0) * u * pi / (2.0 * kHashSide));
        return t;
    }();
    return table;
}

// The 32 x 32 grid averaged down to 16 x 16, zero mean and unit length: two
// pHash neighbours count as near duplicates only when their signatures also
// correlate closely (small objects on a plain background, as Fashion-MNIST,
// share many low-frequency bits without being the same picture).
constexpr int kSigSide = 16;
using Signature = std::array<float, kSigSide * kSigSide>;
using Grid = std::array<std::array<double, kHashSide>, kHashSide>;

Grid grayGrid(const RgbImage& image) {
    const int w = image.width, h = image.height;
    // Grayscale, area-averaged to 32 x 32 (each cell at least one pixel, so
    // images smaller than 32 px are sampled rather than left with holes).
    Grid grid{};
    for (int oy = 0; oy < kHashSide; ++oy) {
        const int y0 = oy * h / kHashSide;
        const int y1 = std::max(y0 + 1, (oy + 1) * h / kHashSide);
        for (int ox = 0; ox < kHashSide; ++ox) {
            const int x0 = ox * w / kHashSide;
            const int x1 = std::max(x0 + 1, (ox + 1) * w / kHashSide);
            double sum = 0.0;
            for (int y = y0; y < y1; ++y) {
                const std::uint8_t* p = image.pixels.data() + (std::size_t(y) * w + x0) * 3;
                for (int x = x0; x < x1; ++x, p += 3)
                    sum += 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
            }
            grid[oy][ox] = sum / double((y1 - y0) * (x1 - x0));
        }
    }
    return grid;
}

Signature signatureOf(const Grid& grid) {
    Signature sig{};
    double mean = 0.0;
    for (int y = 0; y < kSigSide; ++y)
        for (int x = 0; x < kSigSide; ++x) {
            const double v = (grid[2 * y][2 * x] + grid[2 * y][2 * x + 1] + grid[2 * y + 1][2 * x] +
                              grid[2 * y + 1][2 * x + 1]) /
                             4.0;
            sig[y * kSigSide + x] = float(v);
            mean += v;
        }
    mean /= sig.size();
    double norm = 0.0;
    for (auto& v : sig) {
        v = float(v - mean);
        norm += double(v) * v;
    }
    norm = std::sqrt(norm);
    for (auto& v : sig) v = norm > 0 ? float(v / norm) : 0.0f;
    return sig;
}

double correlation(const Signature& a, const Signature& b) {
    double s = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) s += double(a[i]) * b[i];
    return s;
}

PerceptualHash hashOfGrid(const Grid& grid);

struct Entry {
    const DataSource* source = nullptr;
    std::size_t index = 0;
    HealthSet set = HealthSet::Training;
    std::string className;
    bool ok = false;
    std::string problem;  // why it could not be decoded
    std::uint64_t pixels = 0;
    PerceptualHash phash;
    Signature signature;
};

class UnionFind {
public:
    explicit UnionFind(std::size_t n) : m_parent(n) {
        std::iota(m_parent.begin(), m_parent.end(), std::size_t{0});
    }
    std::size_t find(std::size_t i) {
        while (m_parent[i] != i) i = m_parent[i] = m_parent[m_parent[i]];
        return i;
    }
    void unite(std::size_t a, std::size_t b) {
        a = find(a);
        b = find(b);
        if (a != b) m_parent[std::max(a, b)] = std::min(a, b);
    }

private:
    std::vector<std::size_t> m_parent;
};

HealthFile fileOf(const Entry& e) {
    return HealthFile{e.source->itemName(e.index), e.className, e.set, e.index};
}

std::string quoted(const std::string& name) {
    return "'" + printable(name) + "'";
}

std::string joinClasses(const std::set<std::string>& names) {
    std::string text;
    std::size_t i = 0;
    for (const auto& n : names) {
        if (i > 0) text += (i + 1 == names.size()) ? " and " : ", ";
        text += quoted(n);
        ++i;
    }
    return text;
}

HealthClassCounts countClasses(const DataSource& source, const std::vector<std::size_t>& items) {
    HealthClassCounts c;
    c.classNames = source.classNames();
    c.counts.assign(c.classNames.size(), 0);
    for (const std::size_t i : items) {
        const int label = source.label(i);
        if (label >= 0 && static_cast<std::size_t>(label) < c.counts.size()) ++c.counts[label];
    }
    return c;
}

void checkClasses(const HealthReport& report, const std::vector<Entry>& entries,
                  const HealthCheckOptions& o, std::vector<HealthWarning>& out, double& imbalance) {
    const auto& names = report.training.classNames;
    const auto& counts = report.training.counts;
    std::vector<std::size_t> nonEmpty;
    for (const auto c : counts)
        if (c > 0) nonEmpty.push_back(c);
    double median = 0.0;
    if (!nonEmpty.empty()) {
        std::vector<std::size_t> sorted = nonEmpty;
        std::sort(sorted.begin(), sorted.end());
        const std::size_t n = sorted.size();
        median = n % 2 ? double(sorted[n / 2]) : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
    const auto classFiles = [&](std::size_t label, HealthSet set) {
        std::vector<HealthFile> files;
        for (const auto& e : entries)
            if (e.set == set && e.className == names[label] && files.size() < kMaxClassFiles)
                files.push_back(fileOf(e));
        return files;
    };
    for (std::size_t c = 0; c < counts.size(); ++c) {
        if (counts[c] == 0) {
            out.push_back({HealthWarningKind::EmptyClass,
                           HealthSeverity::Problem,
                           "Class " + quoted(names[c]) +
                               " has no training images: add images to it or remove the class.",
                           {}});
        } else if (counts[c] < o.minClassImages ||
                   double(counts[c]) < o.tinyMedianFraction * median) {
            std::ostringstream m;
            m << "Class " << quoted(names[c]) << " has only " << counts[c]
              << (counts[c] == 1 ? " training image" : " training images")
              << " (the median class has " << median
              << "): the model will barely learn it; add images of it.";
            out.push_back({HealthWarningKind::TinyClass, HealthSeverity::Warning, m.str(),
                           classFiles(c, HealthSet::Training)});
        }
    }
    imbalance = 0.0;
    if (nonEmpty.size() >= 2) {
        const auto big = std::max_element(counts.begin(), counts.end());
        std::size_t small = 0;
        for (std::size_t c = 0; c < counts.size(); ++c)
            if (counts[c] > 0 && (counts[small] == 0 || counts[c] < counts[small])) small = c;
        imbalance = double(*big) / double(counts[small]);
        if (imbalance > o.imbalanceRatio) {
            std::ostringstream m;
            m.precision(3);
            m << "The classes are imbalanced: " << quoted(names[big - counts.begin()]) << " has "
              << *big << " training images, " << quoted(names[small]) << " only " << counts[small]
              << " (" << imbalance << " x, above " << o.imbalanceRatio
              << " x): add images of the small classes or expect them to be predicted rarely.";
            out.push_back(
                {HealthWarningKind::ClassImbalance, HealthSeverity::Warning, m.str(), {}});
        }
    }
    if (!report.validation.classNames.empty() && !report.validationIsSplit) {
        const auto& vc = report.validation.counts;
        const auto& vn = report.validation.classNames;
        for (std::size_t c = 0; c < vc.size(); ++c)
            if (vc[c] == 0)
                out.push_back({HealthWarningKind::EmptyClass,
                               HealthSeverity::Info,
                               "Class " + quoted(vn[c]) +
                                   " has no validation images: its accuracy cannot be measured.",
                               {}});
    }
}

// Near-duplicate pairs among `items` (entry positions): pHashes within
// `distance` bits and signatures correlating at least `minCorrelation`. All
// pairs up to `bruteLimit` items, else multi-index search (distance + 1 bands
// of the 64 bits: two hashes within `distance` agree on at least one band).
std::vector<std::pair<std::size_t, std::size_t>> nearPairs(const std::vector<std::size_t>& items,
                                                           const std::vector<Entry>& entries,
                                                           int distance, double minCorrelation,
                                                           std::size_t bruteLimit) {
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    const auto check = [&](std::size_t a, std::size_t b) {
        if (hammingDistance(entries[a].phash.bits, entries[b].phash.bits) <= distance &&
            correlation(entries[a].signature, entries[b].signature) >= minCorrelation)
            pairs.emplace_back(std::min(a, b), std::max(a, b));
    };
    if (items.size() <= bruteLimit) {
        for (std::size_t i = 0; i < items.size(); ++i)
            for (std::size_t j = i + 1; j < items.size(); ++j) check(items[i], items[j]);
        return pairs;
    }
    const int bands = std::min(distance + 1, 64);
    for (int b = 0; b < bands; ++b) {
        const int lo = 64 * b / bands, hi = 64 * (b + 1) / bands;
        const std::uint64_t mask =
            (hi - lo == 64) ? ~std::uint64_t{0} : ((std::uint64_t{1} << (hi - lo)) - 1);
        std::unordered_map<std::uint64_t, std::vector<std::size_t>> buckets;
        for (const auto i : items) buckets[(entries[i].phash.bits >> lo) & mask].push_back(i);
        for (const auto& [key, bucket] : buckets)
            for (std::size_t i = 0; i < bucket.size(); ++i)
                for (std::size_t j = i + 1; j < bucket.size(); ++j) check(bucket[i], bucket[j]);
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    return pairs;
}

void checkDuplicates(const std::vector<Entry>& entries, const HealthCheckOptions& o,
                     std::vector<HealthWarning>& out, std::size_t& leaked) {
    UnionFind uf(entries.size());
    // Exact copies: equal pixel hashes.
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < entries.size(); ++i)
        if (entries[i].ok) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return entries[a].pixels < entries[b].pixels;
    });
    std::vector<std::size_t> reps;  // one per distinct pixel hash, with a reliable pHash
    for (std::size_t k = 0; k < order.size(); ++k) {
        if (k > 0 && entries[order[k]].pixels == entries[order[k - 1]].pixels) {
            uf.unite(order[k], order[k - 1]);
            continue;
        }
        if (entries[order[k]].phash.reliable) reps.push_back(order[k]);
    }
    if (o.nearDuplicateDistance >= 0) {
        // Greedy, not transitive: a group is one image and its direct near
        // neighbours, so chains of similar images (A~B~C~...) do not merge
        // into one large group of pictures that are not alike.
        for (auto& r : reps) r = uf.find(r);
        std::sort(reps.begin(), reps.end());
        std::map<std::size_t, std::vector<std::size_t>> neighbours;
        for (const auto& [a, b] : nearPairs(reps, entries, o.nearDuplicateDistance,
                                            o.nearDuplicateCorrelation, o.bruteForceLimit)) {
            neighbours[a].push_back(b);
            neighbours[b].push_back(a);
        }
        std::set<std::size_t> taken;
        for (const auto& [centre, list] : neighbours) {
            if (!taken.insert(centre).second) continue;
            for (const auto n : list)
                if (taken.insert(n).second) uf.unite(centre, n);
        }
    }

    std::map<std::size_t, std::vector<std::size_t>> clusters;  // root (lowest position) -> members
    for (const auto i : order) clusters[uf.find(i)].push_back(i);
    leaked = 0;
    for (auto& [root, members] : clusters) {
        if (members.size() < 2) continue;
        std::sort(members.begin(), members.end());
        std::set<std::string> classes;
        bool inTrain = false, inVal = false, exact = true;
        for (const auto m : members) {
            classes.insert(entries[m].className);
            (entries[m].set == HealthSet::Training ? inTrain : inVal) = true;
            exact = exact && entries[m].pixels == entries[members.front()].pixels;
        }
        HealthWarning w;
        for (const auto m : members) w.files.push_back(fileOf(entries[m]));
        const std::string copies = exact ? "exact copies" : "near-identical images";
        const std::string n = std::to_string(members.size());
        if (inTrain && inVal) {
            for (const auto m : members) leaked += entries[m].set == HealthSet::Validation;
        }
        if (classes.size() > 1) {
            w.kind = HealthWarningKind::LabelConflict;
            w.severity = HealthSeverity::Problem;
            w.message = n + " " + copies + " are labelled " + joinClasses(classes) +
                        (inTrain && inVal ? " across training and validation" : "") +
                        ": decide which class is right and remove the others.";
        } else if (inTrain && inVal) {
            w.kind = HealthWarningKind::TrainValLeak;
            w.severity = HealthSeverity::Problem;
            w.message = n + " " + copies + " of class " + quoted(*classes.begin()) +
                        " are in both training and validation: validation accuracy will look "
                        "better than it is; keep each image in one set only.";
        } else {
            const std::string where = inVal ? "validation" : "training";
            w.kind = exact ? HealthWarningKind::ExactDuplicate : HealthWarningKind::NearDuplicate;
            w.severity = exact ? HealthSeverity::Warning : HealthSeverity::Info;
            w.message = n + " " + copies + " of class " + quoted(*classes.begin()) + " in the " +
                        where + " data: " +
                        (exact ? "they count several times; keep one."
                               : "check whether they are the same picture.");
        }
        out.push_back(std::move(w));
    }
}

}  // namespace

PerceptualHash perceptualHash(const RgbImage& image) {
    if (image.empty()) return {};
    return hashOfGrid(grayGrid(image));
}

namespace {

PerceptualHash hashOfGrid(const Grid& grid) {
    PerceptualHash result;
    double mean = 0.0, var = 0.0;
    for (const auto& row : grid)
        for (const double v : row) mean += v;
    mean /= kHashSide * kHashSide;
    for (const auto& row : grid)
        for (const double v : row) var += (v - mean) * (v - mean);
    var /= kHashSide * kHashSide;

    const auto& c = dctTable();
    std::array<std::array<double, kLowFreq>, kHashSide> rows{};  // [y][u]
    for (int y = 0; y < kHashSide; ++y)
        for (int u = 0; u < kLowFreq; ++u) {
            double s = 0.0;
            for (int x = 0; x < kHashSide; ++x) s += grid[y][x] * c[u][x];
            rows[y][u] = s;
        }
    std::array<double, kLowFreq * kLowFreq> coeff{};  // [v * 8 + u]
    for (int v = 0; v < kLowFreq; ++v)
        for (int u = 0; u < kLowFreq; ++u) {
            double s = 0.0;
            for (int y = 0; y < kHashSide; ++y) s += c[v][y] * rows[y][u];
            coeff[v * kLowFreq + u] = s;
        }
    std::array<double, kLowFreq * kLowFreq - 1> ac{};
    std::copy(coeff.begin() + 1, coeff.end(), ac.begin());
    std::nth_element(ac.begin(), ac.begin() + ac.size() / 2, ac.end());
    const double median = ac[ac.size() / 2];
    for (std::size_t k = 0; k < coeff.size(); ++k)
        if (coeff[k] > median) result.bits |= std::uint64_t{1} << k;
    result.reliable = var >= kFlatVariance;
    return result;
}

}  // namespace

int hammingDistance(std::uint64_t a, std::uint64_t b) {
    std::uint64_t x = a ^ b;
    int n = 0;
    for (; x; x &= x - 1) ++n;
    return n;
}

std::uint64_t pixelHash(const RgbImage& image) {
    // 64-bit FNV-1a over the size, then 8-byte words mixed (splitmix64's
    // finaliser) for speed on large photos.
    std::uint64_t h = 1469598103934665603ull;
    const auto mix = [&h](std::uint64_t v) {
        v += 0x9e3779b97f4a7c15ull;
        v = (v ^ (v >> 30)) * 0xbf58476d1ce4e5b9ull;
        v = (v ^ (v >> 27)) * 0x94d049bb133111ebull;
        v ^= v >> 31;
        h = (h ^ v) * 1099511628211ull;
    };
    mix(std::uint64_t(std::uint32_t(image.width)) << 32 | std::uint32_t(image.height));
    const auto& p = image.pixels;
    std::size_t i = 0;
    for (; i + 8 <= p.size(); i += 8) {
        std::uint64_t v = 0;
        for (int k = 0; k < 8; ++k) v |= std::uint64_t(p[i + k]) << (8 * k);
        mix(v);
    }
    std::uint64_t tail = 0;
    for (int k = 0; i < p.size(); ++i, ++k) tail |= std::uint64_t(p[i]) << (8 * k);
    mix(tail);
    return h;
}

const char* healthWarningKindId(HealthWarningKind kind) {
    switch (kind) {
        case HealthWarningKind::UnreadableFile:
            return "unreadable-file";
        case HealthWarningKind::EmptyClass:
            return "empty-class";
        case HealthWarningKind::TinyClass:
            return "tiny-class";
        case HealthWarningKind::ClassImbalance:
            return "class-imbalance";
        case HealthWarningKind::ExactDuplicate:
            return "exact-duplicate";
        case HealthWarningKind::NearDuplicate:
            return "near-duplicate";
        case HealthWarningKind::TrainValLeak:
            return "train-val-leak";
        case HealthWarningKind::LabelConflict:
            return "label-conflict";
    }
    return "unknown";
}

const char* healthSeverityId(HealthSeverity severity) {
    switch (severity) {
        case HealthSeverity::Info:
            return "info";
        case HealthSeverity::Warning:
            return "warning";
        case HealthSeverity::Problem:
            return "problem";
    }
    return "unknown";
}

HealthReport checkDatasetHealth(const DataSource& training, const DataSource* validation,
                                const HealthCheckOptions& options, const HealthProgress& progress,
                                const std::atomic<bool>* cancel) {
    if (!validation && !(options.valSplit >= 0.0 && options.valSplit < 1.0))
        throw Error("the health check's validation split must be between 0 and 1");
    HealthReport report;
    std::vector<Entry> entries;
    const auto add = [&entries](const DataSource& s, const std::vector<std::size_t>& items,
                                HealthSet set) {
        const auto& names = s.classNames();
        for (const auto i : items) {
            Entry e;
            e.source = &s;
            e.index = i;
            e.set = set;
            const int label = s.label(i);
            if (label >= 0 && static_cast<std::size_t>(label) < names.size())
                e.className = names[label];
            entries.push_back(std::move(e));
        }
    };
    if (validation) {
        const auto t = allItems(training), v = allItems(*validation);
        report.training = countClasses(training, t);
        report.validation = countClasses(*validation, v);
        add(training, t, HealthSet::Training);
        add(*validation, v, HealthSet::Validation);
    } else if (options.valSplit > 0.0) {
        const Split split = stratifiedSplit(training, options.valSplit, options.seed);
        report.validationIsSplit = true;
        report.training = countClasses(training, split.train);
        report.validation = countClasses(training, split.val);
        add(training, split.train, HealthSet::Training);
        add(training, split.val, HealthSet::Validation);
    } else {
        const auto t = allItems(training);
        report.training = countClasses(training, t);
        add(training, t, HealthSet::Training);
    }
    for (const auto& e : entries)
        ++(e.set == HealthSet::Training ? report.trainingImages : report.validationImages);

    std::vector<HealthWarning> warnings;
    // Files the scan already refused (not samples, so not among the entries).
    const auto scanned = [&](const DataSource& s, HealthSet set) {
        for (const auto& p : s.scanProblems()) {
            warnings.push_back({HealthWarningKind::UnreadableFile,
                                HealthSeverity::Warning,
                                printable(p.path) + ": " + p.reason,
                                {{p.path, "", set, 0}}});
            ++report.unreadable;
        }
    };
    scanned(training, HealthSet::Training);
    if (validation && validation != &training) scanned(*validation, HealthSet::Validation);

    if (options.findDuplicates) {
        std::atomic<std::size_t> next{0};
        std::size_t done = 0;
        std::mutex progressMutex;
        const auto work = [&] {
            for (;;) {
                if (cancel && cancel->load()) return;
                const std::size_t k = next.fetch_add(1);
                if (k >= entries.size()) return;
                Entry& e = entries[k];
                try {
                    const RgbImage img = e.source->load(e.index);
                    e.pixels = pixelHash(img);
                    if (!img.empty()) {
                        const Grid grid = grayGrid(img);
                        e.phash = hashOfGrid(grid);
                        e.signature = signatureOf(grid);
                    }
                    e.ok = true;
                } catch (const std::exception& ex) {
                    e.problem = ex.what();
                }
                std::lock_guard<std::mutex> lock(progressMutex);
                ++done;
                if (progress) progress(done, entries.size());
            }
        };
        int threads = options.threads > 0
                          ? options.threads
                          : int(std::min(8u, std::max(1u, std::thread::hardware_concurrency())));
        threads = int(std::min<std::size_t>(threads, std::max<std::size_t>(1, entries.size())));
        std::vector<std::thread> pool;
        for (int t = 1; t < threads; ++t) pool.emplace_back(work);
        work();
        for (auto& t : pool) t.join();
        report.cancelled = cancel && cancel->load();

        for (const auto& e : entries)
            if (!e.ok && !e.problem.empty()) {
                warnings.push_back({HealthWarningKind::UnreadableFile,
                                    HealthSeverity::Warning,
                                    e.problem,
                                    {fileOf(e)}});
                ++report.unreadable;
            }
        if (!report.cancelled) checkDuplicates(entries, options, warnings, report.leakedValidation);
    }
    checkClasses(report, entries, options, warnings, report.imbalance);
    if (!report.validation.classNames.empty() && !report.validationIsSplit &&
        report.validation.classNames != report.training.classNames)
        warnings.push_back({HealthWarningKind::LabelConflict,
                            HealthSeverity::Problem,
                            "The validation data has other classes than the training data: use "
                            "the same class folders in both.",
                            {}});
    std::stable_sort(warnings.begin(), warnings.end(),
                     [](const HealthWarning& a, const HealthWarning& b) {
                         return static_cast<int>(a.severity) > static_cast<int>(b.severity);
                     });
    report.warnings = std::move(warnings);
    return report;
}

std::string healthSummaryLine(const HealthReport& report) {
    std::size_t problems = 0, warnings = 0, infos = 0;
    for (const auto& w : report.warnings) {
        switch (w.severity) {
            case HealthSeverity::Problem:
                ++problems;
                break;
            case HealthSeverity::Warning:
                ++warnings;
                break;
            case HealthSeverity::Info:
                ++infos;
                break;
        }
    }
    std::ostringstream s;
    s << report.trainingImages << " training";
    if (!report.validation.classNames.empty())
        s << " and " << report.validationImages
          << (report.validationIsSplit ? " validation (split)" : " validation");
    s << " images in " << report.training.classNames.size() << " classes; " << problems
      << (problems == 1 ? " problem, " : " problems, ") << warnings
      << (warnings == 1 ? " warning, " : " warnings, ") << infos << " notes";
    if (report.cancelled) s << " (cancelled: duplicates not checked)";
    return s.str();
}

}  // namespace fts
