#include "data/datasource.h"

#include "core/error.h"
#include "core/fileio.h"
#include "data/cifarsource.h"
#include "data/idxsource.h"
#include "data/imagefoldersource.h"

#include <system_error>

namespace fs = std::filesystem;

namespace fts {

std::unique_ptr<DataSource> openDataSource(const fs::path& path) {
    const std::string name = displayPath(path);
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) throw Error(name + ": no such file or folder");
    if (fs::is_directory(status)) {
        if (isCifarFolder(path)) return std::make_unique<CifarSource>(path);
        return std::make_unique<ImageFolderSource>(path);
    }

    const auto magic = peekIdxMagic(path);
    if (magic && *magic == kIdxImagesMagic) return std::make_unique<IdxSource>(path);
    if (magic && *magic == kIdxLabelsMagic)
        throw Error(
            name +
            ": this is an IDX labels file; pass the images file (\"...-images-idx3-ubyte\") "
            "and keep the labels file beside it");

    const std::uint64_t size = fs::file_size(path, ec);
    std::string ext = displayPath(path.extension());
    for (auto& c : ext) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (!ec && size > 0 && size % kCifarRecordBytes == 0)
        return std::make_unique<CifarSource>(path);
    if (ext == ".bin") return std::make_unique<CifarSource>(path);  // reports the size problem
    throw Error(
        name +
        ": not a dataset this app reads: expected an ImageFolder directory (one subfolder per "
        "class), an IDX images file or CIFAR-10 binary batches");
}

std::vector<std::string> readClassNamesFile(const fs::path& file) {
    const auto bytes = readFileBytes(file, /*maxBytes=*/std::uint64_t(1) << 24);
    std::vector<std::string> lines;
    std::string line;
    auto flush = [&] {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
            line.pop_back();
        lines.push_back(line);
        line.clear();
    };
    for (std::uint8_t b : bytes) {
        if (b == '\n')
            flush();
        else
            line += static_cast<char>(b);
    }
    if (!line.empty()) flush();
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    // A UTF-8 byte order mark (Notepad) is not part of the first name.
    if (!lines.empty() && lines[0].rfind("\xEF\xBB\xBF", 0) == 0) lines[0].erase(0, 3);
    return lines;
}

}  // namespace fts
