#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fts {

/// A device a run can use, as the GUI's device list and `--device` name it.
struct ComputeDevice {
    std::string id;    // "cpu", "cuda:0"
    std::string name;  // "CPU (2 cores)", "CUDA device 0"
    std::int64_t memoryBytes = 0;  // 0 when unknown
};

/// "cpu" first, then every CUDA device this build and machine have.
std::vector<ComputeDevice> availableDevices();

/// Cores this process may use (CPU affinity; at least 1).
int usableCores();

}  // namespace fts
