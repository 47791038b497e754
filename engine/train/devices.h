#pragma once

#include <cstdint>
#include <exception>
#include <string>
#include <vector>

namespace fts {

/// A device a run can use, as the GUI's device list and `--device` name it.
struct ComputeDevice {
    std::string id;                // "cpu", "cuda:0"
    std::string name;              // "CPU (2 cores)", "GPU 0: NVIDIA H100 80GB HBM3 (79.2 GiB)"
    std::int64_t memoryBytes = 0;  // 0 when unknown
    int computeMajor = 0;          // CUDA compute capability (8.0: 8, 0); 0 when unknown
    int computeMinor = 0;
};

/// "cpu" first, then every CUDA device this build and machine have, with the
/// GPU's name, memory and compute capability where the build can ask the CUDA
/// runtime (cudaCompiledIn()).
std::vector<ComputeDevice> availableDevices();

/// True when this build was linked against a CUDA LibTorch (and can query
/// GPU names, memory and compute capability); false for a CPU-only LibTorch
/// such as Debian's. A CUDA build may still see no GPU.
bool cudaCompiledIn();

/// The list entry of GPU `index`: "GPU 0: NVIDIA A100-SXM4-40GB (39.4 GiB)";
/// without a name "GPU 0"; the memory part only when `memoryBytes` > 0
/// (GiB = 2^30 bytes, one decimal).
std::string gpuLabel(int index, const std::string& name, std::int64_t memoryBytes);

/// The numeric precisions a run can ask for (--precision, TrainSettings::precision).
/// "fp32": everywhere. "bf16": autocast to bfloat16 on CUDA GPUs of compute
/// capability 8.0 or newer (Ampere on); weights, optimizer state and
/// gradients stay float32, so no loss scaling is needed. No "fp16": it needs
/// a gradient scaler, which LibTorch's C++ API lacks.
std::vector<std::string> precisionChoices();

/// Why `precision` cannot run on the device `deviceId` ("cpu", "cuda:N") whose
/// compute capability is `computeMajor`.x (0: unknown); empty when it can.
/// `cudaBuild` says whether this build has CUDA at all. One sentence that
/// names --precision and what to do.
std::string precisionProblem(const std::string& precision, const std::string& deviceId,
                             int computeMajor, bool cudaBuild);

/// True for the CUDA caching allocator's out-of-memory error
/// (c10::OutOfMemoryError) and for errors whose text says "CUDA out of memory".
bool isOutOfMemory(const std::exception& error);

/// Gives the CUDA caching allocator's unused blocks back to the driver (after
/// an out-of-memory error). A no-op in a build without CUDA.
void releaseCudaCache();

/// Test hook: the training steps at which a run throws the out-of-memory error
/// the real path catches, from the environment variable FTS_INJECT_OOM
/// ("3" or "3,4": 1-based steps counted over the run). Empty when unset.
std::vector<long long> injectedOutOfMemorySteps();

/// Cores this process may use: the CPU affinity mask, capped by the cgroup
/// CPU quota (cgroup v2 cpu.max, v1 cpu.cfs_quota_us / cpu.cfs_period_us,
/// rounded up) of this process's cgroup and its ancestors. At least 1.
int usableCores();

/// CPUs a cgroup v2 `cpu.max` text allows ("max 100000": 0, no limit;
/// "150000 100000": 2, rounded up). 0 as well for text that is not a quota.
int cpuMaxCores(const std::string& cpuMax);

/// The same for cgroup v1's cpu.cfs_quota_us and cpu.cfs_period_us contents
/// (quota -1: 0, no limit).
int cfsQuotaCores(const std::string& quotaUs, const std::string& periodUs);

/// Intra-op threads for a run that asked for `requested` (0: automatic):
/// `requested` itself, else usableCores(), GUI or not. Measured on a 2-core
/// machine (docs/performance.md): holding a core back for the GUI thread made
/// training 45 % slower (9.3 instead of 17.1 images/s), while with every
/// core training the GUI's longest event-loop stall was 7.6 ms; the GUI
/// thread needs little CPU and the OS schedules it between batches.
int trainingThreads(int requested);

}  // namespace fts
