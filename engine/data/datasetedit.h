#pragma once

// Fixing an ImageFolder dataset from the gallery: relabelled images move into
// another class folder, excluded images into a folder beside the dataset.
// Nothing is ever deleted or overwritten. Torch-free; blocking file-system
// calls (run applyMoves() on a worker thread when there are many moves).

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace fts {

/// One change a person asked for on one image of an ImageFolder dataset.
struct DatasetEdit {
    std::string item;  // absolute path of the image (UTF-8), as ImageFolderSource::itemName
    enum class Kind { Relabel, Exclude } kind = Kind::Relabel;
    std::string newClass;  // Relabel: the class folder the image moves to
};

struct FileMove {
    std::filesystem::path from, to;
};

struct MoveResult {
    std::vector<FileMove> done;
    std::vector<std::pair<FileMove, std::string>> failed;  // with a sentence saying why
    std::string journalProblem;  // non-empty when moves.tsv could not be written
};

/// Where excluded images of `datasetRoot` go: the sibling folder
/// "<root name>-excluded" (inside the root an ImageFolder loader would take it
/// for a class), with one subfolder per original class.
std::filesystem::path excludedFolderFor(const std::filesystem::path& datasetRoot);

/// The journal of the moves made in `datasetRoot`:
/// excludedFolderFor(datasetRoot) / "moves.tsv" (time, from, to; one line each).
std::filesystem::path moveJournalFor(const std::filesystem::path& datasetRoot);

/// The file moves that carry out `edits`: a relabel moves <root>/<class>/<file>
/// to <root>/<newClass>/<file>, an exclusion to <excluded>/<class>/<file>. A
/// relabel to the class the image is already in moves nothing. When the
/// target name is taken (by a file or by another move of the plan) " (2)",
/// " (3)"... goes before the extension. Throws fts::Error, naming the file,
/// when an item is not a file directly inside a class folder <root>/<class>/,
/// when a new class name is empty, hidden (".x"), "." or "..", or holds a path
/// separator, or when two edits name the same item.
std::vector<FileMove> planMoves(const std::filesystem::path& datasetRoot,
                                const std::vector<DatasetEdit>& edits);

/// Carries out the moves: creates the target folders and renames each file,
/// never over an existing one (checked again at the moment of the move). A
/// rename across file systems becomes copy, size check, then removal of the
/// source. A failed move leaves its file where it was and does not stop the
/// others. Each move made is appended to the journal moveJournalFor(<root>),
/// where <root> is the dataset folder of the move's source (two levels up).
MoveResult applyMoves(const std::vector<FileMove>& moves);

}  // namespace fts
