#pragma once

#include "export/htmlreport.h"

#include <QObject>
#include <QString>
#include <QStringList>

namespace fts::ui {

/// The report's strings in the UI's language: each of fts::reportSourceStrings()
/// through QCoreApplication::translate("fts::ui::Report", english), looked up
/// now (call on the GUI thread; the result is safe to use on any thread).
/// htmlLang is `languageCode` ("zh_CN" gives "zh-CN") or, when empty, the
/// default QLocale (the app sets it from --lang / the saved language), and
/// "en" when no report string is translated into it.
fts::ReportLanguage currentReportLanguage(const QString& languageCode = QString());

/// The English strings that lupdate extracts for the context "fts::ui::Report"
/// (QT_TRANSLATE_NOOP in reportwriter.cpp); equal to fts::reportSourceStrings().
QStringList reportTranslationSources();

/// Writes a run's or an experiment's HTML class report on a worker thread
/// (QtConcurrent), never on the GUI thread. Create and use on the GUI thread.
class ReportWriter : public QObject {
    Q_OBJECT

public:
    explicit ReportWriter(QObject* parent = nullptr);

    /// Starts writing `dir`'s report (an experiment folder when `experiment`,
    /// else a run directory) to `outFile`, in currentReportLanguage() taken
    /// now. finished() follows, also for an error. Several writes may run at once.
    void write(const QString& dir, bool experiment, const QString& outFile);
    void write(const QString& dir, bool experiment, const QString& outFile,
               const fts::ReportLanguage& language);

    /// Writes in progress.
    int pending() const { return m_pending; }

    /// Where a report goes by default: <dir>/report.html (as finetune-cli report).
    static QString defaultReportFileName(const QString& dir, bool experiment);

Q_SIGNALS:
    /// `error` is empty on success, else a sentence naming the file at fault.
    void finished(const QString& outFile, const QString& error);

private:
    int m_pending = 0;
};

}  // namespace fts::ui
