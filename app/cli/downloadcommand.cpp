#include "downloadcommand.h"

#include "core/error.h"
#include "core/fileio.h"
#include "weights/modelzoo.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <system_error>

#ifdef _WIN32
#include <io.h>
#define FTS_ISATTY _isatty
#define FTS_FILENO _fileno
#else
#include <unistd.h>
#define FTS_ISATTY isatty
#define FTS_FILENO fileno
#endif

namespace fs = std::filesystem;

namespace fts::cli {
namespace {

std::atomic<bool> g_cancel{false};

extern "C" void onDownloadInterrupt(int) {
    g_cancel.store(true);
}

std::string megabytes(std::int64_t bytes) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(1) << double(bytes) / 1e6 << " MB";
    return s.str();
}

void printError(std::string message) {
    for (std::size_t i = message.find('\n'); i != std::string::npos; i = message.find('\n', i))
        message.replace(i, 1, "; ");
    std::cerr << "error: " << message << std::endl;
}

// One updating line on a terminal (at most ten a second); otherwise a line
// at each tenth of the file, so logs stay short.
class DownloadPrinter {
public:
    explicit DownloadPrinter(std::string name)
        : m_name(std::move(name)), m_tty(FTS_ISATTY(FTS_FILENO(stderr)) != 0) {}
    ~DownloadPrinter() { endLine(); }

    void update(const ZooProgress& p) {
        if (p.stage == ZooProgress::Stage::Checking) return;
        if (p.stage == ZooProgress::Stage::Verifying) {
            endLine();
            std::cerr << m_name << ": checking its SHA-256" << std::endl;
            return;
        }
        const int percent = p.total > 0 ? int(p.received * 100 / p.total) : -1;
        std::string text = m_name + ": " + megabytes(p.received);
        if (p.total > 0)
            text += " of " + megabytes(p.total) + " (" + std::to_string(percent) + "%)";
        if (m_tty) {
            std::cerr << "\r\033[K" << text << std::flush;
            m_open = true;
            return;
        }
        const std::int64_t step = p.total > 0 ? percent / 10 : p.received / 10000000;
        if (step == m_lastStep) return;
        m_lastStep = step;
        std::cerr << text << std::endl;
    }

    void endLine() {
        if (m_open) std::cerr << std::endl;
        m_open = false;
    }

private:
    std::string m_name;
    bool m_tty = false;
    bool m_open = false;
    std::int64_t m_lastStep = -1;
};

std::string offlineHint(const DownloadError& e) {
    if (e.kind() == DownloadError::Kind::Network || e.kind() == DownloadError::Kind::Http)
        return " Without a network, download the file another way and pass it with "
               "--weights FILE.";
    return {};
}

// 0: fetched (path in `file`); 1: failed (printed); 130: cancelled.
int fetch(const ZooEntry& entry, fs::path& file) {
    const std::string label = entry.arch.empty() ? entry.fileName : entry.arch;
    DownloadPrinter printer(entry.fileName);
    bool announced = false;
    const auto progress = [&](const ZooProgress& p) {
        if (p.stage == ZooProgress::Stage::Downloading && !announced) {
            announced = true;
            std::cerr << label << ": downloading " << entry.url << std::endl;
        }
        printer.update(p);
    };
    g_cancel.store(false);
    auto previous = std::signal(SIGINT, onDownloadInterrupt);
    try {
        file = fetchWeights(entry, progress, &g_cancel);
    } catch (const DownloadError& e) {
        std::signal(SIGINT, previous);
        printer.endLine();
        printError(e.what() + offlineHint(e));
        return 1;
    } catch (const std::exception& e) {
        std::signal(SIGINT, previous);
        printer.endLine();
        printError(e.what());
        return 1;
    }
    std::signal(SIGINT, previous);
    printer.endLine();
    if (file.empty()) {
        std::cerr << "cancelled; " << displayPath(partialPath(entry))
                  << " is kept and the next download resumes it" << std::endl;
        return 130;
    }
    if (!announced) std::cerr << label << ": already downloaded and verified" << std::endl;
    return 0;
}

int listCache() {
    std::cout << "cache: " << displayPath(torchHubCheckpointDir()) << '\n';
    std::cout << std::left << std::setw(20) << "model" << std::setw(24) << "status"
              << "file\n";
    for (const ZooEntry& e : modelZoo()) {
        std::error_code ec;
        std::string status = "not downloaded";
        if (fs::is_regular_file(cachedPath(e), ec))
            status = "cached, " + megabytes(std::int64_t(fs::file_size(cachedPath(e), ec)));
        else if (fs::is_regular_file(partialPath(e), ec))
            status = "partial, " + megabytes(std::int64_t(fs::file_size(partialPath(e), ec)));
        std::cout << std::setw(20) << e.arch << std::setw(24) << status << e.fileName << '\n';
    }
    std::cout << std::flush;
    return 0;
}

}  // namespace

int runDownload(const DownloadOptions& options) {
    if (options.list) return listCache();
    std::vector<ZooEntry> entries;
    try {
        if (options.all) entries = modelZoo();
        for (const std::string& arch : options.archs) {
            auto entry = imagenetWeights(arch);
            if (!entry) {
                std::string known;
                for (const ZooEntry& e : modelZoo()) known += (known.empty() ? "" : ", ") + e.arch;
                throw Error("'" + arch +
                            "' has no ImageNet weights to download. Models with them: " + known +
                            ".");
            }
            entries.push_back(*entry);
        }
        for (const std::string& url : options.urls) entries.push_back(zooEntryForUrl(url));
    } catch (const std::exception& e) {
        printError(e.what());
        return 2;
    }
    if (entries.empty()) {
        printError(
            "download needs an architecture (see `finetune-cli models`), --all, --url URL or "
            "--list");
        return 2;
    }
    int status = 0;
    for (const ZooEntry& entry : entries) {
        fs::path file;
        const int rc = fetch(entry, file);
        if (rc == 130) return rc;
        if (rc != 0) {
            status = rc;
            continue;
        }
        std::cout << file.string() << std::endl;
    }
    return status;
}

int resolveImagenetWeights(const std::string& arch, std::string& weights) {
    const auto entry = imagenetWeights(arch);
    if (!entry) {
        printError("--weights imagenet: '" + arch +
                   "' has no ImageNet weights; pass a weights file with --weights FILE or "
                   "omit --weights to train from scratch.");
        return 2;
    }
    fs::path file;
    const int rc = fetch(*entry, file);
    if (rc != 0) return rc;
    std::cerr << arch << ": ImageNet weights " << displayPath(file) << std::endl;
    weights = file.string();
    return 0;
}

}  // namespace fts::cli
