#pragma once

#include "core/error.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace fts {

/// Why a download failed: the GUI and the CLI offer "use a file instead"
/// for Network, and say the file is broken for Hash.
class DownloadError : public Error {
public:
    enum class Kind { Network, Http, Hash, File };
    DownloadError(Kind kind, const std::string& message) : Error(message), m_kind(kind) {}
    Kind kind() const { return m_kind; }

private:
    Kind m_kind;
};

/// Bytes so far and in all (-1 while the size is not known), counting the
/// part a resumed download already had.
using DownloadProgressFn = std::function<void(std::int64_t received, std::int64_t total)>;

struct HttpOptions {
    long connectTimeoutSeconds = 20;
    /// A transfer slower than lowSpeedBytes per second for lowSpeedSeconds
    /// is given up (a stalled server never hangs the caller).
    long lowSpeedBytes = 100;
    long lowSpeedSeconds = 30;
    /// Attempts after a connection dropped mid-file (each resumes).
    int retries = 3;
};

/// Downloads `url` into `partial` with libcurl. When `partial` already holds
/// bytes it asks for the rest with an HTTP Range request and appends when the
/// server answers 206; otherwise it starts again from byte 0. A connection
/// that drops after some bytes arrived is resumed up to options.retries
/// times. Returns true when the server sent the whole file, false when
/// `cancel` became true (the partial file stays for a later resume).
/// `progress` and `cancel` are used on the calling thread, at least once a
/// second. Throws DownloadError naming the URL.
bool httpDownload(const std::string& url, const std::filesystem::path& partial,
                  const DownloadProgressFn& progress = {},
                  const std::atomic<bool>* cancel = nullptr, const HttpOptions& options = {});

}  // namespace fts
