#include "weights/torchcheckpoint.h"

#include "core/error.h"
#include "core/fileio.h"
#include "weights/unpickler.h"
#include "weights/zipreader.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace fts {

namespace {

using pickle::Unpickler;
using pickle::Value;
using pickle::ValuePtr;

// A state dict nests a few levels ({"model": {...}}, optimizer state); a
// checkpoint nested deeper, or one that repeats shared containers to blow up
// the walk, is not a weight file.
constexpr int kMaxNesting = 64;
constexpr std::size_t kMaxVisits = 1u << 22;

// The legacy format starts with this number pickled as a LONG1.
constexpr std::uint8_t kLegacyMagic[] = {0x6c, 0xfc, 0x9c, 0x46, 0xf9,
                                         0x20, 0x6a, 0xa8, 0x50, 0x19};
constexpr std::int64_t kLegacyProtocolVersion = 1001;


struct StorageInfo {
    c10::ScalarType dtype;
    std::int64_t numel;
    const std::uint8_t* bytes = nullptr;  // set once the data is located
};

/// Storages declared by persistent ids, by key; the same key must always
/// come with the same dtype and size.
class StorageTable {
public:
    explicit StorageTable(std::string source) : m_source(std::move(source)) {}

    void declare(const std::string& key, c10::ScalarType dtype, std::int64_t numel) {
        auto [it, inserted] = m_storages.emplace(key, StorageInfo{dtype, numel});
        if (!inserted && (it->second.dtype != dtype || it->second.numel != numel))
            throw FormatError(m_source, "storage '" + printable(key) +
                                            "' is declared twice with different types or sizes");
    }
    std::map<std::string, StorageInfo>& all() { return m_storages; }

private:
    std::string m_source;
    std::map<std::string, StorageInfo> m_storages;
};

std::int64_t checkedNbytes(std::int64_t numel, c10::ScalarType dtype, const std::string& key,
                           const std::string& source) {
    const std::int64_t item = static_cast<std::int64_t>(c10::elementSize(dtype));
    if (numel < 0 || numel > std::numeric_limits<std::int64_t>::max() / item)
        throw FormatError(source, "storage '" + printable(key) + "' declares " +
                                      std::to_string(numel) + " elements, an impossible size");
    return numel * item;
}

const std::string& stringItem(const ValuePtr& v, const char* what, const std::string& source) {
    if (v->type != Value::Type::String && v->type != Value::Type::Bytes)
        throw FormatError(source, std::string("the pickle's storage reference has a ") +
                                      pickle::typeName(*v) + " where the " + what + " should be");
    return v->text;
}

/// ('storage', storage_type, key, location, numel[, view_metadata]) -> Value::Storage.
ValuePtr storageFromPid(Unpickler& u, const ValuePtr& pid, bool legacy, StorageTable& table,
                        const std::string& source) {
    const std::size_t want = legacy ? 6 : 5;
    if (pid->type != Value::Type::Tuple || pid->items.empty())
        throw FormatError(source, "the pickle refers to external data by a " +
                                      pickle::typeName(*pid) + ", not a storage reference");
    const auto& it = pid->items;
    const std::string& kind = stringItem(it[0], "kind", source);
    if (kind != "storage")
        throw FormatError(source, "the pickle refers to external data of kind '" + printable(kind) +
                                      "' (a pickled module?); only state dicts are supported");
    if (it.size() != want)
        throw FormatError(source, "the pickle's storage reference has " +
                                      std::to_string(it.size()) + " fields instead of " +
                                      std::to_string(want));
    if (it[1]->type != Value::Type::Global)
        throw FormatError(source, "the pickle's storage reference has no storage type");
    const auto dtype = pickle::storageTypeDtype(it[1]->text);
    if (!dtype)
        throw FormatError(source, "the pickle uses the storage type '" + printable(it[1]->text) +
                                      "', which this app does not read");
    const std::string& key = stringItem(it[2], "key", source);
    stringItem(it[3], "location", source);
    if (it[4]->type != Value::Type::Int || it[4]->integer < 0)
        throw FormatError(source, "storage '" + printable(key) + "' has an invalid element count");
    const std::int64_t numel = it[4]->integer;
    checkedNbytes(numel, *dtype, key, source);
    table.declare(key, *dtype, numel);

    auto v = u.make(Value::Type::Storage);
    v->storage = std::make_unique<Value::StorageRef>();
    v->storage->key = key;
    v->storage->dtype = *dtype;
    v->storage->numel = numel;
    if (legacy && it[5]->type != Value::Type::None) {
        // (view_key, offset, view_size): a slice of the root storage.
        const auto& view = it[5];
        if (view->type != Value::Type::Tuple || view->items.size() != 3 ||
            view->items[1]->type != Value::Type::Int || view->items[2]->type != Value::Type::Int)
            throw FormatError(source,
                              "storage '" + printable(key) + "' has malformed view metadata");
        const std::int64_t offset = view->items[1]->integer;
        const std::int64_t size = view->items[2]->integer;
        if (offset < 0 || size < 0 || offset > numel || size > numel - offset)
            throw FormatError(source, "a view of storage '" + printable(key) + "' lies outside it");
        v->storage->viewOffset = offset;
        v->storage->viewNumel = size;
    }
    return v;
}

struct Leaf {
    std::string name;
    ValuePtr tensor;
};

/// Walks dicts, lists and tuples; tensors become dotted names, anything
/// else is listed as a non-tensor entry.
class Flattener {
public:
    explicit Flattener(std::string source) : m_source(std::move(source)) {}

    void walk(const ValuePtr& v, const std::string& name, int depth) {
        if (++m_visits > kMaxVisits)
            throw FormatError(m_source, "the checkpoint holds more than " +
                                            std::to_string(kMaxVisits) +
                                            " entries, far more than a state dict has");
        if (depth > kMaxNesting)
            throw FormatError(m_source, "the checkpoint nests containers deeper than " +
                                            std::to_string(kMaxNesting) + " levels");
        const auto join = [&](const std::string& part) {
            return name.empty() ? part : name + "." + part;
        };
        switch (v->type) {
            case Value::Type::Tensor:
                if (!m_names.insert(name).second)
                    throw FormatError(m_source, "the checkpoint names the tensor '" +
                                                    printable(name) + "' twice");
                leaves.push_back({name.empty() ? std::string("tensor") : name, v});
                return;
            case Value::Type::Dict:
                if (v->entries.empty() && !name.empty()) others.push_back(name);
                for (const auto& [k, child] : v->entries) walk(child, join(keyText(*k)), depth + 1);
                return;
            case Value::Type::List:
            case Value::Type::Tuple:
                if (v->items.empty() && !name.empty()) others.push_back(name);
                for (std::size_t i = 0; i < v->items.size(); ++i)
                    walk(v->items[i], join(std::to_string(i)), depth + 1);
                return;
            default:
                others.push_back(name.empty() ? pickle::typeName(*v) : name);
                return;
        }
    }

    std::vector<Leaf> leaves;
    std::vector<std::string> others;

private:
    static std::string keyText(const Value& k) {
        switch (k.type) {
            case Value::Type::String:
            case Value::Type::Bytes:
                return k.text;
            case Value::Type::Int:
                return std::to_string(k.integer);
            case Value::Type::Bool:
                return k.boolean ? "True" : "False";
            case Value::Type::None:
                return "None";
            default:
                return pickle::typeName(k);
        }
    }

    std::string m_source;
    std::size_t m_visits = 0;
    std::unordered_set<std::string> m_names;
};

bool isContiguous(const std::vector<std::int64_t>& sizes,
                  const std::vector<std::int64_t>& strides) {
    std::int64_t expected = 1;
    for (std::size_t d = sizes.size(); d-- > 0;) {
        if (sizes[d] != 1 && strides[d] != expected) return false;
        expected *= sizes[d];
    }
    return true;
}

/// Copies the located storages out of the file and builds every tensor
/// (the unpickler has already checked each view against its storage).
TensorList materialize(const std::vector<Leaf>& leaves, StorageTable& table, bool bigEndian,
                       const std::string& source) {
    std::unordered_map<std::string, at::Tensor> flat;
    const auto storageTensor = [&](const std::string& key) -> at::Tensor {
        auto found = flat.find(key);
        if (found != flat.end()) return found->second;
        const StorageInfo& info = table.all().at(key);
        if (!info.bytes)
            throw FormatError(source, "storage '" + printable(key) + "' has no data in the file");
        at::Tensor t = at::empty({info.numel}, at::TensorOptions().dtype(info.dtype));
        const std::size_t nbytes =
            static_cast<std::size_t>(info.numel) * c10::elementSize(info.dtype);
        if (nbytes > 0) std::memcpy(t.data_ptr(), info.bytes, nbytes);
        auto* bytes = static_cast<std::uint8_t*>(t.data_ptr());
        if (info.dtype == c10::ScalarType::Bool) {
            // Only 0 and 1 are valid bools; anything else would be undefined behaviour later.
            for (std::size_t i = 0; i < nbytes; ++i) bytes[i] = bytes[i] != 0;
        } else if (bigEndian) {
            const std::size_t item = c10::elementSize(info.dtype);
            for (std::size_t i = 0; item > 1 && i < nbytes; i += item)
                std::reverse(bytes + i, bytes + i + item);
        }
        flat.emplace(key, t);
        return t;
    };

    TensorList out;
    out.reserve(leaves.size());
    for (const auto& leaf : leaves) {
        const auto& ref = *leaf.tensor->tensor;
        const auto& s = *ref.storage->storage;
        at::Tensor base = storageTensor(s.key);
        const std::int64_t offset = s.viewOffset + ref.storageOffset;
        std::int64_t numel = 1;
        for (auto n : ref.sizes) numel *= n;
        at::Tensor t;
        if (offset == 0 && numel == base.numel() && isContiguous(ref.sizes, ref.strides))
            t = base.view(ref.sizes);
        else
            t = base.as_strided(ref.sizes, ref.strides, offset).clone(at::MemoryFormat::Contiguous);
        out.emplace_back(leaf.name, std::move(t));
    }
    return out;
}

TorchCheckpoint parseZip(const std::uint8_t* data, std::size_t size, const std::string& source) {
    ZipReader zip(data, size, source);
    std::string prefix;
    bool found = false;
    for (const auto& e : zip.entries()) {
        const auto slash = e.name.find('/');
        if (e.name == "data.pkl" || (slash != std::string::npos &&
                                     e.name.compare(slash, std::string::npos, "/data.pkl") == 0)) {
            prefix = e.name.substr(0, e.name.size() - 8);
            found = true;
            break;
        }
    }
    for (const auto& e : zip.entries()) {
        if ((found &&
             (e.name == prefix + "constants.pkl" || e.name.rfind(prefix + "code/", 0) == 0)) ||
            (!found && (e.name.find("constants.pkl") != std::string::npos)))
            throw FormatError(
                source,
                "this file is a TorchScript module (torch.jit.save), not a state dict; "
                "save model.state_dict() with torch.save or safetensors instead");
    }
    if (!found)
        throw FormatError(source,
                          "the zip archive has no data.pkl, so it is not a torch.save checkpoint");

    bool bigEndian = false;
    if (const auto* bo = zip.find(prefix + "byteorder")) {
        const auto span = zip.read(*bo);
        const std::string order(reinterpret_cast<const char*>(span.data), span.size);
        if (order == "big")
            bigEndian = true;
        else if (order != "little")
            throw FormatError(source, "the archive declares the byte order '" + printable(order) +
                                          "' (expected 'little' or 'big')");
    }

    StorageTable table(source);
    const auto pkl = zip.read(*zip.find(prefix + "data.pkl"));
    Unpickler u(pkl.data, pkl.size, source, [&](const ValuePtr& pid) -> ValuePtr {
        return storageFromPid(u, pid, /*legacy=*/false, table, source);
    });
    const ValuePtr root = u.load();
    Flattener flat(source);
    flat.walk(root, "", 0);

    for (auto& [key, info] : table.all()) {
        const auto* entry = zip.find(prefix + "data/" + key);
        if (!entry)
            throw FormatError(source,
                              "storage '" + printable(key) + "' is missing from the archive");
        const auto span = zip.read(*entry);
        const std::int64_t nbytes = checkedNbytes(info.numel, info.dtype, key, source);
        if (static_cast<std::uint64_t>(nbytes) > span.size)
            throw FormatError(source,
                              "storage '" + printable(key) + "' needs " + std::to_string(nbytes) +
                                  " bytes but the archive holds only " + std::to_string(span.size));
        info.bytes = span.data;
    }

    TorchCheckpoint result;
    result.kind = TorchCheckpointKind::Zip;
    result.tensors = materialize(flat.leaves, table, bigEndian, source);
    result.otherEntries = std::move(flat.others);
    return result;
}

TorchCheckpoint parseLegacy(const std::uint8_t* data, std::size_t size, const std::string& source) {
    StorageTable table(source);
    bool inMain = false;
    Unpickler u(data, size, source, [&](const ValuePtr& pid) -> ValuePtr {
        if (!inMain)
            throw FormatError(source, "the legacy checkpoint header refers to external data");
        return storageFromPid(u, pid, /*legacy=*/true, table, source);
    });

    const ValuePtr magic = u.load();
    if (magic->type != Value::Type::BigInt || magic->text.size() != sizeof kLegacyMagic ||
        std::memcmp(magic->text.data(), kLegacyMagic, sizeof kLegacyMagic) != 0)
        throw FormatError(source,
                          "not a torch.save file (the legacy format's magic number is missing)");
    const ValuePtr protocol = u.load();
    if (protocol->type != Value::Type::Int || protocol->integer != kLegacyProtocolVersion)
        throw FormatError(source, "the legacy checkpoint has an unsupported protocol version");
    const ValuePtr sysInfo = u.load();
    if (sysInfo->type != Value::Type::Dict)
        throw FormatError(source, "the legacy checkpoint's system information is not a dict");

    inMain = true;
    const ValuePtr root = u.load();
    inMain = false;
    Flattener flat(source);
    flat.walk(root, "", 0);

    const ValuePtr keys = u.load();
    if (keys->type != Value::Type::List)
        throw FormatError(source,
                          "the legacy checkpoint's storage list is a " + pickle::typeName(*keys));
    // Then, for each key: the element count (int64, little-endian) and the raw bytes.
    std::size_t pos = u.position();
    for (const auto& k : keys->items) {
        if (k->type != Value::Type::String)
            throw FormatError(
                source, "the legacy checkpoint's storage list holds a " + pickle::typeName(*k));
        auto it = table.all().find(k->text);
        if (it == table.all().end())
            throw FormatError(source,
                              "the legacy checkpoint stores data for the unknown storage '" +
                                  printable(k->text) + "'");
        StorageInfo& info = it->second;
        if (size - pos < 8)
            throw FormatError(
                source, "the file is truncated (storage '" + printable(k->text) + "' is missing)");
        std::uint64_t count = 0;
        for (int i = 7; i >= 0; --i) count = (count << 8) | data[pos + i];
        pos += 8;
        const std::uint64_t item = c10::elementSize(info.dtype);
        if (count > (size - pos) / item)
            throw FormatError(
                source, "storage '" + printable(k->text) + "' declares " + std::to_string(count) +
                            " elements, which run past the end of the file (truncated?)");
        if (count != static_cast<std::uint64_t>(info.numel))
            throw FormatError(
                source, "storage '" + printable(k->text) + "' holds " + std::to_string(count) +
                            " elements but the pickle declares " + std::to_string(info.numel));
        if (info.bytes)
            throw FormatError(source, "storage '" + printable(k->text) + "' is stored twice");
        info.bytes = data + pos;
        pos += static_cast<std::size_t>(count * item);
    }

    TorchCheckpoint result;
    result.kind = TorchCheckpointKind::Legacy;
    result.tensors = materialize(flat.leaves, table, /*bigEndian=*/false, source);
    result.otherEntries = std::move(flat.others);
    return result;
}

}  // namespace

TorchCheckpoint parseTorchCheckpoint(const std::uint8_t* data, std::size_t size,
                                     const std::string& source) {
    if (ZipReader::looksLikeZip(data, size)) return parseZip(data, size, source);
    if (size >= 2 && data[0] == 0x80) return parseLegacy(data, size, source);
    throw FormatError(source,
                      "not a torch.save checkpoint (neither a zip archive nor the legacy format)");
}

TorchCheckpoint readTorchCheckpoint(const std::filesystem::path& file) {
    const auto bytes = readFileBytes(file);
    return parseTorchCheckpoint(bytes.data(), bytes.size(), displayPath(file));
}

}  // namespace fts
