#include "train/rundirectory.h"

#include "core/compat.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/version.h"
#include "eval/metrics.h"
#include "train/settings.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace fts {
namespace {

using nlohmann::json;

// JSON has no NaN/Infinity: write null for them.
json number(double value) {
    return std::isfinite(value) ? json(value) : json(nullptr);
}

double nowSeconds() {
    using namespace std::chrono;
    return duration_cast<duration<double>>(system_clock::now().time_since_epoch()).count();
}

json skippedJson(const std::vector<SkippedFile>& files) {
    json list = json::array();
    for (const auto& f : files) list.push_back({{"path", f.path}, {"reason", f.reason}});
    return list;
}

json perClassJson(const std::vector<ClassReport>& reports) {
    json arr = json::array();
    for (const auto& r : reports)
        arr.push_back({{"class", r.name},
                       {"precision", r.precision},
                       {"recall", r.recall},
                       {"f1", r.f1},
                       {"support", r.support}});
    return arr;
}

json summaryJson(const RunSummary& s) {
    return json{{"status", s.status},
                {"error", s.error},
                {"epochs_completed", s.epochsCompleted},
                {"best_val_accuracy", number(s.bestValAccuracy)},
                {"final_val_accuracy", number(s.finalValAccuracy)},
                {"train_images", s.trainImages},
                {"val_images", s.valImages},
                {"classes", s.classes},
                {"skipped_files", skippedJson(s.skippedFiles)},
                {"images_per_second", number(s.imagesPerSecond)},
                {"wall_seconds", number(s.wallSeconds)},
                {"per_class", perClassJson(s.perClass)}};
}

// ---- SHA-256 (FIPS 180-4) ----------------------------------------------------

class Sha256 {
public:
    void update(const std::uint8_t* data, std::size_t size) {
        m_length += size;
        while (size > 0) {
            const std::size_t take = std::min(size, std::size_t(64) - m_fill);
            std::memcpy(m_block + m_fill, data, take);
            m_fill += take;
            data += take;
            size -= take;
            if (m_fill == 64) {
                compress(m_block);
                m_fill = 0;
            }
        }
    }

    std::string hex() {
        const std::uint64_t bits = m_length * 8;
        const std::uint8_t pad = 0x80;
        update(&pad, 1);
        const std::uint8_t zero = 0;
        while (m_fill != 56) update(&zero, 1);
        std::uint8_t lengthBytes[8];
        for (int i = 0; i < 8; ++i) lengthBytes[i] = std::uint8_t(bits >> (56 - 8 * i));
        update(lengthBytes, 8);
        static const char* digits = "0123456789abcdef";
        std::string out;
        for (std::uint32_t word : m_h)
            for (int shift = 28; shift >= 0; shift -= 4) out += digits[(word >> shift) & 0xf];
        return out;
    }

private:
    static std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

    void compress(const std::uint8_t* block) {
        static const std::uint32_t k[64] = {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
            0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
            0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
            0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
            0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
            0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
            0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
            0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
            0xc67178f2};
        std::uint32_t w[64];
        for (int i = 0; i < 16; ++i)
            w[i] = std::uint32_t(block[4 * i]) << 24 | std::uint32_t(block[4 * i + 1]) << 16 |
                   std::uint32_t(block[4 * i + 2]) << 8 | std::uint32_t(block[4 * i + 3]);
        for (int i = 16; i < 64; ++i) {
            const auto s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            const auto s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        auto a = m_h[0], b = m_h[1], c = m_h[2], d = m_h[3];
        auto e = m_h[4], f = m_h[5], g = m_h[6], h = m_h[7];
        for (int i = 0; i < 64; ++i) {
            const auto s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
            const auto ch = (e & f) ^ (~e & g);
            const auto t1 = h + s1 + ch + k[i] + w[i];
            const auto s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
            const auto maj = (a & b) ^ (a & c) ^ (b & c);
            const auto t2 = s0 + maj;
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        m_h[0] += a;
        m_h[1] += b;
        m_h[2] += c;
        m_h[3] += d;
        m_h[4] += e;
        m_h[5] += f;
        m_h[6] += g;
        m_h[7] += h;
    }

    std::uint32_t m_h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                            0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    std::uint8_t m_block[64] = {};
    std::size_t m_fill = 0;
    std::uint64_t m_length = 0;
};

}  // namespace

std::string sha256Hex(const void* data, std::size_t size) {
    Sha256 sha;
    sha.update(static_cast<const std::uint8_t*>(data), size);
    return sha.hex();
}

std::string sha256OfFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(displayPath(file) + ": cannot open the file to compute its SHA-256");
    Sha256 sha;
    std::vector<char> buffer(1 << 20);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto got = in.gcount();
        if (got > 0)
            sha.update(reinterpret_cast<const std::uint8_t*>(buffer.data()), std::size_t(got));
    }
    if (in.bad()) throw Error(displayPath(file) + ": the file could not be read to its end");
    return sha.hex();
}

RunDirectory::RunDirectory(std::filesystem::path dir) : m_dir(std::move(dir)) {
    if (m_dir.empty())
        throw Error("no run directory given: set --out to the folder the run should write to");
    std::error_code ec;
    std::filesystem::create_directories(m_dir, ec);
    if (ec || !std::filesystem::is_directory(m_dir))
        throw Error(displayPath(m_dir) + ": cannot create the run folder (" +
                    (ec ? ec.message() : std::string("a file of that name exists")) + ")");
}

void RunDirectory::writeText(const std::string& name, const std::string& text) {
    writeFileAtomically(m_dir / name, text.data(), text.size());
}

void RunDirectory::writeConfig(const TrainSettings& s, const ResolvedSettings& r) {
    json config{
        {"app_version", FTS_VERSION_STRING},
        {"torch_version", compat::torchVersion()},
        {"model", s.model},
        {"weights",
         {{"file", s.weightsFile},
          {"sha256", r.weightsSha256.empty() ? json(nullptr) : json(r.weightsSha256)}}},
        {"freeze", r.freezeSpec},
        {"trainable_parameters", r.trainableParameters},
        {"total_parameters", r.totalParameters},
        {"data",
         {{"path", s.dataPath},
          {"val_path", s.valPath},
          {"val_split", s.valPath.empty() ? json(s.valSplit) : json(nullptr)},
          {"train", r.trainData},
          {"val", r.valData},
          {"classes", r.classes},
          {"train_images", r.trainImages},
          {"val_images", r.valImages}}},
        {"image_size", r.imageSize},
        {"augment", s.augment},
        {"epochs", s.epochs},
        {"batch_size", s.batchSize},
        {"optimizer",
         {{"name", s.optimizer},
          {"lr", s.lr},
          {"backbone_lr_scale", s.backboneLrScale},
          {"momentum", s.momentum},
          {"nesterov", s.nesterov},
          {"weight_decay", s.weightDecay}}},
        {"scheduler",
         {{"name", s.scheduler},
          {"warmup_epochs", s.warmupEpochs},
          {"step_size", r.stepSize},
          {"step_gamma", s.stepGamma}}},
        {"seed", s.seed},
        {"device", r.device},
        {"threads", r.threads},
        {"loader_workers", r.loaderWorkers},
        {"sample_predictions", s.samplePredictions},
        {"cache_budget_mb", s.cacheBudgetMb},
        {"precision", s.precision},
    };
    if (r.stepBatchSize > 0) config["batch_size_after_out_of_memory"] = r.stepBatchSize;
    writeText("config.json", config.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}

void RunDirectory::writePredictions(const std::vector<ItemPrediction>& rows,
                                    const std::vector<std::string>& classNames) {
    const auto name = [&](int i) {
        return i >= 0 && i < int(classNames.size()) ? classNames[std::size_t(i)]
                                                    : std::to_string(i);
    };
    std::string csv = "path,true,predicted,confidence,loss\n";
    char numbers[64];
    for (const auto& row : rows) {
        std::snprintf(numbers, sizeof numbers, ",%.6f,%.6f\n", row.confidence, row.loss);
        csv += csvField(row.item) + "," + csvField(name(row.trueLabel)) + "," +
               csvField(name(row.predicted)) + numbers;
    }
    writeText("predictions.csv", csv);
}

void RunDirectory::writeConfusion(const ConfusionMatrix& matrix,
                                  const std::vector<std::string>& classNames) {
    writeText("confusion.csv", matrix.toCsv(classNames));
}

void RunDirectory::writeSummary(const RunSummary& summary) {
    writeText("summary.json",
              summaryJson(summary).dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}

void RunDirectory::openEvents(bool truncate) {
    const auto file = m_dir / "events.jsonl";
    m_events.open(file, truncate ? std::ios::out | std::ios::trunc : std::ios::out | std::ios::app);
    if (!m_events) throw Error(displayPath(file) + ": cannot open the file for writing");
}

void RunDirectory::appendLine(const std::string& line) {
    if (!m_events.is_open()) return;
    m_events << line << '\n';
    m_events.flush();
}

void RunDirectory::batchEvent(const BatchProgress& p) {
    appendLine(json{{"type", "batch"},
                    {"time", nowSeconds()},
                    {"epoch", p.epoch},
                    {"epochs", p.epochs},
                    {"batch", p.batch},
                    {"batches", p.batches},
                    {"loss", number(p.loss)},
                    {"lr", number(p.learningRate)},
                    {"images_per_second", number(p.imagesPerSecond)},
                    {"seconds_left", number(p.secondsLeft)}}
                   .dump(-1, ' ', false, json::error_handler_t::replace));
}

void RunDirectory::epochEvent(const EpochMetrics& m) {
    appendLine(json{{"type", "epoch"},
                    {"time", nowSeconds()},
                    {"epoch", m.epoch},
                    {"epochs", m.epochs},
                    {"train_loss", number(m.trainLoss)},
                    {"train_accuracy", number(m.trainAccuracy)},
                    {"val_loss", number(m.valLoss)},
                    {"val_accuracy", number(m.valAccuracy)},
                    {"lr", number(m.learningRate)},
                    {"seconds", number(m.seconds)},
                    {"images_per_second", number(m.imagesPerSecond)},
                    {"best", m.best},
                    {"per_class", perClassJson(m.perClass)}}
                   .dump(-1, ' ', false, json::error_handler_t::replace));
}

void RunDirectory::skippedEvent(const std::vector<SkippedFile>& files) {
    appendLine(
        json{{"type", "skipped"}, {"time", nowSeconds()}, {"files", skippedJson(files)}}.dump(
            -1, ' ', false, json::error_handler_t::replace));
}

void RunDirectory::messageEvent(const std::string& text) {
    appendLine(json{{"type", "message"}, {"time", nowSeconds()}, {"text", text}}.dump(
        -1, ' ', false, json::error_handler_t::replace));
}

void RunDirectory::finishedEvent(const RunSummary& summary) {
    json line = summaryJson(summary);
    line["type"] = "finished";
    line["time"] = nowSeconds();
    appendLine(line.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace fts
