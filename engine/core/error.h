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

}  // namespace fts
