#pragma once

#include <cstddef>

namespace fts {

/// Installs, once per process, a CPU tensor allocator that keeps freed
/// blocks of 1 MiB and more for reuse instead of returning them to the
/// system. A training step allocates and frees the same large activation
/// buffers every batch; glibc hands blocks that large straight back to the
/// kernel (munmap), so every step paid for fresh zeroed pages again: 3.5
/// million page faults and ~8 s of system time in a 20 s ResNet-18 run
/// (docs/performance.md). Freed blocks are reused best-fit (at most 1.5x the
/// request); the cache holds at most as much as was ever in use at once,
/// and never less than 256 MiB. With glibc it also stops malloc from using
/// mmap and raises its trim threshold to 512 MiB, for the same churn in
/// memory LibTorch's allocator does not see (oneDNN's tensors): process-wide
/// settings, made once. Thread-safe; tensors allocated before installation
/// are freed as before.
void installCachingCpuAllocator();

/// Returns every cached block to the system, and with glibc trims malloc's
/// heaps (after a run, so an idle GUI does not hold the memory). Blocks
/// still in use are unaffected.
void releaseCachedCpuMemory();

/// Bytes currently cached (freed, kept for reuse).
std::size_t cachedCpuBytes();

}  // namespace fts
