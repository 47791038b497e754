#include "core/cpuallocator.h"

#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>
#include <unordered_map>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace fts {
namespace {

constexpr std::size_t kMinCached = std::size_t(1) << 20;      // smaller blocks: plain malloc
constexpr std::size_t kPage = std::size_t(4) << 10;           // sizes round up to pages
constexpr std::size_t kMinCapacity = std::size_t(256) << 20;  // the cache may always hold this

class CachingCpuAllocator final : public c10::Allocator {
public:
    // LibTorch 1.13 declares allocate() const, 2.x non-const: both overloads
    // are defined, so whichever the base declares is overridden. copy_data()
    // is pure virtual in 2.x only. (No `override`: it would not compile on
    // one of the two, and mixing would warn.)
    c10::DataPtr allocate(std::size_t n) const { return allocateBlock(n); }
    c10::DataPtr allocate(std::size_t n) { return allocateBlock(n); }
    void copy_data(void* dest, const void* src, std::size_t count) const {
        if (count > 0) std::memcpy(dest, src, count);
    }
    c10::DeleterFnPtr raw_deleter() const { return &deleteBlock; }

    static CachingCpuAllocator& instance() {
        // Never destroyed: SetCPUAllocator needs it to outlive every tensor,
        // including those freed by other static destructors at exit. A static
        // object would have its lists destroyed first, leaving the cached
        // blocks unreachable (LeakSanitizer reported them, tst_mainwindow).
        static CachingCpuAllocator* const allocator = new CachingCpuAllocator;
        return *allocator;
    }

    void release() {
        std::multimap<std::size_t, void*> blocks;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            blocks.swap(m_free);
            m_cachedBytes = 0;
        }
        for (const auto& [size, block] : blocks) c10::free_cpu(block);
    }

    std::size_t cachedBytes() {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_cachedBytes;
    }

private:
    c10::DataPtr allocateBlock(std::size_t n) const {
        auto& self = const_cast<CachingCpuAllocator&>(*this);
        void* data = n < kMinCached ? c10::alloc_cpu(n) : self.take(n);
        return {data, data, &deleteBlock, c10::Device(c10::DeviceType::CPU)};
    }

    void* take(std::size_t n) {
        const std::size_t size = (n + kPage - 1) / kPage * kPage;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            const auto it = m_free.lower_bound(size);
            if (it != m_free.end() && it->first <= size + size / 2) {
                void* block = it->second;
                const std::size_t blockSize = it->first;
                m_cachedBytes -= blockSize;
                m_free.erase(it);
                m_live[block] = blockSize;
                noteLive(blockSize);
                return block;
            }
        }
        void* block = c10::alloc_cpu(size);  // throws c10::Error when out of memory
        std::lock_guard<std::mutex> lock(m_mutex);
        m_live[block] = size;
        noteLive(size);
        return block;
    }

    void noteLive(std::size_t size) {
        m_liveBytes += size;
        m_peakLiveBytes = std::max(m_peakLiveBytes, m_liveBytes);
    }

    // Every block this allocator hands out ends here (raw interface included).
    static void deleteBlock(void* block) {
        if (!block) return;
        CachingCpuAllocator& self = instance();
        {
            std::lock_guard<std::mutex> lock(self.m_mutex);
            const auto it = self.m_live.find(block);
            if (it != self.m_live.end()) {
                const std::size_t size = it->second;
                self.m_live.erase(it);
                self.m_liveBytes -= size;
                const std::size_t capacity = std::max(kMinCapacity, self.m_peakLiveBytes);
                if (self.m_cachedBytes + size <= capacity) {
                    self.m_free.emplace(size, block);
                    self.m_cachedBytes += size;
                    return;
                }
            }
        }
        c10::free_cpu(block);  // small, or the cache is full
    }

    std::mutex m_mutex;                             // guards everything below
    std::multimap<std::size_t, void*> m_free;       // cached blocks by size
    std::unordered_map<void*, std::size_t> m_live;  // large blocks in use
    std::size_t m_cachedBytes = 0;
    std::size_t m_liveBytes = 0;
    std::size_t m_peakLiveBytes = 0;
};

}  // namespace

void installCachingCpuAllocator() {
    static std::once_flag once;
    std::call_once(once, [] {
        // Both registries: most of ATen asks GetCPUAllocator(), oneDNN's
        // buffers (ideep) GetAllocator(kCPU).
        c10::SetCPUAllocator(&CachingCpuAllocator::instance(), /*priority=*/1);
        c10::SetAllocator(c10::DeviceType::CPU, &CachingCpuAllocator::instance(), /*priority=*/1);
#if defined(__GLIBC__)
        // The same churn outside LibTorch's allocator: oneDNN's own tensors
        // (ideep, ~100 MB each for ResNet-18's first layers at batch 32, saved
        // for backward) and decoded images. glibc would mmap and munmap each
        // of them; without mmap they come from the heap and stay mapped, and
        // heap tops are returned only past 512 MiB (and by
        // releaseCachedCpuMemory). Measured: half the page faults of a
        // training step, 1.7 s off a 13 s feature pass (docs/performance.md).
        mallopt(M_MMAP_MAX, 0);
        mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
    });
}

void releaseCachedCpuMemory() {
    CachingCpuAllocator::instance().release();
#if defined(__GLIBC__)
    malloc_trim(0);  // and what glibc kept under the raised trim threshold
#endif
}

std::size_t cachedCpuBytes() {
    return CachingCpuAllocator::instance().cachedBytes();
}

}  // namespace fts
