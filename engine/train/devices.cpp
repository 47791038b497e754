#include "train/devices.h"

#include <torch/cuda.h>

#include <algorithm>
#include <thread>

#ifdef __linux__
#include <sched.h>
#endif

namespace fts {

std::vector<ComputeDevice> availableDevices() {
    std::vector<ComputeDevice> devices;
    const int cores = usableCores();
    devices.push_back(
        {"cpu", "CPU (" + std::to_string(cores) + (cores == 1 ? " core)" : " cores)"), 0});
    // Querying the memory needs the CUDA runtime headers, which a CPU-only
    // build lacks: memoryBytes stays 0 (unknown).
    const auto count = static_cast<int>(torch::cuda::device_count());
    for (int i = 0; i < count; ++i)
        devices.push_back({"cuda:" + std::to_string(i), "CUDA device " + std::to_string(i), 0});
    return devices;
}

int usableCores() {
#ifdef __linux__
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        const int count = CPU_COUNT(&set);
        if (count > 0) return count;
    }
#endif
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace fts
