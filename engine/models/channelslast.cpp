#include "models/channelslast.h"

#include <cstdlib>

namespace fts {

bool prefersChannelsLast(const torch::Device& device) {
    return device.is_cpu();
}

bool prefersChannelsLast(const torch::Device& device, const std::string& precision) {
    if (const char* force = std::getenv("FTS_CHANNELS_LAST"); force && *force)
        return std::string(force) != "0";
    if (device.is_cuda()) return precision == "bf16";
    return prefersChannelsLast(device);
}

void convertToChannelsLast(torch::nn::Module& model) {
    torch::NoGradGuard noGrad;
    for (auto& p : model.parameters(/*recurse=*/true))
        if (p.dim() == 4) p.set_data(p.contiguous(at::MemoryFormat::ChannelsLast));
    for (auto& b : model.buffers(/*recurse=*/true))
        if (b.dim() == 4) b.set_data(b.contiguous(at::MemoryFormat::ChannelsLast));
}

bool usesChannelsLast(const torch::nn::Module& model) {
    for (const auto& p : model.parameters(/*recurse=*/true)) {
        if (p.dim() != 4) continue;
        // A 1x1 kernel with one input channel is both layouts at once: look further.
        if (p.is_contiguous() && p.is_contiguous(at::MemoryFormat::ChannelsLast)) continue;
        return p.is_contiguous(at::MemoryFormat::ChannelsLast);
    }
    return false;
}

torch::Tensor inputFor(const torch::nn::Module& model, const torch::Tensor& images) {
    if (images.dim() != 4 || !usesChannelsLast(model)) return images;
    return images.contiguous(at::MemoryFormat::ChannelsLast);
}

}  // namespace fts
