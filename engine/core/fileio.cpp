#include "core/fileio.h"

#include "core/error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <system_error>

#ifdef _WIN32
#include <io.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

namespace fts {

std::string displayPath(const std::filesystem::path& path) {
    const auto u8 = path.u8string();
    return std::string(u8.begin(), u8.end());
}

std::vector<std::uint8_t> readFileBytes(const std::filesystem::path& path, std::uint64_t maxBytes) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) throw Error(displayPath(path) + ": no such file");
    if (std::filesystem::is_directory(status))
        throw Error(displayPath(path) + ": is a folder, not a file");
    const std::uint64_t size = std::filesystem::file_size(path, ec);
    if (ec) throw Error(displayPath(path) + ": cannot read the file size (" + ec.message() + ")");
    if (size > maxBytes)
        throw Error(displayPath(path) + ": the file is " + std::to_string(size) +
                    " bytes, more than the limit of " + std::to_string(maxBytes));

    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(displayPath(path) + ": cannot open the file (" + std::strerror(errno) + ")");
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    if (size > 0 &&
        !in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size)))
        throw Error(displayPath(path) + ": the file could not be read to its end");
    return bytes;
}

namespace {

std::filesystem::path temporarySibling(const std::filesystem::path& path) {
    std::random_device rd;
    auto name = path.filename();
    name += ".tmp-" + std::to_string(rd() % 1000000);
    return path.parent_path() / name;
}

}  // namespace

bool removeTree(const std::filesystem::path& dir) {
    std::error_code ec;
    const auto status = std::filesystem::symlink_status(dir, ec);
    if (ec || !std::filesystem::exists(status)) return !std::filesystem::exists(status);
    bool ok = true;
    if (std::filesystem::is_directory(status)) {
        std::vector<std::filesystem::path> children;
        for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end;
             it.increment(ec))
            children.push_back(it->path());
        ok = !ec;
        for (const auto& child : children) ok = removeTree(child) && ok;
    }
    std::filesystem::remove(dir, ec);
    return ok && !ec;
}

void writeFileAtomically(const std::filesystem::path& path, const void* data, std::size_t size) {
    const auto tmp = temporarySibling(path);
    const auto fail = [&](const std::string& why) {
        std::error_code ignored;
        std::filesystem::remove(tmp, ignored);
        throw Error(displayPath(path) + ": could not be written (" + why +
                    "); the previous file, if any, is unchanged");
    };
#ifdef _WIN32
    FILE* f = _wfopen(tmp.c_str(), L"wb");
#else
    FILE* f = std::fopen(tmp.c_str(), "wb");
#endif
    if (!f) fail(std::strerror(errno));
    if (size > 0 && std::fwrite(data, 1, size, f) != size) {
        const std::string why = std::strerror(errno);
        std::fclose(f);
        fail(why);
    }
    if (std::fflush(f) != 0) {
        const std::string why = std::strerror(errno);
        std::fclose(f);
        fail(why);
    }
#ifdef _WIN32
    _commit(_fileno(f));
#else
    ::fsync(fileno(f));
#endif
    if (std::fclose(f) != 0) fail(std::strerror(errno));
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) fail(ec.message());
}

}  // namespace fts
