#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace fts {

/// A path as UTF-8 text for messages (works for non-ASCII names on Windows).
std::string displayPath(const std::filesystem::path& path);

/// Reads a whole file. Throws fts::Error naming the file when it cannot be
/// opened or read, or when it is larger than maxBytes (nothing is allocated
/// before the size is known and checked).
std::vector<std::uint8_t> readFileBytes(const std::filesystem::path& path,
                                        std::uint64_t maxBytes = std::uint64_t(1) << 36);

/// Writes bytes to a temporary file beside `path`, flushes it to disk and
/// renames it over `path`, so that a reader sees the old file or the new one,
/// never half of one. Throws fts::Error (and leaves the old file) on failure.
void writeFileAtomically(const std::filesystem::path& path, const void* data, std::size_t size);

/// Removes a folder and everything in it; returns false (and leaves what it
/// could not remove) on failure. Use this, not std::filesystem::remove_all:
/// linked with official LibTorch 2.x from PyPI, remove_all of a non-empty
/// folder crashes (a call through a null pointer, seen with LibTorch 2.11 and
/// GCC 13 on Ubuntu 24.04).
bool removeTree(const std::filesystem::path& dir);

}  // namespace fts
