#include "data/cifarsource.h"

#include "core/error.h"
#include "core/fileio.h"
#include "data/idxsource.h"

#include <algorithm>
#include <system_error>

namespace fs = std::filesystem;

namespace fts {
namespace {

constexpr std::size_t kPlane = 32 * 32;
constexpr int kCifarClasses = 10;
constexpr std::uint64_t kMaxCifarBytes = std::uint64_t(4) << 30;

// "data_batch_12.bin" -> 12; -1 when the name is not a training batch.
long batchNumber(const std::string& name) {
    const std::string prefix = "data_batch_";
    const std::string suffix = ".bin";
    if (name.size() <= prefix.size() + suffix.size() ||
        name.compare(0, prefix.size(), prefix) != 0 ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
        return -1;
    const std::string digits =
        name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    if (digits.size() > 9 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return -1;
    return std::stol(digits);
}

std::vector<fs::path> batchFiles(const fs::path& folder) {
    std::vector<std::pair<long, fs::path>> found;
    std::error_code ec;
    fs::directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
    for (const fs::directory_iterator end; !ec && it != end; it.increment(ec)) {
        const long n = batchNumber(displayPath(it->path().filename()));
        std::error_code typeEc;
        if (n >= 0 && it->is_regular_file(typeEc)) found.emplace_back(n, it->path());
    }
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<fs::path> files;
    for (auto& f : found) files.push_back(std::move(f.second));
    return files;
}

}  // namespace

bool isCifarFolder(const fs::path& folder) {
    return !batchFiles(folder).empty();
}

CifarSource::CifarSource(const fs::path& folderOrFile) : m_path(folderOrFile) {
    std::error_code ec;
    std::vector<fs::path> files;
    fs::path folder;
    if (fs::is_directory(folderOrFile, ec)) {
        files = batchFiles(folderOrFile);
        folder = folderOrFile;
        if (files.empty())
            throw Error(displayPath(folderOrFile) +
                        ": no CIFAR-10 training batches (data_batch_*.bin) in the folder");
    } else {
        files.push_back(folderOrFile);
        folder = folderOrFile.parent_path();
    }

    for (const auto& file : files) {
        const std::string name = displayPath(file);
        const std::uint64_t size = fs::file_size(file, ec);
        if (ec) throw Error(name + ": cannot read the file size (" + ec.message() + ")");
        if (size == 0 || size % kCifarRecordBytes != 0)
            throw FormatError(name, "not a CIFAR-10 binary batch: its size, " +
                                        std::to_string(size) + " bytes, is not a multiple of the " +
                                        std::to_string(kCifarRecordBytes) +
                                        "-byte record (1 label byte + 32 x 32 x 3 pixels)");
        if (m_planes.size() + size > kMaxCifarBytes)
            throw FormatError(name, "the batches together are larger than this app reads (" +
                                        std::to_string(kMaxCifarBytes) + " bytes)");
        const std::vector<std::uint8_t> bytes = readFileBytes(file, size);
        if (bytes.size() != size) throw FormatError(name, "the file changed while it was read");
        Batch batch;
        batch.fileName = displayPath(file.filename());
        batch.first = m_labels.size();
        batch.count = static_cast<std::size_t>(size / kCifarRecordBytes);
        m_planes.reserve(m_planes.size() + batch.count * 3 * kPlane);
        for (std::size_t r = 0; r < batch.count; ++r) {
            const std::uint8_t* rec = bytes.data() + r * kCifarRecordBytes;
            if (rec[0] >= kCifarClasses)
                throw FormatError(
                    name, "record " + std::to_string(r) + " has label " + std::to_string(rec[0]) +
                              "; CIFAR-10 labels are 0-9 (CIFAR-100 binaries are not supported)");
            m_labels.push_back(rec[0]);
            m_planes.insert(m_planes.end(), rec + 1, rec + kCifarRecordBytes);
        }
        m_batches.push_back(std::move(batch));
    }

    const int maxLabel = *std::max_element(m_labels.begin(), m_labels.end());
    const fs::path meta = folder / "batches.meta.txt";
    if (fs::is_regular_file(meta, ec)) {
        m_classes = readClassNamesFile(meta);
        if (static_cast<int>(m_classes.size()) <= maxLabel)
            throw FormatError(displayPath(meta), "it names " + std::to_string(m_classes.size()) +
                                                     " classes but the batches use label " +
                                                     std::to_string(maxLabel) +
                                                     "; write one name per line");
    } else {
        for (int c = 0; c <= maxLabel; ++c) m_classes.push_back(std::to_string(c));
    }
}

std::string CifarSource::description() const {
    return "CIFAR-10 " + displayPath(m_path) + ": " + std::to_string(m_classes.size()) +
           " classes, " + std::to_string(m_labels.size()) + " images in " +
           std::to_string(m_batches.size()) + (m_batches.size() == 1 ? " batch" : " batches");
}

std::string CifarSource::itemName(std::size_t i) const {
    for (const auto& b : m_batches)
        if (i >= b.first && i < b.first + b.count)
            return b.fileName + "#" + std::to_string(i - b.first);
    return displayPath(m_path) + "#" + std::to_string(i);
}

RgbImage CifarSource::load(std::size_t i) const {
    if (i >= m_labels.size()) throw Error(itemName(i) + ": no such image");
    const std::uint8_t* planes = m_planes.data() + i * 3 * kPlane;
    RgbImage image;
    image.width = 32;
    image.height = 32;
    image.pixels.resize(3 * kPlane);
    for (std::size_t p = 0; p < kPlane; ++p)
        for (std::size_t c = 0; c < 3; ++c) image.pixels[p * 3 + c] = planes[c * kPlane + p];
    return image;
}

}  // namespace fts
