// ModelPanel: the demo first, describing off the GUI thread, superseded
// requests, errors naming the file.

#include "modelpanel.h"
#include "train/modeldescription.h"
#include "uitypes.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
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
