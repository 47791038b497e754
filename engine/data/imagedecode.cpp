#include "data/imagedecode.h"

#include "core/error.h"
#include "core/fileio.h"

#ifdef FTS_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif

#include <cstring>

namespace fts {

bool imageDecodingAvailable() {
#ifdef FTS_WITH_OPENCV
    return true;
#else
    return false;
#endif
}

RgbImage decodeImageBytes(const std::uint8_t* data, std::size_t size, const std::string& source) {
#ifdef FTS_WITH_OPENCV
    if (size == 0) throw FormatError(source, "the file is empty, not an image");
    const cv::Mat encoded(1, static_cast<int>(size), CV_8UC1, const_cast<std::uint8_t*>(data));
    cv::Mat bgr;
    try {
        // IMREAD_COLOR: 8-bit, 3 channels whatever the file holds (grayscale,
        // palette, 16-bit, alpha dropped), EXIF orientation applied.
        bgr = cv::imdecode(encoded, cv::IMREAD_COLOR);
    } catch (const cv::Exception& e) {
        throw FormatError(source, std::string("the image could not be decoded (") + e.what() + ")");
    }
    if (bgr.empty())
        throw FormatError(source, "not an image this app can decode, or the file is damaged");
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    RgbImage image;
    image.width = rgb.cols;
    image.height = rgb.rows;
    image.pixels.resize(static_cast<std::size_t>(rgb.cols) * rgb.rows * 3);
    for (int y = 0; y < rgb.rows; ++y)
        std::memcpy(image.pixels.data() + static_cast<std::size_t>(y) * rgb.cols * 3, rgb.ptr(y),
                    static_cast<std::size_t>(rgb.cols) * 3);
    return image;
#else
    (void)data;
    (void)size;
    throw Error(source +
                ": this build has no image decoder (built with FTS_WITH_OPENCV=OFF); "
                "use IDX or CIFAR-10 data");
#endif
}

RgbImage decodeImageFile(const std::filesystem::path& file) {
    // Read the bytes ourselves: cv::imread cannot open non-ASCII paths on Windows.
    const auto bytes = readFileBytes(file, /*maxBytes=*/std::uint64_t(1) << 30);
    return decodeImageBytes(bytes.data(), bytes.size(), displayPath(file));
}

}  // namespace fts
