#include "weights/zipreader.h"

#include "core/error.h"

#include <algorithm>
#include <unordered_set>

namespace fts {

namespace {

constexpr std::uint32_t kLocalHeaderSig = 0x04034b50;
constexpr std::uint32_t kCentralHeaderSig = 0x02014b50;
constexpr std::uint32_t kEndSig = 0x06054b50;
constexpr std::uint32_t kZip64EndSig = 0x06064b50;
constexpr std::uint32_t kZip64LocatorSig = 0x07064b50;
constexpr std::size_t kLocalHeaderSize = 30;
constexpr std::size_t kCentralHeaderSize = 46;
constexpr std::size_t kEndSize = 22;
constexpr std::size_t kZip64EndSize = 56;
constexpr std::size_t kZip64LocatorSize = 20;
// A state dict archive holds a few files per tensor; this bounds the work a
// forged entry count can cause, long before memory runs out.
constexpr std::uint64_t kMaxEntries = 1u << 22;

std::uint16_t le16(const std::uint8_t* p) {
    return std::uint16_t(p[0] | (p[1] << 8));
}
std::uint32_t le32(const std::uint8_t* p) {
    return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16) |
           (std::uint32_t(p[3]) << 24);
}
std::uint64_t le64(const std::uint8_t* p) {
    return le32(p) | (std::uint64_t(le32(p + 4)) << 32);
}


}  // namespace

ZipReader::ZipReader(const std::uint8_t* data, std::size_t size, std::string source)
    : m_data(data), m_size(size), m_source(std::move(source)) {
    parseCentralDirectory();
}

bool ZipReader::looksLikeZip(const std::uint8_t* data, std::size_t size) {
    return size >= 4 && le32(data) == kLocalHeaderSig;
}

void ZipReader::fail(const std::string& problem) const {
    throw FormatError(m_source, problem);
}

void ZipReader::parseCentralDirectory() {
    if (m_size < kEndSize)
        fail("the zip archive is truncated (no end-of-central-directory record)");

    // The end record sits at the end, followed by a comment of at most 64 KiB.
    std::size_t endPos = std::size_t(-1);
    const std::size_t lowest = m_size - kEndSize > 0xffff ? m_size - kEndSize - 0xffff : 0;
    for (std::size_t pos = m_size - kEndSize + 1; pos-- > lowest;) {
        if (le32(m_data + pos) == kEndSig && pos + kEndSize + le16(m_data + pos + 20) == m_size) {
            endPos = pos;
            break;
        }
    }
    if (endPos == std::size_t(-1))
        fail("the zip archive is truncated or damaged (no end-of-central-directory record)");

    const std::uint8_t* end = m_data + endPos;
    std::uint64_t entryCount = le16(end + 10);
    std::uint64_t cdSize = le32(end + 12);
    std::uint64_t cdOffset = le32(end + 16);
    if (le16(end + 4) != 0 || (le16(end + 6) != 0 && le16(end + 6) != 0xffff))
        fail("multi-part zip archives are not supported");

    if (entryCount == 0xffff || cdSize == 0xffffffff || cdOffset == 0xffffffff) {
        if (endPos < kZip64LocatorSize ||
            le32(m_data + endPos - kZip64LocatorSize) != kZip64LocatorSig)
            fail("the zip archive is damaged (ZIP64 locator missing)");
        const std::uint64_t z64Offset = le64(m_data + endPos - kZip64LocatorSize + 8);
        if (z64Offset > m_size || m_size - z64Offset < kZip64EndSize ||
            le32(m_data + z64Offset) != kZip64EndSig)
            fail("the zip archive is damaged (ZIP64 end record out of place)");
        const std::uint8_t* z = m_data + z64Offset;
        entryCount = le64(z + 32);
        cdSize = le64(z + 40);
        cdOffset = le64(z + 48);
    }
    if (cdOffset > m_size || cdSize > m_size - cdOffset)
        fail("the zip archive is truncated or damaged (central directory lies outside the file)");
    if (entryCount > cdSize / kCentralHeaderSize || entryCount > kMaxEntries)
        fail("the zip archive is damaged (central directory declares " +
             std::to_string(entryCount) + " entries, more than it can hold)");

    m_entries.reserve(static_cast<std::size_t>(entryCount));
    std::unordered_set<std::string> names;
    std::uint64_t pos = cdOffset;
    const std::uint64_t cdEnd = cdOffset + cdSize;
    for (std::uint64_t i = 0; i < entryCount; ++i) {
        if (cdEnd - pos < kCentralHeaderSize || le32(m_data + pos) != kCentralHeaderSig)
            fail("the zip archive is damaged (bad central directory entry " + std::to_string(i) +
                 ")");
        const std::uint8_t* h = m_data + pos;
        Entry e;
        e.method = le16(h + 10);
        e.compressedSize = le32(h + 20);
        e.size = le32(h + 24);
        const std::size_t nameLen = le16(h + 28);
        const std::size_t extraLen = le16(h + 30);
        const std::size_t commentLen = le16(h + 32);
        e.localHeaderOffset = le32(h + 42);
        if (cdEnd - pos - kCentralHeaderSize < nameLen + extraLen + commentLen)
            fail("the zip archive is damaged (central directory entry " + std::to_string(i) +
                 " runs past the directory)");
        e.name.assign(reinterpret_cast<const char*>(h + kCentralHeaderSize), nameLen);

        // ZIP64 extended information: only the fields whose 32-bit value is saturated.
        const std::uint8_t* x = h + kCentralHeaderSize + nameLen;
        const std::uint8_t* xEnd = x + extraLen;
        while (xEnd - x >= 4) {
            const std::uint16_t id = le16(x);
            const std::size_t len = le16(x + 2);
            if (std::size_t(xEnd - x - 4) < len)
                fail("the zip archive is damaged (bad extra field in entry '" + printable(e.name) +
                     "')");
            if (id == 0x0001) {
                const std::uint8_t* f = x + 4;
                std::size_t left = len;
                auto take = [&](std::uint64_t& v) {
                    if (left < 8)
                        fail("the zip archive is damaged (short ZIP64 field in entry '" +
                             printable(e.name) + "')");
                    v = le64(f);
                    f += 8;
                    left -= 8;
                };
                if (e.size == 0xffffffff) take(e.size);
                if (e.compressedSize == 0xffffffff) take(e.compressedSize);
                if (e.localHeaderOffset == 0xffffffff) take(e.localHeaderOffset);
            }
            x += 4 + len;
        }
        if (e.localHeaderOffset >= cdOffset || cdOffset - e.localHeaderOffset < kLocalHeaderSize ||
            e.compressedSize > cdOffset - e.localHeaderOffset - kLocalHeaderSize)
            fail("the zip archive is damaged (entry '" + printable(e.name) +
                 "' points outside the file)");
        if (!names.insert(e.name).second)
            fail("the zip archive holds the entry '" + printable(e.name) + "' twice");
        pos += kCentralHeaderSize + nameLen + extraLen + commentLen;
        m_entries.push_back(std::move(e));
    }
}

const ZipReader::Entry* ZipReader::find(std::string_view name) const {
    for (const auto& e : m_entries)
        if (e.name == name) return &e;
    return nullptr;
}

ZipReader::Span ZipReader::read(const Entry& entry) const {
    if (entry.method != 0)
        fail("the zip entry '" + printable(entry.name) + "' is compressed (method " +
             std::to_string(entry.method) +
             "); torch.save writes stored entries only, so this archive was repacked: "
             "re-save it with torch.save");
    if (entry.size != entry.compressedSize)
        fail("the zip archive is damaged (stored entry '" + printable(entry.name) +
             "' has two sizes)");
    const std::uint64_t off = entry.localHeaderOffset;
    if (off > m_size || m_size - off < kLocalHeaderSize || le32(m_data + off) != kLocalHeaderSig)
        fail("the zip archive is damaged (no local header for entry '" + printable(entry.name) +
             "')");
    const std::uint8_t* h = m_data + off;
    const std::uint64_t dataOffset = off + kLocalHeaderSize + le16(h + 26) + le16(h + 28);
    if (dataOffset > m_size || entry.size > m_size - dataOffset)
        fail("the zip archive is truncated (entry '" + printable(entry.name) +
             "' runs past the end of the file)");
    return {m_data + dataOffset, static_cast<std::size_t>(entry.size)};
}

}  // namespace fts
