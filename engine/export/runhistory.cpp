#include "export/runhistory.h"

#include "core/error.h"
#include "core/fileio.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace fts {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A run without summary.json whose events.jsonl changed this recently is
// taken to be running (a training run appends a line per batch).
constexpr double kRunningWithinSeconds = 180.0;

double nowSeconds() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// A file's modification time in Unix seconds; 0 when it cannot be read.
// (C++17 has no file_clock -> system_clock conversion: go through now().)
double modifiedAt(const fs::path& file) {
    std::error_code ec;
    const auto t = fs::last_write_time(file, ec);
    if (ec) return 0.0;
    const auto age = fs::file_time_type::clock::now() - t;
    return nowSeconds() - std::chrono::duration<double>(age).count();
}

double numberAt(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number()) return kNoRunValue;
    return it->get<double>();
}

std::string stringAt(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return {};
    return it->get<std::string>();
}

json objectAt(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_object() ? *it : json::object();
}

// A JSON value as a short human-readable text: numbers with %g, booleans
// yes/no, null and absent "".
std::string text(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_boolean()) return it->get<bool>() ? "yes" : "no";
    if (it->is_number_integer()) return std::to_string(it->get<long long>());
    if (it->is_number()) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", it->get<double>());
        return buf;
    }
    return it->dump();
}

// Parses a whole small JSON file; a discarded value when it is missing or
// not JSON (a file being replaced is never half-written: atomic rename).
json readJson(const fs::path& file, std::string* problem = nullptr) {
    std::vector<std::uint8_t> bytes;
    try {
        bytes = readFileBytes(file, std::uint64_t(64) << 20);
    } catch (const Error& e) {
        if (problem) *problem = e.what();
        return json(json::value_t::discarded);
    }
    json doc = json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() && problem)
        *problem = displayPath(file) + ": is not valid JSON; the run folder may be damaged";
    return doc;
}

void readSettings(RunRecord& r, const json& c) {
    const json weights = objectAt(c, "weights");
    const json data = objectAt(c, "data");
    const json opt = objectAt(c, "optimizer");
    const json sch = objectAt(c, "scheduler");
    r.model = stringAt(c, "model");
    r.freeze = stringAt(c, "freeze");
    r.weights = stringAt(weights, "file");
    r.plannedEpochs = c.value("epochs", 0);
    std::string validation = text(data, "val_path");
    if (validation.empty() && data.contains("val_split") && !data["val_split"].is_null())
        validation = text(data, "val_split") + " held out";
    std::string classes;
    if (data.contains("classes") && data["classes"].is_array())
        classes = std::to_string(data["classes"].size());
    std::string batch = text(c, "batch_size");
    if (c.contains("batch_size_after_out_of_memory"))
        batch += " (" + text(c, "batch_size_after_out_of_memory") + " after out of memory)";
    r.settings = {
        {"model", r.model},
        {"weights", r.weights},
        {"freeze", r.freeze},
        {"epochs", text(c, "epochs")},
        {"batch_size", batch},
        {"optimizer", text(opt, "name")},
        {"lr", text(opt, "lr")},
        {"backbone_lr_scale", text(opt, "backbone_lr_scale")},
        {"weight_decay", text(opt, "weight_decay")},
        {"momentum", text(opt, "momentum")},
        {"schedule", text(sch, "name")},
        {"warmup_epochs", text(sch, "warmup_epochs")},
        {"augment", text(c, "augment")},
        {"image_size", text(c, "image_size")},
        {"precision", text(c, "precision")},
        {"seed", text(c, "seed")},
        {"device", text(c, "device")},
        {"data", text(data, "path")},
        {"validation", validation},
        {"classes", classes},
    };
}

// events.jsonl: the epoch lines (last one per epoch wins), the first and last
// event times and a "finished" line's status. A torn or non-JSON line is
// skipped.
struct Events {
    std::map<int, RunEpoch> epochs;
    double firstTime = kNoRunValue;
    double lastTime = kNoRunValue;
    std::string finishedStatus;
    double finishedBest = kNoRunValue;
    double finishedFinal = kNoRunValue;
    double finishedWall = kNoRunValue;
};

Events readEvents(const fs::path& file) {
    Events ev;
    std::vector<std::uint8_t> bytes;
    try {
        bytes = readFileBytes(file, std::uint64_t(1) << 30);
    } catch (const Error&) {
        return ev;
    }
    std::size_t start = 0;
    while (start < bytes.size()) {
        std::size_t end = start;
        while (end < bytes.size() && bytes[end] != '\n') ++end;
        const json j = json::parse(bytes.begin() + std::ptrdiff_t(start),
                                   bytes.begin() + std::ptrdiff_t(end), nullptr,
                                   /*allow_exceptions=*/false);
        start = end + 1;
        if (j.is_discarded() || !j.is_object()) continue;
        const double time = numberAt(j, "time");
        if (std::isfinite(time)) {
            if (!std::isfinite(ev.firstTime)) ev.firstTime = time;
            ev.lastTime = time;
        }
        const std::string type = stringAt(j, "type");
        if (type == "epoch") {
            if (!j.contains("epoch") || !j["epoch"].is_number_integer()) continue;
            RunEpoch e;
            e.epoch = j["epoch"].get<int>();
            e.trainLoss = numberAt(j, "train_loss");
            e.trainAccuracy = numberAt(j, "train_accuracy");
            e.valLoss = numberAt(j, "val_loss");
            e.valAccuracy = numberAt(j, "val_accuracy");
            e.seconds = numberAt(j, "seconds");
            e.lr = numberAt(j, "lr");
            ev.epochs[e.epoch] = e;
        } else if (type == "finished") {
            ev.finishedStatus = stringAt(j, "status");
            ev.finishedBest = numberAt(j, "best_val_accuracy");
            ev.finishedFinal = numberAt(j, "final_val_accuracy");
            ev.finishedWall = numberAt(j, "wall_seconds");
        }
    }
    return ev;
}

bool isRunDirectory(const fs::path& dir) {
    std::error_code ec;
    return fs::is_regular_file(dir / "config.json", ec) ||
           fs::is_regular_file(dir / "events.jsonl", ec) ||
           fs::is_regular_file(dir / "summary.json", ec);
}

std::vector<fs::path> subfolders(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
        std::error_code ec2;
        if (it->is_directory(ec2)) out.push_back(it->path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

const char* const kStrategies[] = {"head", "last", "full", "scratch"};

bool isStrategyName(const std::string& name) {
    return std::find(std::begin(kStrategies), std::end(kStrategies), name) != std::end(kStrategies);
}

std::string fallbackTitle(const std::string& strategy) {
    if (strategy == "head") return "Head only (frozen backbone)";
    if (strategy == "last") return "Last block + head";
    if (strategy == "full") return "Full fine-tune (from pretrained)";
    if (strategy == "scratch") return "From scratch (random weights)";
    return strategy;
}

}  // namespace

std::string RunRecord::setting(const std::string& key) const {
    for (const auto& [k, v] : settings)
        if (k == key) return v;
    return {};
}

RunRecord loadRunRecord(const fs::path& dir) {
    RunRecord r;
    r.dir = dir.u8string();
    r.name = dir.filename().u8string();
    if (r.name.empty()) r.name = dir.parent_path().filename().u8string();
    const fs::path configFile = dir / "config.json";
    std::string problem;
    const json config = readJson(configFile, &problem);
    if (config.is_discarded())
        throw Error(problem.empty() ? displayPath(configFile) + ": cannot be read" : problem);
    if (!config.is_object())
        throw Error(displayPath(configFile) +
                    ": is not a run's settings (a JSON object); the run folder may be damaged");
    readSettings(r, config);

    const Events ev = readEvents(dir / "events.jsonl");
    for (const auto& [n, e] : ev.epochs) r.epochs.push_back(e);
    r.startedAt = std::isfinite(ev.firstTime) ? ev.firstTime : modifiedAt(configFile);

    const json summary = readJson(dir / "summary.json");
    if (summary.is_object() && !stringAt(summary, "status").empty()) {
        r.status = stringAt(summary, "status");
        r.error = stringAt(summary, "error");
        r.bestValAccuracy = numberAt(summary, "best_val_accuracy");
        r.finalValAccuracy = numberAt(summary, "final_val_accuracy");
        r.wallSeconds = numberAt(summary, "wall_seconds");
    } else if (!ev.finishedStatus.empty()) {
        r.status = ev.finishedStatus;
        r.bestValAccuracy = ev.finishedBest;
        r.finalValAccuracy = ev.finishedFinal;
        r.wallSeconds = ev.finishedWall;
    } else {
        const double touched = std::max(modifiedAt(dir / "events.jsonl"), modifiedAt(configFile));
        r.status = nowSeconds() - touched < kRunningWithinSeconds ? "running" : "unknown";
    }
    // What the epochs say, where the summary does not.
    if (!std::isfinite(r.bestValAccuracy))
        for (const auto& e : r.epochs)
            if (std::isfinite(e.valAccuracy) &&
                (!std::isfinite(r.bestValAccuracy) || e.valAccuracy > r.bestValAccuracy))
                r.bestValAccuracy = e.valAccuracy;
    if (!std::isfinite(r.finalValAccuracy) && !r.epochs.empty())
        r.finalValAccuracy = r.epochs.back().valAccuracy;
    if (!std::isfinite(r.wallSeconds) && std::isfinite(ev.firstTime) && std::isfinite(ev.lastTime))
        r.wallSeconds = ev.lastTime - ev.firstTime;
    return r;
}

RunScan scanRuns(const fs::path& folder) {
    RunScan scan;
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) return scan;
    const auto tryLoad = [&](const fs::path& dir, const std::string& experiment,
                             const std::string& strategy, const std::string& title) {
        try {
            RunRecord r = loadRunRecord(dir);
            r.experiment = experiment;
            r.strategy = strategy;
            r.strategyTitle = strategy.empty() ? std::string() : title;
            scan.runs.push_back(std::move(r));
        } catch (const std::exception& e) {
            scan.problems.push_back(e.what());
        }
    };
    for (const auto& child : subfolders(folder)) {
        const std::string name = child.filename().u8string();
        if (fs::is_regular_file(child / "experiment.json", ec)) {
            std::string problem;
            const json doc = readJson(child / "experiment.json", &problem);
            std::set<std::string> seen;
            if (doc.is_object() && doc.contains("strategies") && doc["strategies"].is_array()) {
                for (const auto& s : doc["strategies"]) {
                    if (!s.is_object()) continue;
                    const std::string dirName = stringAt(s, "run_dir");
                    const std::string strategy = stringAt(s, "name");
                    if (dirName.empty() || dirName.find_first_of("/\\") != std::string::npos ||
                        dirName == "." || dirName == ".." || !seen.insert(dirName).second)
                        continue;
                    const fs::path dir = child / fs::u8path(dirName);
                    if (!fs::is_directory(dir, ec)) {
                        scan.problems.push_back(displayPath(dir) +
                                                ": the experiment's run folder is missing");
                        continue;
                    }
                    std::string title = stringAt(s, "title");
                    if (title.empty()) title = fallbackTitle(strategy);
                    tryLoad(dir, name, strategy.empty() ? dirName : strategy, title);
                }
            } else {
                scan.problems.push_back(problem.empty()
                                            ? displayPath(child / "experiment.json") +
                                                  ": is not an experiment record; it may be damaged"
                                            : problem);
            }
            // Strategy folders experiment.json does not list (damaged record).
            for (const auto& sub : subfolders(child)) {
                const std::string subName = sub.filename().u8string();
                if (seen.count(subName) || !isRunDirectory(sub)) continue;
                tryLoad(sub, name, subName, fallbackTitle(subName));
            }
        } else if (isRunDirectory(child)) {
            tryLoad(child, "", "", "");
        } else {
            // An experiment still running: strategy folders, no experiment.json yet.
            for (const auto& sub : subfolders(child)) {
                const std::string subName = sub.filename().u8string();
                if (isStrategyName(subName) && isRunDirectory(sub))
                    tryLoad(sub, name, subName, fallbackTitle(subName));
            }
        }
    }
    // Newest first; an experiment's runs stay together (placed by its newest
    // run) in the order they ran, which is the strategies' order.
    std::map<std::string, double> experimentTime;
    for (const auto& r : scan.runs)
        if (!r.experiment.empty()) {
            double& t = experimentTime[r.experiment];
            t = std::max(t, r.startedAt);
        }
    const auto groupTime = [&](const RunRecord& r) {
        return r.experiment.empty() ? r.startedAt : experimentTime[r.experiment];
    };
    std::stable_sort(scan.runs.begin(), scan.runs.end(),
                     [&](const RunRecord& a, const RunRecord& b) {
                         const double ta = groupTime(a), tb = groupTime(b);
                         if (ta != tb) return ta > tb;
                         if (a.experiment != b.experiment) return a.experiment > b.experiment;
                         if (!a.experiment.empty() && a.startedAt != b.startedAt)
                             return a.startedAt < b.startedAt;
                         return a.dir > b.dir;
                     });
    return scan;
}

std::vector<std::string> differingSettings(const std::vector<RunRecord>& runs) {
    std::vector<std::string> keys;
    if (runs.size() < 2) return keys;
    std::set<std::string> seen;
    for (const auto& r : runs)
        for (const auto& [k, v] : r.settings)
            if (seen.insert(k).second) keys.push_back(k);
    std::vector<std::string> out;
    for (const auto& key : keys) {
        const auto has = [&](const RunRecord& r) {
            return std::any_of(r.settings.begin(), r.settings.end(),
                               [&](const auto& kv) { return kv.first == key; });
        };
        bool differs = false;
        for (const auto& r : runs)
            if (!has(r) || r.setting(key) != runs.front().setting(key)) differs = true;
        if (differs) out.push_back(key);
    }
    return out;
}

}  // namespace fts
