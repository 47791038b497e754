#include "train/featurecache.h"

#include "data/datasource.h"
#include "data/loader.h"
#include "models/channelslast.h"
#include "models/classifier.h"
#include "train/freezeplan.h"

#include <torch/nn/modules/batchnorm.h>
#include <torch/utils.h>

#include <cstring>
#include <filesystem>
#include <list>
#include <mutex>
#include <system_error>

namespace fts {
namespace {

namespace fs = std::filesystem;

bool isUnder(const std::string& name, const std::string& path) {
    return name == path || (name.size() > path.size() && name.compare(0, path.size(), path) == 0 &&
                            name[path.size()] == '.');
}

bool isBatchNorm(const torch::nn::Module& module) {
    return module.as<torch::nn::BatchNorm1dImpl>() || module.as<torch::nn::BatchNorm2dImpl>() ||
           module.as<torch::nn::BatchNorm3dImpl>();
}

// A 64-bit streaming hash (multiply-rotate over 8-byte words); not
// cryptographic, only a change detector. ~5 GB/s, so ResNet-18's 45 MB of
// weights cost about 10 ms.
class Hasher {
public:
    void bytes(const void* data, std::size_t size) {
        const auto* p = static_cast<const unsigned char*>(data);
        while (size >= 8) {
            std::uint64_t w;
            std::memcpy(&w, p, 8);
            word(w);
            p += 8;
            size -= 8;
        }
        std::uint64_t tail = 0;
        std::memcpy(&tail, p, size);
        word(tail ^ (std::uint64_t(size) << 56));
    }
    void text(const std::string& s) {
        number(s.size());
        bytes(s.data(), s.size());
    }
    void number(std::uint64_t v) { word(v); }
    void tensor(const torch::Tensor& t) {
        const torch::Tensor c = t.detach().to(torch::kCPU).contiguous();
        text(std::string(c.dtype().name()));
        for (const auto d : c.sizes()) number(static_cast<std::uint64_t>(d));
        bytes(c.data_ptr(), c.numel() * c.element_size());
    }
    std::uint64_t value() const {
        std::uint64_t z = m_h;  // final avalanche (splitmix64)
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }

private:
    void word(std::uint64_t w) {
        m_h ^= w * 0x9e3779b97f4a7c15ull;
        m_h = ((m_h << 31) | (m_h >> 33)) * 0xff51afd7ed558ccdull;
    }
    std::uint64_t m_h = 0x6a09e667f3bcc908ull;
};

// The file behind an item name: the name itself ("/data/cat/1.jpg"), or the
// container before '#' ("train-images-idx3-ubyte#12").
bool hashFileIdentity(Hasher& h, const std::string& name) {
    std::string file = name;
    const auto hash = name.rfind('#');
    std::error_code ec;
    fs::path path = fs::u8path(file);
    if (!fs::is_regular_file(path, ec) && hash != std::string::npos) {
        file = name.substr(0, hash);
        path = fs::u8path(file);
        if (!fs::is_regular_file(path, ec)) return false;
    } else if (ec) {
        return false;
    }
    const auto size = fs::file_size(path, ec);
    if (ec) return false;
    const auto time = fs::last_write_time(path, ec);
    if (ec) return false;
    h.number(static_cast<std::uint64_t>(size));
    h.number(static_cast<std::uint64_t>(time.time_since_epoch().count()));
    return true;
}

struct Remembered {
    std::uint64_t key;
    std::shared_ptr<const FeatureSet> set;
};
std::mutex g_mutex;
std::list<Remembered> g_sets;  // most recent first
constexpr std::size_t kRemembered = 2;

}  // namespace

FeatureCacheCheck checkFeatureCache(const ClassifierImpl& model, const FreezePlan& plan,
                                    Augment augment) {
    FeatureCacheCheck check;
    const std::string head = model.headPath();
    for (const auto& p : model.named_parameters(/*recurse=*/true)) {
        if (isUnder(p.key(), head) || plan.isFrozen(p.key())) continue;
        check.reason = "the feature cache is off: '" + p.key() +
                       "' trains (only a frozen backbone, --freeze backbone, can be computed once)";
        return check;
    }
    for (const auto& item : model.named_modules(/*name_prefix=*/"", /*include_self=*/false)) {
        if (isUnder(item.key(), head)) continue;
        if (isBatchNorm(*item.value()) && item.value()->is_training()) {
            check.reason = "the feature cache is off: the BatchNorm layer '" + item.key() +
                           "' still updates its statistics";
            return check;
        }
    }
    if (!model.featuresDeterministic()) {
        check.reason =
            "the feature cache is off: this model uses dropout or stochastic depth before its "
            "head, so its features differ from one epoch to the next";
        return check;
    }
    if (augment != Augment::None) {
        check.reason = "the feature cache is off: augmentation '" + augmentName(augment) +
                       "' changes every image each epoch, so the frozen backbone runs on every "
                       "batch (use --augment none to compute its features once)";
        return check;
    }
    check.applies = true;
    return check;
}

void FeatureSet::gather(const std::vector<std::size_t>& batch, torch::Device device,
                        torch::Tensor& outFeatures, torch::Tensor& outLabels) const {
    auto rows = torch::empty({static_cast<std::int64_t>(batch.size())}, torch::kLong);
    auto* r = rows.data_ptr<std::int64_t>();
    for (std::size_t i = 0; i < batch.size(); ++i) r[i] = rowOf.at(batch[i]);
    outFeatures = features.index_select(0, rows).to(device);
    outLabels = labels.index_select(0, rows).to(device);
}

std::uint64_t FeatureCache::key(const ClassifierImpl& model, const std::string& architecture,
                                const std::string& freezeSpec, const TransformSpec& transform,
                                const std::string& device, const DataSource& source,
                                const std::vector<std::size_t>& items) {
    Hasher h;
    h.text(architecture);
    h.text(freezeSpec);
    const std::string head = model.headPath();
    h.text(head);
    for (const auto& p : model.named_parameters(/*recurse=*/true)) {
        if (isUnder(p.key(), head)) continue;
        h.text(p.key());
        h.tensor(p.value());
    }
    for (const auto& b : model.named_buffers(/*recurse=*/true)) {
        if (isUnder(b.key(), head)) continue;
        h.text(b.key());
        h.tensor(b.value());
    }
    h.number(static_cast<std::uint64_t>(transform.cropSize));
    h.text(augmentName(transform.augment));
    h.number(transform.horizontalFlip ? 1 : 0);
    h.bytes(transform.norm.mean.data(), sizeof(float) * 3);
    h.bytes(transform.norm.std.data(), sizeof(float) * 3);
    h.text(device);
    h.text(source.description());
    h.number(items.size());
    for (const std::size_t item : items) {
        const std::string name = source.itemName(item);
        h.text(name);
        h.number(static_cast<std::uint64_t>(source.label(item)));
        if (!hashFileIdentity(h, name)) {
            // Not a file (an in-memory image): its pixels are its identity.
            try {
                const RgbImage image = source.load(item);
                h.number(static_cast<std::uint64_t>(image.width));
                h.number(static_cast<std::uint64_t>(image.height));
                h.bytes(image.pixels.data(), image.pixels.size());
            } catch (const std::exception&) {
                h.text("unreadable");
            }
        }
    }
    return h.value();
}

std::size_t FeatureCache::bytesFor(std::size_t items, std::int64_t width) {
    return items * (static_cast<std::size_t>(width) * sizeof(float) + sizeof(std::int64_t));
}

std::shared_ptr<const FeatureSet> FeatureCache::find(std::uint64_t key) {
    std::lock_guard<std::mutex> lock(g_mutex);
    for (auto it = g_sets.begin(); it != g_sets.end(); ++it) {
        if (it->key != key) continue;
        g_sets.splice(g_sets.begin(), g_sets, it);
        return g_sets.front().set;
    }
    return nullptr;
}

void FeatureCache::remember(std::uint64_t key, std::shared_ptr<const FeatureSet> set) {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_sets.remove_if([&](const Remembered& r) { return r.key == key; });
    g_sets.push_front({key, std::move(set)});
    while (g_sets.size() > kRemembered) g_sets.pop_back();
}

void FeatureCache::clear() {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_sets.clear();
}

std::shared_ptr<FeatureSet> FeatureCache::compute(ClassifierImpl& model, BatchLoader& loader,
                                                  torch::Device device,
                                                  const std::function<bool()>& stopped) {
    torch::NoGradGuard noGrad;
    model.eval();
    auto set = std::make_shared<FeatureSet>();
    std::vector<torch::Tensor> chunks, labelChunks;
    loader.startEpoch(0);
    Batch batch;
    bool complete = true;
    for (;;) {
        if (stopped && stopped()) {
            complete = false;
            break;
        }
        if (!loader.next(batch)) break;
        const auto skipped = loader.takeSkipped();
        set->skipped.insert(set->skipped.end(), skipped.begin(), skipped.end());
        if (batch.labels.numel() == 0) continue;
        chunks.push_back(model.forwardFeatures(inputFor(model, batch.images.to(device)))
                             .to(torch::kCPU, torch::kFloat)
                             .contiguous());
        labelChunks.push_back(batch.labels.to(torch::kCPU).clone());
        set->items.insert(set->items.end(), batch.items.begin(), batch.items.end());
    }
    if (!complete) return nullptr;
    const auto skipped = loader.takeSkipped();
    set->skipped.insert(set->skipped.end(), skipped.begin(),
                        skipped.end());  // the loader's workers stop when it starts again or dies
    set->features = chunks.empty() ? torch::empty({0, model.headInputs()}) : torch::cat(chunks);
    set->labels = labelChunks.empty() ? torch::empty({0}, torch::kLong) : torch::cat(labelChunks);
    for (std::size_t i = 0; i < set->items.size(); ++i)
        set->rowOf[set->items[i]] = static_cast<std::int64_t>(i);
    return set;
}

}  // namespace fts
