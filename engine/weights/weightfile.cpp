#include "weights/weightfile.h"

#include "core/error.h"
#include "core/fileio.h"
#include "weights/safetensors.h"
#include "weights/torchcheckpoint.h"
#include "weights/zipreader.h"

#include <ATen/ATen.h>

#include <cstring>
#include <new>

namespace fts {

namespace {

constexpr std::uint8_t kLegacyMagic[] = {0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46,
                                         0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};

bool looksLikeSafetensors(const std::uint8_t* data, std::size_t size) {
    if (size < 9) return false;
    if (data[8] == '{') return true;
    // A plausible header length followed by some other JSON value (a
    // malformed file that still claims to be safetensors).
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | data[i];
    return n >= 2 && n <= size - 8 && (data[8] == '[' || data[8] == '"');
}

bool looksLikeLegacy(const std::uint8_t* data, std::size_t size) {
    // PROTO n, an optional FRAME (protocol 4+), then the magic number as LONG1.
    if (size < 2 || data[0] != 0x80 || data[1] > 5) return false;
    std::size_t pos = 2;
    if (size > pos && data[pos] == 0x95) pos += 9;
    return size >= pos + sizeof kLegacyMagic &&
           std::memcmp(data + pos, kLegacyMagic, sizeof kLegacyMagic) == 0;
}

bool isTorchScriptArchive(const std::uint8_t* data, std::size_t size) {
    try {
        const ZipReader zip(data, size, {});
        for (const auto& e : zip.entries()) {
            const auto slash = e.name.find('/');
            const std::string rest = slash == std::string::npos ? e.name : e.name.substr(slash + 1);
            if (rest == "constants.pkl" || rest.rfind("code/", 0) == 0) return true;
        }
    } catch (const Error&) {
        // A damaged zip: the checkpoint reader reports what is wrong.
    }
    return false;
}

}  // namespace

std::string weightFormatName(WeightFormat format) {
    switch (format) {
        case WeightFormat::Safetensors:
            return "safetensors";
        case WeightFormat::TorchZip:
            return "torch.save (zip)";
        case WeightFormat::TorchLegacy:
            return "torch.save (legacy)";
        case WeightFormat::TorchScript:
            return "TorchScript";
        case WeightFormat::Unknown:
            break;
    }
    return "unknown";
}

WeightFormat detectWeightFormat(const std::uint8_t* data, std::size_t size) {
    if (ZipReader::looksLikeZip(data, size))
        return isTorchScriptArchive(data, size) ? WeightFormat::TorchScript
                                                : WeightFormat::TorchZip;
    if (looksLikeLegacy(data, size)) return WeightFormat::TorchLegacy;
    if (looksLikeSafetensors(data, size)) return WeightFormat::Safetensors;
    return WeightFormat::Unknown;
}

WeightFile parseWeightFile(const std::uint8_t* data, std::size_t size, const std::string& source) {
    WeightFile wf;
    wf.format = detectWeightFormat(data, size);
    try {
        switch (wf.format) {
            case WeightFormat::Safetensors: {
                auto content = parseSafetensors(data, size, source);
                wf.tensors = std::move(content.tensors);
                wf.metadata = std::move(content.metadata);
                break;
            }
            case WeightFormat::TorchZip:
            case WeightFormat::TorchLegacy: {
                auto ckpt = parseTorchCheckpoint(data, size, source);
                wf.tensors = std::move(ckpt.tensors);
                wf.otherEntries = std::move(ckpt.otherEntries);
                break;
            }
            case WeightFormat::TorchScript:
                throw FormatError(
                    source,
                    "this file is a TorchScript module (torch.jit.save), not a state dict; "
                    "save model.state_dict() with torch.save or safetensors instead");
            case WeightFormat::Unknown:
                if (size == 0)
                    throw FormatError(source,
                                      "the file is empty (expected safetensors or a PyTorch "
                                      ".pth/.pt state dict)");
                throw FormatError(
                    source,
                    "not a weight file this app reads (expected safetensors or a PyTorch "
                    ".pth/.pt state dict)");
        }
    } catch (const Error&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw FormatError(source, "not enough memory to load the weights");
    } catch (const std::exception& e) {
        // Torch errors are multi-line; the first line says enough.
        std::string what = e.what();
        what = what.substr(0, what.find('\n'));
        throw FormatError(source, "could not be read (" + what + ")");
    }
    return wf;
}

WeightFile loadWeightFile(const std::filesystem::path& file) {
    const auto bytes = readFileBytes(file);
    return parseWeightFile(bytes.data(), bytes.size(), displayPath(file));
}

std::vector<TensorInfo> describeTensors(const TensorList& tensors) {
    std::vector<TensorInfo> out;
    out.reserve(tensors.size());
    for (const auto& [name, t] : tensors)
        out.push_back({name, dtypeName(t), t.sizes().vec(), t.numel()});
    return out;
}

std::string dtypeName(const at::Tensor& tensor) {
    switch (tensor.scalar_type()) {
        case at::kFloat:
            return "float32";
        case at::kDouble:
            return "float64";
        case at::kHalf:
            return "float16";
        case at::kBFloat16:
            return "bfloat16";
        case at::kLong:
            return "int64";
        case at::kInt:
            return "int32";
        case at::kShort:
            return "int16";
        case at::kChar:
            return "int8";
        case at::kByte:
            return "uint8";
        case at::kBool:
            return "bool";
        case at::kComplexFloat:
            return "complex64";
        case at::kComplexDouble:
            return "complex128";
        default:
            return c10::toString(tensor.scalar_type());
    }
}

}  // namespace fts
