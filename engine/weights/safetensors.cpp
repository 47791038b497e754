#include "weights/safetensors.h"

#include "core/error.h"
#include "core/fileio.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <limits>
#include <optional>
#include <set>

namespace fts {

namespace {

// The reference implementation refuses headers above 100 MB.
constexpr std::uint64_t kMaxHeaderSize = 100'000'000;
constexpr std::size_t kMaxDims = 64;

struct DtypeInfo {
    const char* name;
    c10::ScalarType type;
    int rank;  // the reference's Dtype order: the writer sorts by it, descending
};

// Ranks follow the declaration order of the reference's Dtype enum, so our
// files lay tensors out exactly as Python's safetensors does.
constexpr DtypeInfo kDtypes[] = {
    {"BOOL", c10::ScalarType::Bool, 0},  {"U8", c10::ScalarType::Byte, 1},
    {"I8", c10::ScalarType::Char, 2},    {"I16", c10::ScalarType::Short, 3},
    {"F16", c10::ScalarType::Half, 4},   {"BF16", c10::ScalarType::BFloat16, 5},
    {"I32", c10::ScalarType::Int, 6},    {"F32", c10::ScalarType::Float, 7},
    {"F64", c10::ScalarType::Double, 8}, {"I64", c10::ScalarType::Long, 9},
};

const DtypeInfo* dtypeByName(const std::string& name) {
    for (const auto& d : kDtypes)
        if (name == d.name) return &d;
    return nullptr;
}

const DtypeInfo* dtypeByType(c10::ScalarType t) {
    for (const auto& d : kDtypes)
        if (t == d.type) return &d;
    return nullptr;
}


std::optional<std::uint64_t> asUnsigned(const nlohmann::json& j) {
    if (j.is_number_unsigned()) return j.get<std::uint64_t>();
    if (j.is_number_integer() && j.get<std::int64_t>() >= 0)
        return static_cast<std::uint64_t>(j.get<std::int64_t>());
    return std::nullopt;
}

struct Entry {
    std::string name;
    const DtypeInfo* dtype;
    std::vector<std::int64_t> shape;
    std::uint64_t begin;
    std::uint64_t end;
};

}  // namespace

SafetensorsContent parseSafetensors(const std::uint8_t* data, std::size_t size,
                                    const std::string& source) {
    const auto fail = [&](const std::string& problem) { throw FormatError(source, problem); };
    if (size < 8)
        fail("the file is too short (" + std::to_string(size) + " bytes) to be a safetensors file");
    std::uint64_t headerSize = 0;
    for (int i = 7; i >= 0; --i) headerSize = (headerSize << 8) | data[i];
    if (headerSize > kMaxHeaderSize)
        fail("the safetensors header length " + std::to_string(headerSize) +
             " is larger than the 100 MB limit (damaged file?)");
    if (headerSize > size - 8)
        fail("the safetensors header length " + std::to_string(headerSize) +
             " runs past the end of the file (" + std::to_string(size) + " bytes; truncated?)");

    // Parse without exceptions; a callback notes duplicate top-level names,
    // which a plain JSON object would silently merge.
    std::set<std::string> seen;
    std::string duplicate;
    const nlohmann::json::parser_callback_t noteKeys =
        [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
            if (depth == 1 && event == nlohmann::json::parse_event_t::key && parsed.is_string()) {
                const auto& key = parsed.get_ref<const std::string&>();
                if (!seen.insert(key).second && duplicate.empty()) duplicate = key;
            }
            return true;
        };
    const char* headerBegin = reinterpret_cast<const char*>(data + 8);
    const nlohmann::json header = nlohmann::json::parse(headerBegin, headerBegin + headerSize,
                                                        noteKeys, /*allow_exceptions=*/false);
    if (header.is_discarded()) fail("the safetensors header is not valid JSON");
    if (!header.is_object()) fail("the safetensors header is not a JSON object");
    if (!duplicate.empty())
        fail("the safetensors header names '" + printable(duplicate) + "' twice");

    const std::uint64_t dataSize = size - 8 - headerSize;
    SafetensorsContent content;
    std::vector<Entry> entries;
    for (const auto& [name, info] : header.items()) {
        if (name == "__metadata__") {
            if (!info.is_object()) fail("the safetensors __metadata__ is not a JSON object");
            for (const auto& [k, v] : info.items()) {
                if (!v.is_string())
                    fail("the safetensors __metadata__ value for '" + printable(k) +
                         "' is not a string");
                content.metadata[k] = v.get<std::string>();
            }
            continue;
        }
        const std::string what = "tensor '" + printable(name) + "'";
        if (!info.is_object()) fail(what + " is not described by a JSON object");
        const auto dtypeIt = info.find("dtype");
        const auto shapeIt = info.find("shape");
        const auto offsetsIt = info.find("data_offsets");
        if (dtypeIt == info.end() || !dtypeIt->is_string()) fail(what + " has no dtype string");
        if (shapeIt == info.end() || !shapeIt->is_array()) fail(what + " has no shape list");
        if (offsetsIt == info.end() || !offsetsIt->is_array() || offsetsIt->size() != 2)
            fail(what + " has no data_offsets pair");
        Entry e;
        e.name = name;
        const std::string dtypeText = dtypeIt->get<std::string>();
        e.dtype = dtypeByName(dtypeText);
        if (!e.dtype)
            fail(what + " has the dtype '" + printable(dtypeText) +
                 "', which this app does not read");
        if (shapeIt->size() > kMaxDims)
            fail(what + " has " + std::to_string(shapeIt->size()) + " dimensions, more than " +
                 std::to_string(kMaxDims));
        std::uint64_t numel = 1;
        bool overflow = false;
        for (const auto& dim : *shapeIt) {
            if (dim.is_number_integer() && !dim.is_number_unsigned() && dim.get<std::int64_t>() < 0)
                fail(what + " has a negative dimension (" +
                     std::to_string(dim.get<std::int64_t>()) + ")");
            const auto n = asUnsigned(dim);
            if (!n) fail(what + " has a shape entry that is not a non-negative integer");
            if (*n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                fail(what + " has a dimension larger than 2^63");
            if (*n != 0 && numel > std::numeric_limits<std::uint64_t>::max() / *n)
                overflow = true;
            else
                numel *= *n;
            e.shape.push_back(static_cast<std::int64_t>(*n));
        }
        if (std::find(e.shape.begin(), e.shape.end(), 0) != e.shape.end()) {
            numel = 0;
            overflow = false;
        }
        const std::uint64_t item = c10::elementSize(e.dtype->type);
        if (overflow ||
            numel > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) / item)
            fail(what + " declares a shape too large for any file (its byte size overflows)");
        const auto begin = asUnsigned((*offsetsIt)[0]);
        const auto end = asUnsigned((*offsetsIt)[1]);
        if (!begin || !end) fail(what + " has data_offsets that are not non-negative integers");
        e.begin = *begin;
        e.end = *end;
        if (e.begin > e.end) fail(what + " has data_offsets that end before they begin");
        if (e.end > dataSize)
            fail(what + " has data_offsets [" + std::to_string(e.begin) + ", " +
                 std::to_string(e.end) + "] beyond the data area of " + std::to_string(dataSize) +
                 " bytes (truncated?)");
        if (numel * item != e.end - e.begin)
            fail(what + " has a shape and dtype needing " + std::to_string(numel * item) +
                 " bytes, but its data_offsets span " + std::to_string(e.end - e.begin));
        entries.push_back(std::move(e));
    }

    // As in the reference: sorted by offsets, the ranges must tile the data
    // area exactly, with no overlap and no gap.
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    std::uint64_t expected = 0;
    for (const auto& e : entries) {
        if (e.begin < expected)
            fail("tensor '" + printable(e.name) +
                 "' overlaps the tensor before it in the data area");
        if (e.begin > expected)
            fail("the data area has a gap of " + std::to_string(e.begin - expected) +
                 " bytes before tensor '" + printable(e.name) + "'");
        expected = e.end;
    }
    if (expected != dataSize)
        fail("the data area has " + std::to_string(dataSize - expected) +
             " bytes that no tensor uses");

    // Everything is checked: now allocate and copy.
    const std::uint8_t* area = data + 8 + headerSize;
    content.tensors.reserve(entries.size());
    for (const auto& e : entries) {
        at::Tensor t = at::empty(e.shape, at::TensorOptions().dtype(e.dtype->type));
        const std::size_t nbytes = static_cast<std::size_t>(e.end - e.begin);
        if (nbytes > 0) std::memcpy(t.data_ptr(), area + e.begin, nbytes);
        if (e.dtype->type == c10::ScalarType::Bool) {
            auto* b = static_cast<std::uint8_t*>(t.data_ptr());
            for (std::size_t i = 0; i < nbytes; ++i)
                b[i] = b[i] != 0;  // only 0 and 1 are valid bools
        }
        content.tensors.emplace_back(e.name, std::move(t));
    }
    return content;
}

SafetensorsContent readSafetensors(const std::filesystem::path& file) {
    const auto bytes = readFileBytes(file);
    return parseSafetensors(bytes.data(), bytes.size(), displayPath(file));
}

std::vector<std::uint8_t> serializeSafetensors(const TensorList& tensors,
                                               const std::map<std::string, std::string>& metadata) {
    struct Item {
        const std::string* name;
        const DtypeInfo* dtype;
        at::Tensor data;  // CPU, contiguous
    };
    std::vector<Item> items;
    std::set<std::string> names;
    for (const auto& [name, tensor] : tensors) {
        if (name == "__metadata__")
            throw Error(
                "cannot write a tensor named '__metadata__' to safetensors (the name is reserved)");
        if (!names.insert(name).second)
            throw Error("cannot write safetensors: the tensor name '" + printable(name) +
                        "' appears twice");
        if (!tensor.defined())
            throw Error("cannot write safetensors: tensor '" + printable(name) + "' is undefined");
        const DtypeInfo* d = dtypeByType(tensor.scalar_type());
        if (!d)
            throw Error("cannot write tensor '" + printable(name) + "' to safetensors: its dtype " +
                        std::string(c10::toString(tensor.scalar_type())) +
                        " has no safetensors equivalent");
        items.push_back({&name, d, tensor.detach().to(at::kCPU).contiguous()});
    }
    // The reference's layout: by dtype (largest alignment first), then name.
    std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
        return a.dtype->rank != b.dtype->rank ? a.dtype->rank > b.dtype->rank : *a.name < *b.name;
    });

    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    std::uint64_t offset = 0;
    for (const auto& it : items) {
        const std::uint64_t nbytes = it.data.nbytes();
        header[*it.name] = {{"dtype", it.dtype->name},
                            {"shape", it.data.sizes().vec()},
                            {"data_offsets", {offset, offset + nbytes}}};
        offset += nbytes;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');

    std::vector<std::uint8_t> out(8 + text.size() + offset);
    const std::uint64_t n = text.size();
    for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(n >> (8 * i));
    std::memcpy(out.data() + 8, text.data(), text.size());
    std::uint8_t* p = out.data() + 8 + text.size();
    for (const auto& it : items) {
        const std::size_t nbytes = it.data.nbytes();
        if (nbytes > 0) std::memcpy(p, it.data.data_ptr(), nbytes);
        p += nbytes;
    }
    return out;
}

void writeSafetensors(const std::filesystem::path& file, const TensorList& tensors,
                      const std::map<std::string, std::string>& metadata) {
    const auto bytes = serializeSafetensors(tensors, metadata);
    writeFileAtomically(file, bytes.data(), bytes.size());
}

}  // namespace fts
