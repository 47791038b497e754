#include "data/evaltransform.h"

#include "core/error.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace fts {
namespace {

// Pillow's resampling (Resample.c), bilinear filter, 8-bit fixed point, so
// that a resized image matches torchvision's PIL pipeline pixel for pixel.
// A separable filter whose support widens with the scale factor when
// shrinking (that is the antialiasing).
constexpr int kPrecisionBits = 32 - 8 - 2;

struct Coefficients {
    int taps = 0;                 // coefficients per output pixel
    std::vector<int> first;       // first input index per output pixel
    std::vector<int> count;       // number of inputs used per output pixel
    std::vector<std::int32_t> k;  // taps * outSize fixed-point weights
};

double bilinearFilter(double x) {
    x = std::fabs(x);
    return x < 1.0 ? 1.0 - x : 0.0;
}

Coefficients precompute(int inSize, int outSize) {
    const double scale = static_cast<double>(inSize) / outSize;
    const double filterScale = std::max(scale, 1.0);
    const double support = 1.0 * filterScale;  // bilinear support is 1
    Coefficients c;
    c.taps = static_cast<int>(std::ceil(support)) * 2 + 1;
    c.first.resize(outSize);
    c.count.resize(outSize);
    c.k.assign(static_cast<std::size_t>(c.taps) * outSize, 0);
    std::vector<double> w(c.taps);
    for (int xx = 0; xx < outSize; ++xx) {
        const double center = (xx + 0.5) * scale;
        const double ss = 1.0 / filterScale;
        int xmin = static_cast<int>(center - support + 0.5);
        if (xmin < 0) xmin = 0;
        int xmax = static_cast<int>(center + support + 0.5);
        if (xmax > inSize) xmax = inSize;
        xmax -= xmin;
        double ww = 0.0;
        for (int x = 0; x < xmax; ++x) {
            w[x] = bilinearFilter((x + xmin - center + 0.5) * ss);
            ww += w[x];
        }
        for (int x = 0; x < xmax; ++x) {
            const double v = ww != 0.0 ? w[x] / ww : 0.0;
            const double fixed = v * (1 << kPrecisionBits);
            c.k[static_cast<std::size_t>(xx) * c.taps + x] = static_cast<std::int32_t>(
                fixed < 0 ? std::trunc(-0.5 + fixed) : std::trunc(0.5 + fixed));
        }
        c.first[xx] = xmin;
        c.count[xx] = xmax;
    }
    return c;
}

std::uint8_t clip8(std::int64_t v) {
    v >>= kPrecisionBits;
    return static_cast<std::uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
}

RgbImage resampleHorizontal(const RgbImage& in, int outWidth) {
    const Coefficients c = precompute(in.width, outWidth);
    RgbImage out;
    out.width = outWidth;
    out.height = in.height;
    out.pixels.resize(static_cast<std::size_t>(outWidth) * in.height * 3);
    for (int y = 0; y < in.height; ++y) {
        const std::uint8_t* row = in.pixels.data() + static_cast<std::size_t>(y) * in.width * 3;
        std::uint8_t* dst = out.pixels.data() + static_cast<std::size_t>(y) * outWidth * 3;
        for (int xx = 0; xx < outWidth; ++xx) {
            const std::int32_t* k = c.k.data() + static_cast<std::size_t>(xx) * c.taps;
            for (int ch = 0; ch < 3; ++ch) {
                std::int64_t ss = std::int64_t(1) << (kPrecisionBits - 1);
                for (int x = 0; x < c.count[xx]; ++x)
                    ss += static_cast<std::int64_t>(row[(x + c.first[xx]) * 3 + ch]) * k[x];
                dst[xx * 3 + ch] = clip8(ss);
            }
        }
    }
    return out;
}

RgbImage resampleVertical(const RgbImage& in, int outHeight) {
    const Coefficients c = precompute(in.height, outHeight);
    RgbImage out;
    out.width = in.width;
    out.height = outHeight;
    out.pixels.resize(static_cast<std::size_t>(in.width) * outHeight * 3);
    const std::size_t stride = static_cast<std::size_t>(in.width) * 3;
    for (int yy = 0; yy < outHeight; ++yy) {
        const std::int32_t* k = c.k.data() + static_cast<std::size_t>(yy) * c.taps;
        std::uint8_t* dst = out.pixels.data() + static_cast<std::size_t>(yy) * stride;
        for (std::size_t i = 0; i < stride; ++i) {
            std::int64_t ss = std::int64_t(1) << (kPrecisionBits - 1);
            for (int y = 0; y < c.count[yy]; ++y)
                ss += static_cast<std::int64_t>(in.pixels[(y + c.first[yy]) * stride + i]) * k[y];
            dst[i] = clip8(ss);
        }
    }
    return out;
}

// Python's round() of d / 2: half to even, as torchvision's center_crop uses.
int halfRoundedEven(int d) {
    const int k = d >= 0 ? d / 2 : -((-d + 1) / 2);  // floor(d / 2)
    if (d % 2 == 0) return k;
    return (k % 2 == 0) ? k : k + 1;
}

}  // namespace

int resizeSizeFor(int cropSize) {
    return static_cast<int>(std::lround(cropSize / 0.875));
}

RgbImage resizeShorterSide(const RgbImage& image, int size) {
    if (image.empty()) throw Error("cannot resize an empty image");
    const bool wide = image.width >= image.height;
    const int shortSide = wide ? image.height : image.width;
    const int longSide = wide ? image.width : image.height;
    // torchvision: new_long = int(size * long / short), i.e. truncated.
    const int newLong =
        std::max<std::int64_t>(1, static_cast<std::int64_t>(size) * longSide / shortSide);
    const int outW = wide ? newLong : size;
    const int outH = wide ? size : newLong;
    if (outW == image.width && outH == image.height) return image;
    RgbImage out = image;
    if (outW != out.width) out = resampleHorizontal(out, outW);
    if (outH != out.height) out = resampleVertical(out, outH);
    return out;
}

RgbImage resizeTo(const RgbImage& image, int width, int height) {
    if (image.empty()) throw Error("cannot resize an empty image");
    if (width <= 0 || height <= 0)
        throw Error("cannot resize an image to " + std::to_string(width) + " x " +
                    std::to_string(height));
    RgbImage out = image;
    if (width != out.width) out = resampleHorizontal(out, width);
    if (height != out.height) out = resampleVertical(out, height);
    return out;
}

RgbImage cropImage(const RgbImage& image, int left, int top, int width, int height) {
    if (width <= 0 || height <= 0 || left < 0 || top < 0 || left + width > image.width ||
        top + height > image.height)
        throw Error("the crop box lies outside the image");
    RgbImage out;
    out.width = width;
    out.height = height;
    out.pixels.resize(static_cast<std::size_t>(width) * height * 3);
    for (int y = 0; y < height; ++y)
        std::memcpy(&out.pixels[static_cast<std::size_t>(y) * width * 3],
                    &image.pixels[(static_cast<std::size_t>(y + top) * image.width + left) * 3],
                    static_cast<std::size_t>(width) * 3);
    return out;
}

RgbImage centerCrop(const RgbImage& image, int size) {
    const int top = halfRoundedEven(image.height - size);
    const int left = halfRoundedEven(image.width - size);
    RgbImage out;
    out.width = size;
    out.height = size;
    out.pixels.assign(static_cast<std::size_t>(size) * size * 3, 0);  // torchvision pads with 0
    for (int y = 0; y < size; ++y) {
        const int sy = y + top;
        if (sy < 0 || sy >= image.height) continue;
        for (int x = 0; x < size; ++x) {
            const int sx = x + left;
            if (sx < 0 || sx >= image.width) continue;
            std::memcpy(&out.pixels[(static_cast<std::size_t>(y) * size + x) * 3],
                        &image.pixels[(static_cast<std::size_t>(sy) * image.width + sx) * 3], 3);
        }
    }
    return out;
}

at::Tensor toNormalizedTensor(const RgbImage& image, const Normalization& norm) {
    // As ToTensor + Normalize: HWC uint8 -> CHW float / 255, then (x - mean) / std.
    at::Tensor hwc = at::from_blob(const_cast<std::uint8_t*>(image.pixels.data()),
                                   {image.height, image.width, 3}, at::kByte);
    at::Tensor chw = hwc.permute({2, 0, 1}).contiguous().to(at::kFloat).div(255);
    const at::Tensor mean = at::tensor({norm.mean[0], norm.mean[1], norm.mean[2]}).view({3, 1, 1});
    const at::Tensor std = at::tensor({norm.std[0], norm.std[1], norm.std[2]}).view({3, 1, 1});
    return chw.sub_(mean).div_(std);
}

at::Tensor evalTransform(const RgbImage& image, int cropSize, const Normalization& norm) {
    if (cropSize <= 0) throw Error("the image size must be positive");
    const RgbImage resized = resizeShorterSide(image, resizeSizeFor(cropSize));
    return toNormalizedTensor(centerCrop(resized, cropSize), norm);
}

}  // namespace fts
