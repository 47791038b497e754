#pragma once

// Torch-free: Grad-CAM heat maps for the GUI's image inspector and tests.

#include "data/imagedecode.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace fts {

struct LoadedModel;

/// One Grad-CAM map (Selvaraju et al. 2017) at the evaluation crop's resolution.
struct GradCamResult {
    int classIndex = -1;       // the class the map explains
    int predictedIndex = -1;   // the model's top-1 for this image
    double probability = 0.0;  // softmax probability of classIndex
    std::string layer;         // module path of the target layer
    int width = 0;             // the crop's size (the model's input size)
    int height = 0;
    std::vector<float> heat;  // width * height, row-major, in [0, 1]
    RgbImage crop;            // the evaluation crop the model saw
    RgbImage overlay;         // the heat map (jet colours) blended over `crop`
};

/// Grad-CAM for the convolutional architectures: ResNet-18/34/50, the demo
/// CNN, MobileNetV2/V3 and EfficientNet-B0 (TorchScript backbones are
/// refused). Target layers are the stages of the backbone in forward order
/// ("conv1", "layer1", "layer1.0", "features.3", ...), every one with a 4-D
/// output; the default is the registry's last block. Because LibTorch modules
/// have no hooks, the backbone's children are run in the order of the model's
/// forwardFeatures(). Lives on the thread that calls it; compute() is
/// serialised by a mutex, so one object may be shared by successive worker
/// jobs.
class GradCam {
public:
    /// Loads the best weights of a run directory or an export bundle. Throws
    /// fts::Error naming the folder when it is neither, or when the
    /// architecture has no Grad-CAM.
    explicit GradCam(const std::filesystem::path& runOrBundle);
    explicit GradCam(const LoadedModel& model);
    ~GradCam();
    GradCam(const GradCam&) = delete;
    GradCam& operator=(const GradCam&) = delete;

    const std::string& architecture() const;
    const std::vector<std::string>& classes() const;
    /// Candidate target layers, in forward order.
    const std::vector<std::string>& layers() const;
    std::string defaultLayer() const;

    /// classIndex -1: the predicted class. layer empty: defaultLayer(). Throws
    /// fts::Error when the class index or the layer path is invalid.
    GradCamResult compute(const RgbImage& image, int classIndex,
                          const std::string& layer = {}) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

/// True for the architectures GradCam supports (registry names).
bool gradCamSupported(const std::string& architecture);

/// A jet-like colour for v in [0, 1] blended over `image` with weight `alpha`
/// (0: image only). heat has image.width * image.height values.
RgbImage overlayHeatMap(const RgbImage& image, const std::vector<float>& heat, float alpha = 0.5f);

}  // namespace fts
