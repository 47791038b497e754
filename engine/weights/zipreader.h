#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fts {

/// A minimal, read-only zip reader for torch.save archives held in memory.
/// It reads the central directory (ZIP64 included) and gives access to stored
/// (uncompressed) entries; every offset and size is checked against the
/// buffer. It does not own the bytes: the buffer must outlive the reader.
class ZipReader {
public:
    struct Entry {
        std::string name;
        std::uint16_t method = 0;  // 0 = stored
        std::uint64_t compressedSize = 0;
        std::uint64_t size = 0;  // uncompressed size
        std::uint64_t localHeaderOffset = 0;
    };

    /// Parses the central directory. Throws FormatError("<source>: ...") when
    /// the archive is truncated or inconsistent.
    ZipReader(const std::uint8_t* data, std::size_t size, std::string source);

    /// True when the bytes start like a zip archive (a local file header).
    static bool looksLikeZip(const std::uint8_t* data, std::size_t size);

    const std::vector<Entry>& entries() const { return m_entries; }
    /// nullptr when there is no entry of that exact name.
    const Entry* find(std::string_view name) const;

    /// The bytes of a stored entry, inside the buffer. Throws FormatError for
    /// compressed entries and for local headers that do not fit the buffer.
    struct Span {
        const std::uint8_t* data = nullptr;
        std::size_t size = 0;
    };
    Span read(const Entry& entry) const;

private:
    [[noreturn]] void fail(const std::string& problem) const;
    void parseCentralDirectory();

    const std::uint8_t* m_data;
    std::size_t m_size;
    std::string m_source;
    std::vector<Entry> m_entries;
};

}  // namespace fts
