#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fts {

/// A device a run can use, as the GUI's device list and `--device` name it.
struct ComputeDevice {
    std::string id;                // "cpu", "cuda:0"
    std::string name;              // "CPU (2 cores)", "CUDA device 0"
    std::int64_t memoryBytes = 0;  // 0 when unknown
};

/// "cpu" first, then every CUDA device this build and machine have.
std::vector<ComputeDevice> availableDevices();

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
