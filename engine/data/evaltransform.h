#pragma once

#include "data/imagedecode.h"

#include <ATen/core/Tensor.h>

#include <array>

namespace fts {

struct Normalization {
    std::array<float, 3> mean{{0.485f, 0.456f, 0.406f}};
    std::array<float, 3> std{{0.229f, 0.224f, 0.225f}};
};

/// The evaluation preprocessing of DESIGN.md, as torchvision's
/// Resize(round(S / 0.875)) + CenterCrop(S) + ToTensor + Normalize:
/// resize the shorter side to round(S / 0.875) (the longer side scales with
/// truncation, as torchvision does; no resampling when it already has that
/// size), centre-crop S x S (offsets rounded half-to-even like Python's
/// round), scale to [0, 1], normalise. Returns float [3, S, S].
at::Tensor evalTransform(const RgbImage& image, int cropSize, const Normalization& norm);

/// Shorter-side target for a crop size: round(S / 0.875).
int resizeSizeFor(int cropSize);

/// Resizes so that the shorter side is `size`, the longer side
/// int(size * long / short), with Pillow's antialiased bilinear filter (8-bit
/// fixed point, as torchvision's default PIL path computes it). Returns the
/// image unchanged when it already has that size.
RgbImage resizeShorterSide(const RgbImage& image, int size);

/// torchvision's CenterCrop: offsets round((h - S) / 2) half-to-even; a
/// smaller image is padded with zeros.
RgbImage centerCrop(const RgbImage& image, int size);

/// Resizes to exactly width x height with the same Pillow antialiased bilinear
/// filter (horizontal pass first, as Pillow does); unchanged when already that size.
RgbImage resizeTo(const RgbImage& image, int width, int height);

/// The rectangle [left, left + width) x [top, top + height), which must lie
/// inside the image (as PIL's crop of an in-bounds box). Throws fts::Error otherwise.
RgbImage cropImage(const RgbImage& image, int left, int top, int width, int height);

/// RGB bytes [H, W, 3] uint8 -> float [3, H, W] in [0, 1], then normalised.
at::Tensor toNormalizedTensor(const RgbImage& image, const Normalization& norm);

}  // namespace fts
