#pragma once

// Helpers shared by the fuzz harnesses (tests/fuzz/fuzz_*.cpp): splitting one
// fuzz input into several files, and a private scratch folder for readers
// that take paths. Header-only; every harness is its own executable.

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

namespace fts::fuzz {

/// Reads a fuzz input front to back; reads past the end give zeros / empty.
class InputCursor {
public:
    InputCursor(const std::uint8_t* data, std::size_t size) : m_data(data), m_size(size) {}

    std::uint8_t byte() { return m_pos < m_size ? m_data[m_pos++] : 0; }

    /// A little-endian 32-bit length, cut to what is left.
    std::size_t length() {
        std::uint32_t n = 0;
        for (int i = 0; i < 4; ++i) n |= std::uint32_t(byte()) << (8 * i);
        return n > left() ? left() : n;
    }

    std::string take(std::size_t n) {
        n = n > left() ? left() : n;
        std::string s(reinterpret_cast<const char*>(m_data + m_pos), n);
        m_pos += n;
        return s;
    }
    std::string rest() { return take(left()); }
    std::size_t left() const { return m_size - m_pos; }

private:
    const std::uint8_t* m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
};

/// A folder of this process's own, emptied of the given names before each use
/// and removed at exit (best effort).
inline const std::filesystem::path& scratchFolder() {
    static const std::filesystem::path dir = [] {
        const char* base = std::getenv("TMPDIR");
        std::string templ = std::string(base && *base ? base : "/tmp") + "/fts-fuzz-XXXXXX";
        if (!mkdtemp(templ.data())) std::abort();
        static std::string keep = templ;
        std::atexit([] {
            std::error_code ec;
            for (const auto& e : std::filesystem::directory_iterator(keep, ec))
                std::filesystem::remove(e.path(), ec);
            std::filesystem::remove(keep, ec);
        });
        return std::filesystem::path(templ);
    }();
    return dir;
}

inline void writeFile(const std::filesystem::path& file, const std::string& bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) std::abort();
}

inline void removeFile(const std::filesystem::path& file) {
    std::error_code ec;
    std::filesystem::remove(file, ec);
}

}  // namespace fts::fuzz
