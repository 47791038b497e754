#include "weights/modelzoo.h"

#include "core/error.h"
#include "core/fileio.h"
#include "models/registry.h"
#include "train/rundirectory.h"  // sha256OfFile

#include <cstdlib>
#include <regex>
#include <system_error>

namespace fs = std::filesystem;

namespace fts {
namespace {

// torchvision published EfficientNet's weights under a name whose hash
// prefix is not the file's (pytorch/vision#7744); torchvision 0.16 renamed
// the same bytes to their true hash. Old caches keep the old name.
struct Renamed {
    const char* registryName;
    const char* trueName;
};
const Renamed kRenamed[] = {
    {"efficientnet_b0_rwightman-3dd342df.pth", "efficientnet_b0_rwightman-7f5810bc.pth"},
};

std::string envValue(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

std::string baseName(const std::string& url) {
    const auto query = url.find_first_of("?#");
    const std::string path = url.substr(0, query);
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// torch.hub's HASH_REGEX, r"-([a-f0-9]*)\.", first match; torch accepts any
// length, we want at least 8 digits (32 bits) to call a file verified.
std::string hashPrefixOf(const std::string& fileName) {
    static const std::regex hashRegex("-([a-f0-9]*)\\.");
    std::smatch match;
    if (!std::regex_search(fileName, match, hashRegex) || match[1].length() < 8) return {};
    return match[1].str();
}

std::string withBase(const std::string& fileName) {
    std::string base = envValue("FTS_MODEL_ZOO_URL");
    if (base.empty()) base = "https://download.pytorch.org/models";
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/" + fileName;
}

const char* legacyNameOf(const std::string& fileName) {
    for (const Renamed& r : kRenamed)
        if (fileName == r.trueName) return r.registryName;
    return nullptr;
}

bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

bool matches(const fs::path& file, const std::string& prefix) {
    return sha256OfFile(file).compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

std::vector<ZooEntry> modelZoo() {
    std::vector<ZooEntry> zoo;
    for (const ModelInfo& m : modelRegistry()) {
        if (m.weightsUrl.empty()) continue;
        std::string name = baseName(m.weightsUrl);
        for (const Renamed& r : kRenamed)
            if (name == r.registryName) name = r.trueName;
        ZooEntry e;
        e.arch = m.name;
        e.fileName = name;
        e.sha256Prefix = hashPrefixOf(name);
        e.url = withBase(name);
        zoo.push_back(std::move(e));
    }
    return zoo;
}

std::optional<ZooEntry> imagenetWeights(std::string_view arch) {
    for (ZooEntry& e : modelZoo())
        if (e.arch == arch) return std::move(e);
    return std::nullopt;
}

ZooEntry zooEntryForUrl(const std::string& url) {
    ZooEntry e;
    e.url = url;
    e.fileName = baseName(url);
    e.sha256Prefix = hashPrefixOf(e.fileName);
    if (e.fileName.empty() || e.sha256Prefix.empty())
        throw Error(url +
                    ": the file name carries no SHA-256 prefix (name-<8 or more hex digits>.pth), "
                    "so the download could not be verified; download it by hand instead.");
    return e;
}

fs::path torchHubCheckpointDir() {
    fs::path home = envValue("TORCH_HOME");
    if (home.empty()) {
        fs::path cache = envValue("XDG_CACHE_HOME");
        if (cache.empty()) {
            std::string user = envValue("HOME");
            if (user.empty()) user = envValue("USERPROFILE");
            cache = fs::path(user) / ".cache";
        }
        home = cache / "torch";
    }
    return home / "hub" / "checkpoints";
}

fs::path cachedPath(const ZooEntry& entry) {
    return torchHubCheckpointDir() / entry.fileName;
}

fs::path partialPath(const ZooEntry& entry) {
    return torchHubCheckpointDir() / (entry.fileName + ".partial");
}

fs::path fetchWeights(const ZooEntry& entry, const ZooProgressFn& progress,
                      const std::atomic<bool>* cancel, const HttpOptions& options) {
    const auto report = [&](ZooProgress::Stage stage, std::int64_t received, std::int64_t total) {
        if (progress) progress(ZooProgress{stage, received, total});
    };
    const fs::path target = cachedPath(entry);
    const fs::path partial = partialPath(entry);

    // A file PyTorch (or an earlier run) downloaded: reused once it verifies.
    report(ZooProgress::Stage::Checking, 0, -1);
    if (isFile(target) && matches(target, entry.sha256Prefix)) return target;
    if (const char* legacy = legacyNameOf(entry.fileName)) {
        const fs::path old = target.parent_path() / legacy;
        if (isFile(old) && matches(old, entry.sha256Prefix)) return old;
    }

    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec)
        throw DownloadError(DownloadError::Kind::File,
                            displayPath(target.parent_path()) + ": cannot create the folder (" +
                                ec.message() + "); set TORCH_HOME to a writable folder.");

    const bool complete = httpDownload(
        entry.url, partial,
        [&](std::int64_t received, std::int64_t total) {
            report(ZooProgress::Stage::Downloading, received, total);
        },
        cancel, options);
    if (!complete) return {};

    const auto size = std::int64_t(fs::file_size(partial, ec));
    report(ZooProgress::Stage::Verifying, size, size);
    const std::string sha = sha256OfFile(partial);
    if (sha.compare(0, entry.sha256Prefix.size(), entry.sha256Prefix) != 0) {
        fs::remove(partial, ec);
        throw DownloadError(DownloadError::Kind::Hash,
                            "Downloaded " + entry.url + " but its SHA-256 starts with " +
                                sha.substr(0, entry.sha256Prefix.size()) + ", not " +
                                entry.sha256Prefix +
                                " as its name says; the damaged download was deleted. "
                                "Try again later.");
    }
    // Same folder: the rename is atomic, so a reader sees no file or the whole file.
    fs::rename(partial, target, ec);
    if (ec)
        throw DownloadError(DownloadError::Kind::File,
                            displayPath(target) +
                                ": cannot move the verified download into place (" + ec.message() +
                                ").");
    return target;
}

}  // namespace fts
