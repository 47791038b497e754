#pragma once

#include <stdexcept>
#include <string>

namespace fts {

/// Every error the engine reports to a person. The message is a sentence a
/// user can act on; errors about a file start with the file's path:
/// "weights.pth: the pickle names the forbidden global 'os.system'".
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A file (or byte buffer) is malformed or not what it claims to be.
class FormatError : public Error {
public:
    FormatError(const std::string& source, const std::string& problem)
        : Error(source.empty() ? problem : source + ": " + problem) {}
};

/// Text taken from a file, made safe to quote in a one-line message: control
/// characters become '?', and it is cut after 120 bytes.
inline std::string printable(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size() && i < 120; ++i) {
        const auto u = static_cast<unsigned char>(s[i]);
        out += (u < 0x20 || u == 0x7f) ? '?' : s[i];
    }
    if (s.size() > 120) out += "...";
    return out;
}

}  // namespace fts
