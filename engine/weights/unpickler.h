#pragma once

#include <c10/core/ScalarType.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace fts::pickle {

struct Value;
using ValuePtr = std::shared_ptr<Value>;

/// One Python object as the restricted unpickler sees it. Nothing is ever
/// executed: calls to the few allowed globals are evaluated here into
/// dicts, sets and tensor references.
struct Value {
    enum class Type {
        None,
        Bool,
        Int,
        BigInt,
        Float,
        String,
        Bytes,
        Tuple,
        List,
        Dict,
        Set,
        Global,   // text = "module.name" (an allowed one)
        Storage,  // a persistent storage reference (see StorageRef)
        Tensor,   // a tensor view of a storage (see TensorRef)
    };
    struct StorageRef {
        std::string key;  // the archive's storage key
        c10::ScalarType dtype = c10::ScalarType::Float;
        std::int64_t numel = 0;       // of the root storage, in elements
        std::int64_t viewOffset = 0;  // legacy storage views: elements into the root
        std::int64_t viewNumel = -1;  // -1: the whole root storage
    };
    struct TensorRef {
        ValuePtr storage;                // Type::Storage
        std::int64_t storageOffset = 0;  // in elements, relative to the (view) storage
        std::vector<std::int64_t> sizes;
        std::vector<std::int64_t> strides;
        bool isParameter = false;
    };

    Type type = Type::None;
    bool boolean = false;
    std::int64_t integer = 0;
    double real = 0.0;
    std::string text;  // String, Bytes, Global; BigInt: little-endian two's complement bytes
    std::vector<ValuePtr> items;                         // Tuple, List, Set
    std::vector<std::pair<ValuePtr, ValuePtr>> entries;  // Dict, in insertion order
    std::unordered_map<std::string, std::size_t> index;  // Dict: hash key -> position in entries
    std::unique_ptr<StorageRef> storage;
    std::unique_ptr<TensorRef> tensor;
    bool ordered = false;  // Dict made by collections.OrderedDict

    bool isContainer() const {
        return type == Type::Tuple || type == Type::List || type == Type::Dict || type == Type::Set;
    }
};

/// The storage dtype a torch.<X>Storage global stands for (nullopt: not one).
std::optional<c10::ScalarType> storageTypeDtype(const std::string& globalName);

/// "int", "str", "dict", ... for messages.
std::string typeName(const Value& value);

/// A restricted unpickler: reads pickles (protocols 0 to 5) made of the
/// opcodes a state dict uses and accepts only the globals a state dict needs
/// (collections.OrderedDict, torch._utils._rebuild_tensor*/_rebuild_parameter*,
/// torch.<X>Storage, builtins.set). Everything else is refused with a
/// FormatError naming it. Every length is checked against the remaining
/// bytes before anything is allocated; stack depth, memo size, object count
/// and mark nesting are capped.
///
/// Values returned by load() stay valid only while the Unpickler lives: its
/// destructor empties every container it made, which breaks reference
/// cycles a hostile pickle can build and avoids deep recursive destruction.
class Unpickler {
public:
    /// Turns a persistent id (the value pickled for a storage) into a value,
    /// typically Type::Storage; throws FormatError for ids it does not accept.
    using PersistentLoad = std::function<ValuePtr(const ValuePtr& pid)>;

    Unpickler(const std::uint8_t* data, std::size_t size, std::string source,
              PersistentLoad persistentLoad = {});
    ~Unpickler();
    Unpickler(const Unpickler&) = delete;
    Unpickler& operator=(const Unpickler&) = delete;

    /// Reads one pickle starting at position() and returns its value; the
    /// position moves past its STOP opcode. Each call has a fresh memo, as
    /// in consecutive pickle.load() calls on one file.
    ValuePtr load();
    std::size_t position() const { return m_pos; }
    void setPosition(std::size_t pos) { m_pos = pos; }

    /// Makes a value owned (for cleanup) by this unpickler.
    ValuePtr make(Value::Type type);

private:
    class Run;
    const std::uint8_t* m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
    std::string m_source;
    PersistentLoad m_persistentLoad;
    std::vector<ValuePtr> m_containers;
    std::size_t m_objectCount = 0;
};

}  // namespace fts::pickle
