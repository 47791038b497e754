#include "weights/httpdownload.h"

#include "core/fileio.h"

#include <curl/curl.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <system_error>

namespace fs = std::filesystem;

namespace fts {
namespace {

void initCurlOnce() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct FileCloser {
    void operator()(std::FILE* f) const {
        if (f) std::fclose(f);
    }
};

// One request's state, shared with libcurl's callbacks (same thread).
struct Transfer {
    CURL* curl = nullptr;
    fs::path path;
    std::unique_ptr<std::FILE, FileCloser> file;
    std::int64_t offset = 0;   // bytes already in the partial file, asked for with Range
    std::int64_t written = 0;  // bytes this request wrote
    bool started = false;      // the first body bytes arrived and the status was read
    bool fileFailed = false;
    const DownloadProgressFn* progress = nullptr;
    const std::atomic<bool>* cancel = nullptr;
    std::chrono::steady_clock::time_point lastReport;
    curl_off_t reportedNow = -1;
};

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t bytes = size * count;
    if (!t->started) {
        t->started = true;
        long status = 0;
        curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
        // 206: the rest of the file follows; anything else is the whole file
        // (the server ignored the Range request), so start again.
        if (status != 206) t->offset = 0;
        t->file.reset(std::fopen(t->path.string().c_str(), t->offset > 0 ? "ab" : "wb"));
        if (!t->file) {
            t->fileFailed = true;
            return 0;
        }
    }
    if (std::fwrite(data, 1, bytes, t->file.get()) != bytes) {
        t->fileFailed = true;
        return 0;
    }
    t->written += std::int64_t(bytes);
    return bytes;
}

int onProgress(void* user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
    auto* t = static_cast<Transfer*>(user);
    if (t->cancel && t->cancel->load()) return 1;  // CURLE_ABORTED_BY_CALLBACK
    // Nothing to report before the server answered (a refused connection
    // reports nothing).
    if (t->progress && *t->progress && (now > 0 || total > 0)) {
        // At most ten reports a second: a GUI queues each one.
        const auto clock = std::chrono::steady_clock::now();
        const bool done = total > 0 && now >= total;
        if (now == t->reportedNow) return 0;  // libcurl also calls while idle
        if (!done && clock - t->lastReport < std::chrono::milliseconds(100)) return 0;
        t->lastReport = clock;
        t->reportedNow = now;
        const std::int64_t base = t->offset;
        (*t->progress)(base + std::int64_t(now), total > 0 ? base + std::int64_t(total) : -1);
    }
    return 0;
}

std::int64_t fileSize(const fs::path& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    return ec ? 0 : std::int64_t(size);
}

bool isDroppedConnection(CURLcode code) {
    return code == CURLE_PARTIAL_FILE || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING ||
           code == CURLE_OPERATION_TIMEDOUT || code == CURLE_SEND_ERROR;
}

}  // namespace

bool httpDownload(const std::string& url, const fs::path& partial,
                  const DownloadProgressFn& progress, const std::atomic<bool>* cancel,
                  const HttpOptions& options) {
    initCurlOnce();
    for (int attempt = 0;; ++attempt) {
        std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(),
                                                                 &curl_easy_cleanup);
        if (!curl)
            throw DownloadError(DownloadError::Kind::Network,
                                "Cannot download " + url + ": libcurl could not start.");
        Transfer t;
        t.curl = curl.get();
        t.path = partial;
        t.offset = fileSize(partial);
        t.progress = &progress;
        t.cancel = cancel;
        char errorText[CURL_ERROR_SIZE] = {};
        const std::string range = std::to_string(t.offset) + "-";

        CURL* c = curl.get();
        curl_easy_setopt(c, CURLOPT_URL, url.c_str());
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errorText);
#if LIBCURL_VERSION_NUM >= 0x075500
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
        curl_easy_setopt(c, CURLOPT_PROTOCOLS, long(CURLPROTO_HTTP | CURLPROTO_HTTPS));
        curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, long(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
        curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
        curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);  // 4xx/5xx: an error, no body written
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);     // safe on worker threads
        curl_easy_setopt(c, CURLOPT_USERAGENT, "finetune-studio");
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, options.connectTimeoutSeconds);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, options.lowSpeedBytes);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, options.lowSpeedSeconds);
        if (t.offset > 0) curl_easy_setopt(c, CURLOPT_RANGE, range.c_str());
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &onBody);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &onProgress);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);

        const CURLcode code = curl_easy_perform(c);
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        const bool flushed = !t.file || std::fflush(t.file.get()) == 0;
        t.file.reset();

        if (code == CURLE_OK && flushed) {
            if (!t.started && t.offset == 0) {  // an empty file: no body callback ran
                std::unique_ptr<std::FILE, FileCloser> empty(
                    std::fopen(partial.string().c_str(), "wb"));
            }
            return true;
        }
        if (code == CURLE_ABORTED_BY_CALLBACK) return false;
        if (t.fileFailed || code == CURLE_WRITE_ERROR || !flushed)
            throw DownloadError(DownloadError::Kind::File,
                                displayPath(partial) +
                                    ": cannot write the download; check the free disk space "
                                    "and that the folder is writable.");
        if (code == CURLE_HTTP_RETURNED_ERROR) {
            // 416: the partial file already holds every byte; its hash decides.
            if (status == 416 && t.offset > 0) return true;
            throw DownloadError(DownloadError::Kind::Http,
                                "Cannot download " + url + ": the server answered HTTP " +
                                    std::to_string(status) +
                                    (status == 404 ? " (not found)." : "."));
        }
        if (isDroppedConnection(code) && t.written > 0 && attempt < options.retries)
            continue;  // the next request resumes after the bytes that arrived
        const std::string why = errorText[0] ? errorText : curl_easy_strerror(code);
        throw DownloadError(DownloadError::Kind::Network,
                            "Cannot download " + url + ": " + why + ".");
    }
}

}  // namespace fts
