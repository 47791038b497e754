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
/// and converts it to 8-bit RGB whatever it was (grayscale, alpha, 16-bit,
/// palette). Throws fts::Error naming the file when it cannot be decoded.
/// Requires FTS_WITH_OPENCV; without it, throws saying so.
RgbImage decodeImageFile(const std::filesystem::path& file);
RgbImage decodeImageBytes(const std::uint8_t* data, std::size_t size, const std::string& source);

/// True when this build can decode image files.
bool imageDecodingAvailable();

}  // namespace fts
