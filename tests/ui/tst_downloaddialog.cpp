// DownloadDialog against a local HTTP server (tests/fixtures/zoo_server.py):
// progress arrives, Cancel stops and keeps the partial file, a finished
// download loads like a chosen file, and no network offers "Load from file…".
#include "../engine/zooserver.h"
#include "downloaddialog.h"
#include "modelpanel.h"

#include <QPushButton>
#include <QtTest/QtTest>

#include <filesystem>

namespace fs = std::filesystem;

namespace {

// FTS_SCREENSHOT_DIR=DIR: saves what a person would see, for a look by eye.
void screenshot(QWidget* w, const char* name) {
    const QString dir = qEnvironmentVariable("FTS_SCREENSHOT_DIR");
    if (!dir.isEmpty()) w->grab().save(QDir(dir).filePath(QString::fromLatin1(name)));
}

}  // namespace

class TstDownloadDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void progressThenFinished();
    void cancelKeepsThePartial();
    void noNetworkOffersLoadFromFile();
    void modelPanelDownloadsForRegistryModels();

private:
    fts::ZooEntry entry(const QString& route) const {
        return fts::zooEntryForUrl(m_server.url(route, m_file).toStdString());
    }

    ZooServer m_server;
    QString m_file;  // the bundled demo backbone, served as backbone-<sha256[:8]>.safetensors
    std::unique_ptr<QTemporaryDir> m_home;
};

void TstDownloadDialog::initTestCase() {
    const QString error =
        m_server.start(QStringLiteral(FTS_PYTHON),
                       {QStringLiteral("--file"),
                        QStringLiteral(FTS_SOURCE_DIR "/resources/demo/backbone.safetensors")});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_file = m_server.fileName(QStringLiteral("backbone"));
    QVERIFY(m_file.endsWith(QLatin1String(".safetensors")));
}

void TstDownloadDialog::init() {
    m_home = std::make_unique<QTemporaryDir>();
    QVERIFY(m_home->isValid());
    qputenv("TORCH_HOME", m_home->path().toUtf8());
    qunsetenv("FTS_MODEL_ZOO_URL");
}

void TstDownloadDialog::progressThenFinished() {
    fts::ui::DownloadDialog dialog(entry(QStringLiteral("good")));
    QSignalSpy progress(&dialog, &fts::ui::DownloadDialog::progressChanged);
    QSignalSpy finished(&dialog, &fts::ui::DownloadDialog::downloadFinished);
    dialog.open();
    dialog.start();
    QVERIFY(finished.wait(60000));
    QVERIFY(progress.count() >= 1);
    const qint64 size =
        QFileInfo(QStringLiteral(FTS_SOURCE_DIR "/resources/demo/backbone.safetensors")).size();
    QCOMPARE(progress.last().at(1).toLongLong(), size);
    QCOMPARE(progress.last().at(0).toLongLong(), size);
    const QString file = finished.first().at(0).toString();
    QCOMPARE(file, QDir(m_home->path()).filePath(QStringLiteral("hub/checkpoints/") + m_file));
    QCOMPARE(dialog.weightsFile(), file);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QVERIFY(!dialog.isVisible());

    // The file loads as weights chosen with "Load weights from file…".
    fts::ui::ModelPanel panel;
    QSignalSpy described(&panel, &fts::ui::ModelPanel::modelDescribed);
    QVERIFY(panel.setSelection(QStringLiteral("demo_cnn"), file));
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isDescribing() && described.count() > 0, 60000);
    QCOMPARE(QString::fromStdString(panel.description().weightsFile), file);
    // As many tensors as from the bundled copy of the same file.
    const fts::ModelDescription fromDownload = panel.description();
    QVERIFY(fromDownload.weightsLoaded > 0);
    panel.selectDemo();
    QTRY_VERIFY_WITH_TIMEOUT(
        !panel.isDescribing() && QString::fromStdString(panel.description().weightsFile) != file,
        60000);
    QCOMPARE(panel.description().weightsLoaded, fromDownload.weightsLoaded);
}

void TstDownloadDialog::cancelKeepsThePartial() {
    const fts::ZooEntry e = entry(QStringLiteral("slow"));  // ~8 s for the whole file
    fts::ui::DownloadDialog dialog(e);
    QSignalSpy progress(&dialog, &fts::ui::DownloadDialog::progressChanged);
    QSignalSpy cancelled(&dialog, &fts::ui::DownloadDialog::downloadCancelled);
    QSignalSpy finished(&dialog, &fts::ui::DownloadDialog::downloadFinished);
    dialog.open();
    dialog.start();
    QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.last().at(0).toLongLong() > 0, 30000);
    QVERIFY(dialog.isRunning());
    screenshot(&dialog, "downloaddialog-progress.png");
    QTest::mouseClick(dialog.cancelButton(), Qt::LeftButton);
    QVERIFY(cancelled.wait(30000));
    QCOMPARE(finished.count(), 0);
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY(!fs::exists(fts::cachedPath(e)));
    QVERIFY(fs::exists(fts::partialPath(e)));
}

void TstDownloadDialog::noNetworkOffersLoadFromFile() {
    const fts::ZooEntry e = fts::zooEntryForUrl("http://127.0.0.1:9/" + m_file.toStdString());
    fts::ui::DownloadDialog dialog(e);
    QSignalSpy failed(&dialog, &fts::ui::DownloadDialog::downloadFailed);
    QSignalSpy loadFromFile(&dialog, &fts::ui::DownloadDialog::loadFromFileRequested);
    dialog.open();
    QVERIFY(!dialog.loadFromFileButton()->isVisibleTo(&dialog));
    dialog.start();
    QVERIFY(failed.wait(30000));
    QVERIFY(failed.first().at(1).toBool());  // offline
    QVERIFY2(dialog.errorMessage().contains(QString::fromStdString(e.url)),
             qPrintable(dialog.errorMessage()));
    QVERIFY(dialog.loadFromFileButton()->isVisibleTo(&dialog));
    QVERIFY(dialog.isVisible());  // stays open to be read
    screenshot(&dialog, "downloaddialog-offline.png");
    QTest::mouseClick(dialog.loadFromFileButton(), Qt::LeftButton);
    QCOMPARE(loadFromFile.count(), 1);
    QVERIFY(!dialog.isVisible());
}

void TstDownloadDialog::modelPanelDownloadsForRegistryModels() {
    qputenv("FTS_MODEL_ZOO_URL", "http://127.0.0.1:9");
    fts::ui::ModelPanel panel;
    auto* button = panel.findChild<QPushButton*>(QStringLiteral("downloadWeights"));
    QVERIFY(button);
    QVERIFY(panel.isDemoSelected());
    QVERIFY(!button->isEnabled());  // the demo's weights ship with the app
    QVERIFY(!panel.downloadImagenetWeights());
    QVERIFY(panel.setSelection(QStringLiteral("resnet18"), QString()));
    QVERIFY(button->isEnabled());
    panel.resize(520, panel.sizeHint().height());
    screenshot(&panel, "modelpanel-download.png");
    panel.setRunning(true);
    QVERIFY(!button->isEnabled());
    panel.setRunning(false);

    QPointer<fts::ui::DownloadDialog> dialog = panel.downloadImagenetWeights();
    QVERIFY(dialog);
    QSignalSpy failed(dialog.data(), &fts::ui::DownloadDialog::downloadFailed);
    QVERIFY(failed.wait(30000));
    QVERIFY(
        dialog->errorMessage().contains(QLatin1String("http://127.0.0.1:9/resnet18-f37072fd.pth")));
    QVERIFY(dialog->loadFromFileButton()->isVisibleTo(dialog));
    QVERIFY(panel.weightsFile().isEmpty());  // nothing changed
    dialog->close();
    QTRY_VERIFY(dialog.isNull());  // deleted on close
}

QTEST_MAIN(TstDownloadDialog)
#include "tst_downloaddialog.moc"
