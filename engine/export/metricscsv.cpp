#include "export/metricscsv.h"

#include "core/error.h"
#include "core/fileio.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

namespace fs = std::filesystem;
using nlohmann::json;

namespace fts {
namespace {

std::optional<double> numberAt(const json& j, const char* key) {
    if (!j.contains(key) || !j[key].is_number()) return std::nullopt;
    const double v = j[key].get<double>();
    if (!std::isfinite(v)) return std::nullopt;
    return v;
}

std::string field(const std::optional<double>& v) {
    if (!v) return {};
    std::ostringstream s;
    s.precision(9);
    s << *v;
    return s.str();
}

}  // namespace

std::vector<EpochRecord> readEpochRecords(const fs::path& eventsFile) {
    const auto bytes = readFileBytes(eventsFile, /*maxBytes=*/std::uint64_t(1) << 30);
    std::map<int, EpochRecord> byEpoch;
    std::size_t start = 0;
    while (start < bytes.size()) {
        std::size_t end = start;
        while (end < bytes.size() && bytes[end] != '\n') ++end;
        const json j = json::parse(bytes.begin() + static_cast<std::ptrdiff_t>(start),
                                   bytes.begin() + static_cast<std::ptrdiff_t>(end), nullptr,
                                   /*allow_exceptions=*/false);
        start = end + 1;
        if (j.is_discarded() || !j.is_object() || j.value("type", std::string()) != "epoch")
            continue;
        if (!j.contains("epoch") || !j["epoch"].is_number_integer()) continue;
        EpochRecord r;
        r.epoch = j["epoch"].get<int>();
        r.trainLoss = numberAt(j, "train_loss");
        r.trainAccuracy = numberAt(j, "train_accuracy");
        r.valLoss = numberAt(j, "val_loss");
        r.valAccuracy = numberAt(j, "val_accuracy");
        r.lr = numberAt(j, "lr");
        r.seconds = numberAt(j, "seconds");
        byEpoch[r.epoch] = r;
    }
    std::vector<EpochRecord> out;
    out.reserve(byEpoch.size());
    for (const auto& [epoch, r] : byEpoch) out.push_back(r);
    return out;
}

void writeMetricsCsv(const fs::path& file, const std::vector<EpochRecord>& epochs) {
    std::string text = "epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds\n";
    for (const auto& r : epochs) {
        text += std::to_string(r.epoch) + ',' + field(r.trainLoss) + ',' + field(r.trainAccuracy) +
                ',' + field(r.valLoss) + ',' + field(r.valAccuracy) + ',' + field(r.lr) + ',' +
                field(r.seconds) + '\n';
    }
    writeFileAtomically(file, text.data(), text.size());
}

}  // namespace fts
