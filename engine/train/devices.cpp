#include "train/devices.h"

#include <torch/cuda.h>

#include <algorithm>
#include <cmath>
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
        {"cpu", "CPU (" + std::to_string(cores) + (cores == 1 ? " core)" : " cores)"), 0});
    // Querying the memory needs the CUDA runtime headers, which a CPU-only
    // build lacks: memoryBytes stays 0 (unknown).
    const auto count = static_cast<int>(torch::cuda::device_count());
    for (int i = 0; i < count; ++i)
        devices.push_back({"cuda:" + std::to_string(i), "CUDA device " + std::to_string(i), 0});
    return devices;
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
