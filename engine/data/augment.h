#pragma once

#include "data/evaltransform.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <random>
#include <string>

namespace fts {

/// --augment none|light|strong.
///   none:   the evaluation transform (resize shorter side, centre crop)
///   light:  random resized crop (scale 0.5-1, ratio 3/4-4/3) + horizontal flip
///   strong: random resized crop (scale 0.2-1) + flip + colour jitter
///           (brightness, contrast, saturation 0.4)
enum class Augment { None, Light, Strong };

Augment parseAugment(const std::string& text);  // throws fts::Error listing the choices
std::string augmentName(Augment augment);

struct TransformSpec {
    int cropSize = 224;
    Normalization norm;
    Augment augment = Augment::None;
    bool horizontalFlip = true;  // off for data where left/right matters
};

/// The training transform: float [3, S, S], normalised. Deterministic for a
/// given rng state (the loader seeds one rng per sample from seed, epoch and
/// position, so results do not depend on thread scheduling).
at::Tensor trainTransform(const RgbImage& image, const TransformSpec& spec, std::mt19937_64& rng);

/// How a transform writes its 3 x S x S floats: planar (CHW, a contiguous
/// [3, S, S] tensor) or interleaved (HWC, the channels-last layout of
/// models/channelslast.h).
enum class PixelLayout { Planar, Interleaved };

/// As trainTransform, writing 3 x S x S floats to `out` without any ATen
/// call: the loader's worker threads use it. Bitwise the same values.
void trainTransformInto(const RgbImage& image, const TransformSpec& spec, std::mt19937_64& rng,
                        float* out, PixelLayout layout = PixelLayout::Planar);

/// The same random draw as trainTransformInto (same rng use), as the RGB image
/// it normalises: S x S bytes, colour jitter rounded to 8 bits. For previews.
RgbImage trainTransformImage(const RgbImage& image, const TransformSpec& spec,
                             std::mt19937_64& rng);

/// As evalTransform, writing 3 x S x S floats (CHW) to `out` without any ATen
/// call; bitwise the same values as evalTransform.
void evalTransformInto(const RgbImage& image, int cropSize, const Normalization& norm, float* out);

/// ToTensor + Normalize of an RGB image into 3 x H x W floats (CHW), without
/// any ATen call; bitwise the values toNormalizedTensor computes.
void normalizeInto(const RgbImage& image, const Normalization& norm, float* out,
                   PixelLayout layout = PixelLayout::Planar);

/// The evaluation crop as bytes: resize the shorter side to round(S / 0.875),
/// centre-crop S. evalTransformInto(image) == normalizeInto(evalCrop(image)).
RgbImage evalCrop(const RgbImage& image, int cropSize);

/// Training resolution for augmentation: an image whose shorter side is longer
/// than round(S / 0.875) is resized to that (Pillow's filter); smaller ones are
/// returned unchanged. The trainer's loaders apply it before the random crop,
/// cached or not, so decoded images can be kept at this size (a 12-megapixel
/// photo becomes ~0.2 MB) and results do not depend on the cache budget.
RgbImage presizeForTraining(const RgbImage& image, int cropSize);

/// torchvision's RandomResizedCrop.get_params: 10 tries of a random area
/// (scale of the image area) and log-uniform aspect ratio (3/4 to 4/3), then
/// the central crop clamped to that ratio range.
struct CropBox {
    int left = 0;
    int top = 0;
    int width = 0;
    int height = 0;
};
CropBox randomResizedCropBox(int width, int height, double scaleMin, double scaleMax,
                             std::mt19937_64& rng);

/// A small RGB thumbnail (longer side maxSide) for sample-prediction galleries.
/// Images already that small are returned unchanged (never enlarged).
RgbImage makeThumbnail(const RgbImage& image, int maxSide);

}  // namespace fts
