#include "data/imagedecode.h"

#include "core/error.h"
#include "core/fileio.h"
#include "data/imageformat.h"

#ifdef FTS_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif

#include <cstring>
#include <limits>

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
    // The policy (imageformat.h) first: format by content, pixel limit and
    // completeness from the header, so that nothing half-decoded is trained on
    // and no decompression bomb reaches the decoder.
    const ImageInfo info = inspectImage(data, size);
    if (!info.ok()) throw FormatError(source, info.problem);
    if (size > std::size_t(std::numeric_limits<int>::max()))
        throw FormatError(source, "the file is larger than 2 GiB; scale the image down");
    const cv::Mat encoded(1, static_cast<int>(size), CV_8UC1, const_cast<std::uint8_t*>(data));
    cv::Mat bgr;
    try {
        // IMREAD_COLOR: 8-bit BGR whatever the file holds (16-bit scaled down,
        // grayscale replicated, palette expanded, alpha dropped, CMYK
        // converted). The orientation is applied below, from our own reading
        // of the EXIF tag, the same for every format.
        bgr = cv::imdecode(encoded, cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
    } catch (const cv::Exception& e) {
        throw FormatError(source, std::string("the ") + imageFormatName(info.format) +
                                      " data could not be decoded (" + printable(e.what()) + ")");
    }
    if (bgr.empty() || bgr.type() != CV_8UC3)
        throw FormatError(source, std::string("the ") + imageFormatName(info.format) +
                                      " file is damaged: the decoder rejected its data");
    if (bgr.cols != info.width || bgr.rows != info.height)
        throw FormatError(source, std::string("the ") + imageFormatName(info.format) +
                                      " file is damaged: its header says " +
                                      std::to_string(info.width) + " x " +
                                      std::to_string(info.height) + " pixels but it decodes to " +
                                      std::to_string(bgr.cols) + " x " + std::to_string(bgr.rows));
    // EXIF orientation: how the stored pixels must be turned to stand upright.
    cv::Mat upright;
    switch (info.orientation) {
        case 2:  // mirrored
            cv::flip(bgr, upright, 1);
            break;
        case 3:  // upside down
            cv::rotate(bgr, upright, cv::ROTATE_180);
            break;
        case 4:  // mirrored vertically
            cv::flip(bgr, upright, 0);
            break;
        case 5:  // transposed
            cv::transpose(bgr, upright);
            break;
        case 6:  // camera turned right
            cv::rotate(bgr, upright, cv::ROTATE_90_CLOCKWISE);
            break;
        case 7:  // transverse
            cv::transpose(bgr, upright);
            cv::flip(upright, upright, -1);
            break;
        case 8:  // camera turned left
            cv::rotate(bgr, upright, cv::ROTATE_90_COUNTERCLOCKWISE);
            break;
        default:
            upright = bgr;
            break;
    }
    cv::Mat rgb;
    cv::cvtColor(upright, rgb, cv::COLOR_BGR2RGB);
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
