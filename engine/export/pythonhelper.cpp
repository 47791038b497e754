#include "export/pythonhelper.h"

#include "core/error.h"
#include "core/fileio.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

#ifndef _WIN32
#include <sys/wait.h>
#endif

namespace fs = std::filesystem;

namespace fts {
namespace {

// One argument quoted for the platform's shell.
std::string quoted(const std::string& arg) {
#ifdef _WIN32
    std::string out = "\"";
    for (char c : arg) {
        if (c == '"') out += '\\';
        out += c;
    }
    return out + '"';
#else
    std::string out = "'";
    for (char c : arg) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
#endif
}

struct CommandResult {
    int status = -1;
    std::string output;  // stdout and stderr together
};

CommandResult runCommand(const std::vector<std::string>& args) {
    std::string line;
    for (const auto& a : args) line += (line.empty() ? "" : " ") + quoted(a);
    line += " 2>&1";
#ifdef _WIN32
    FILE* pipe = _popen(("\"" + line + "\"").c_str(), "r");
#else
    FILE* pipe = popen(line.c_str(), "r");
#endif
    CommandResult r;
    if (!pipe) return r;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) r.output.append(buf, n);
#ifdef _WIN32
    r.status = _pclose(pipe);
#else
    const int status = pclose(pipe);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
#endif
    return r;
}

bool hasTorch(const std::string& python) {
    return runCommand({python, "-c", "import torch, torchvision"}).status == 0;
}

std::string lastLines(const std::string& text, int lines) {
    std::size_t pos = text.size();
    while (pos > 0 && (text[pos - 1] == '\n' || text[pos - 1] == '\r')) --pos;
    const std::size_t end = pos;
    for (int n = 0; pos > 0; --pos)
        if (text[pos - 1] == '\n' && ++n == lines) break;
    return text.substr(pos, end - pos);
}

}  // namespace

std::string findPythonWithTorch(const std::string& preferred, std::string* tried) {
    std::vector<std::string> candidates;
    if (!preferred.empty()) {
        candidates.push_back(preferred);
    } else {
        if (const char* env = std::getenv("FTS_PYTHON"); env && *env) candidates.push_back(env);
        candidates.push_back("python3");
        candidates.push_back("python");
    }
    std::string list;
    for (const auto& c : candidates) {
        list += (list.empty() ? "" : ", ") + c;
        if (hasTorch(c)) return c;
    }
    if (tried) *tried = list;
    return {};
}

void exportOnnxWithPython(const fs::path& bundleDir, const fs::path& onnxFile,
                          const std::string& python) {
    const fs::path script = bundleDir / "predict.py";
    if (!fs::exists(script))
        throw Error(displayPath(bundleDir) + ": has no predict.py; export the run again");
    const CommandResult r = runCommand({python, script.u8string(), "--onnx", onnxFile.u8string()});
    if (r.status != 0 || !fs::exists(onnxFile))
        throw Error(displayPath(onnxFile) + ": the ONNX export with " + python +
                    " failed: " + lastLines(r.output, 3));
}

}  // namespace fts
