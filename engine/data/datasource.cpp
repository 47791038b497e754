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

}  // namespace fts
