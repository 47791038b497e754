#include "train/devices.h"

#include <c10/util/Exception.h>
#include <torch/cuda.h>

// FTS_CUDA_RUNTIME: set by cmake/parts/devices.cmake for this file when the
// LibTorch found has CUDA (its CUDA runtime headers come with it).
#ifdef FTS_CUDA_RUNTIME
#include <c10/cuda/CUDACachingAllocator.h>
#include <cuda_runtime_api.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#ifdef __linux__
#include <sched.h>
#endif

namespace fts {
namespace {

#ifdef __linux__
std::string readSmallFile(const std::string& path) {
    std::ifstream in(path);
    if (!in) return {};
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The cgroup this process belongs to, as /proc/self/cgroup names it: for v2
// the "0::" line, for v1 the line whose controller list holds "cpu".
std::string cgroupPath(bool v2) {
    std::istringstream lines(readSmallFile("/proc/self/cgroup"));
    std::string line;
    while (std::getline(lines, line)) {
        const auto first = line.find(':');
        const auto second = line.find(':', first + 1);
        if (first == std::string::npos || second == std::string::npos) continue;
        const std::string controllers = line.substr(first + 1, second - first - 1);
        const std::string path = line.substr(second + 1);
        if (v2 && line.compare(0, first, "0") == 0 && controllers.empty()) return path;
        if (!v2) {
            std::istringstream list(controllers);
            std::string c;
            while (std::getline(list, c, ','))
                if (c == "cpu") return path;
        }
    }
    return {};
}

// The smallest non-zero limit along `path` and its ancestors below `root`
// (a container sees its own cgroup as "/", so the root's files count too).
template <typename Read>
int smallestLimit(const std::string& root, std::string path, Read read) {
    int best = 0;
    for (;;) {
        const int cores = read(root + (path == "/" ? std::string() : path));
        if (cores > 0) best = best == 0 ? cores : std::min(best, cores);
        if (path.empty() || path == "/") break;
        const auto slash = path.rfind('/');
        path = slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
    }
    return best;
}

int cgroupCores() {
    const auto v2 = [](const std::string& dir) {
        return cpuMaxCores(readSmallFile(dir + "/cpu.max"));
    };
    int limit = smallestLimit("/sys/fs/cgroup", cgroupPath(/*v2=*/true), v2);
    for (const char* root : {"/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct"}) {
        const std::string base = root;
        const auto v1 = [](const std::string& dir) {
            return cfsQuotaCores(readSmallFile(dir + "/cpu.cfs_quota_us"),
                                 readSmallFile(dir + "/cpu.cfs_period_us"));
        };
        const int cores = smallestLimit(base, cgroupPath(/*v2=*/false), v1);
        if (cores > 0) limit = limit == 0 ? cores : std::min(limit, cores);
    }
    return limit;
}
#endif

int quotaCores(double quota, double period) {
    if (!(quota > 0.0) || !(period > 0.0)) return 0;
    return std::max(1, static_cast<int>(std::ceil(quota / period - 1e-9)));
}

}  // namespace

std::vector<ComputeDevice> availableDevices() {
    std::vector<ComputeDevice> devices;
    const int cores = usableCores();
    devices.push_back(
        {"cpu", "CPU (" + std::to_string(cores) + (cores == 1 ? " core)" : " cores)"), 0, 0, 0});
    const auto count = static_cast<int>(torch::cuda::device_count());
    for (int i = 0; i < count; ++i) {
        ComputeDevice device;
        device.id = "cuda:" + std::to_string(i);
        std::string name;
#ifdef FTS_CUDA_RUNTIME
        cudaDeviceProp properties{};
        if (cudaGetDeviceProperties(&properties, i) == cudaSuccess) {
            name = properties.name;
            device.memoryBytes = static_cast<std::int64_t>(properties.totalGlobalMem);
            device.computeMajor = properties.major;
            device.computeMinor = properties.minor;
        } else {
            cudaGetLastError();  // clear the sticky error; the entry stays unnamed
        }
#endif
        device.name = gpuLabel(i, name, device.memoryBytes);
        devices.push_back(std::move(device));
    }
    return devices;
}

bool cudaCompiledIn() {
#ifdef FTS_CUDA_RUNTIME
    return true;
#else
    return false;
#endif
}

std::string gpuLabel(int index, const std::string& name, std::int64_t memoryBytes) {
    std::string label = "GPU " + std::to_string(index);
    if (!name.empty()) label += ": " + name;
    if (memoryBytes > 0) {
        char text[32];
        std::snprintf(text, sizeof text, " (%.1f GiB)", double(memoryBytes) / double(1LL << 30));
        label += text;
    }
    return label;
}

std::vector<std::string> precisionChoices() {
    return {"fp32", "bf16"};
}

std::string precisionProblem(const std::string& precision, const std::string& deviceId,
                             int computeMajor, bool cudaBuild) {
    if (precision == "fp32") return {};
    if (precision != "bf16")
        return "--precision: unknown precision '" + precision + "'; use fp32 or bf16";
    const bool cuda = deviceId.rfind("cuda", 0) == 0;
    if (!cuda)
        return "--precision bf16 needs a CUDA GPU (compute capability 8.0 or newer) but the run "
               "uses " +
               deviceId + "; use --precision fp32 on the CPU";
    if (!cudaBuild)
        return "--precision bf16: this build cannot read the GPU's compute capability (its "
               "LibTorch has no CUDA runtime); use --precision fp32";
    if (computeMajor < 8)
        return "--precision bf16 needs a GPU of compute capability 8.0 or newer (Ampere or "
               "later) but " +
               deviceId + " has " +
               (computeMajor > 0 ? std::to_string(computeMajor) + ".x"
                                 : std::string("an unknown one")) +
               "; use --precision fp32";
    return {};
}

bool isOutOfMemory(const std::exception& error) {
    if (dynamic_cast<const c10::OutOfMemoryError*>(&error)) return true;
    const std::string text = error.what();
    return text.find("CUDA out of memory") != std::string::npos ||
           text.find("CUDA error: out of memory") != std::string::npos;
}

void releaseCudaCache() {
#ifdef FTS_CUDA_RUNTIME
    if (torch::cuda::is_available()) c10::cuda::CUDACachingAllocator::emptyCache();
#endif
}

std::vector<long long> injectedOutOfMemorySteps() {
    std::vector<long long> steps;
    const char* value = std::getenv("FTS_INJECT_OOM");
    if (!value) return steps;
    std::istringstream list(value);
    std::string item;
    while (std::getline(list, item, ',')) {
        try {
            const long long step = std::stoll(item);
            if (step > 0) steps.push_back(step);
        } catch (const std::exception&) {
            // not a number: ignored (a test hook, not a user setting)
        }
    }
    return steps;
}

int cpuMaxCores(const std::string& cpuMax) {
    std::istringstream in(cpuMax);
    std::string quota;
    double period = 100000.0;
    if (!(in >> quota) || quota == "max") return 0;
    in >> period;
    try {
        return quotaCores(std::stod(quota), period);
    } catch (const std::exception&) {
        return 0;
    }
}

int cfsQuotaCores(const std::string& quotaUs, const std::string& periodUs) {
    try {
        return quotaCores(std::stod(quotaUs), std::stod(periodUs));
    } catch (const std::exception&) {
        return 0;
    }
}

int usableCores() {
    int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
#ifdef __linux__
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        const int count = CPU_COUNT(&set);
        if (count > 0) cores = count;
    }
    const int quota = cgroupCores();
    if (quota > 0) cores = std::min(cores, quota);
#endif
    return std::max(1, cores);
}

int trainingThreads(int requested) {
    return requested > 0 ? requested : usableCores();
}

}  // namespace fts
