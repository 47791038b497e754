#include "data/preview.h"

#include "core/error.h"
#include "data/augment.h"
#include "data/evaltransform.h"

#include <random>

namespace fts {

RgbImage previewEvalImage(const RgbImage& image, int imageSize) {
    if (imageSize <= 0) throw Error("the image size must be positive");
    if (image.empty()) throw Error("cannot preview an empty image");
    return centerCrop(resizeShorterSide(image, resizeSizeFor(imageSize)), imageSize);
}

RgbImage previewTrainImage(const RgbImage& image, int imageSize, const std::string& augment,
                           std::uint64_t seed) {
    TransformSpec spec;
    spec.cropSize = imageSize;
    spec.augment = parseAugment(augment);  // throws listing the choices
    if (image.empty()) throw Error("cannot preview an empty image");
    std::mt19937_64 rng(seed);
    // As the trainer's loaders do (augment.h: presizeForTraining).
    if (spec.augment != Augment::None)
        return trainTransformImage(presizeForTraining(image, imageSize), spec, rng);
    return trainTransformImage(image, spec, rng);
}

}  // namespace fts
