#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

namespace fts {

/// Channels-last (NHWC) layout for CPU training and inference. oneDNN's CPU
/// convolutions skip a layout conversion per layer with it: measured with
/// Debian's torch 1.13 (the same library) on 2 cores, ResNet-18 ran ~30 %
/// faster in inference and ~10 % faster in training, MobileNetV2 / V3 and
/// EfficientNet-B0 45-90 % faster in training (docs/performance.md). Values
/// are unchanged; only strides differ, and state dicts are written
/// contiguous as always.
bool prefersChannelsLast(const torch::Device& device);

/// Gives every 4-D parameter and buffer of `model` the channels-last layout.
void convertToChannelsLast(torch::nn::Module& model);

/// True when `model`'s convolution weights are channels-last (after
/// convertToChannelsLast), so its inputs should be too.
bool usesChannelsLast(const torch::nn::Module& model);

/// `images` [N, C, H, W] in the layout `model` wants (a no-op when it already is).
torch::Tensor inputFor(const torch::nn::Module& model, const torch::Tensor& images);

}  // namespace fts
