#include "weights/unpickler.h"

#include "core/error.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <locale>
#include <sstream>

namespace fts::pickle {

namespace {

// Caps far above what any state dict needs (ResNet-50: ~2,000 objects, marks
// nested 3 deep), low enough that a hostile pickle cannot exhaust memory.
constexpr std::size_t kMaxStack = 1u << 20;
constexpr std::size_t kMaxMarks = 256;
constexpr std::size_t kMaxMemo = 1u << 21;
constexpr std::size_t kMaxObjects = 1u << 21;
constexpr std::size_t kMaxDims = 64;


std::string listText(const std::vector<std::int64_t>& v) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
    return s + "]";
}

std::string hex2(std::uint8_t b) {
    static const char* digits = "0123456789abcdef";
    return std::string("0x") + digits[b >> 4] + digits[b & 15];
}

}  // namespace

std::optional<c10::ScalarType> storageTypeDtype(const std::string& name) {
    using S = c10::ScalarType;
    static const std::pair<const char*, S> table[] = {
        {"torch.FloatStorage", S::Float},  {"torch.DoubleStorage", S::Double},
        {"torch.HalfStorage", S::Half},    {"torch.BFloat16Storage", S::BFloat16},
        {"torch.LongStorage", S::Long},    {"torch.IntStorage", S::Int},
        {"torch.ShortStorage", S::Short},  {"torch.CharStorage", S::Char},
        {"torch.ByteStorage", S::Byte},    {"torch.BoolStorage", S::Bool},
        {"torch.UntypedStorage", S::Byte}, {"torch.storage.UntypedStorage", S::Byte},
    };
    for (const auto& [n, t] : table)
        if (name == n) return t;
    return std::nullopt;
}

std::string typeName(const Value& v) {
    switch (v.type) {
        case Value::Type::None:
            return "None";
        case Value::Type::Bool:
            return "bool";
        case Value::Type::Int:
        case Value::Type::BigInt:
            return "int";
        case Value::Type::Float:
            return "float";
        case Value::Type::String:
            return "str";
        case Value::Type::Bytes:
            return "bytes";
        case Value::Type::Tuple:
            return "tuple";
        case Value::Type::List:
            return "list";
        case Value::Type::Dict:
            return v.ordered ? "OrderedDict" : "dict";
        case Value::Type::Set:
            return "set";
        case Value::Type::Global:
            return "global '" + v.text + "'";
        case Value::Type::Storage:
            return "storage";
        case Value::Type::Tensor:
            return "tensor";
    }
    return "object";
}

Unpickler::Unpickler(const std::uint8_t* data, std::size_t size, std::string source,
                     PersistentLoad persistentLoad)
    : m_data(data),
      m_size(size),
      m_source(std::move(source)),
      m_persistentLoad(std::move(persistentLoad)) {}

Unpickler::~Unpickler() {
    // Empty every container first: children are then released one level at
    // a time (no deep recursion), and cycles made through the memo are broken.
    for (auto& c : m_containers) {
        c->items.clear();
        c->entries.clear();
    }
}

ValuePtr Unpickler::make(Value::Type type) {
    if (++m_objectCount > kMaxObjects)
        throw FormatError(m_source, "the pickle creates more than " + std::to_string(kMaxObjects) +
                                        " objects, far more than a state dict needs");
    auto v = std::make_shared<Value>();
    v->type = type;
    if (v->isContainer()) m_containers.push_back(v);
    return v;
}

// One pickle.load(): the stack machine with its own memo.
class Unpickler::Run {
public:
    explicit Run(Unpickler& u) : m_u(u) {}

    ValuePtr execute();

private:
    [[noreturn]] void fail(const std::string& problem) const {
        throw FormatError(m_u.m_source, problem);
    }
    [[noreturn]] void malformed(const std::string& what) const {
        fail("the pickle is malformed (" + what + " at byte " + std::to_string(m_opPos) + ")");
    }

    std::size_t remaining() const { return m_u.m_size - m_u.m_pos; }
    const std::uint8_t* take(std::uint64_t n) {
        if (n > remaining())
            fail("the pickle is truncated (needs " + std::to_string(n) + " bytes at byte " +
                 std::to_string(m_u.m_pos) + ", " + std::to_string(remaining()) + " left)");
        const std::uint8_t* p = m_u.m_data + m_u.m_pos;
        m_u.m_pos += static_cast<std::size_t>(n);
        return p;
    }
    std::uint64_t readLE(int bytes) {
        const std::uint8_t* p = take(bytes);
        std::uint64_t v = 0;
        for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
        return v;
    }
    std::string readLine() {
        const std::uint8_t* start = m_u.m_data + m_u.m_pos;
        const void* nl = std::memchr(start, '\n', remaining());
        if (!nl) fail("the pickle is truncated (a text argument has no end of line)");
        const std::size_t len = static_cast<const std::uint8_t*>(nl) - start;
        std::string s(reinterpret_cast<const char*>(start), len);
        m_u.m_pos += len + 1;
        if (!s.empty() && s.back() == '\r') s.pop_back();
        return s;
    }
    std::string readString(std::uint64_t n) {
        const std::uint8_t* p = take(n);
        return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
    }

    void push(ValuePtr v) {
        if (m_stack.size() >= kMaxStack)
            fail("the pickle's stack grows deeper than " + std::to_string(kMaxStack) + " items");
        m_stack.push_back(std::move(v));
    }
    ValuePtr pop() {
        if (m_stack.empty()) malformed("stack underflow");
        ValuePtr v = std::move(m_stack.back());
        m_stack.pop_back();
        return v;
    }
    ValuePtr& top() {
        if (m_stack.empty()) malformed("stack underflow");
        return m_stack.back();
    }
    std::vector<ValuePtr> popMark() {
        if (m_marks.empty()) malformed("no MARK to pop to (stack underflow)");
        std::vector<ValuePtr> items = std::move(m_stack);
        m_stack = std::move(m_marks.back());
        m_marks.pop_back();
        return items;
    }

    ValuePtr makeInt(std::int64_t i) {
        auto v = m_u.make(Value::Type::Int);
        v->integer = i;
        return v;
    }
    ValuePtr makeText(Value::Type t, std::string s) {
        auto v = m_u.make(t);
        v->text = std::move(s);
        return v;
    }
    ValuePtr makeTuple(std::vector<ValuePtr> items) {
        auto v = m_u.make(Value::Type::Tuple);
        v->items = std::move(items);
        return v;
    }

    std::string hashKey(const Value& k, int depth = 0) const;
    void setItem(Value& dict, ValuePtr key, ValuePtr value);
    void addToSet(Value& set, const ValuePtr& item);
    void memoPut(std::uint64_t index);
    ValuePtr memoGet(std::uint64_t index);
    ValuePtr makeLong(const std::uint8_t* bytes, std::size_t n);
    ValuePtr parseIntText(const std::string& text, bool isLong);
    ValuePtr parseQuotedString(const std::string& line);
    ValuePtr global(const std::string& module, const std::string& name);
    ValuePtr call(const ValuePtr& callable, const ValuePtr& args, const char* how);
    ValuePtr rebuildTensor(const std::vector<ValuePtr>& args, const std::string& fn);
    std::vector<std::int64_t> intTuple(const ValuePtr& v, const char* what,
                                       const std::string& fn) const;
    ValuePtr persistentLoad(ValuePtr pid);

    Unpickler& m_u;
    std::vector<ValuePtr> m_stack;
    std::vector<std::vector<ValuePtr>> m_marks;
    std::unordered_map<std::uint64_t, ValuePtr> m_memo;
    std::size_t m_opPos = 0;
};

std::string Unpickler::Run::hashKey(const Value& k, int depth) const {
    if (depth > 16) malformed("dict key nested too deeply");
    switch (k.type) {
        case Value::Type::None:
            return "n";
        case Value::Type::Bool:
            return k.boolean ? "i1" : "i0";  // True == 1 in Python
        case Value::Type::Int:
            return "i" + std::to_string(k.integer);
        case Value::Type::BigInt:
            return "I" + k.text;
        case Value::Type::Float: {
            std::ostringstream os;
            os.imbue(std::locale::classic());
            os.precision(17);
            os << k.real;
            return "f" + os.str();
        }
        case Value::Type::String:
            return "s" + k.text;
        case Value::Type::Bytes:
            return "b" + k.text;
        case Value::Type::Global:
            return "g" + k.text;
        case Value::Type::Tuple: {
            std::string s = "t(";
            for (const auto& item : k.items) {
                const std::string part = hashKey(*item, depth + 1);
                s += std::to_string(part.size()) + ":" + part;
            }
            return s + ")";
        }
        default:
            malformed("unhashable " + typeName(k) + " used as a dict key");
    }
}

void Unpickler::Run::setItem(Value& dict, ValuePtr key, ValuePtr value) {
    if (dict.type != Value::Type::Dict)
        malformed("SETITEM on a " + typeName(dict) + ", not a dict");
    std::string h = hashKey(*key);
    auto it = dict.index.find(h);
    if (it != dict.index.end()) {
        dict.entries[it->second].second = std::move(value);
        return;
    }
    dict.index.emplace(std::move(h), dict.entries.size());
    dict.entries.emplace_back(std::move(key), std::move(value));
}

void Unpickler::Run::addToSet(Value& set, const ValuePtr& item) {
    if (set.type != Value::Type::Set) malformed("ADDITEMS on a " + typeName(set) + ", not a set");
    hashKey(*item);  // refuses unhashable items, as Python would
    set.items.push_back(item);
}

void Unpickler::Run::memoPut(std::uint64_t index) {
    if (m_memo.size() >= kMaxMemo && !m_memo.count(index))
        fail("the pickle's memo grows beyond " + std::to_string(kMaxMemo) + " entries");
    m_memo[index] = top();
}

ValuePtr Unpickler::Run::memoGet(std::uint64_t index) {
    auto it = m_memo.find(index);
    if (it == m_memo.end())
        malformed("memo entry " + std::to_string(index) + " read before it was written");
    return it->second;
}

ValuePtr Unpickler::Run::makeLong(const std::uint8_t* bytes, std::size_t n) {
    if (n <= 8) {
        std::uint64_t u = 0;
        for (std::size_t i = n; i-- > 0;) u = (u << 8) | bytes[i];
        if (n > 0 && n < 8 && (bytes[n - 1] & 0x80))
            u |= ~std::uint64_t(0) << (8 * n);  // sign-extend
        return makeInt(static_cast<std::int64_t>(u));
    }
    // Bigger than int64 (e.g. the legacy format's magic number): keep the bytes.
    return makeText(Value::Type::BigInt, std::string(reinterpret_cast<const char*>(bytes), n));
}

ValuePtr Unpickler::Run::parseIntText(const std::string& text, bool isLong) {
    std::string t = text;
    if (isLong && !t.empty() && t.back() == 'L') t.pop_back();
    if (!isLong && (t == "00" || t == "01")) {
        auto v = m_u.make(Value::Type::Bool);
        v->boolean = t == "01";
        return v;
    }
    std::size_t i = (!t.empty() && (t[0] == '-' || t[0] == '+')) ? 1 : 0;
    if (i == t.size()) malformed("bad integer '" + printable(text) + "'");
    for (std::size_t j = i; j < t.size(); ++j)
        if (t[j] < '0' || t[j] > '9') malformed("bad integer '" + printable(text) + "'");
    errno = 0;
    char* end = nullptr;
    const long long value = std::strtoll(t.c_str(), &end, 10);
    if (errno == ERANGE) return makeText(Value::Type::BigInt, t);
    return makeInt(value);
}

ValuePtr Unpickler::Run::parseQuotedString(const std::string& line) {
    if (line.size() < 2 || (line[0] != '\'' && line[0] != '"') || line.back() != line[0])
        malformed("STRING argument is not quoted");
    std::string out;
    for (std::size_t i = 1; i + 1 < line.size(); ++i) {
        char c = line[i];
        if (c == '\\' && i + 2 < line.size()) {
            const char e = line[++i];
            switch (e) {
                case 'n':
                    c = '\n';
                    break;
                case 't':
                    c = '\t';
                    break;
                case 'r':
                    c = '\r';
                    break;
                case '\\':
                    c = '\\';
                    break;
                case '\'':
                    c = '\'';
                    break;
                case '"':
                    c = '"';
                    break;
                case 'x':
                    if (i + 3 < line.size() &&
                        std::isxdigit(static_cast<unsigned char>(line[i + 1])) &&
                        std::isxdigit(static_cast<unsigned char>(line[i + 2]))) {
                        c = static_cast<char>(
                            std::strtol(line.substr(i + 1, 2).c_str(), nullptr, 16));
                        i += 2;
                        break;
                    }
                    [[fallthrough]];
                default:
                    out += '\\';
                    c = e;
                    break;
            }
        }
        out += c;
    }
    return makeText(Value::Type::String, std::move(out));
}

ValuePtr Unpickler::Run::global(const std::string& module, const std::string& name) {
    const std::string full = module + "." + name;
    static const char* const allowed[] = {
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
        "builtins.set",
        "__builtin__.set",
        "builtins.frozenset",
        "__builtin__.frozenset",
        // torch::pickle_save (C++) wraps typed containers in it; it returns
        // its first argument.
        "torch.jit._pickle.restore_type_tag",
    };
    bool ok = storageTypeDtype(full).has_value();
    for (const char* a : allowed) ok = ok || full == a;
    if (!ok)
        fail("the pickle names the global '" + printable(full) +
             "', which a weight file never needs; refusing to load it (only state dicts are "
             "supported)");
    return makeText(Value::Type::Global, full);
}

std::vector<std::int64_t> Unpickler::Run::intTuple(const ValuePtr& v, const char* what,
                                                   const std::string& fn) const {
    if (v->type != Value::Type::Tuple && v->type != Value::Type::List)
        malformed(fn + " expects a tuple of " + what + ", got a " + typeName(*v));
    if (v->items.size() > kMaxDims)
        fail("a tensor has " + std::to_string(v->items.size()) + " dimensions, more than " +
             std::to_string(kMaxDims));
    std::vector<std::int64_t> out;
    for (const auto& item : v->items) {
        if (item->type != Value::Type::Int)
            malformed(fn + " expects integer " + what + ", got a " + typeName(*item));
        if (item->integer < 0)
            fail("a tensor declares negative " + std::string(what) + " (" +
                 std::to_string(item->integer) + ")");
        out.push_back(item->integer);
    }
    return out;
}

ValuePtr Unpickler::Run::rebuildTensor(const std::vector<ValuePtr>& args, const std::string& fn) {
    const bool v2 = fn == "torch._utils._rebuild_tensor_v2";
    const std::size_t minArgs = v2 ? 6 : 4;
    const std::size_t maxArgs = v2 ? 7 : 4;
    if (args.size() < minArgs || args.size() > maxArgs)
        malformed(fn + " called with " + std::to_string(args.size()) + " arguments");
    const ValuePtr& storage = args[0];
    if (storage->type != Value::Type::Storage)
        malformed(fn + " expects a storage, got a " + typeName(*storage));
    if (args[1]->type != Value::Type::Int || args[1]->integer < 0)
        malformed(fn + " expects a non-negative storage offset");
    auto t = m_u.make(Value::Type::Tensor);
    t->tensor = std::make_unique<Value::TensorRef>();
    auto& ref = *t->tensor;
    ref.storage = storage;
    ref.storageOffset = args[1]->integer;
    ref.sizes = intTuple(args[2], "sizes", fn);
    ref.strides = intTuple(args[3], "strides", fn);
    if (ref.sizes.size() != ref.strides.size())
        malformed(fn + " has " + std::to_string(ref.sizes.size()) + " sizes but " +
                  std::to_string(ref.strides.size()) + " strides");

    // The extent the view reaches must lie inside its storage (all checked
    // for overflow: the numbers come from the file).
    const auto& s = *storage->storage;
    const std::int64_t storageNumel = s.viewNumel >= 0 ? s.viewNumel : s.numel;
    constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
    std::int64_t numel = 1;
    std::int64_t last = ref.storageOffset;  // index of the last element
    for (std::size_t d = 0; d < ref.sizes.size(); ++d) {
        const std::int64_t n = ref.sizes[d];
        if (n != 0 && numel > kMax / n)
            fail("a tensor declares the shape of more than 2^63 elements");
        numel *= n;
    }
    if (numel > 0) {
        for (std::size_t d = 0; d < ref.sizes.size(); ++d) {
            const std::int64_t span = ref.sizes[d] - 1;
            if (span > 0 && ref.strides[d] > (kMax - last) / span)
                fail("a tensor's sizes and strides reach beyond any storage (overflow)");
            last += span * ref.strides[d];
        }
        if (last >= storageNumel)
            fail("a tensor of shape " + listText(ref.sizes) + " with strides " +
                 listText(ref.strides) + " at offset " + std::to_string(ref.storageOffset) +
                 " reaches element " + std::to_string(last) + " of storage '" + printable(s.key) +
                 "', which holds only " + std::to_string(storageNumel) + " elements");
    } else if (ref.storageOffset > storageNumel) {
        fail("an empty tensor starts at element " + std::to_string(ref.storageOffset) +
             " of storage '" + printable(s.key) + "', which holds only " +
             std::to_string(storageNumel));
    }
    return t;
}

ValuePtr Unpickler::Run::call(const ValuePtr& callable, const ValuePtr& args, const char* how) {
    if (callable->type != Value::Type::Global)
        malformed(std::string(how) + " on a " + typeName(*callable) + ", not a global");
    if (args->type != Value::Type::Tuple)
        malformed(std::string(how) + " with " + typeName(*args) + " arguments, not a tuple");
    const std::string& fn = callable->text;
    const auto& a = args->items;
    if (fn == "collections.OrderedDict") {
        auto d = m_u.make(Value::Type::Dict);
        d->ordered = true;
        if (a.size() > 1)
            malformed("OrderedDict called with " + std::to_string(a.size()) + " arguments");
        if (a.size() == 1) {
            if (a[0]->type == Value::Type::Dict) {
                for (const auto& [k, v] : a[0]->entries) setItem(*d, k, v);
            } else if (a[0]->type == Value::Type::List || a[0]->type == Value::Type::Tuple) {
                for (const auto& pair : a[0]->items) {
                    if ((pair->type != Value::Type::Tuple && pair->type != Value::Type::List) ||
                        pair->items.size() != 2)
                        malformed("OrderedDict built from items that are not pairs");
                    setItem(*d, pair->items[0], pair->items[1]);
                }
            } else {
                malformed("OrderedDict built from a " + typeName(*a[0]));
            }
        }
        return d;
    }
    if (fn == "builtins.set" || fn == "__builtin__.set" || fn == "builtins.frozenset" ||
        fn == "__builtin__.frozenset") {
        auto s = m_u.make(Value::Type::Set);
        if (a.size() > 1) malformed("set called with " + std::to_string(a.size()) + " arguments");
        if (a.size() == 1) {
            if (a[0]->type != Value::Type::List && a[0]->type != Value::Type::Tuple &&
                a[0]->type != Value::Type::Set)
                malformed("set built from a " + typeName(*a[0]));
            for (const auto& item : a[0]->items) addToSet(*s, item);
        }
        return s;
    }
    if (fn == "torch.jit._pickle.restore_type_tag") {
        if (a.size() != 2 || a[1]->type != Value::Type::String)
            malformed(fn + " called with unexpected arguments");
        return a[0];
    }
    if (std::string(how) == "NEWOBJ")
        fail("the pickle creates an object of class '" + printable(fn) +
             "', which a weight file never needs; refusing to load it (only state dicts are "
             "supported)");
    if (fn == "torch._utils._rebuild_tensor" || fn == "torch._utils._rebuild_tensor_v2")
        return rebuildTensor(a, fn);
    if (fn == "torch._utils._rebuild_parameter" ||
        fn == "torch._utils._rebuild_parameter_with_state") {
        const std::size_t want = fn == "torch._utils._rebuild_parameter" ? 3 : 4;
        if (a.size() != want || a[0]->type != Value::Type::Tensor)
            malformed(fn + " called with unexpected arguments");
        auto t = m_u.make(Value::Type::Tensor);
        t->tensor = std::make_unique<Value::TensorRef>(*a[0]->tensor);
        t->tensor->isParameter = true;
        return t;
    }
    fail("the pickle calls '" + printable(fn) + "' in a way a state dict never does");
}

ValuePtr Unpickler::Run::persistentLoad(ValuePtr pid) {
    if (!m_u.m_persistentLoad)
        fail("the pickle refers to external data (a persistent id), which this file cannot have");
    return m_u.m_persistentLoad(pid);
}

ValuePtr Unpickler::Run::execute() {
    using T = Value::Type;
    for (;;) {
        m_opPos = m_u.m_pos;
        const std::uint8_t op = *take(1);
        switch (op) {
            case 0x80: {  // PROTO
                const std::uint8_t proto = *take(1);
                if (proto > 5)
                    fail("the pickle uses protocol " + std::to_string(proto) + ", newer than 5");
                break;
            }
            case 0x95: {  // FRAME: framing is only a read-ahead hint
                const std::uint64_t n = readLE(8);
                if (n > remaining())
                    fail("the pickle is truncated (a frame of " + std::to_string(n) +
                         " bytes runs past the end)");
                break;
            }
            case '.': {  // STOP
                ValuePtr result = pop();
                return result;
            }
            case '(':  // MARK
                if (m_marks.size() >= kMaxMarks)
                    fail("the pickle nests deeper than " + std::to_string(kMaxMarks) + " levels");
                m_marks.push_back(std::move(m_stack));
                m_stack.clear();
                break;
            case '0':  // POP
                if (!m_stack.empty())
                    m_stack.pop_back();
                else
                    popMark();
                break;
            case '1':
                popMark();
                break;  // POP_MARK
            case '2':
                push(top());
                break;  // DUP

            case '}':
                push(m_u.make(T::Dict));
                break;   // EMPTY_DICT
            case 'd': {  // DICT
                auto items = popMark();
                if (items.size() % 2) malformed("DICT with an odd number of items");
                auto d = m_u.make(T::Dict);
                for (std::size_t i = 0; i < items.size(); i += 2)
                    setItem(*d, items[i], items[i + 1]);
                push(d);
                break;
            }
            case 's': {  // SETITEM
                ValuePtr value = pop();
                ValuePtr key = pop();
                setItem(*top(), std::move(key), std::move(value));
                break;
            }
            case 'u': {  // SETITEMS
                auto items = popMark();
                if (items.size() % 2) malformed("SETITEMS with an odd number of items");
                Value& d = *top();
                for (std::size_t i = 0; i < items.size(); i += 2)
                    setItem(d, items[i], items[i + 1]);
                break;
            }
            case ']':
                push(m_u.make(T::List));
                break;   // EMPTY_LIST
            case 'l': {  // LIST
                auto l = m_u.make(T::List);
                l->items = popMark();
                push(l);
                break;
            }
            case 'a': {  // APPEND
                ValuePtr v = pop();
                Value& l = *top();
                if (l.type != T::List) malformed("APPEND to a " + typeName(l));
                l.items.push_back(std::move(v));
                break;
            }
            case 'e': {  // APPENDS
                auto items = popMark();
                Value& l = *top();
                if (l.type != T::List) malformed("APPENDS to a " + typeName(l));
                for (auto& v : items) l.items.push_back(std::move(v));
                break;
            }
            case ')':
                push(makeTuple({}));
                break;  // EMPTY_TUPLE
            case 't':
                push(makeTuple(popMark()));
                break;    // TUPLE
            case 0x85: {  // TUPLE1
                ValuePtr a = pop();
                push(makeTuple({a}));
                break;
            }
            case 0x86: {  // TUPLE2
                ValuePtr b = pop();
                ValuePtr a = pop();
                push(makeTuple({a, b}));
                break;
            }
            case 0x87: {  // TUPLE3
                ValuePtr c = pop();
                ValuePtr b = pop();
                ValuePtr a = pop();
                push(makeTuple({a, b, c}));
                break;
            }
            case 0x8f:
                push(m_u.make(T::Set));
                break;    // EMPTY_SET
            case 0x90: {  // ADDITEMS
                auto items = popMark();
                Value& s = *top();
                for (const auto& v : items) addToSet(s, v);
                break;
            }
            case 0x91: {  // FROZENSET
                auto items = popMark();
                auto s = m_u.make(T::Set);
                for (const auto& v : items) addToSet(*s, v);
                push(s);
                break;
            }

            case 'N':
                push(m_u.make(T::None));
                break;
            case 0x88:
            case 0x89: {  // NEWTRUE, NEWFALSE
                auto v = m_u.make(T::Bool);
                v->boolean = op == 0x88;
                push(v);
                break;
            }
            case 'I':
                push(parseIntText(readLine(), false));
                break;  // INT
            case 'L':
                push(parseIntText(readLine(), true));
                break;  // LONG
            case 'J':
                push(makeInt(static_cast<std::int32_t>(readLE(4))));
                break;  // BININT
            case 'K':
                push(makeInt(static_cast<std::int64_t>(readLE(1))));
                break;  // BININT1
            case 'M':
                push(makeInt(static_cast<std::int64_t>(readLE(2))));
                break;    // BININT2
            case 0x8a: {  // LONG1
                const std::size_t n = static_cast<std::size_t>(readLE(1));
                push(makeLong(take(n), n));
                break;
            }
            case 0x8b: {  // LONG4
                const std::int64_t n = static_cast<std::int32_t>(readLE(4));
                if (n < 0) malformed("LONG4 with a negative length");
                const std::uint8_t* p = take(static_cast<std::uint64_t>(n));
                push(makeLong(p, static_cast<std::size_t>(n)));
                break;
            }
            case 'F': {  // FLOAT
                const std::string text = readLine();
                std::istringstream is(text);
                is.imbue(std::locale::classic());
                double d = 0;
                if (!(is >> d)) malformed("bad float '" + printable(text) + "'");
                auto v = m_u.make(T::Float);
                v->real = d;
                push(v);
                break;
            }
            case 'G': {  // BINFLOAT: big-endian double
                const std::uint8_t* p = take(8);
                std::uint64_t bits = 0;
                for (int i = 0; i < 8; ++i) bits = (bits << 8) | p[i];
                auto v = m_u.make(T::Float);
                std::memcpy(&v->real, &bits, 8);
                push(v);
                break;
            }

            case 'S':
                push(parseQuotedString(readLine()));
                break;   // STRING
            case 'T': {  // BINSTRING: signed 4-byte length
                const std::int64_t n = static_cast<std::int32_t>(readLE(4));
                if (n < 0) malformed("BINSTRING with a negative length");
                push(makeText(T::String, readString(static_cast<std::uint64_t>(n))));
                break;
            }
            case 'U':
                push(makeText(T::String, readString(readLE(1))));
                break;  // SHORT_BINSTRING
            case 'V':
                push(makeText(T::String, readLine()));
                break;  // UNICODE (raw)
            case 'X':
                push(makeText(T::String, readString(readLE(4))));
                break;  // BINUNICODE
            case 0x8c:
                push(makeText(T::String, readString(readLE(1))));
                break;  // SHORT_BINUNICODE
            case 0x8d:
                push(makeText(T::String, readString(readLE(8))));
                break;  // BINUNICODE8
            case 'B':
                push(makeText(T::Bytes, readString(readLE(4))));
                break;  // BINBYTES
            case 'C':
                push(makeText(T::Bytes, readString(readLE(1))));
                break;  // SHORT_BINBYTES
            case 0x8e:
                push(makeText(T::Bytes, readString(readLE(8))));
                break;  // BINBYTES8

            case 'p': {  // PUT
                const std::string text = readLine();
                char* end = nullptr;
                const unsigned long long i = std::strtoull(text.c_str(), &end, 10);
                if (text.empty() || *end) malformed("bad PUT index");
                memoPut(i);
                break;
            }
            case 'q':
                memoPut(readLE(1));
                break;  // BINPUT
            case 'r':
                memoPut(readLE(4));
                break;  // LONG_BINPUT
            case 0x94:
                memoPut(m_memo.size());
                break;   // MEMOIZE
            case 'g': {  // GET
                const std::string text = readLine();
                char* end = nullptr;
                const unsigned long long i = std::strtoull(text.c_str(), &end, 10);
                if (text.empty() || *end) malformed("bad GET index");
                push(memoGet(i));
                break;
            }
            case 'h':
                push(memoGet(readLE(1)));
                break;  // BINGET
            case 'j':
                push(memoGet(readLE(4)));
                break;  // LONG_BINGET

            case 'c': {  // GLOBAL
                const std::string module = readLine();
                const std::string name = readLine();
                push(global(module, name));
                break;
            }
            case 0x93: {  // STACK_GLOBAL
                ValuePtr name = pop();
                ValuePtr module = pop();
                if (name->type != T::String || module->type != T::String)
                    malformed("STACK_GLOBAL with non-string names");
                push(global(module->text, name->text));
                break;
            }
            case 'R': {  // REDUCE
                ValuePtr args = pop();
                ValuePtr callable = pop();
                push(call(callable, args, "REDUCE"));
                break;
            }
            case 0x81: {  // NEWOBJ
                ValuePtr args = pop();
                ValuePtr cls = pop();
                push(call(cls, args, "NEWOBJ"));
                break;
            }
            case 'b': {  // BUILD
                ValuePtr state = pop();
                const Value& obj = *top();
                // An OrderedDict's state is the state dict's _metadata (versions
                // of each module): not needed to read the weights.
                if (obj.type != T::Dict && obj.type != T::Tensor)
                    malformed("BUILD on a " + typeName(obj));
                break;
            }
            case 'P': {  // PERSID
                ValuePtr pid = makeText(T::String, readLine());
                push(persistentLoad(pid));
                break;
            }
            case 'Q': {  // BINPERSID
                ValuePtr pid = pop();
                push(persistentLoad(pid));
                break;
            }
            default:
                fail("the pickle uses opcode " + hex2(op) + " at byte " + std::to_string(m_opPos) +
                     ", which a state dict never needs; refusing to load it (only state dicts are "
                     "supported)");
        }
    }
}

ValuePtr Unpickler::load() {
    Run run(*this);
    return run.execute();
}

}  // namespace fts::pickle
