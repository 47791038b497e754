#pragma once

#include "data/imagedecode.h"

#include <cstdint>
#include <string>

namespace fts {

/// The image exactly as the model will see it, before normalisation: the
/// GUI's dataset preview. Torch-free (ui/ includes it).
///
/// Evaluation: resize the shorter side to round(S / 0.875), centre-crop S.
RgbImage previewEvalImage(const RgbImage& image, int imageSize);
/// Training with augmentation "none" | "light" | "strong": one random draw of
/// the training transform, deterministic for `seed`. Throws fts::Error for an
/// unknown augmentation name.
RgbImage previewTrainImage(const RgbImage& image, int imageSize, const std::string& augment,
                           std::uint64_t seed);

}  // namespace fts
