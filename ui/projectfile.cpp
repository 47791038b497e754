#include "projectfile.h"

#include "uitypes.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QLocale>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStringList>

#include <cmath>

namespace fts::ui {

namespace {

// The translation context of this file's messages.
class ProjectFile {
    Q_DECLARE_TR_FUNCTIONS(ProjectFile)
};

const char* const kFormatTag = "finetune-studio-project";
// A project file is a few kilobytes; anything far larger is not one, and is
// not read into memory.
constexpr qint64 kMaxFileBytes = 16 * 1024 * 1024;

// Text from the file, safe to quote in a one-line message.
QString printable(const QString& text) {
    QString out;
    for (const QChar c : text.left(60)) out += c.isPrint() ? c : QLatin1Char('?');
    if (text.size() > 60) out += QStringLiteral("...");
    return out;
}

QString describe(const QJsonValue& value) {
    switch (value.type()) {
        case QJsonValue::Null:
            return QStringLiteral("null");
        case QJsonValue::Bool:
            return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        case QJsonValue::Double:
            return QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
        case QJsonValue::String:
            return QLatin1Char('"') + printable(value.toString()) + QLatin1Char('"');
        case QJsonValue::Array:
            return ProjectFile::tr("a list");
        case QJsonValue::Object:
            return ProjectFile::tr("an object");
        default:
            return ProjectFile::tr("nothing");
    }
}

// Path as written into the file: relative (with '/') when inside the
// project's folder, absolute otherwise, empty when empty.
QString storedPath(const QString& path, const QDir& projectDir) {
    if (path.isEmpty()) return {};
    const QString absolute = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    const QString relative = projectDir.relativeFilePath(absolute);
    if (relative.isEmpty() || relative == QLatin1String(".")) return QStringLiteral(".");
    if (QDir::isAbsolutePath(relative) || relative == QLatin1String("..") ||
        relative.startsWith(QLatin1String("../")))
        return absolute;
    return relative;
}

QString resolvedPath(const QString& stored, const QDir& projectDir) {
    if (stored.isEmpty()) return {};
    if (QDir::isAbsolutePath(stored)) return QDir::cleanPath(stored);
    return QDir::cleanPath(projectDir.absoluteFilePath(stored));
}

/// Reads typed values out of the JSON tree. Each getter leaves its output
/// unchanged when the key is missing (the default stays) and returns false
/// with `problem` set when the value is there but wrong.
class Reader {
public:
    QString problem;
    bool newerFormat = false;  // problem says what to do: update the app

    bool section(const QJsonObject& parent, const QString& key, QJsonObject* out) {
        const QJsonValue v = parent.value(key);
        if (v.isUndefined()) return true;
        if (!v.isObject()) return fail(key, ProjectFile::tr("an object ({ ... })"), v);
        *out = v.toObject();
        return true;
    }

    bool string(const QJsonObject& o, const QString& path, const QString& key, QString* out) {
        const QJsonValue v = o.value(key);
        if (v.isUndefined()) return true;
        if (!v.isString()) return fail(path + key, ProjectFile::tr("text in quotes"), v);
        if (v.toString().contains(QChar(0)))
            return fail(path + key, ProjectFile::tr("text without NUL characters"), v);
        *out = v.toString();
        return true;
    }

    bool string(const QJsonObject& o, const QString& path, const QString& key, std::string* out) {
        QString text = toQString(*out);
        if (!string(o, path, key, &text)) return false;
        *out = toStdString(text);
        return true;
    }

    bool choice(const QJsonObject& o, const QString& path, const QString& key,
                const QStringList& choices, std::string* out) {
        QString text = toQString(*out);
        if (!string(o, path, key, &text)) return false;
        if (!choices.contains(text)) {
            problem = ProjectFile::tr(
                          "\"%1\" is %2, which this version does not know; it must be one of: %3")
                          .arg(path + key, describe(text), choices.join(QStringLiteral(", ")));
            return false;
        }
        *out = toStdString(text);
        return true;
    }

    bool device(const QJsonObject& o, const QString& path, const QString& key, std::string* out) {
        QString text = toQString(*out);
        if (!string(o, path, key, &text)) return false;
        static const QRegularExpression pattern(QStringLiteral("^(auto|cpu|cuda(:[0-9]{1,3})?)$"));
        if (!pattern.match(text).hasMatch()) {
            problem = ProjectFile::tr(
                          "\"%1\" is %2, which is not a device; use auto, cpu, cuda or cuda:N")
                          .arg(path + key, describe(text));
            return false;
        }
        *out = toStdString(text);
        return true;
    }

    bool boolean(const QJsonObject& o, const QString& path, const QString& key, bool* out) {
        const QJsonValue v = o.value(key);
        if (v.isUndefined()) return true;
        if (!v.isBool()) return fail(path + key, ProjectFile::tr("true or false"), v);
        *out = v.toBool();
        return true;
    }

    bool integer(const QJsonObject& o, const QString& path, const QString& key, int min, int max,
                 int* out) {
        const QJsonValue v = o.value(key);
        if (v.isUndefined()) return true;
        const double d = v.toDouble();
        if (!v.isDouble() || !std::isfinite(d) || d != std::floor(d) || d < min || d > max)
            return fail(path + key,
                        ProjectFile::tr("a whole number from %L1 to %L2").arg(min).arg(max), v);
        *out = int(d);
        return true;
    }

    bool number(const QJsonObject& o, const QString& path, const QString& key, double min,
                double max, double* out) {
        const QJsonValue v = o.value(key);
        if (v.isUndefined()) return true;
        const double d = v.toDouble();
        if (!v.isDouble() || !std::isfinite(d) || d < min || d > max)
            return fail(path + key, ProjectFile::tr("a number from %L1 to %L2").arg(min).arg(max),
                        v);
        *out = d;
        return true;
    }

    // Written as a decimal string: JSON numbers are doubles, exact only up to
    // 2^53. A plain number is accepted where it is exact.
    bool seed(const QJsonObject& o, const QString& path, const QString& key, std::uint64_t* out) {
        const QJsonValue v = o.value(key);
        if (v.isUndefined()) return true;
        const QString what =
            ProjectFile::tr("a whole number from 0 to 18446744073709551615, in quotes");
        if (v.isDouble()) {
            const double d = v.toDouble();
            if (!std::isfinite(d) || d != std::floor(d) || d < 0 || d > 9007199254740992.0)
                return fail(path + key, what, v);
            *out = std::uint64_t(d);
            return true;
        }
        static const QRegularExpression digits(QStringLiteral("^[0-9]{1,20}$"));
        bool ok = false;
        const std::uint64_t value = v.toString().toULongLong(&ok, 10);
        if (!v.isString() || !digits.match(v.toString()).hasMatch() || !ok)
            return fail(path + key, what, v);
        *out = value;
        return true;
    }

private:
    bool fail(const QString& key, const QString& expected, const QJsonValue& found) {
        problem =
            ProjectFile::tr("\"%1\" must be %2, but it is %3").arg(key, expected, describe(found));
        return false;
    }
};

const QStringList& optimizers() {
    static const QStringList list{QStringLiteral("sgd"), QStringLiteral("adam"),
                                  QStringLiteral("adamw")};
    return list;
}
const QStringList& schedulers() {
    static const QStringList list{QStringLiteral("none"), QStringLiteral("step"),
                                  QStringLiteral("cosine")};
    return list;
}
const QStringList& precisions() {
    static const QStringList list{QStringLiteral("fp32"), QStringLiteral("bf16")};
    return list;
}
const QStringList& augmentations() {
    static const QStringList list{QStringLiteral("none"), QStringLiteral("light"),
                                  QStringLiteral("strong")};
    return list;
}

// The JSON tree of a project; paths already as stored.
QJsonObject toJson(const Project& p, const QDir& projectDir) {
    const TrainSettings& s = p.settings;
    QJsonObject model{{QStringLiteral("arch"), p.arch},
                      {QStringLiteral("weights"), storedPath(p.weightsFile, projectDir)},
                      {QStringLiteral("freeze"), p.freezeSpec}};
    QJsonObject data{{QStringLiteral("train"), storedPath(p.dataPath, projectDir)},
                     {QStringLiteral("validation"), storedPath(p.valPath, projectDir)},
                     {QStringLiteral("valSplit"), s.valSplit},
                     {QStringLiteral("imageSize"), s.imageSize},
                     {QStringLiteral("augment"), toQString(s.augment)}};
    QJsonObject training{{QStringLiteral("epochs"), s.epochs},
                         {QStringLiteral("batchSize"), s.batchSize},
                         {QStringLiteral("lr"), s.lr},
                         {QStringLiteral("backboneLrScale"), s.backboneLrScale},
                         {QStringLiteral("optimizer"), toQString(s.optimizer)},
                         {QStringLiteral("momentum"), s.momentum},
                         {QStringLiteral("nesterov"), s.nesterov},
                         {QStringLiteral("weightDecay"), s.weightDecay},
                         {QStringLiteral("scheduler"), toQString(s.scheduler)},
                         {QStringLiteral("warmupEpochs"), s.warmupEpochs},
                         {QStringLiteral("stepSize"), s.stepSize},
                         {QStringLiteral("stepGamma"), s.stepGamma},
                         {QStringLiteral("seed"), QString::number(qulonglong(s.seed))},
                         {QStringLiteral("samplePredictions"), s.samplePredictions}};
    QJsonObject machine{{QStringLiteral("device"), toQString(s.device)},
                        {QStringLiteral("precision"), toQString(s.precision)},
                        {QStringLiteral("threads"), s.threads},
                        {QStringLiteral("loaderWorkers"), s.loaderWorkers}};
    QJsonObject output{{QStringLiteral("runsDirectory"), storedPath(p.runsDirectory, projectDir)}};
    return QJsonObject{{QStringLiteral("format"), QString::fromLatin1(kFormatTag)},
                       {QStringLiteral("version"), kProjectFormatVersion},
                       {QStringLiteral("model"), model},
                       {QStringLiteral("data"), data},
                       {QStringLiteral("training"), training},
                       {QStringLiteral("machine"), machine},
                       {QStringLiteral("output"), output}};
}

// Reads the tree back; false with reader.problem on the first bad value.
bool fromJson(const QJsonObject& root, const QDir& projectDir, Reader& r, Project* out) {
    Project p;
    TrainSettings& s = p.settings;

    const QJsonValue format = root.value(QStringLiteral("format"));
    if (!format.isUndefined() && format != QJsonValue(QString::fromLatin1(kFormatTag))) {
        r.problem = ProjectFile::tr("it is not a Finetune Studio project (its \"format\" is %1)")
                        .arg(describe(format));
        return false;
    }
    const QJsonValue version = root.value(QStringLiteral("version"));
    if (version.isUndefined()) {
        r.problem =
            ProjectFile::tr("it has no \"version\", so it is not a Finetune Studio project");
        return false;
    }
    const double v = version.toDouble();
    if (!version.isDouble() || !std::isfinite(v) || v != std::floor(v) || v < 1) {
        r.problem = ProjectFile::tr("\"version\" must be a whole number such as 1, but it is %1")
                        .arg(describe(version));
        return false;
    }
    if (v > kProjectFormatVersion) {
        r.problem = ProjectFile::tr(
                        "it was saved by a newer Finetune Studio (project format %1; this version "
                        "reads format %2 and older). Update Finetune Studio to open it")
                        .arg(describe(version))
                        .arg(kProjectFormatVersion);
        r.newerFormat = true;
        return false;
    }
    p.version = int(v);

    QJsonObject model, data, training, machine, output;
    if (!r.section(root, QStringLiteral("model"), &model) ||
        !r.section(root, QStringLiteral("data"), &data) ||
        !r.section(root, QStringLiteral("training"), &training) ||
        !r.section(root, QStringLiteral("machine"), &machine) ||
        !r.section(root, QStringLiteral("output"), &output))
        return false;

    QString weights, train, validation, runs;
    const QString m = QStringLiteral("model."), d = QStringLiteral("data."),
                  t = QStringLiteral("training."), c = QStringLiteral("machine."),
                  o = QStringLiteral("output.");
    constexpr int big = 1000000;  // far past any sensible count, far below INT_MAX
    const bool ok =
        r.string(model, m, QStringLiteral("arch"), &p.arch) &&
        r.string(model, m, QStringLiteral("weights"), &weights) &&
        r.string(model, m, QStringLiteral("freeze"), &p.freezeSpec) &&
        r.string(data, d, QStringLiteral("train"), &train) &&
        r.string(data, d, QStringLiteral("validation"), &validation) &&
        r.number(data, d, QStringLiteral("valSplit"), 0.0, 1.0, &s.valSplit) &&
        r.integer(data, d, QStringLiteral("imageSize"), 0, 4096, &s.imageSize) &&
        r.choice(data, d, QStringLiteral("augment"), augmentations(), &s.augment) &&
        r.integer(training, t, QStringLiteral("epochs"), 1, big, &s.epochs) &&
        r.integer(training, t, QStringLiteral("batchSize"), 1, big, &s.batchSize) &&
        r.number(training, t, QStringLiteral("lr"), 0.0, 1e6, &s.lr) &&
        r.number(training, t, QStringLiteral("backboneLrScale"), 0.0, 1e6, &s.backboneLrScale) &&
        r.choice(training, t, QStringLiteral("optimizer"), optimizers(), &s.optimizer) &&
        r.number(training, t, QStringLiteral("momentum"), 0.0, 1.0, &s.momentum) &&
        r.boolean(training, t, QStringLiteral("nesterov"), &s.nesterov) &&
        r.number(training, t, QStringLiteral("weightDecay"), 0.0, 1e6, &s.weightDecay) &&
        r.choice(training, t, QStringLiteral("scheduler"), schedulers(), &s.scheduler) &&
        r.integer(training, t, QStringLiteral("warmupEpochs"), 0, big, &s.warmupEpochs) &&
        r.integer(training, t, QStringLiteral("stepSize"), 0, big, &s.stepSize) &&
        r.number(training, t, QStringLiteral("stepGamma"), 0.0, 1e6, &s.stepGamma) &&
        r.seed(training, t, QStringLiteral("seed"), &s.seed) &&
        r.integer(training, t, QStringLiteral("samplePredictions"), 0, big, &s.samplePredictions) &&
        r.device(machine, c, QStringLiteral("device"), &s.device) &&
        r.choice(machine, c, QStringLiteral("precision"), precisions(), &s.precision) &&
        r.integer(machine, c, QStringLiteral("threads"), 0, 65536, &s.threads) &&
        r.integer(machine, c, QStringLiteral("loaderWorkers"), 0, 65536, &s.loaderWorkers) &&
        r.string(output, o, QStringLiteral("runsDirectory"), &runs);
    if (!ok) return false;

    p.weightsFile = resolvedPath(weights, projectDir);
    p.dataPath = resolvedPath(train, projectDir);
    p.valPath = resolvedPath(validation, projectDir);
    p.runsDirectory = resolvedPath(runs, projectDir);
    s = p.trainSettings();
    *out = std::move(p);
    return true;
}

void setError(QString* error, const QString& text) {
    if (error) *error = text;
}

}  // namespace

fts::TrainSettings Project::trainSettings() const {
    fts::TrainSettings s = settings;
    s.model = toStdString(arch);
    s.weightsFile = toStdString(weightsFile);
    s.freeze = toStdString(freezeSpec);
    s.dataPath = toStdString(dataPath);
    s.valPath = toStdString(valPath);
    return s;
}

QString projectFileSuffix() {
    return QStringLiteral("ftsproj");
}

QString projectFileFilter() {
    return ProjectFile::tr("Finetune Studio projects (*.ftsproj)");
}

bool saveProject(const QString& file, const Project& project, QString* error) {
    const QString name = QDir::toNativeSeparators(file);
    const QString advice = ProjectFile::tr(
        "Check that the folder exists and that you may write to it, or save elsewhere.");
    if (file.isEmpty()) {
        setError(error, ProjectFile::tr("Cannot save the project: no file name was given."));
        return false;
    }
    const QDir projectDir(QFileInfo(file).absolutePath());
    const QJsonObject root = toJson(project, projectDir);

    // What is saved must load again: check the values with the loader's rules.
    Reader reader;
    Project check;
    if (!fromJson(root, projectDir, reader, &check)) {
        setError(error,
                 ProjectFile::tr("Cannot save the project '%1': %2.").arg(name, reader.problem));
        return false;
    }

    const QByteArray bytes = QJsonDocument(root).toJson(QJsonDocument::Indented);
    // QSaveFile writes a temporary file beside `file` and renames it over
    // `file` in commit(); it never falls back to writing `file` in place.
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly)) {
        setError(error, ProjectFile::tr("Cannot save the project '%1': %2. %3")
                            .arg(name, out.errorString(), advice));
        return false;
    }
    if (out.write(bytes) != bytes.size()) {
        const QString why = out.errorString();
        out.cancelWriting();
        setError(error,
                 ProjectFile::tr("Cannot save the project '%1': %2. %3").arg(name, why, advice));
        return false;
    }
    if (!out.commit()) {
        setError(error, ProjectFile::tr("Cannot save the project '%1': %2. %3")
                            .arg(name, out.errorString(), advice));
        return false;
    }
    return true;
}

std::optional<Project> loadProject(const QString& file, QString* error) {
    const QString name = QDir::toNativeSeparators(file);
    const QString advice =
        ProjectFile::tr("Fix it in a text editor, or set the project up again and save it.");
    const auto failed = [&](const QString& problem) {
        setError(error, problem);
        return std::nullopt;
    };

    const QFileInfo info(file);
    if (file.isEmpty())
        return failed(ProjectFile::tr("Cannot open a project: no file name was given."));
    if (!info.exists())
        return failed(
            ProjectFile::tr("The project file '%1' does not exist. Check the name and the folder.")
                .arg(name));
    if (info.isDir())
        return failed(
            ProjectFile::tr("'%1' is a folder, not a project file. Choose a .ftsproj file.")
                .arg(name));
    if (info.size() > kMaxFileBytes)
        return failed(
            ProjectFile::tr("'%1' is too large (%L2 bytes) to be a project file. Choose a .ftsproj "
                            "file.")
                .arg(name)
                .arg(info.size()));

    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        return failed(
            ProjectFile::tr("Cannot read the project file '%1': %2. Check that you may read it.")
                .arg(name, in.errorString()));
    const QByteArray bytes = in.read(kMaxFileBytes + 1);
    if (bytes.size() > kMaxFileBytes)
        return failed(
            ProjectFile::tr("'%1' is too large to be a project file. Choose a .ftsproj file.")
                .arg(name));
    if (bytes.trimmed().isEmpty())
        return failed(ProjectFile::tr("The project file '%1' is empty. %2").arg(name, advice));

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return failed(ProjectFile::tr("The project file '%1' is not valid JSON: %2 at byte %3. %4")
                          .arg(name, parseError.errorString())
                          .arg(parseError.offset)
                          .arg(advice));
    if (!document.isObject())
        return failed(
            ProjectFile::tr("The project file '%1' does not hold a project (a JSON object { ... } "
                            "was expected at the top). %2")
                .arg(name, advice));

    Reader reader;
    Project project;
    if (!fromJson(document.object(), QDir(info.absolutePath()), reader, &project))
        return failed(ProjectFile::tr("Cannot open the project '%1': %2. %3")
                          .arg(name, reader.problem, reader.newerFormat ? QString() : advice)
                          .trimmed());
    return project;
}

}  // namespace fts::ui
