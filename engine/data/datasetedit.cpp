#include "data/datasetedit.h"

#include "core/error.h"
#include "core/fileio.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <set>
#include <system_error>

#ifdef __linux__
#include <fcntl.h>  // AT_FDCWD
#include <stdio.h>  // renameat2, RENAME_NOREPLACE (glibc 2.28)
#endif

namespace fs = std::filesystem;

namespace fts {
namespace {

fs::path normalRoot(const fs::path& root) {
    fs::path r = root.lexically_normal();
    if (r.filename().empty() && r.has_relative_path()) r = r.parent_path();
    return r;
}

bool sameFolder(const fs::path& a, const fs::path& b) {
    if (a.lexically_normal() == b.lexically_normal()) return true;
    std::error_code ec1, ec2;
    const fs::path ca = fs::weakly_canonical(a, ec1);
    const fs::path cb = fs::weakly_canonical(b, ec2);
    return !ec1 && !ec2 && ca == cb;
}

void checkClassName(const std::string& name, const std::string& item) {
    const bool bad = name.empty() || name == "." || name == ".." || name[0] == '.' ||
                     name.find('/') != std::string::npos || name.find('\\') != std::string::npos;
    if (bad)
        throw Error(item + ": the class name \"" + printable(name) +
                    "\" cannot be a folder of the dataset; use a plain name that does not start "
                    "with '.' and holds no '/' or '\\'");
}

// `name` in `dir`, or "stem (2).ext", "stem (3).ext"... when the name is
// taken by a file there or by an earlier move of the plan.
fs::path freeTarget(const fs::path& dir, const fs::path& name, std::set<fs::path>& taken) {
    const fs::path stem = name.stem();
    const fs::path ext = name.extension();
    fs::path candidate = dir / name;
    for (int n = 2;; ++n) {
        std::error_code ec;
        const bool exists = fs::exists(fs::symlink_status(candidate, ec));
        if (!exists && !taken.count(candidate)) break;
        candidate =
            dir / fs::u8path(displayPath(stem) + " (" + std::to_string(n) + ")" + displayPath(ext));
    }
    taken.insert(candidate);
    return candidate;
}

std::string tsvField(const fs::path& p) {
    std::string out;
    for (char c : displayPath(p)) {
        if (c == '\t')
            out += "\\t";
        else if (c == '\n')
            out += "\\n";
        else if (c == '\\')
            out += "\\\\";
        else
            out += c;
    }
    return out;
}

std::string utcNow() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
#ifdef _WIN32
    gmtime_s(&tm, &now);
#else
    gmtime_r(&now, &tm);
#endif
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

// Copies `from` to `to` (which must not exist), checks the size and removes
// `from`. On any failure the copy is removed and `from` stays: false + why.
bool copyAcross(const fs::path& from, const fs::path& to, std::string* why) {
    std::error_code ec;
    if (!fs::copy_file(from, to, fs::copy_options::none, ec)) {
        *why = "copying it to " + displayPath(to) + " failed (" + ec.message() + ")";
        return false;
    }
    std::error_code e1, e2;
    const auto sizeFrom = fs::file_size(from, e1);
    const auto sizeTo = fs::file_size(to, e2);
    if (e1 || e2 || sizeFrom != sizeTo) {
        fs::remove(to, ec);
        *why = "the copy at " + displayPath(to) + " differs in size; the file was left in place";
        return false;
    }
    if (!fs::remove(from, ec) || ec) {
        const std::string message = ec.message();
        fs::remove(to, ec);
        *why = "it was copied but the original could not be removed (" + message +
               "); the file was left in place";
        return false;
    }
    return true;
}

// Moves one file without ever replacing an existing `to`.
bool moveNoReplace(const fs::path& from, const fs::path& to, std::string* why) {
    const std::string exists = "a file already exists at " + displayPath(to) + "; nothing moved";
#ifdef __linux__
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0)
        return true;
    const int err = errno;
    if (err == EEXIST) {
        *why = exists;
        return false;
    }
    if (err == EXDEV) return copyAcross(from, to, why);
    if (err != EINVAL && err != ENOSYS && err != ENOTSUP) {
        *why = std::string("it cannot be moved (") + std::strerror(err) + ")";
        return false;
    }
    // The file system cannot refuse to replace: check, then rename.
#endif
    std::error_code ec;
    if (fs::exists(fs::symlink_status(to, ec))) {
        *why = exists;
        return false;
    }
    fs::rename(from, to, ec);
    if (ec == std::errc::cross_device_link) return copyAcross(from, to, why);
    if (ec) {
        *why = "it cannot be moved (" + ec.message() + ")";
        return false;
    }
    return true;
}

}  // namespace

fs::path excludedFolderFor(const fs::path& datasetRoot) {
    const fs::path root = normalRoot(datasetRoot);
    const std::string name = displayPath(root.filename());
    if (name.empty() || name == "." || name == ".." || !root.has_parent_path())
        throw Error(displayPath(datasetRoot) +
                    ": the excluded images go into a folder beside the dataset folder, and this "
                    "folder has no parent; move the dataset into a folder of its own");
    return root.parent_path() / fs::u8path(name + "-excluded");
}

fs::path moveJournalFor(const fs::path& datasetRoot) {
    return excludedFolderFor(datasetRoot) / "moves.tsv";
}

std::vector<FileMove> planMoves(const fs::path& datasetRoot,
                                const std::vector<DatasetEdit>& edits) {
    const fs::path root = normalRoot(datasetRoot);
    const fs::path excluded = excludedFolderFor(root);
    std::set<fs::path> items;
    std::set<fs::path> taken;
    std::vector<FileMove> moves;
    for (const DatasetEdit& edit : edits) {
        const fs::path item = fs::u8path(edit.item).lexically_normal();
        const std::string shown = displayPath(item);
        std::error_code ec;
        const fs::path classDir = item.parent_path();
        if (!item.is_absolute() || !item.has_filename() ||
            !sameFolder(classDir.parent_path(), root) || !fs::is_regular_file(item, ec))
            throw Error(shown + ": not an image file directly inside a class folder of " +
                        displayPath(root) +
                        "; only images of that dataset folder can be "
                        "relabelled or excluded");
        if (!items.insert(item).second)
            throw Error(shown + ": two changes name this image; keep only one of them");
        const std::string oldClass = displayPath(classDir.filename());
        if (edit.kind == DatasetEdit::Kind::Relabel) {
            checkClassName(edit.newClass, shown);
            if (edit.newClass == oldClass) continue;
            moves.push_back(
                {item, freeTarget(root / fs::u8path(edit.newClass), item.filename(), taken)});
        } else {
            moves.push_back(
                {item, freeTarget(excluded / fs::u8path(oldClass), item.filename(), taken)});
        }
    }
    return moves;
}

MoveResult applyMoves(const std::vector<FileMove>& moves) {
    MoveResult result;
    std::map<fs::path, std::ofstream> journals;
    for (const FileMove& move : moves) {
        std::error_code ec;
        if (!fs::exists(fs::symlink_status(move.from, ec))) {
            result.failed.push_back({move, displayPath(move.from) + ": the file is gone"});
            continue;
        }
        fs::create_directories(move.to.parent_path(), ec);
        if (ec) {
            result.failed.push_back({move, displayPath(move.from) + ": the folder " +
                                               displayPath(move.to.parent_path()) +
                                               " cannot be created (" + ec.message() + ")"});
            continue;
        }
        std::string why;
        if (!moveNoReplace(move.from, move.to, &why)) {
            result.failed.push_back({move, displayPath(move.from) + ": " + why});
            continue;
        }
        result.done.push_back(move);

        // The journal: a person can read (and undo) every move by hand.
        try {
            const fs::path journal = moveJournalFor(move.from.parent_path().parent_path());
            auto it = journals.find(journal);
            if (it == journals.end()) {
                fs::create_directories(journal.parent_path(), ec);
                const bool fresh = !fs::exists(journal, ec);
                it = journals.emplace(journal, std::ofstream(journal, std::ios::app)).first;
                if (fresh) it->second << "time\tfrom\tto\n";
            }
            it->second << utcNow() << '\t' << tsvField(move.from) << '\t' << tsvField(move.to)
                       << '\n'
                       << std::flush;
            if (!it->second)
                result.journalProblem =
                    displayPath(journal) + ": the list of moves could not be written";
        } catch (const Error& e) {
            result.journalProblem = e.what();
        }
    }
    return result;
}

}  // namespace fts
