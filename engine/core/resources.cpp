#include "core/resources.h"

#include "core/error.h"
#include "core/fileio.h"

#include <cstdlib>
#include <string>
#include <system_error>
#include <vector>

#ifdef _WIN32
#include <windows.h>
#elif defined(__APPLE__)
#include <mach-o/dyld.h>
#endif

namespace fts {

std::filesystem::path executablePath() {
    std::error_code ec;
#ifdef _WIN32
    std::wstring buffer(32768, L'\0');
    const DWORD n = GetModuleFileNameW(nullptr, buffer.data(), static_cast<DWORD>(buffer.size()));
    buffer.resize(n);
    return std::filesystem::path(buffer);
#elif defined(__APPLE__)
    uint32_t size = 0;
    _NSGetExecutablePath(nullptr, &size);
    std::string buffer(size, '\0');
    if (_NSGetExecutablePath(buffer.data(), &size) != 0) return {};
    return std::filesystem::weakly_canonical(std::filesystem::path(buffer.c_str()), ec);
#else
    const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path() : p;
#endif
}

std::filesystem::path demoDirectory() {
    std::vector<std::filesystem::path> candidates;
    if (const char* env = std::getenv("FTS_DEMO_DIR"); env && *env)
        candidates.push_back(std::filesystem::u8path(env));
    const auto exe = executablePath();
    if (!exe.empty())
        candidates.push_back(exe.parent_path().parent_path() / "share" / "finetune-studio" /
                             "demo");
#ifdef FTS_SOURCE_DEMO_DIR
    candidates.push_back(std::filesystem::u8path(FTS_SOURCE_DEMO_DIR));
#endif
    std::string tried;
    for (const auto& c : candidates) {
        std::error_code ec;
        if (std::filesystem::exists(c / "classes.txt", ec)) return c;
        tried += (tried.empty() ? "" : ", ") + displayPath(c);
    }
    throw Error("the bundled demo was not found (looked in: " + tried +
                "); set FTS_DEMO_DIR to the folder that holds resources/demo");
}

}  // namespace fts
