#include "reportwriter.h"

#include "core/error.h"
#include "core/fileio.h"

#include <QCoreApplication>
#include <QDir>
#include <QFutureWatcher>
#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

#include <memory>
#include <unordered_map>

namespace fts::ui {
namespace {

// Every string of the class report, for lupdate (context "fts::ui::Report").
// The same list, in the same order, as fts::reportSourceStrings(): the
// report draws its text from there, and tst_reportwriter checks that the two
// are equal, so a string added to the report fails the test until it is
// added here too.
// clang-format off
const char* const kReportStrings[] = {
    QT_TRANSLATE_NOOP("fts::ui::Report", "model"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Written by Finetune Studio {1} on {2}."),
    QT_TRANSLATE_NOOP("fts::ui::Report", "{1} s"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "{1} min {2} s"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "axis cut: higher values drawn at the top"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "epoch"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "training"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "validation"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Loss"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Accuracy"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "No epoch finished in this run."),
    QT_TRANSLATE_NOOP("fts::ui::Report", "No confusion matrix in this run."),
    QT_TRANSLATE_NOOP("fts::ui::Report", "true ↓ / predicted →"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "accuracy"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "{1} % of {2}"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Rows: the true class; columns: what the model predicted. The diagonal (blue) is correct; red cells are confusions. Colour strength is the share of the row."),
    QT_TRANSLATE_NOOP("fts::ui::Report", "the run's images were not read from files (in-memory data), so none can be shown"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "the run's validation data cannot be opened any more: {1}"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "No validation predictions in this run."),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Every validation image was classified correctly."),
    QT_TRANSLATE_NOOP("fts::ui::Report", "this build has no OpenCV, so the report cannot encode images"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "true: {1}"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "predicted: {1}"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "confidence {1} %"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "the images could not be found in the run's data"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Images omitted: {1}."),
    QT_TRANSLATE_NOOP("fts::ui::Report", "{1} of the training data, held out"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Model"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Starting weights"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "random initialisation (from scratch)"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Frozen"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Trainable parameters"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "{1} of {2}"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Training data"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Validation data"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Images"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "{1} training, {2} validation"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Image size"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "{1} px"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Augmentation"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Epochs"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Batch size"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Optimizer"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "{1}, learning rate {2} (backbone × {3}), weight decay {4}"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Schedule"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Seed"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Device"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "{1}, {2} threads"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Training report: {1} ({2})"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Status: {1}; validation accuracy at the end {2}, best {3}, after {4} epochs in {5}."),
    QT_TRANSLATE_NOOP("fts::ui::Report", "completed"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "cancelled"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "failed"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "unknown"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "none"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "backbone"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "light"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "strong"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Settings"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Training curves"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Training values (dashed) are measured on augmented images while the model learns; validation values (solid) on images it never trains on."),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Confusion matrix (validation, last epoch)"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Most confidently wrong validation images"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Transfer learning experiment: {1}"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "The same network trained on the same images with the same settings and random seed, once per strategy; only the settings in the table's last columns differ. Compare how fast each strategy learns and how well it does on validation images it never trained on."),
    QT_TRANSLATE_NOOP("fts::ui::Report", "frozen"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "starting weights"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "backbone lr ×"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "learning rate"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "augmentation"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Results"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "strategy"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "final val. accuracy"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "best val. accuracy"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "time"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "trainable parameters"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "pretrained"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "random"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "{1}: {2}"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Pretrained weights"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "{1}, learning rate {2}, weight decay {3}"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Settings shared by all strategies"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Curves"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Validation accuracy"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Validation loss"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Accuracy: training and validation"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Loss: training and validation"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "dashed: training (augmented images), solid: validation"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "The run directory {1} cannot be read."),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Head only (frozen backbone)"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Last block + head"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Everything, from pretrained weights"),
    QT_TRANSLATE_NOOP("fts::ui::Report", "Everything, from scratch (random weights)"),
};
// clang-format on

}  // namespace

QStringList reportTranslationSources() {
    QStringList list;
    for (const char* english : kReportStrings) list << QString::fromUtf8(english);
    return list;
}

fts::ReportLanguage currentReportLanguage(const QString& languageCode) {
    // Looked up now, on the calling thread: the worker then reads a private
    // copy and never touches the application's translators.
    auto table = std::make_shared<std::unordered_map<std::string, std::string>>();
    bool translated = false;
    for (const char* english : fts::reportSourceStrings()) {
        const QString text = QCoreApplication::translate("fts::ui::Report", english);
        if (text != QString::fromUtf8(english)) translated = true;
        table->emplace(english, text.toStdString());
    }
    fts::ReportLanguage language;
    const QLocale locale = languageCode.isEmpty() ? QLocale() : QLocale(languageCode);
    const bool english = locale.language() == QLocale::English || locale.language() == QLocale::C;
    if (!english && (translated || !languageCode.isEmpty()))
        language.htmlLang = locale.name().replace(QLatin1Char('_'), QLatin1Char('-')).toStdString();
    if (translated)
        language.translate = [table](const char* english) {
            const auto found = table->find(english);
            return found == table->end() ? std::string(english) : found->second;
        };
    return language;
}

ReportWriter::ReportWriter(QObject* parent) : QObject(parent) {}

QString ReportWriter::defaultReportFileName(const QString& dir, bool experiment) {
    Q_UNUSED(experiment);  // both kinds write report.html in their folder
    return QDir(dir).filePath(QStringLiteral("report.html"));
}

void ReportWriter::write(const QString& dir, bool experiment, const QString& outFile) {
    write(dir, experiment, outFile, currentReportLanguage());
}

void ReportWriter::write(const QString& dir, bool experiment, const QString& outFile,
                         const fts::ReportLanguage& language) {
    const std::filesystem::path in = std::filesystem::u8path(dir.toStdString());
    const std::filesystem::path out = std::filesystem::u8path(outFile.toStdString());
    // Runs on a pool thread; captures values only (this may be gone by then).
    auto job = [in, out, experiment, language]() -> QString {
        try {
            if (experiment)
                fts::writeExperimentReport(in, out, language);
            else
                fts::writeRunReport(in, out, language);
            return QString();
        } catch (const fts::Error& e) {
            return QString::fromStdString(e.what());  // names the file already
        } catch (const std::exception& e) {
            return QStringLiteral("%1: %2").arg(QString::fromStdString(fts::displayPath(out)),
                                                QString::fromStdString(e.what()));
        }
    };
    auto* watcher = new QFutureWatcher<QString>(this);
    ++m_pending;
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, outFile]() {
        --m_pending;
        const QString error = watcher->result();
        watcher->deleteLater();
        Q_EMIT finished(outFile, error);
    });
    watcher->setFuture(QtConcurrent::run(job));
}

}  // namespace fts::ui
