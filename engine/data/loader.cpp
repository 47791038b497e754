#include "data/loader.h"

#include "core/error.h"
#include "data/evaltransform.h"
#include "data/split.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace fts {
namespace {

// Salts keep the order generator and the per-sample generators apart.
constexpr std::uint64_t kOrderSalt = 0x0cde7;
constexpr std::uint64_t kSampleSalt = 0x5a3b1e;

// A batch as the workers build it: plain memory, no ATen calls off the consumer thread.
struct Prepared {
    std::vector<float> pixels;  // items.size() x 3 x S x S
    std::vector<std::int64_t> labels;
    std::vector<std::size_t> items;
};

// Pixel buffers of batches the consumer has dropped, for the workers to fill
// again: steady-state epochs allocate no batch memory. Shared with the
// tensors' deleters, which may run after the loader is gone.
class BufferPool {
public:
    std::vector<float> take(std::size_t floats) {
        std::vector<float> buffer;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (!m_free.empty()) {
                buffer = std::move(m_free.back());
                m_free.pop_back();
            }
        }
        buffer.resize(floats);
        return buffer;
    }
    void give(std::vector<float>&& buffer) {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_free.size() < kKept) m_free.push_back(std::move(buffer));
    }

private:
    static constexpr std::size_t kKept = 16;  // more than the prefetch window + in-flight batches
    std::mutex m_mutex;
    std::vector<std::vector<float>> m_free;
};

std::string reasonOf(const std::string& message, const std::string& name) {
    // Errors start with the item's name ("a/b.jpg: problem"); the name is in SkippedFile::path.
    const std::string prefix = name + ": ";
    if (message.compare(0, prefix.size(), prefix) == 0 && message.size() > prefix.size())
        return message.substr(prefix.size());
    return message;
}

}  // namespace

struct BatchLoader::Impl {
    const DataSource& source;
    std::vector<std::size_t> items;  // as given
    TransformSpec spec;
    LoaderOptions options;

    // Guards everything below; workers and the consumer meet here.
    std::mutex mutex;
    std::condition_variable workAvailable;  // workers wait for room in the prefetch window
    std::condition_variable batchReady;     // the consumer waits for the next batch
    std::atomic<bool> stopping{false};      // checked between items, so abandoning is prompt

    bool started = false;
    int epoch = 0;
    std::vector<std::size_t> order;  // this epoch's items, failed ones left out
    std::size_t batchCount = 0;
    std::size_t nextClaim = 0;    // first batch no worker has taken
    std::size_t nextDeliver = 0;  // the batch next() returns next
    std::map<std::size_t, Prepared> ready;
    std::exception_ptr fatal;
    std::set<std::size_t> failed;
    std::vector<SkippedFile> newlySkipped;
    std::vector<std::thread> threads;
    std::shared_ptr<BufferPool> pool = std::make_shared<BufferPool>();

    // The decoded-image cache: slot k holds items[k] once state[k] is kFilled.
    // A slot is written once, by the worker that claims it (kEmpty ->
    // kWriting), and read-only once kFilled.
    bool evalCrops = false;           // slots hold S x S evaluation crops (else presized images)
    std::vector<std::size_t> slotOf;  // source index -> slot (empty when the cache is off)
    std::vector<RgbImage> cached;
    enum : std::uint8_t { kEmpty, kWriting, kFilled, kRejected };
    std::unique_ptr<std::atomic<std::uint8_t>[]> state;
    std::atomic<std::size_t> cachedBytes{0};
    std::atomic<std::size_t> cachedItems{0};
    std::atomic<std::size_t> overBudget{0};

    Impl(const DataSource& s, std::vector<std::size_t> i, TransformSpec t, LoaderOptions o)
        : source(s), items(std::move(i)), spec(t), options(o) {
        evalCrops = !options.train || spec.augment == Augment::None;
        if (options.cacheBytes > 0) {
            options.presize = true;
            slotOf.assign(source.size(), static_cast<std::size_t>(-1));
            for (std::size_t k = 0; k < items.size(); ++k)
                if (items[k] < slotOf.size()) slotOf[items[k]] = k;
            cached.resize(items.size());
            state = std::make_unique<std::atomic<std::uint8_t>[]>(items.size());
            for (std::size_t k = 0; k < items.size(); ++k) state[k] = kEmpty;
        }
    }

    const RgbImage* cachedImage(std::size_t item) const {
        if (slotOf.empty() || item >= slotOf.size()) return nullptr;
        const std::size_t slot = slotOf[item];
        return state[slot].load(std::memory_order_acquire) == kFilled ? &cached[slot] : nullptr;
    }

    // Keeps `image` when the budget allows; returns the kept copy or null.
    const RgbImage* keep(std::size_t item, RgbImage& image) {
        if (slotOf.empty() || item >= slotOf.size()) return nullptr;
        const std::size_t slot = slotOf[item];
        std::uint8_t expected = kEmpty;
        if (!state[slot].compare_exchange_strong(expected, kWriting)) return nullptr;
        const std::size_t bytes = image.pixels.size();
        std::size_t used = cachedBytes.load();
        do {
            if (used + bytes > options.cacheBytes) {
                state[slot] = kRejected;
                ++overBudget;
                return nullptr;
            }
        } while (!cachedBytes.compare_exchange_weak(used, used + bytes));
        cached[slot] = std::move(image);
        state[slot].store(kFilled, std::memory_order_release);
        ++cachedItems;
        return &cached[slot];
    }

    // Item `item` at training resolution: from the cache, or decoded (and
    // kept when there is room). `scratch` holds it when it is not kept.
    const RgbImage& imageAt(std::size_t item, RgbImage& scratch) {
        if (const RgbImage* hit = cachedImage(item)) return *hit;
        scratch = source.load(item);
        if (evalCrops) {
            scratch = evalCrop(scratch, spec.cropSize);
        } else if (options.presize &&
                   std::min(scratch.width, scratch.height) > resizeSizeFor(spec.cropSize)) {
            scratch = presizeForTraining(scratch, spec.cropSize);
        }
        if (const RgbImage* kept = keep(item, scratch)) return *kept;
        return scratch;
    }

    std::size_t goodItemCount() const {
        std::size_t n = 0;
        for (std::size_t i : items) n += failed.count(i) == 0;
        return n;
    }

    std::size_t batchesFor(std::size_t n) const {
        const auto b = static_cast<std::size_t>(options.batchSize);
        return options.dropLast ? n / b : (n + b - 1) / b;
    }

    void stopWorkers() {
        {
            std::lock_guard<std::mutex> lock(mutex);
            stopping = true;
        }
        workAvailable.notify_all();
        for (auto& t : threads) t.join();
        threads.clear();
        stopping = false;
    }

    void prepare(std::size_t batch, Prepared& out) {
        const std::size_t first = batch * static_cast<std::size_t>(options.batchSize);
        const std::size_t last =
            std::min(order.size(), first + static_cast<std::size_t>(options.batchSize));
        const std::size_t sampleFloats =
            3 * static_cast<std::size_t>(spec.cropSize) * spec.cropSize;
        out.pixels = pool->take((last - first) * sampleFloats);
        out.items.reserve(last - first);
        out.labels.reserve(last - first);
        RgbImage scratch;
        for (std::size_t k = first; k < last; ++k) {
            if (stopping) return;
            const std::size_t item = order[k];
            float* dst = out.pixels.data() + out.items.size() * sampleFloats;
            try {
                const RgbImage& image = imageAt(item, scratch);
                const PixelLayout layout =
                    options.channelsLast ? PixelLayout::Interleaved : PixelLayout::Planar;
                if (evalCrops) {
                    normalizeInto(image, spec.norm, dst, layout);  // already the S x S crop
                } else {
                    // One generator per sample from (seed, epoch, item): the result does not
                    // depend on which thread draws it or in which order.
                    std::mt19937_64 rng(mixSeed(options.seed ^ kSampleSalt,
                                                static_cast<std::uint64_t>(epoch), item));
                    trainTransformInto(image, spec, rng, dst, layout);
                }
            } catch (const std::exception& e) {
                const std::string name = source.itemName(item);
                std::lock_guard<std::mutex> lock(mutex);
                if (failed.insert(item).second)
                    newlySkipped.push_back({name, reasonOf(e.what(), name)});
                continue;
            }
            out.items.push_back(item);
            out.labels.push_back(source.label(item));
        }
        out.pixels.resize(out.items.size() * sampleFloats);
    }

    void work() {
#ifdef __linux__
        if (options.lowPriorityWorkers) {
            // Per thread on Linux: PRIO_PROCESS with a thread id. Raising
            // the nice value needs no privilege; failure only costs speed.
            const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
            errno = 0;
            const int nice = ::getpriority(PRIO_PROCESS, tid);
            if (errno == 0) (void)::setpriority(PRIO_PROCESS, tid, std::min(19, nice + 10));
        }
#endif
        for (;;) {
            std::size_t batch = 0;
            {
                std::unique_lock<std::mutex> lock(mutex);
                const auto window = static_cast<std::size_t>(std::max(1, options.prefetchBatches));
                workAvailable.wait(lock, [&] {
                    return stopping || nextClaim >= batchCount || nextClaim < nextDeliver + window;
                });
                if (stopping || nextClaim >= batchCount) return;
                batch = nextClaim++;
            }
            Prepared prepared;
            try {
                prepare(batch, prepared);
            } catch (...) {
                std::lock_guard<std::mutex> lock(mutex);
                if (!fatal) fatal = std::current_exception();
                batchReady.notify_all();
                return;
            }
            {
                std::lock_guard<std::mutex> lock(mutex);
                if (stopping) return;
                ready.emplace(batch, std::move(prepared));
            }
            batchReady.notify_all();
        }
    }
};

BatchLoader::BatchLoader(const DataSource& source, std::vector<std::size_t> items,
                         TransformSpec spec, LoaderOptions options)
    : d(std::make_unique<Impl>(source, std::move(items), spec, options)) {
    if (options.batchSize <= 0)
        throw Error("the batch size must be positive (got " + std::to_string(options.batchSize) +
                    ")");
    if (spec.cropSize <= 0)
        throw Error("the image size must be positive (got " + std::to_string(spec.cropSize) + ")");
    for (std::size_t i : d->items)
        if (i >= source.size())
            throw Error("item " + std::to_string(i) + " is outside the data source (" +
                        std::to_string(source.size()) + " items)");
}

BatchLoader::~BatchLoader() {
    d->stopWorkers();
}

void BatchLoader::startEpoch(int epoch) {
    d->stopWorkers();  // an abandoned epoch: its workers stop between items
    // The full list is shuffled before failed items are removed, so the order
    // of the others is the same whether or not something failed earlier.
    std::vector<std::size_t> order =
        d->options.shuffle ? epochOrder(d->items, d->options.seed, epoch) : d->items;
    {
        std::lock_guard<std::mutex> lock(d->mutex);
        order.erase(std::remove_if(order.begin(), order.end(),
                                   [&](std::size_t i) { return d->failed.count(i) > 0; }),
                    order.end());
        d->epoch = epoch;
        d->order = std::move(order);
        d->batchCount = d->batchesFor(d->order.size());
        d->nextClaim = 0;
        d->nextDeliver = 0;
        d->ready.clear();
        d->fatal = nullptr;
        d->started = true;
    }
    const int workers = std::max(1, d->options.workers);
    const std::size_t useful =
        std::min<std::size_t>(static_cast<std::size_t>(workers), d->batchCount);
    for (std::size_t w = 0; w < useful; ++w) d->threads.emplace_back([this] { d->work(); });
}

bool BatchLoader::next(Batch& out) {
    Prepared prepared;
    {
        std::unique_lock<std::mutex> lock(d->mutex);
        if (!d->started) return false;  // call startEpoch first
        for (;;) {
            if (d->nextDeliver >= d->batchCount) {
                lock.unlock();
                d->stopWorkers();  // all have finished or are about to
                return false;
            }
            d->batchReady.wait(lock,
                               [&] { return d->fatal || d->ready.count(d->nextDeliver) > 0; });
            if (d->fatal) {
                const std::exception_ptr fatal = d->fatal;
                d->fatal = nullptr;
                d->nextDeliver = d->batchCount;  // the epoch cannot go on
                lock.unlock();
                d->stopWorkers();
                std::rethrow_exception(fatal);
            }
            auto it = d->ready.find(d->nextDeliver);
            prepared = std::move(it->second);
            d->ready.erase(it);
            ++d->nextDeliver;
            d->workAvailable.notify_all();
            if (!prepared.items.empty()) break;  // a batch whose items all failed is left out
        }
    }
    const auto n = static_cast<std::int64_t>(prepared.items.size());
    const std::int64_t s = d->spec.cropSize;
    // The tensors take over the workers' buffers, no copy; the pixel buffer
    // goes back to the pool when the tensor dies.
    auto* pixels = new std::vector<float>(std::move(prepared.pixels));
    std::shared_ptr<BufferPool> pool = d->pool;
    const auto deleter = [pixels, pool](void*) {
        pool->give(std::move(*pixels));
        delete pixels;
    };
    if (d->options.channelsLast)  // NHWC in memory, [N, C, H, W] in shape
        out.images = at::from_blob(pixels->data(), {n, 3, s, s}, {3 * s * s, 1, 3 * s, 3}, deleter,
                                   at::TensorOptions().dtype(at::kFloat));
    else
        out.images = at::from_blob(pixels->data(), {n, 3, s, s}, deleter,
                                   at::TensorOptions().dtype(at::kFloat));
    auto* labels = new std::vector<std::int64_t>(std::move(prepared.labels));
    out.labels = at::from_blob(
        labels->data(), {n}, [labels](void*) { delete labels; },
        at::TensorOptions().dtype(at::kLong));
    out.items = std::move(prepared.items);
    if (d->options.pinMemory) {
        out.images = out.images.pin_memory();  // keeps the channels-last strides
        out.labels = out.labels.pin_memory();
    }
    return true;
}

std::size_t BatchLoader::batchesPerEpoch() const {
    std::lock_guard<std::mutex> lock(d->mutex);
    return d->batchesFor(d->goodItemCount());
}

std::size_t BatchLoader::itemCount() const {
    std::lock_guard<std::mutex> lock(d->mutex);
    return d->goodItemCount();
}

std::vector<std::size_t> BatchLoader::failedItems() const {
    std::lock_guard<std::mutex> lock(d->mutex);
    return std::vector<std::size_t>(d->failed.begin(), d->failed.end());
}

ImageCacheStats BatchLoader::cacheStats() const {
    ImageCacheStats stats;
    stats.items = d->cachedItems.load();
    stats.bytes = d->cachedBytes.load();
    stats.overBudget = d->overBudget.load();
    return stats;
}

std::vector<std::size_t> epochOrder(std::vector<std::size_t> items, std::uint64_t seed, int epoch) {
    std::mt19937_64 rng(mixSeed(seed ^ kOrderSalt, static_cast<std::uint64_t>(epoch)));
    shuffleItems(items, rng);
    return items;
}

std::vector<SkippedFile> BatchLoader::takeSkipped() {
    std::lock_guard<std::mutex> lock(d->mutex);
    std::vector<SkippedFile> out;
    out.swap(d->newlySkipped);
    return out;
}

}  // namespace fts
