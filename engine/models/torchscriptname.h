#pragma once

// Torch-free on purpose: ui/ includes it.

namespace fts {

/// The model name of a TorchScript backbone: `--model torchscript --weights
/// FILE`, where FILE is a module saved with torch.jit.save (scripted or
/// traced) whose forward maps images [N, 3, S, S] to features [N, F] (or to a
/// feature map [N, F, h, w], which is average-pooled), e.g. a torchvision
/// resnet18 with fc = nn.Identity(). See models/torchscriptbackbone.h.
inline constexpr const char* kTorchScriptModel = "torchscript";

}  // namespace fts
