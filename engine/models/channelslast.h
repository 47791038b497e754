#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <string>

namespace fts {

/// Channels-last (NHWC) layout for CPU training and inference. oneDNN's CPU
/// convolutions skip a layout conversion per layer with it: measured with
/// Debian's torch 1.13 (the same library) on 2 cores, ResNet-18 ran ~30 %
/// faster in inference and ~10 % faster in training, MobileNetV2 / V3 and
/// EfficientNet-B0 45-90 % faster in training (docs/performance.md). Values
/// are unchanged; only strides differ, and state dicts are written
/// contiguous as always.
bool prefersChannelsLast(const torch::Device& device);

/// The same for a run in `precision` ("fp32" | "bf16"). On CUDA only bf16
/// uses it: cuDNN's tensor-core convolutions for 16-bit types work in NHWC
/// and otherwise transpose around every convolution (NVIDIA's performance
/// guide); for fp32 on CUDA the gain is unmeasured here (no GPU was
/// available), so the default layout stays. The environment variable
/// FTS_CHANNELS_LAST=0|1 overrides the choice for benchmarks (bench/gpu_run.sh).
bool prefersChannelsLast(const torch::Device& device, const std::string& precision);

/// Gives every 4-D parameter and buffer of `model` the channels-last layout.
void convertToChannelsLast(torch::nn::Module& model);

/// True when `model`'s convolution weights are channels-last (after
/// convertToChannelsLast), so its inputs should be too.
bool usesChannelsLast(const torch::nn::Module& model);

/// `images` [N, C, H, W] in the layout `model` wants (a no-op when it already is).
torch::Tensor inputFor(const torch::nn::Module& model, const torch::Tensor& images);

}  // namespace fts
