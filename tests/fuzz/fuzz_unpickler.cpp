// libFuzzer harness: the restricted unpickler alone (engine/weights/
// unpickler.*), on raw pickles. Persistent ids are accepted as plain values.

#include "core/error.h"
#include "weights/unpickler.h"

#include <cstdint>
#include <unordered_set>

namespace {

// Visits every value once (a pickle may share values, making a DAG with
// exponentially many paths, or a cycle), as a checkpoint reader would.
std::size_t walk(const fts::pickle::ValuePtr& v, int depth,
                 std::unordered_set<const fts::pickle::Value*>& seen) {
    if (!v || depth > 64 || !seen.insert(v.get()).second) return 0;
    std::size_t n = 1 + fts::pickle::typeName(*v).size();
    for (const auto& item : v->items) n += walk(item, depth + 1, seen);
    for (const auto& [k, val] : v->entries)
        n += walk(k, depth + 1, seen) + walk(val, depth + 1, seen);
    if (v->tensor) n += walk(v->tensor->storage, depth + 1, seen);
    return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using fts::pickle::Unpickler;
    using fts::pickle::Value;
    try {
        Unpickler* self = nullptr;
        Unpickler u(data, size, "fuzz.pkl", [&](const fts::pickle::ValuePtr& pid) {
            if (pid && pid->type == Value::Type::Int && pid->integer < 0)
                throw fts::FormatError("fuzz.pkl", "refused persistent id");
            return self->make(Value::Type::None);
        });
        self = &u;
        // Up to two consecutive pickles, as the legacy format reads several.
        for (int i = 0; i < 2 && u.position() < size; ++i) {
            const auto v = u.load();
            std::unordered_set<const Value*> seen;
            if (walk(v, 0, seen) == 0) return 1;
        }
    } catch (const fts::Error&) {
    }
    return 0;
}
