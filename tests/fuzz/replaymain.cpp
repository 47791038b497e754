// Replays files through a libFuzzer harness without libFuzzer: the regression
// tests of the normal (gcc) build. Usage: fuzzreplay_<name> PATH...; each
// PATH is a file or a folder (all files inside, sorted; README* and dot files
// skipped; a missing PATH is skipped). Exits non-zero when nothing was replayed.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        const fs::path arg(argv[i]);
        std::error_code ec;
        if (fs::is_directory(arg, ec)) {
            for (const auto& e : fs::recursive_directory_iterator(arg, ec)) {
                const std::string name = e.path().filename().string();
                if (e.is_regular_file() && name.rfind("README", 0) != 0 && name[0] != '.')
                    files.push_back(e.path());
            }
        } else if (fs::is_regular_file(arg, ec)) {
            files.push_back(arg);
        } else {
            // tests/fuzz/crashes/<name> exists only once something was found.
            std::fprintf(stderr, "%s: no such file or folder, skipped\n", argv[i]);
        }
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                      std::istreambuf_iterator<char>());
        std::fprintf(stderr, "replay %s (%zu bytes)\n", f.string().c_str(), bytes.size());
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    }
    std::printf("replayed %zu files\n", files.size());
    return files.empty() ? 1 : 0;
}
