#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace fts {

/// What the first bytes of a file say it is. Only the formats of
/// isDecodableFormat() are decoded; the others are named so that a skipped
/// file gets a useful reason ("a GIF image ..."), never decoded.
enum class ImageFormat {
    Unknown,
    Jpeg,
    Png,
    Bmp,
    WebP,
    Tiff,
    Pnm,  // P1..P6 (PBM, PGM, PPM, ASCII and binary)
    Gif,
    Svg,
    Heif,  // HEIC / HEIF / AVIF (ISO base media "ftyp" box)
    Jpeg2000,
    Html,
    Text,
};

/// The image policy's limit on width * height, checked on the header before
/// anything is decoded (decompression bombs): 100 megapixels, more than any
/// phone or camera photo of 2026 and far more than a classifier needs.
constexpr std::uint64_t kDefaultMaxImagePixels = 100'000'000;

/// The limit in force (kDefaultMaxImagePixels unless set). Thread-safe.
std::uint64_t maxImagePixels();
/// Sets the limit (tests); 0 restores the default. Thread-safe.
void setMaxImagePixels(std::uint64_t pixels);

/// How many leading bytes detectImageFormat() looks at (folder scans read
/// only these).
constexpr std::size_t kImageSniffBytes = 256;

/// The format told by the content (magic bytes), whatever the file name says.
ImageFormat detectImageFormat(const std::uint8_t* data, std::size_t size);

/// "JPEG", "PNG", ..., "unknown".
const char* imageFormatName(ImageFormat format);

/// The allow-list: JPEG, PNG, BMP, WebP, TIFF, PNM.
bool isDecodableFormat(ImageFormat format);

/// True for formats that are images this app does not read (GIF, SVG,
/// HEIF/AVIF, JPEG 2000): a folder scan lists them as skipped.
bool isUnsupportedImageFormat(ImageFormat format);

/// What the header says, and whether the bytes may be handed to a decoder.
struct ImageInfo {
    ImageFormat format = ImageFormat::Unknown;
    int width = 0;        // as stored, before the orientation is applied
    int height = 0;       // as stored
    int orientation = 1;  // EXIF orientation 1..8 (JPEG APP1, PNG eXIf, WebP EXIF); 1 otherwise
    int components = 0;   // JPEG: colour components (4 = CMYK/YCCK); 0 when not known
    /// Empty when the file may be decoded; else why not, a phrase for
    /// FormatError: "the file is truncated (...)", "... megapixels ...".
    std::string problem;
    bool ok() const { return problem.empty(); }
};

/// Checks a whole file's bytes without decoding pixels: the format (allow-
/// list), the header (width, height, orientation), the pixel limit, and that
/// the file is complete (JPEG reaches its end-of-image marker, PNG its IEND
/// chunk with valid CRCs on the critical chunks, BMP/PNM/WebP/TIFF hold the
/// pixel data their header declares).
ImageInfo inspectImage(const std::uint8_t* data, std::size_t size);

/// Only the first bytes (a folder scan): the reason a file whose content is
/// not a decodable image is skipped, or empty when the format is decodable.
/// `size` is what was read, `fileSize` the whole file's size.
std::string sniffProblem(const std::uint8_t* data, std::size_t size, std::uint64_t fileSize);

/// Reads the first kImageSniffBytes of a file and detects its format.
/// Returns Unknown when the file cannot be read; `problem` (optional) gets
/// sniffProblem()'s reason or why the file could not be read.
ImageFormat sniffImageFile(const std::filesystem::path& file, std::string* problem = nullptr);

}  // namespace fts
