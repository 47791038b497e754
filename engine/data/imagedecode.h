#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace fts {

/// An 8-bit RGB image, rows packed (stride = width * 3).
struct RgbImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;
    bool empty() const { return width <= 0 || height <= 0; }
};

/// Decodes an image file from its bytes (so non-ASCII paths work on every OS)
/// under the image policy (imageformat.h, docs/reliability.md "Images"): the
/// format is told by the content, never the name, and must be JPEG, PNG, BMP,
/// WebP, TIFF or PNM; width * height must not exceed maxImagePixels() (checked
/// on the header, before decoding); a file cut short is refused, never decoded
/// partially. The result is 8-bit RGB whatever the file held (grayscale,
/// 16-bit scaled down, palette expanded, CMYK converted, alpha dropped as
/// torchvision's convert("RGB") does), turned upright by its EXIF orientation
/// (1..8; JPEG, PNG eXIf, WebP). Throws fts::FormatError naming the file and
/// the reason. Requires FTS_WITH_OPENCV; without it, throws saying so.
/// Thread-safe.
RgbImage decodeImageFile(const std::filesystem::path& file);
RgbImage decodeImageBytes(const std::uint8_t* data, std::size_t size, const std::string& source);

/// True when this build can decode image files.
bool imageDecodingAvailable();

}  // namespace fts
