#pragma once

#include "train/settings.h"

#include <QString>

#include <optional>

namespace fts::ui {

/// The project format version this build writes and the newest it reads.
inline constexpr int kProjectFormatVersion = 1;

/// Everything a person set up for a training run, saved as a .ftsproj file
/// (indented JSON). Paths in memory are absolute (or empty); in the file they
/// are relative to the project file's folder when they lie inside it, so a
/// project folder can be moved or shared together with its data.
///
/// The fields arch, weightsFile, freezeSpec, dataPath and valPath are the ones
/// saved; their copies inside `settings` (model, weightsFile, freeze,
/// dataPath, valPath) are ignored by saveProject, and loadProject sets both.
/// Per-run settings (outDir, resume) are not saved.
struct Project {
    int version = kProjectFormatVersion;  // the format version of the file read
    QString arch = QStringLiteral("resnet18");
    QString weightsFile;  // empty: train from scratch
    QString freezeSpec = QStringLiteral("none");
    fts::TrainSettings settings;  // the hyperparameters, the device, the seed
    QString dataPath;
    QString valPath;  // empty: split dataPath by settings.valSplit
    QString runsDirectory;

    /// `settings` with model, weightsFile, freeze, dataPath and valPath
    /// taken from the fields above, ready for a run (outDir still to set).
    fts::TrainSettings trainSettings() const;
};

/// "ftsproj" (no dot).
QString projectFileSuffix();
/// For file dialogs: "Finetune Studio projects (*.ftsproj)".
QString projectFileFilter();

/// Writes `project` to `file` atomically: a temporary file beside it, renamed
/// over `file` only once it is complete, so an earlier file stays intact on
/// any failure. Returns false with a sentence naming the file in *error
/// (error may be null).
bool saveProject(const QString& file, const Project& project, QString* error);

/// Reads a project file. Returns nullopt with a sentence naming the file in
/// *error when the file is missing, unreadable, not JSON, of the wrong shape
/// or types, out of range, of a newer format version, or names an unknown
/// optimizer / scheduler / augmentation / device. Unknown keys are ignored;
/// missing keys keep their defaults.
std::optional<Project> loadProject(const QString& file, QString* error);

}  // namespace fts::ui
