#include "data/idxsource.h"

#include "core/error.h"
#include "core/fileio.h"

#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <system_error>

namespace fs = std::filesystem;

namespace fts {
namespace {

// Larger than any real IDX set (MNIST: 47 MB; EMNIST by_class: 550 MB).
constexpr std::uint64_t kMaxIdxBytes = std::uint64_t(2) << 30;
constexpr int kMaxSide = 4096;

bool isGzip(const std::uint8_t* data, std::size_t size) {
    return size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
}

std::uint32_t bigEndian32(const std::uint8_t* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
           p[3];
}

std::string hex32(std::uint32_t v) {
    static const char* digits = "0123456789abcdef";
    std::string s = "0x";
    for (int shift = 28; shift >= 0; shift -= 4) s += digits[(v >> shift) & 0xf];
    return s;
}

// Inflates gzip data (several concatenated members too) into `out`, stopping
// once `limit` bytes are produced. Returns false when the stream is damaged or
// ends early; `error` says why.
bool gunzip(const std::uint8_t* data, std::size_t size, std::uint64_t limit,
            std::vector<std::uint8_t>& out, std::string& error) {
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
        error = "the decompressor could not start";
        return false;
    }
    const std::size_t chunk = 1 << 16;
    zs.next_in = const_cast<Bytef*>(data);
    zs.avail_in = 0;
    std::size_t consumed = 0;
    bool ok = true;
    for (;;) {
        if (zs.avail_in == 0 && consumed < size) {
            const std::size_t n = std::min<std::size_t>(size - consumed, 1u << 30);
            zs.next_in = const_cast<Bytef*>(data + consumed);
            zs.avail_in = static_cast<uInt>(n);
            consumed += n;
        }
        if (out.size() >= limit) break;
        const std::size_t before = out.size();
        const std::size_t room =
            static_cast<std::size_t>(std::min<std::uint64_t>(chunk, limit - before));
        out.resize(before + room);  // grows with the data actually present
        zs.next_out = out.data() + before;
        zs.avail_out = static_cast<uInt>(room);
        const int rc = inflate(&zs, Z_NO_FLUSH);
        out.resize(before + (room - zs.avail_out));
        if (rc == Z_STREAM_END) {
            if (zs.avail_in == 0 && consumed >= size) break;
            // Another gzip member follows (gzip -c a b > c); trailing zero padding ends it.
            if (zs.avail_in > 0 && *zs.next_in == 0) break;
            if (inflateReset(&zs) != Z_OK) {
                ok = false;
                error = "the compressed data is damaged";
                break;
            }
            continue;
        }
        if (rc == Z_BUF_ERROR && zs.avail_in == 0 && consumed >= size) {
            ok = false;
            error = "the compressed data ends early (the file is truncated)";
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            ok = false;
            error = std::string("the compressed data is damaged (") +
                    (zs.msg ? zs.msg : "inflate failed") + ")";
            break;
        }
    }
    inflateEnd(&zs);
    return ok;
}

struct IdxFile {
    std::vector<std::uint32_t> dims;
    std::vector<std::uint8_t> data;  // header removed
};

IdxFile readIdx(const fs::path& file, std::uint32_t expectedMagic, const char* what) {
    const std::string name = displayPath(file);
    std::vector<std::uint8_t> bytes = readMaybeGzipped(file, kMaxIdxBytes);
    if (bytes.size() < 4)
        throw FormatError(name,
                          std::string("the file is too short to be an IDX ") + what + " file");
    const std::uint32_t magic = bigEndian32(bytes.data());
    if (magic != expectedMagic) {
        std::string hint;
        if (magic == kIdxImagesMagic || magic == kIdxLabelsMagic)
            hint =
                magic == kIdxImagesMagic ? " (this is an images file)" : " (this is a labels file)";
        throw FormatError(name, std::string("not an IDX ") + what + " file: the magic number is " +
                                    hex32(magic) + ", expected " + hex32(expectedMagic) + hint);
    }
    const std::size_t ndims = magic & 0xff;
    const std::size_t header = 4 + 4 * ndims;
    if (bytes.size() < header) throw FormatError(name, "the IDX header is truncated");
    IdxFile idx;
    std::uint64_t expected = 1;
    for (std::size_t d = 0; d < ndims; ++d) {
        idx.dims.push_back(bigEndian32(bytes.data() + 4 + 4 * d));
        expected *=
            idx.dims
                .back();  // each <= 2^32, at most 3 of them: checked below before overflow matters
        if (expected > kMaxIdxBytes)
            throw FormatError(name, "the IDX header declares more data than this app reads (" +
                                        std::to_string(kMaxIdxBytes) + " bytes)");
    }
    const std::uint64_t actual = bytes.size() - header;
    if (actual < expected)
        throw FormatError(name, "the file is truncated: the header declares " +
                                    std::to_string(expected) + " data bytes but only " +
                                    std::to_string(actual) + " are present");
    if (actual > expected)
        throw FormatError(
            name, "the file has " + std::to_string(actual - expected) +
                      " bytes more than its header declares; it is damaged or not IDX data");
    idx.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(header), bytes.end());
    return idx;
}

bool replaceOnce(std::string& s, const std::string& from, const std::string& to) {
    const auto pos = s.rfind(from);
    if (pos == std::string::npos) return false;
    s.replace(pos, from.size(), to);
    return true;
}

}  // namespace

std::vector<std::uint8_t> readMaybeGzipped(const fs::path& file, std::uint64_t maxBytes) {
    // The compressed file may itself be large; its size is checked by readFileBytes.
    std::vector<std::uint8_t> raw = readFileBytes(file, maxBytes);
    if (!isGzip(raw.data(), raw.size())) return raw;
    std::vector<std::uint8_t> out;
    std::string error;
    if (!gunzip(raw.data(), raw.size(), maxBytes + 1, out, error))
        throw FormatError(displayPath(file), error);
    if (out.size() > maxBytes)
        throw FormatError(displayPath(file), "the decompressed data is larger than the limit of " +
                                                 std::to_string(maxBytes) + " bytes");
    return out;
}

std::optional<std::uint32_t> peekIdxMagic(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::vector<std::uint8_t> head(4096);
    in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    if (isGzip(head.data(), head.size())) {
        std::vector<std::uint8_t> out;
        std::string error;
        gunzip(head.data(), head.size(), 4, out, error);  // a prefix: "ends early" is expected
        head = std::move(out);
    }
    if (head.size() < 4) return std::nullopt;
    return bigEndian32(head.data());
}

fs::path idxLabelsFileFor(const fs::path& imagesFile) {
    std::string name = displayPath(imagesFile.filename());
    if (!replaceOnce(name, "images-idx3", "labels-idx1") &&
        !replaceOnce(name, "images.idx3", "labels.idx1"))
        throw Error(displayPath(imagesFile) +
                    ": cannot tell which labels file belongs to it; name it like "
                    "\"train-images-idx3-ubyte\" with \"train-labels-idx1-ubyte\" beside it");
    std::vector<std::string> candidates{name};
    const std::string gz = ".gz";
    if (name.size() > gz.size() && name.compare(name.size() - gz.size(), gz.size(), gz) == 0)
        candidates.push_back(name.substr(0, name.size() - gz.size()));
    else
        candidates.push_back(name + gz);
    for (const auto& c : candidates) {
        const fs::path p = imagesFile.parent_path() / fs::u8path(c);
        std::error_code ec;
        if (fs::is_regular_file(p, ec)) return p;
    }
    throw Error(displayPath(imagesFile) + ": the labels file " +
                displayPath(imagesFile.parent_path() / fs::u8path(name)) + " is missing");
}

IdxSource::IdxSource(const fs::path& imagesFile) : m_file(imagesFile) {
    m_fileName = displayPath(imagesFile.filename());
    const fs::path labelsFile = idxLabelsFileFor(imagesFile);
    IdxFile images = readIdx(imagesFile, kIdxImagesMagic, "images");
    const std::string imagesName = displayPath(imagesFile);
    if (images.dims[0] == 0) throw FormatError(imagesName, "the file holds no images");
    if (images.dims[1] == 0 || images.dims[2] == 0 || images.dims[1] > kMaxSide ||
        images.dims[2] > kMaxSide)
        throw FormatError(imagesName, "the images are " + std::to_string(images.dims[1]) + " x " +
                                          std::to_string(images.dims[2]) +
                                          " pixels, which is not a usable size");
    IdxFile labels = readIdx(labelsFile, kIdxLabelsMagic, "labels");
    if (labels.dims[0] != images.dims[0])
        throw FormatError(displayPath(labelsFile), "it holds " + std::to_string(labels.dims[0]) +
                                                       " labels but " + imagesName + " holds " +
                                                       std::to_string(images.dims[0]) + " images");
    m_height = static_cast<int>(images.dims[1]);
    m_width = static_cast<int>(images.dims[2]);
    m_pixels = std::move(images.data);
    m_labels = std::move(labels.data);

    const int maxLabel = *std::max_element(m_labels.begin(), m_labels.end());
    const fs::path classesFile = imagesFile.parent_path() / "classes.txt";
    std::error_code ec;
    if (fs::is_regular_file(classesFile, ec)) {
        m_classes = readClassNamesFile(classesFile);
        if (static_cast<int>(m_classes.size()) <= maxLabel)
            throw FormatError(displayPath(classesFile),
                              "it names " + std::to_string(m_classes.size()) + " classes but " +
                                  displayPath(labelsFile) + " uses label " +
                                  std::to_string(maxLabel) +
                                  "; write one class name per line, in label order");
    } else {
        for (int c = 0; c <= maxLabel; ++c) m_classes.push_back(std::to_string(c));
    }
}

std::string IdxSource::description() const {
    return "IDX " + displayPath(m_file) + ": " + std::to_string(m_classes.size()) + " classes, " +
           std::to_string(m_labels.size()) + " images of " + std::to_string(m_width) + " x " +
           std::to_string(m_height);
}

std::string IdxSource::itemName(std::size_t i) const {
    return m_fileName + "#" + std::to_string(i);
}

RgbImage IdxSource::load(std::size_t i) const {
    if (i >= m_labels.size()) throw Error(itemName(i) + ": no such image");
    const std::size_t n = static_cast<std::size_t>(m_width) * m_height;
    const std::uint8_t* src = m_pixels.data() + i * n;
    RgbImage image;
    image.width = m_width;
    image.height = m_height;
    image.pixels.resize(n * 3);
    for (std::size_t p = 0; p < n; ++p) {
        image.pixels[p * 3] = src[p];
        image.pixels[p * 3 + 1] = src[p];
        image.pixels[p * 3 + 2] = src[p];
    }
    return image;
}

}  // namespace fts
