// ModelPanel: the demo first, describing off the GUI thread, superseded
// requests, errors naming the file.

#include "modelpanel.h"
#include "train/modeldescription.h"
#include "uitypes.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QApplication>
#include <QSettings>
#include <QSignalSpy>
#include <QTimer>
#include <QTemporaryDir>
#include <QtTest>



using fts::ui::ModelPanel;

class TestModelPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { fts::ui::registerUiTypes(); }

    void startsWithTheDemo() {
        ModelPanel panel;
        QSignalSpy described(&panel, &ModelPanel::modelDescribed);
        QVERIFY(panel.isDemoSelected());
        QCOMPARE(panel.arch(), QStringLiteral("demo_cnn"));
        QVERIFY(panel.weightsFile().endsWith(QStringLiteral("backbone.safetensors")));
        QVERIFY(described.wait(60000));
        const auto d = described.last().at(0).value<fts::ModelDescription>();
        QCOMPARE(d.arch, std::string("demo_cnn"));
        QCOMPARE(d.numClasses, 5);
        QVERIFY(!d.weightsReport.empty());
        QCOMPARE(panel.findChild<QComboBox*>()->itemText(0),
                 ModelPanel::tr("Demo backbone (bundled, Fashion-MNIST)"));

        QSignalSpy selection(&panel, &ModelPanel::selectionChanged);
        panel.setNumClasses(3);
        QVERIFY(described.wait(60000));
        QCOMPARE(described.last().at(0).value<fts::ModelDescription>().numClasses, 3);
        QCOMPARE(selection.count(), 0);
    }

    void newerRequestSupersedes() {
        ModelPanel panel;
        QSignalSpy described(&panel, &ModelPanel::modelDescribed);
        QVERIFY(described.wait(60000));
        described.clear();
        QVERIFY(panel.setSelection(QStringLiteral("resnet18"), QString()));
        // Let the resnet18 request start on the pool, then replace it.
        QCoreApplication::processEvents();
        QVERIFY(panel.setSelection(QStringLiteral("demo_cnn"), QString()));
        QVERIFY(!panel.isDemoSelected());
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isDescribing(), 60000);
        QTRY_COMPARE_WITH_TIMEOUT(described.count(), 1, 60000);
        QCOMPARE(described.last().at(0).value<fts::ModelDescription>().arch,
                 std::string("demo_cnn"));
        QVERIFY(described.last().at(0).value<fts::ModelDescription>().weightsFile.empty());
    }

    void errorsNameTheFile() {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("broken.safetensors"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not a weights file");
        f.close();

        ModelPanel panel;
        QSignalSpy failed(&panel, &ModelPanel::describeFailed);
        QVERIFY(panel.setSelection(QStringLiteral("demo_cnn"), file));
        QVERIFY(failed.wait(60000));
        const QString message = failed.last().at(0).toString();
        QVERIFY2(message.contains(QStringLiteral("broken.safetensors")), qPrintable(message));
        bool shown = false;
        for (auto* label : panel.findChildren<QLabel*>())
            if (label->text() == message && !label->isHidden()) shown = true;
        QVERIFY(shown);

        QVERIFY(!panel.setSelection(QStringLiteral("no_such_model"), QString()));
        QVERIFY(failed.last().at(0).toString().contains(QStringLiteral("no_such_model")));
    }

    // "Load TorchScript backbone…" without its dialogs: the trust notice once,
    // then the backbone's tree, and one error naming a bad file.
    void torchScriptBackbone() {
        QCoreApplication::setOrganizationName(QStringLiteral("fts-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_modelpanel"));
        QSettings().remove(QStringLiteral("torchScriptNoticeShown"));
        ModelPanel panel;
        QSignalSpy described(&panel, &ModelPanel::modelDescribed);
        QSignalSpy failed(&panel, &ModelPanel::describeFailed);
        QVERIFY(panel.findChild<QPushButton*>(QStringLiteral("loadTorchScript")));
        QTimer::singleShot(0, this, [] {
            if (QWidget* box = QApplication::activeModalWidget()) box->close();
        });
        QVERIFY(panel.showTorchScriptNoticeOnce());
        QVERIFY(!panel.showTorchScriptNoticeOnce());
        QSettings().remove(QStringLiteral("torchScriptNoticeShown"));

        const QString dir = QStringLiteral(FTS_FIXTURE_DIR "/interop/");
        // The demo, described on construction (perhaps during the notice's event loop).
        QTRY_COMPARE_WITH_TIMEOUT(described.count(), 1, 60000);
        described.clear();
        panel.setNumClasses(3);
        panel.useTorchScriptBackbone(dir + QStringLiteral("ts_tiny_scripted.pt"));
        QCOMPARE(panel.arch(), QStringLiteral("torchscript"));
        QTRY_COMPARE_WITH_TIMEOUT(described.count(), 1, 60000);
        const auto d = described.last().at(0).value<fts::ModelDescription>();
        QCOMPARE(d.arch, std::string("torchscript"));
        QCOMPARE(d.numClasses, 3);
        QCOMPARE(d.headPath, std::string("head"));
        QCOMPARE(d.lastBlockPath, std::string("block"));
        std::vector<std::string> top;
        for (const auto& child : d.tree.children) top.push_back(child.name);
        QCOMPARE(top, (std::vector<std::string>{"stem", "block", "pool", "head"}));
        QCOMPARE(d.tree.children[0].children[1].type, std::string("BatchNorm2d"));

        panel.useTorchScriptBackbone(dir + QStringLiteral("bad_state_dict.pt"));
        QVERIFY(failed.wait(60000));
        const QString message = failed.last().at(0).toString();
        QVERIFY2(message.contains(QStringLiteral("bad_state_dict.pt")) &&
                     message.contains(QStringLiteral("state dict")),
                 qPrintable(message));
        // Picking the entry again keeps the last backbone file.
        QVERIFY(panel.setSelection(QStringLiteral("torchscript"),
                                   dir + QStringLiteral("ts_tiny_traced.pt")));
        QTRY_COMPARE_WITH_TIMEOUT(described.count(), 2, 60000);
        QVERIFY(panel.weightsFile().endsWith(QStringLiteral("ts_tiny_traced.pt")));
    }

    void runningLocksTheSelection() {
        ModelPanel panel;
        panel.setRunning(true);
        for (auto* w : panel.findChildren<QPushButton*>()) QVERIFY(!w->isEnabled());
        QVERIFY(!panel.findChild<QComboBox*>()->isEnabled());
        panel.setRunning(false);
        QVERIFY(panel.findChild<QComboBox*>()->isEnabled());
    }
};

QTEST_MAIN(TestModelPanel)
#include "tst_modelpanel.moc"
