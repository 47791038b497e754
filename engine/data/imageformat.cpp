#include "data/imageformat.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <system_error>
#include <vector>

namespace fts {
namespace {

std::atomic<std::uint64_t> g_maxPixels{kDefaultMaxImagePixels};

// Bounds-checked readers over the file's bytes; every offset is checked by
// the caller with has() first.
struct Bytes {
    const std::uint8_t* p;
    std::size_t n;
    bool has(std::uint64_t offset, std::uint64_t count) const {
        return offset <= n && count <= n - offset;
    }
    std::uint32_t be16(std::size_t o) const { return (std::uint32_t(p[o]) << 8) | p[o + 1]; }
    std::uint32_t be32(std::size_t o) const { return (be16(o) << 16) | be16(o + 2); }
    std::uint32_t le16(std::size_t o) const { return (std::uint32_t(p[o + 1]) << 8) | p[o]; }
    std::uint32_t le24(std::size_t o) const { return le16(o) | (std::uint32_t(p[o + 2]) << 16); }
    std::uint32_t le32(std::size_t o) const { return le16(o) | (le16(o + 2) << 16); }
    bool is(std::size_t o, const char* text) const {
        const std::size_t len = std::strlen(text);
        return has(o, len) && std::memcmp(p + o, text, len) == 0;
    }
};

std::string printableType(const std::string& type) {
    for (const char c : type)
        if (!std::isalnum(static_cast<unsigned char>(c))) return "unnamed";
    return type;
}

const char* const kAllowList = "JPEG, PNG, BMP, WebP, TIFF and PNM";

std::string truncatedProblem(const std::string& what) {
    return "the file is truncated (" + what +
           "): it was probably cut short while copying or downloading; copy it again";
}

std::string damagedProblem(ImageFormat format, const std::string& what) {
    return std::string("the ") + imageFormatName(format) + " file is damaged (" + what + ")";
}

std::string formatPixels(std::uint64_t pixels) {
    if (pixels < 1000000) return std::to_string(pixels) + " pixels";
    char text[64];
    std::snprintf(text, sizeof text, "%.1f megapixels", double(pixels) / 1e6);
    return text;
}

std::string lowerPrefix(const Bytes& b, std::size_t start, std::size_t count) {
    std::string s;
    for (std::size_t i = start; i < b.n && i < start + count; ++i)
        s += static_cast<char>(std::tolower(b.p[i]));
    return s;
}

// Markup and text: the first non-blank characters (after a UTF-8 byte-order mark).
ImageFormat detectText(const Bytes& b) {
    std::size_t i = 0;
    if (b.is(0, "\xEF\xBB\xBF")) i = 3;
    while (i < b.n && std::isspace(b.p[i])) ++i;
    const std::string head = lowerPrefix(b, i, b.n - i);
    if (head.rfind("<svg", 0) == 0) return ImageFormat::Svg;
    if (head.rfind("<?xml", 0) == 0 || head.rfind("<!doctype svg", 0) == 0)
        return head.find("<svg") != std::string::npos ? ImageFormat::Svg : ImageFormat::Text;
    if (head.rfind("<!doctype html", 0) == 0 || head.rfind("<html", 0) == 0 ||
        head.rfind("<head", 0) == 0 || head.rfind("<!--", 0) == 0)
        return head.find("<svg") != std::string::npos && head.find("<html") == std::string::npos
                   ? ImageFormat::Svg
                   : ImageFormat::Html;
    for (std::size_t k = 0; k < b.n; ++k) {
        const std::uint8_t c = b.p[k];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')
            return ImageFormat::Unknown;
        if (c == 0x7f) return ImageFormat::Unknown;
    }
    return b.n > 0 ? ImageFormat::Text : ImageFormat::Unknown;
}

std::string formatProblem(ImageFormat format) {
    const std::string only = std::string(" (only ") + kAllowList + " are)";
    switch (format) {
        case ImageFormat::Gif:
            return "a GIF image: GIF is not supported" + only + "; convert it to PNG";
        case ImageFormat::Svg:
            return "an SVG drawing: vector graphics are not supported" + only +
                   "; export it as PNG";
        case ImageFormat::Heif:
            return "a HEIC/HEIF or AVIF image: it is not supported" + only +
                   "; convert it to JPEG or PNG";
        case ImageFormat::Jpeg2000:
            return "a JPEG 2000 image: it is not supported" + only + "; convert it to PNG";
        case ImageFormat::Html:
            return "not an image but an HTML page (a web page saved instead of the picture?)";
        case ImageFormat::Text:
            return "not an image but a text file";
        default:
            return std::string("not an image in a format this app reads (") + kAllowList +
                   "), whatever its name says";
    }
}

// ---- EXIF (a TIFF structure) -------------------------------------------------

struct Tiff {
    Bytes b;
    bool little = true;
    std::uint32_t u16(std::size_t o) const { return little ? b.le16(o) : b.be16(o); }
    std::uint32_t u32(std::size_t o) const { return little ? b.le32(o) : b.be32(o); }
    bool open() {
        if (b.is(0, "II"))
            little = true;
        else if (b.is(0, "MM"))
            little = false;
        else
            return false;
        return b.has(0, 8) && u16(2) == 42;
    }
    // The values of one 12-byte IFD entry (SHORT or LONG), at most `limit` of them.
    bool values(std::size_t entry, std::vector<std::uint64_t>& out, std::size_t limit) const {
        const std::uint32_t type = u16(entry + 2);
        const std::uint32_t count = u32(entry + 4);
        const std::size_t unit = type == 3 ? 2 : type == 4 ? 4 : 0;
        if (unit == 0 || count == 0 || count > limit) return false;
        std::size_t at = entry + 8;
        if (std::uint64_t(count) * unit > 4) {
            at = u32(entry + 8);
            if (!b.has(at, std::uint64_t(count) * unit)) return false;
        }
        out.clear();
        for (std::uint32_t i = 0; i < count; ++i)
            out.push_back(unit == 2 ? u16(at + i * 2) : u32(at + i * 4));
        return true;
    }
};

int exifOrientation(const std::uint8_t* p, std::size_t n) {
    Tiff t{{p, n}};
    if (!t.open()) return 1;
    const std::uint32_t ifd = t.u32(4);
    if (!t.b.has(ifd, 2)) return 1;
    const std::uint32_t count = t.u16(ifd);
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::size_t e = ifd + 2 + std::size_t(i) * 12;
        if (!t.b.has(e, 12)) break;
        if (t.u16(e) != 0x0112) continue;
        std::vector<std::uint64_t> v;
        if (t.values(e, v, 1) && v[0] >= 1 && v[0] <= 8) return int(v[0]);
        return 1;
    }
    return 1;
}

// Each parser fills width/height (and orientation); a header it cannot read
// sets info.problem; a file cut short (or not holding what the header
// declares) sets `incomplete`. The caller checks the pixel limit in between.

void parseJpeg(const Bytes& b, ImageInfo& info, std::string& incomplete) {
    std::size_t pos = 2;
    bool sawFrame = false;
    bool sawExif = false;
    for (;;) {
        if (!b.has(pos, 1)) {
            incomplete = truncatedProblem("it ends inside the JPEG header");
            break;
        }
        if (b.p[pos] != 0xFF) {
            info.problem = damagedProblem(info.format, "no marker at byte " + std::to_string(pos));
            return;
        }
        while (b.has(pos, 1) && b.p[pos] == 0xFF) ++pos;  // fill bytes
        if (!b.has(pos, 1)) {
            incomplete = truncatedProblem("it ends inside the JPEG header");
            break;
        }
        const std::uint8_t m = b.p[pos++];
        if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) continue;  // no length
        if (m == 0xD9 || m == 0x00) {
            info.problem =
                damagedProblem(info.format, "a marker out of place before the image data");
            return;
        }
        if (!b.has(pos, 2)) {
            incomplete = truncatedProblem("it ends inside the JPEG header");
            break;
        }
        const std::uint32_t len = b.be16(pos);
        if (len < 2) {
            info.problem = damagedProblem(info.format, "a header segment with a bad length");
            return;
        }
        const bool whole = b.has(pos, len);
        const std::size_t seg = pos + 2;
        const std::size_t segLen = len - 2;
        const bool frame = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
        if (frame && b.has(seg, 6)) {
            info.height = int(b.be16(seg + 1));
            info.width = int(b.be16(seg + 3));
            info.components = b.p[seg + 5];
            sawFrame = true;
        }
        if (!whole) {
            incomplete = truncatedProblem("it ends inside a JPEG header segment");
            break;
        }
        if (m == 0xE1 && !sawExif && segLen >= 6 && std::memcmp(b.p + seg, "Exif\0\0", 6) == 0) {
            sawExif = true;
            info.orientation = exifOrientation(b.p + seg + 6, segLen - 6);
        }
        pos += len;
        if (m == 0xDA) {
            if (!sawFrame) {
                info.problem = damagedProblem(info.format, "image data before the frame header");
                return;
            }
            // Entropy-coded data: 0xFF is followed by 0x00 (stuffing) or a
            // restart marker; any other marker ends the scan (a progressive
            // file has several scans); the file is complete at EOI.
            while (b.has(pos, 2)) {
                if (b.p[pos] != 0xFF) {
                    ++pos;
                    continue;
                }
                const std::uint8_t n = b.p[pos + 1];
                if (n == 0x00 || (n >= 0xD0 && n <= 0xD7)) {
                    pos += 2;
                } else if (n == 0xFF) {
                    ++pos;
                } else if (n == 0xD9) {
                    return;  // complete
                } else {
                    if (!b.has(pos + 2, 2)) break;
                    const std::uint32_t l = b.be16(pos + 2);
                    if (l < 2) {
                        info.problem = damagedProblem(info.format,
                                                      "a segment with a bad length between scans");
                        return;
                    }
                    pos += 2 + l;
                }
            }
            incomplete = truncatedProblem("no JPEG end-of-image marker");
            return;
        }
    }
    if (!sawFrame) info.problem = incomplete;
}

std::uint32_t crc32(const std::uint8_t* p, std::size_t n) {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    std::uint32_t c = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < n; ++i) c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

void parsePng(const Bytes& b, ImageInfo& info, std::string& incomplete) {
    std::size_t pos = 8;
    bool first = true;
    bool sawData = false;
    for (;;) {
        if (!b.has(pos, 8)) {
            incomplete = truncatedProblem("no PNG IEND chunk");
            break;
        }
        const std::uint32_t len = b.be32(pos);
        const std::string type(reinterpret_cast<const char*>(b.p + pos + 4), 4);
        if (len > 0x7FFFFFFFu) {
            info.problem = damagedProblem(info.format, "a chunk with a bad length");
            return;
        }
        const bool whole = b.has(pos, std::uint64_t(len) + 12);
        if (first) {
            if (type != "IHDR" || len != 13) {
                info.problem = damagedProblem(info.format, "it does not start with an IHDR chunk");
                return;
            }
            if (!b.has(pos + 8, 13)) {
                info.problem = truncatedProblem("it ends inside the PNG header");
                return;
            }
            info.width = int(std::min<std::uint32_t>(b.be32(pos + 8), 0x7FFFFFFF));
            info.height = int(std::min<std::uint32_t>(b.be32(pos + 12), 0x7FFFFFFF));
            first = false;
        }
        if (!whole) {
            incomplete = truncatedProblem("the PNG " + printableType(type) + " chunk is cut short");
            break;
        }
        // Critical chunks (upper-case first letter) must have a valid CRC; a
        // bad ancillary chunk is dropped by libpng, as here.
        const bool critical = (b.p[pos + 4] & 0x20) == 0;
        if (critical && crc32(b.p + pos + 4, std::size_t(len) + 4) != b.be32(pos + 8 + len)) {
            info.problem = damagedProblem(
                info.format, "the CRC of the " + printableType(type) + " chunk is wrong");
            return;
        }
        if (type == "eXIf") info.orientation = exifOrientation(b.p + pos + 8, len);
        if (type == "IDAT") sawData = true;
        pos += std::size_t(len) + 12;
        if (type == "IEND") {
            if (!sawData) info.problem = damagedProblem(info.format, "no IDAT image data");
            return;
        }
    }
}

void parseBmp(const Bytes& b, ImageInfo& info, std::string& incomplete) {
    if (!b.has(0, 26)) {
        info.problem = truncatedProblem("it ends inside the BMP header");
        return;
    }
    const std::uint32_t dib = b.le32(14);
    std::int64_t width = 0, height = 0;
    std::uint32_t bpp = 0, compression = 0;
    if (dib == 12) {
        width = b.le16(18);
        height = b.le16(20);
        bpp = b.le16(24);
    } else if (dib >= 40 && b.has(0, 34)) {
        width = std::int32_t(b.le32(18));
        height = std::int32_t(b.le32(22));
        bpp = b.le16(28);
        compression = b.le32(30);
    } else {
        info.problem = damagedProblem(info.format, "an unknown header size");
        return;
    }
    if (height < 0) height = -height;  // top-down rows
    if (width <= 0 || height <= 0 || width > 0x7FFFFFFF || height > 0x7FFFFFFF) {
        info.problem = damagedProblem(info.format, "a width or height of zero or less");
        return;
    }
    info.width = int(width);
    info.height = int(height);
    // Uncompressed rows (BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS): 4-byte aligned.
    if (compression == 0 || compression == 3 || compression == 6) {
        const std::uint64_t stride = (std::uint64_t(width) * bpp + 31) / 32 * 4;
        const std::uint64_t offset = b.le32(10);
        if (!b.has(offset, stride * std::uint64_t(height)))
            incomplete = truncatedProblem("the BMP pixel rows are cut short");
    }
}

void parseWebp(const Bytes& b, ImageInfo& info, std::string& incomplete) {
    if (!b.has(0, 30)) {
        info.problem = truncatedProblem("it ends inside the WebP header");
        return;
    }
    const std::uint64_t riffEnd = std::uint64_t(b.le32(4)) + 8;
    if (b.is(12, "VP8 ")) {
        if (!(b.p[23] == 0x9D && b.p[24] == 0x01 && b.p[25] == 0x2A)) {
            info.problem = damagedProblem(info.format, "a bad VP8 frame header");
            return;
        }
        info.width = int(b.le16(26) & 0x3FFF);
        info.height = int(b.le16(28) & 0x3FFF);
    } else if (b.is(12, "VP8L")) {
        if (b.p[20] != 0x2F) {
            info.problem = damagedProblem(info.format, "a bad VP8L signature");
            return;
        }
        const std::uint32_t bits = b.le32(21);
        info.width = int((bits & 0x3FFF) + 1);
        info.height = int(((bits >> 14) & 0x3FFF) + 1);
    } else if (b.is(12, "VP8X")) {
        info.width = int(b.le24(24) + 1);
        info.height = int(b.le24(27) + 1);
        if (b.p[20] & 0x02) {
            info.problem = "an animated WebP: animations are not supported; save one frame as PNG";
            return;
        }
        // EXIF chunk (orientation); chunks are padded to an even size.
        for (std::uint64_t pos = 12; b.has(pos, 8) && pos + 8 <= riffEnd;) {
            const std::uint32_t len = b.le32(pos + 4);
            if (b.is(pos, "EXIF") && b.has(pos + 8, len)) {
                const std::size_t skip = b.is(pos + 8, "Exif\0") ? 6 : 0;
                if (len > skip)
                    info.orientation = exifOrientation(b.p + pos + 8 + skip, len - skip);
            }
            pos += 8 + std::uint64_t(len) + (len & 1);
        }
    } else {
        info.problem =
            damagedProblem(info.format, "an unknown WebP chunk where the image should start");
        return;
    }
    if (riffEnd > b.n) incomplete = truncatedProblem("shorter than its RIFF header declares");
}

void parseTiff(const Bytes& b, ImageInfo& info, std::string& incomplete) {
    Tiff t{b};
    if (!b.has(0, 8)) {
        info.problem = truncatedProblem("it ends inside the TIFF header");
        return;
    }
    if (!t.open()) {
        info.problem = "a BigTIFF image: it is not supported; save it as ordinary TIFF or PNG";
        return;
    }
    const std::uint32_t ifd = t.u32(4);
    if (!b.has(ifd, 2) || !b.has(ifd + 2, std::uint64_t(t.u16(ifd)) * 12)) {
        info.problem = truncatedProblem("the TIFF directory lies beyond the end of the file");
        return;
    }
    const std::uint32_t count = t.u16(ifd);
    std::vector<std::uint64_t> offsets, sizes, v;
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::size_t e = ifd + 2 + std::size_t(i) * 12;
        const std::uint32_t tag = t.u16(e);
        if ((tag == 256 || tag == 257) && t.values(e, v, 1))
            (tag == 256 ? info.width : info.height) =
                int(std::min<std::uint64_t>(v[0], 0x7FFFFFFF));
        else if (tag == 273 || tag == 324)
            t.values(e, offsets, std::size_t(1) << 20);
        else if (tag == 279 || tag == 325)
            t.values(e, sizes, std::size_t(1) << 20);
    }
    if (info.width <= 0 || info.height <= 0) {
        info.problem = damagedProblem(info.format, "no width or height in its first directory");
        return;
    }
    if (offsets.size() == sizes.size())
        for (std::size_t i = 0; i < offsets.size(); ++i)
            if (!b.has(offsets[i], sizes[i])) {
                incomplete = truncatedProblem("the TIFF image data is cut short");
                break;
            }
}

// PNM header tokens: whitespace-separated decimal numbers, '#' comments to the end of the line.
bool pnmNumber(const Bytes& b, std::size_t& pos, std::uint64_t& value) {
    for (;;) {
        if (!b.has(pos, 1)) return false;
        if (b.p[pos] == '#') {
            while (b.has(pos, 1) && b.p[pos] != '\n' && b.p[pos] != '\r') ++pos;
        } else if (std::isspace(b.p[pos])) {
            ++pos;
        } else {
            break;
        }
    }
    if (!std::isdigit(b.p[pos])) return false;
    value = 0;
    while (b.has(pos, 1) && std::isdigit(b.p[pos])) {
        value = std::min<std::uint64_t>(value * 10 + (b.p[pos] - '0'), 1ull << 40);
        ++pos;
    }
    return true;
}

void parsePnm(const Bytes& b, ImageInfo& info, std::string& incomplete) {
    const int kind = b.p[1] - '0';
    std::size_t pos = 2;
    std::uint64_t width = 0, height = 0, maxval = 1;
    if (!pnmNumber(b, pos, width) || !pnmNumber(b, pos, height) ||
        (kind != 1 && kind != 4 && !pnmNumber(b, pos, maxval))) {
        info.problem = b.has(pos, 1) ? damagedProblem(info.format, "a bad header")
                                     : truncatedProblem("it ends inside the PNM header");
        return;
    }
    if (width == 0 || height == 0 || width > 0x7FFFFFFF || height > 0x7FFFFFFF || maxval == 0 ||
        maxval > 65535) {
        info.problem = damagedProblem(info.format, "a width, height or maximum value out of range");
        return;
    }
    info.width = int(width);
    info.height = int(height);
    if (std::uint64_t(width) * height > maxImagePixels()) return;  // refused by the caller
    const std::uint64_t channels = (kind == 3 || kind == 6) ? 3 : 1;
    const std::uint64_t samples = width * height * channels;
    bool complete = true;
    if (kind >= 4) {
        const std::uint64_t need =
            kind == 4 ? (width + 7) / 8 * height : samples * (maxval > 255 ? 2 : 1);
        complete = b.has(pos + 1, need);
    } else {
        std::uint64_t found = 0;
        for (std::size_t i = pos; i < b.n && found < samples;) {
            const std::uint8_t c = b.p[i];
            if (c == '#') {
                while (i < b.n && b.p[i] != '\n' && b.p[i] != '\r') ++i;
            } else if (kind == 1 && (c == '0' || c == '1')) {
                ++found;
                ++i;
            } else if (kind != 1 && std::isdigit(c)) {
                ++found;
                while (i < b.n && std::isdigit(b.p[i])) ++i;
            } else {
                ++i;
            }
        }
        complete = found >= samples;
    }
    if (!complete) incomplete = truncatedProblem("the PNM pixel data is cut short");
}

}  // namespace

std::uint64_t maxImagePixels() {
    return g_maxPixels.load(std::memory_order_relaxed);
}

void setMaxImagePixels(std::uint64_t pixels) {
    g_maxPixels.store(pixels == 0 ? kDefaultMaxImagePixels : pixels, std::memory_order_relaxed);
}

ImageFormat detectImageFormat(const std::uint8_t* data, std::size_t size) {
    const Bytes b{data, size};
    if (size == 0) return ImageFormat::Unknown;
    if (b.is(0, "\xFF\xD8\xFF")) return ImageFormat::Jpeg;
    if (b.is(0, "\x89PNG\r\n\x1A\n")) return ImageFormat::Png;
    if (b.is(0, "RIFF") && b.is(8, "WEBP")) return ImageFormat::WebP;
    if (b.is(0, "II*") && b.has(3, 1) && b.p[3] == 0) return ImageFormat::Tiff;
    if (b.is(0, "II+") && b.has(3, 1) && b.p[3] == 0) return ImageFormat::Tiff;  // BigTIFF
    if (b.has(0, 4) && (std::memcmp(data, "MM\0*", 4) == 0 || std::memcmp(data, "MM\0+", 4) == 0))
        return ImageFormat::Tiff;
    if (b.is(0, "GIF87a") || b.is(0, "GIF89a")) return ImageFormat::Gif;
    if (b.has(0, 12) && std::memcmp(data, "\0\0\0\x0CjP  \r\n\x87\n", 12) == 0)
        return ImageFormat::Jpeg2000;
    if (b.is(0, "\xFF\x4F\xFF\x51")) return ImageFormat::Jpeg2000;
    if (b.is(4, "ftyp") && b.has(8, 4)) {
        static const char* brands[] = {"heic", "heix", "hevc", "hevx", "heim", "heis",
                                       "hevm", "hevs", "mif1", "msf1", "avif", "avis"};
        for (const char* brand : brands)
            if (b.is(8, brand)) return ImageFormat::Heif;
    }
    if (b.is(0, "BM")) {
        // "BM" alone is weak (text may start so): the info header size must be a known one.
        if (!b.has(14, 4)) return ImageFormat::Bmp;
        const std::uint32_t dib = b.le32(14);
        if (dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 ||
            dib == 124)
            return ImageFormat::Bmp;
    }
    if (size >= 3 && data[0] == 'P' && data[1] >= '1' && data[1] <= '6' &&
        (std::isspace(data[2]) || data[2] == '#'))
        return ImageFormat::Pnm;
    return detectText(b);
}

const char* imageFormatName(ImageFormat format) {
    switch (format) {
        case ImageFormat::Jpeg:
            return "JPEG";
        case ImageFormat::Png:
            return "PNG";
        case ImageFormat::Bmp:
            return "BMP";
        case ImageFormat::WebP:
            return "WebP";
        case ImageFormat::Tiff:
            return "TIFF";
        case ImageFormat::Pnm:
            return "PNM";
        case ImageFormat::Gif:
            return "GIF";
        case ImageFormat::Svg:
            return "SVG";
        case ImageFormat::Heif:
            return "HEIF";
        case ImageFormat::Jpeg2000:
            return "JPEG 2000";
        case ImageFormat::Html:
            return "HTML";
        case ImageFormat::Text:
            return "text";
        case ImageFormat::Unknown:
            break;
    }
    return "unknown";
}

bool isDecodableFormat(ImageFormat format) {
    switch (format) {
        case ImageFormat::Jpeg:
        case ImageFormat::Png:
        case ImageFormat::Bmp:
        case ImageFormat::WebP:
        case ImageFormat::Tiff:
        case ImageFormat::Pnm:
            return true;
        default:
            return false;
    }
}

bool isUnsupportedImageFormat(ImageFormat format) {
    return format == ImageFormat::Gif || format == ImageFormat::Svg ||
           format == ImageFormat::Heif || format == ImageFormat::Jpeg2000;
}

ImageInfo inspectImage(const std::uint8_t* data, std::size_t size) {
    ImageInfo info;
    if (size == 0) {
        info.problem = "the file is empty, not an image";
        return info;
    }
    const Bytes b{data, size};
    info.format = detectImageFormat(data, size);
    std::string incomplete;
    switch (info.format) {
        case ImageFormat::Jpeg:
            parseJpeg(b, info, incomplete);
            break;
        case ImageFormat::Png:
            parsePng(b, info, incomplete);
            break;
        case ImageFormat::Bmp:
            parseBmp(b, info, incomplete);
            break;
        case ImageFormat::WebP:
            parseWebp(b, info, incomplete);
            break;
        case ImageFormat::Tiff:
            parseTiff(b, info, incomplete);
            break;
        case ImageFormat::Pnm:
            parsePnm(b, info, incomplete);
            break;
        default:
            info.problem = formatProblem(info.format);
            return info;
    }
    if (!info.ok()) return info;
    if (info.width <= 0 || info.height <= 0) {
        info.problem =
            damagedProblem(info.format, "its header declares " + std::to_string(info.width) +
                                            " x " + std::to_string(info.height) + " pixels");
        return info;
    }
    const std::uint64_t pixels = std::uint64_t(info.width) * std::uint64_t(info.height);
    if (pixels > maxImagePixels()) {
        info.problem = "the image is " + std::to_string(info.width) + " x " +
                       std::to_string(info.height) + " pixels (" + formatPixels(pixels) +
                       "), more than the limit of " + formatPixels(maxImagePixels()) +
                       ": it is refused before decoding (it could be a decompression bomb); "
                       "scale it down";
        return info;
    }
    info.problem = incomplete;
    return info;
}

std::string sniffProblem(const std::uint8_t* data, std::size_t size, std::uint64_t fileSize) {
    if (fileSize == 0 || size == 0) return "the file is empty, not an image";
    const ImageFormat format = detectImageFormat(data, size);
    if (isDecodableFormat(format)) return {};
    return formatProblem(format);
}

ImageFormat sniffImageFile(const std::filesystem::path& file, std::string* problem) {
    std::ifstream in(file, std::ios::binary);
    std::array<std::uint8_t, kImageSniffBytes> head{};
    if (!in) {
        if (problem) *problem = "the file cannot be opened";
        return ImageFormat::Unknown;
    }
    in.read(reinterpret_cast<char*>(head.data()), std::streamsize(head.size()));
    const auto got = static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0));
    if (problem) *problem = sniffProblem(head.data(), got, got);
    return detectImageFormat(head.data(), got);
}

}  // namespace fts
