#include "data/augment.h"

#include "core/error.h"
#include "data/split.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <vector>

namespace fts {
namespace {

// Python's round(): half to even (the default floating-point rounding mode).
int roundHalfEven(double v) {
    return static_cast<int>(std::nearbyint(v));
}

double uniform(std::mt19937_64& rng, double a, double b) {
    return a + (b - a) * uniformUnit(rng);
}

void writeNormalized(const RgbImage& image, const Normalization& norm, float* out,
                     PixelLayout layout = PixelLayout::Planar) {
    normalizeInto(image, norm, out, layout);
}

void flipHorizontal(RgbImage& image) {
    for (int y = 0; y < image.height; ++y) {
        std::uint8_t* row = image.pixels.data() + static_cast<std::size_t>(y) * image.width * 3;
        for (int l = 0, r = image.width - 1; l < r; ++l, --r)
            for (int c = 0; c < 3; ++c) std::swap(row[l * 3 + c], row[r * 3 + c]);
    }
}

float clamp01(float v) {
    return v < 0.0f ? 0.0f : (v > 1.0f ? 1.0f : v);
}

float gray(const float* rgb) {
    // torchvision's rgb_to_grayscale weights.
    return 0.2989f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2];
}

// ColorJitter(brightness, contrast, saturation) with torchvision's tensor
// semantics: blend with black, with the mean grey level, with the grey image,
// clamping to [0, 1] after each step. `hwc` holds floats in [0, 1].
void colourJitter(std::vector<float>& hwc, double strength, std::mt19937_64& rng) {
    const float brightness = static_cast<float>(uniform(rng, 1.0 - strength, 1.0 + strength));
    const float contrast = static_cast<float>(uniform(rng, 1.0 - strength, 1.0 + strength));
    const float saturation = static_cast<float>(uniform(rng, 1.0 - strength, 1.0 + strength));
    const std::size_t pixels = hwc.size() / 3;
    for (float& v : hwc) v = clamp01(v * brightness);
    double sum = 0.0;
    for (std::size_t p = 0; p < pixels; ++p) sum += gray(&hwc[p * 3]);
    const float mean = pixels > 0 ? static_cast<float>(sum / static_cast<double>(pixels)) : 0.0f;
    for (float& v : hwc) v = clamp01(contrast * v + (1.0f - contrast) * mean);
    for (std::size_t p = 0; p < pixels; ++p) {
        const float g = gray(&hwc[p * 3]);
        for (std::size_t c = 0; c < 3; ++c)
            hwc[p * 3 + c] = clamp01(saturation * hwc[p * 3 + c] + (1.0f - saturation) * g);
    }
}

// The geometric part of light / strong augmentation: random resized crop to
// spec.cropSize, then the random horizontal flip.
RgbImage randomCropAndFlip(const RgbImage& image, const TransformSpec& spec, std::mt19937_64& rng) {
    if (image.empty()) throw Error("cannot transform an empty image");
    const int size = spec.cropSize;
    const double scaleMin = spec.augment == Augment::Strong ? 0.2 : 0.5;
    const CropBox box = randomResizedCropBox(image.width, image.height, scaleMin, 1.0, rng);
    RgbImage crop =
        resizeTo(cropImage(image, box.left, box.top, box.width, box.height), size, size);
    // torchvision: `if torch.rand(1) < p` flips.
    if (spec.horizontalFlip && uniformUnit(rng) < 0.5) flipHorizontal(crop);
    return crop;
}

// Strong augmentation's colour jitter on `crop`: HWC floats in [0, 1].
std::vector<float> jitteredFloats(const RgbImage& crop, std::mt19937_64& rng) {
    std::vector<float> hwc(crop.pixels.size());
    for (std::size_t i = 0; i < hwc.size(); ++i)
        hwc[i] = static_cast<float>(crop.pixels[i]) / 255.0f;
    colourJitter(hwc, /*strength=*/0.4, rng);
    return hwc;
}

}  // namespace

// ToTensor + Normalize on bytes, in the order ATen computes it in
// toNormalizedTensor (x / 255, then - mean, then / std, all in float), so the
// results are bitwise equal. One pass over the interleaved bytes, three planes
// written side by side.
void normalizeInto(const RgbImage& image, const Normalization& norm, float* out,
                   PixelLayout layout) {
    const std::size_t plane = static_cast<std::size_t>(image.width) * image.height;
    const std::uint8_t* src = image.pixels.data();
    if (layout == PixelLayout::Interleaved) {
        for (std::size_t p = 0; p < plane; ++p, src += 3, out += 3)
            for (std::size_t c = 0; c < 3; ++c)
                out[c] = (static_cast<float>(src[c]) / 255.0f - norm.mean[c]) / norm.std[c];
        return;
    }
    float* r = out;
    float* g = out + plane;
    float* b = out + 2 * plane;
    const float m0 = norm.mean[0], m1 = norm.mean[1], m2 = norm.mean[2];
    const float s0 = norm.std[0], s1 = norm.std[1], s2 = norm.std[2];
    for (std::size_t p = 0; p < plane; ++p, src += 3) {
        r[p] = (static_cast<float>(src[0]) / 255.0f - m0) / s0;
        g[p] = (static_cast<float>(src[1]) / 255.0f - m1) / s1;
        b[p] = (static_cast<float>(src[2]) / 255.0f - m2) / s2;
    }
}

RgbImage evalCrop(const RgbImage& image, int cropSize) {
    if (cropSize <= 0) throw Error("the image size must be positive");
    return centerCrop(resizeShorterSide(image, resizeSizeFor(cropSize)), cropSize);
}

RgbImage presizeForTraining(const RgbImage& image, int cropSize) {
    const int target = resizeSizeFor(cropSize);
    if (std::min(image.width, image.height) <= target) return image;
    return resizeShorterSide(image, target);
}

Augment parseAugment(const std::string& text) {
    std::string t = text;
    std::transform(t.begin(), t.end(), t.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (t == "none") return Augment::None;
    if (t == "light") return Augment::Light;
    if (t == "strong") return Augment::Strong;
    throw Error("unknown augmentation '" + text + "': choose none, light or strong");
}

std::string augmentName(Augment augment) {
    switch (augment) {
        case Augment::None:
            return "none";
        case Augment::Light:
            return "light";
        case Augment::Strong:
            return "strong";
    }
    return "none";
}

CropBox randomResizedCropBox(int width, int height, double scaleMin, double scaleMax,
                             std::mt19937_64& rng) {
    const double area = static_cast<double>(width) * height;
    const double ratioMin = 3.0 / 4.0;
    const double ratioMax = 4.0 / 3.0;
    const double logMin = std::log(ratioMin);
    const double logMax = std::log(ratioMax);
    for (int attempt = 0; attempt < 10; ++attempt) {
        const double targetArea = area * uniform(rng, scaleMin, scaleMax);
        const double aspect = std::exp(uniform(rng, logMin, logMax));
        const int w = roundHalfEven(std::sqrt(targetArea * aspect));
        const int h = roundHalfEven(std::sqrt(targetArea / aspect));
        if (w > 0 && w <= width && h > 0 && h <= height) {
            CropBox box;
            box.top =
                static_cast<int>(uniformBelow(rng, static_cast<std::uint64_t>(height - h + 1)));
            box.left =
                static_cast<int>(uniformBelow(rng, static_cast<std::uint64_t>(width - w + 1)));
            box.width = w;
            box.height = h;
            return box;
        }
    }
    // Fallback: the central crop, its ratio clamped to [3/4, 4/3].
    const double inRatio = static_cast<double>(width) / height;
    int w = width;
    int h = height;
    if (inRatio < ratioMin)
        h = roundHalfEven(w / ratioMin);
    else if (inRatio > ratioMax)
        w = roundHalfEven(h * ratioMax);
    w = std::clamp(w, 1, width);
    h = std::clamp(h, 1, height);
    CropBox box;
    box.top = (height - h) / 2;
    box.left = (width - w) / 2;
    box.width = w;
    box.height = h;
    return box;
}

void evalTransformInto(const RgbImage& image, int cropSize, const Normalization& norm, float* out) {
    if (cropSize <= 0) throw Error("the image size must be positive");
    const RgbImage resized = resizeShorterSide(image, resizeSizeFor(cropSize));
    writeNormalized(centerCrop(resized, cropSize), norm, out);
}

void trainTransformInto(const RgbImage& image, const TransformSpec& spec, std::mt19937_64& rng,
                        float* out, PixelLayout layout) {
    const int size = spec.cropSize;
    if (size <= 0) throw Error("the image size must be positive");
    if (spec.augment == Augment::None) {
        writeNormalized(centerCrop(resizeShorterSide(image, resizeSizeFor(size)), size), spec.norm,
                        out, layout);
        return;
    }
    const RgbImage crop = randomCropAndFlip(image, spec, rng);
    if (spec.augment != Augment::Strong) {
        writeNormalized(crop, spec.norm, out, layout);
        return;
    }
    const std::vector<float> hwc = jitteredFloats(crop, rng);
    const std::size_t plane = static_cast<std::size_t>(size) * size;
    if (layout == PixelLayout::Interleaved) {
        for (std::size_t p = 0; p < plane; ++p)
            for (std::size_t c = 0; c < 3; ++c)
                out[p * 3 + c] = (hwc[p * 3 + c] - spec.norm.mean[c]) / spec.norm.std[c];
        return;
    }
    for (std::size_t c = 0; c < 3; ++c)
        for (std::size_t p = 0; p < plane; ++p)
            out[c * plane + p] = (hwc[p * 3 + c] - spec.norm.mean[c]) / spec.norm.std[c];
}

RgbImage trainTransformImage(const RgbImage& image, const TransformSpec& spec,
                             std::mt19937_64& rng) {
    const int size = spec.cropSize;
    if (size <= 0) throw Error("the image size must be positive");
    if (spec.augment == Augment::None)
        return centerCrop(resizeShorterSide(image, resizeSizeFor(size)), size);
    RgbImage crop = randomCropAndFlip(image, spec, rng);
    if (spec.augment != Augment::Strong) return crop;
    const std::vector<float> hwc = jitteredFloats(crop, rng);
    for (std::size_t i = 0; i < hwc.size(); ++i)
        crop.pixels[i] = static_cast<std::uint8_t>(std::lround(hwc[i] * 255.0f));
    return crop;
}

at::Tensor trainTransform(const RgbImage& image, const TransformSpec& spec, std::mt19937_64& rng) {
    if (spec.cropSize <= 0) throw Error("the image size must be positive");
    at::Tensor out = at::empty({3, spec.cropSize, spec.cropSize}, at::kFloat);
    trainTransformInto(image, spec, rng, out.data_ptr<float>());
    return out;
}

RgbImage makeThumbnail(const RgbImage& image, int maxSide) {
    if (image.empty()) throw Error("cannot make a thumbnail of an empty image");
    if (maxSide <= 0) throw Error("the thumbnail size must be positive");
    const int longSide = std::max(image.width, image.height);
    if (longSide <= maxSide) return image;
    const double scale = static_cast<double>(maxSide) / longSide;
    const int w = std::max(1, static_cast<int>(std::lround(image.width * scale)));
    const int h = std::max(1, static_cast<int>(std::lround(image.height * scale)));
    return resizeTo(image, image.width >= image.height ? maxSide : w,
                    image.height > image.width ? maxSide : h);
}

}  // namespace fts
