#pragma once

#include "weights/modelzoo.h"

#include <QDialog>
#include <QString>

#include <atomic>
#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;
class QDialogButtonBox;
template <typename T>
class QFutureWatcher;

namespace fts::ui {

/// Downloads one pretrained weights file (fts::fetchWeights: PyTorch's
/// cache, resumable, SHA-256 checked) on a pool thread (QtConcurrent) with a
/// progress bar, the bytes so far and Cancel. Without a network it says so
/// and offers "Load from file…" instead. The dialog lives on the GUI thread;
/// destroying it cancels the download and waits for the worker (at most
/// about a second while bytes flow, longer only while a file is hashed).
class DownloadDialog : public QDialog {
    Q_OBJECT
public:
    explicit DownloadDialog(const fts::ZooEntry& entry, QWidget* parent = nullptr);
    ~DownloadDialog() override;

    /// Starts the download (once); the dialog shows itself with open().
    void start();
    bool isRunning() const;
    /// The verified file after downloadFinished; empty before.
    QString weightsFile() const { return m_file; }
    /// The last error shown; empty when none.
    QString errorMessage() const { return m_error; }

    QProgressBar* progressBar() const { return m_progress; }
    QPushButton* cancelButton() const { return m_cancel; }
    QPushButton* loadFromFileButton() const { return m_loadFromFile; }

public Q_SLOTS:
    /// Stops the download; the partial file stays for a later resume.
    void cancel();

Q_SIGNALS:
    /// Bytes so far and in all (-1: not known yet), at most ~10 times a second.
    void progressChanged(qint64 received, qint64 total);
    void downloadFinished(const QString& file);
    /// `offline`: no connection could be made (the file may come another way).
    void downloadFailed(const QString& message, bool offline);
    void downloadCancelled();
    /// The person chose "Load from file…" after a failure.
    void loadFromFileRequested();

private:
    struct Result {
        QString file;
        QString error;
        bool offline = false;
        bool cancelled = false;
    };

    void onProgress(int stage, qint64 received, qint64 total);
    void onFinished();
    void onCancelClicked();

    fts::ZooEntry m_entry;
    std::shared_ptr<std::atomic<bool>> m_cancelRequested;
    QFutureWatcher<Result>* m_watcher = nullptr;
    QLabel* m_what = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_bytes = nullptr;
    QLabel* m_status = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_loadFromFile = nullptr;
    QString m_file;
    QString m_error;
    bool m_started = false;
};

}  // namespace fts::ui
