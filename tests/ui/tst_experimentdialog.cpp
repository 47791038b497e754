// The "Transfer-learning experiment" dialog: strategies and epochs, the live
// results table, the buttons after the experiment, and closing mid-run.
#include "experimentdialog.h"
#include "experimentrunner.h"
#include "experimenttestdata.h"

#include <QtTest>

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTimer>

using fts::ui::ExperimentDialog;
using fts::ui::ExperimentRunner;

namespace {

const QStringList kStrategies{"head", "last", "full", "scratch"};

QJsonObject readJson(const QString& file) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// With FTS_SCREENSHOT_DIR set, saves the widget there as `name` (to look at).
void screenshot(QWidget* widget, const QString& name) {
    const QString dir = qEnvironmentVariable("FTS_SCREENSHOT_DIR");
    if (dir.isEmpty()) return;
    QDir().mkpath(dir);
    QVERIFY(widget->grab().save(QDir(dir).filePath(name)));
}

QString cell(const ExperimentDialog& dialog, int row, int column) {
    return dialog.resultsModel()->item(row, column)->text();
}

}  // namespace

class TestExperimentDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void choosesStrategies();
    void noWeightsLeavesScratch();
    void runsAndFillsTheTable();
    void closingMidRunStops();
    void closingAsksFirst();

private:
    QTemporaryDir m_tmp;
    fts::TrainSettings m_small;  // 3 batches an epoch
    fts::TrainSettings m_long;   // about 40 batches an epoch
};

void TestExperimentDialog::initTestCase() {
    QVERIFY(m_tmp.isValid());
    m_small = experimenttest::tinySettings(m_tmp.filePath(QStringLiteral("small")));
    m_long = experimenttest::tinySettings(m_tmp.filePath(QStringLiteral("long")), 200);
    m_long.epochs = 3;
}

void TestExperimentDialog::choosesStrategies() {
    fts::TrainSettings s = m_small;
    s.epochs = 7;
    ExperimentDialog dialog(s, {}, m_tmp.filePath(QStringLiteral("unused")));
    QCOMPARE(dialog.epochsSpinBox()->value(), 7);
    QCOMPARE(dialog.selectedStrategies(), kStrategies);
    QCOMPARE(dialog.resultsModel()->rowCount(), 4);
    for (int r = 0; r < 4; ++r) {
        QCOMPARE(dialog.resultsModel()->item(r, 0)->data(Qt::UserRole).toString(), kStrategies[r]);
        QCOMPARE(cell(dialog, r, ExperimentDialog::StatusColumn), QStringLiteral("waiting"));
    }
    QVERIFY(dialog.startButton()->isEnabled());
    QVERIFY(!dialog.stopButton()->isEnabled());
    QVERIFY(!dialog.openReportButton()->isEnabled());
    QVERIFY(!dialog.showRunsButton()->isEnabled());
    QVERIFY(!dialog.findChild<QLabel*>(QStringLiteral("noWeightsNote"))->isVisibleTo(&dialog));

    // Unchecking strategies removes their rows; none checked: nothing to start.
    dialog.strategyCheckBox(QStringLiteral("last"))->setChecked(false);
    QCOMPARE(dialog.selectedStrategies(), (QStringList{"head", "full", "scratch"}));
    QCOMPARE(dialog.resultsModel()->rowCount(), 3);
    for (const QString& name : kStrategies) dialog.strategyCheckBox(name)->setChecked(false);
    QCOMPARE(dialog.resultsModel()->rowCount(), 0);
    QVERIFY(!dialog.startButton()->isEnabled());
    QVERIFY(!dialog.start());
    QVERIFY(!dialog.runner()->isBusy());
}

void TestExperimentDialog::noWeightsLeavesScratch() {
    fts::TrainSettings s = m_small;
    s.weightsFile.clear();
    ExperimentDialog dialog(s, {}, m_tmp.filePath(QStringLiteral("unused")));
    for (const QString& name :
         {QStringLiteral("head"), QStringLiteral("last"), QStringLiteral("full")}) {
        QVERIFY2(!dialog.strategyCheckBox(name)->isEnabled(), qPrintable(name));
        QVERIFY2(!dialog.strategyCheckBox(name)->isChecked(), qPrintable(name));
    }
    QVERIFY(dialog.strategyCheckBox(QStringLiteral("scratch"))->isEnabled());
    QVERIFY(dialog.strategyCheckBox(QStringLiteral("scratch"))->isChecked());
    QCOMPARE(dialog.selectedStrategies(), QStringList{QStringLiteral("scratch")});
    QCOMPARE(dialog.resultsModel()->rowCount(), 1);
    QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("noWeightsNote"))->isVisibleTo(&dialog));
    QVERIFY(dialog.startButton()->isEnabled());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    screenshot(&dialog, QStringLiteral("experiment-dialog-noweights.png"));
}

void TestExperimentDialog::runsAndFillsTheTable() {
    const QString out = m_tmp.filePath(QStringLiteral("exp-run"));
    fts::TrainSettings s = m_small;
    s.epochs = 5;  // the spin box's value wins
    fts::TrainSettings head = s;
    head.lr = 0.05;
    ExperimentDialog dialog(s, {{"head", head}}, out);
    dialog.epochsSpinBox()->setValue(1);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));

    QSignalSpy finishedSpy(&dialog, &ExperimentDialog::experimentFinished);
    QSignalSpy startedSpy(dialog.runner(), &ExperimentRunner::strategyStarted);
    QTest::mouseClick(dialog.startButton(), Qt::LeftButton);
    QVERIFY(dialog.isRunning());
    QVERIFY(!dialog.startButton()->isEnabled());
    QVERIFY(dialog.stopButton()->isEnabled());
    QVERIFY(!dialog.epochsSpinBox()->isEnabled());
    QVERIFY(!dialog.strategyCheckBox(QStringLiteral("head"))->isEnabled());
    QVERIFY(!dialog.start());  // busy

    // The first strategy shows up as training while it runs.
    QVERIFY(startedSpy.wait(60000));
    QVERIFY(finishedSpy.wait(240000));
    QCOMPARE(finishedSpy.first().at(0).toString(), out);
    QCOMPARE(finishedSpy.first().at(1).toString(), QStringLiteral("completed"));
    QVERIFY(!dialog.isRunning());

    QCOMPARE(dialog.resultsModel()->rowCount(), 4);
    for (int r = 0; r < 4; ++r) {
        QCOMPARE(cell(dialog, r, ExperimentDialog::StatusColumn), QStringLiteral("done"));
        const QVariant accuracy =
            dialog.resultsModel()->item(r, ExperimentDialog::AccuracyColumn)->data(Qt::UserRole);
        QVERIFY(accuracy.isValid());
        QVERIFY(accuracy.toDouble() >= 0.0 && accuracy.toDouble() <= 1.0);
        QVERIFY(cell(dialog, r, ExperimentDialog::AccuracyColumn).endsWith(QStringLiteral("%")));
        QVERIFY(dialog.resultsModel()
                    ->item(r, ExperimentDialog::TimeColumn)
                    ->data(Qt::UserRole)
                    .toDouble() > 0.0);
    }
    QCOMPARE(dialog.progressBar()->value(), dialog.progressBar()->maximum());
    QVERIFY(!dialog.startButton()->isEnabled());  // one experiment per dialog
    QVERIFY(!dialog.stopButton()->isEnabled());
    QVERIFY(QFile::exists(QDir(out).filePath(QStringLiteral("experiment.json"))));

    QVERIFY(dialog.openReportButton()->isEnabled());
    QSignalSpy reportSpy(&dialog, &ExperimentDialog::reportRequested);
    QTest::mouseClick(dialog.openReportButton(), Qt::LeftButton);
    QCOMPARE(reportSpy.count(), 1);
    QCOMPARE(reportSpy.first().at(0).toString(), out);

    QVERIFY(dialog.showRunsButton()->isEnabled());
    QSignalSpy runsSpy(&dialog, &ExperimentDialog::showRunsRequested);
    QTest::mouseClick(dialog.showRunsButton(), Qt::LeftButton);
    QCOMPARE(runsSpy.count(), 1);
    const QStringList runs = runsSpy.first().at(0).toStringList();
    QCOMPARE(runs.size(), 4);
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(runs[i], QDir(out).filePath(kStrategies[i]));
        QVERIFY(QFile::exists(QDir(runs[i]).filePath(QStringLiteral("config.json"))));
        const QJsonObject config = readJson(QDir(runs[i]).filePath(QStringLiteral("config.json")));
        QCOMPARE(config.value(QStringLiteral("epochs")).toInt(), 1);
    }

    screenshot(&dialog, QStringLiteral("experiment-dialog.png"));

    // Closing after the experiment needs no question.
    QVERIFY(dialog.close());
    QVERIFY(!dialog.isVisible());
}

void TestExperimentDialog::closingMidRunStops() {
    const QString out = m_tmp.filePath(QStringLiteral("exp-close"));
    auto* dialog = new ExperimentDialog(m_long, {}, out);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAskBeforeStopping(false);
    QPointer<ExperimentDialog> guard(dialog);
    dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    QSignalSpy batchSpy(dialog->runner(), &ExperimentRunner::batchProgress);
    QSignalSpy finishedSpy(dialog, &ExperimentDialog::experimentFinished);
    QVERIFY(dialog->start());
    QVERIFY(batchSpy.wait(120000));
    // The table follows the run live.
    QCOMPARE(cell(*dialog, 0, ExperimentDialog::StatusColumn),
             QStringLiteral("training epoch 1/3"));
    QCOMPARE(cell(*dialog, 1, ExperimentDialog::StatusColumn), QStringLiteral("waiting"));
    QVERIFY(dialog->progressBar()->value() > 0);
    QVERIFY(dialog->statusLabel()->text().contains(QStringLiteral("1 of 4")));
    screenshot(dialog, QStringLiteral("experiment-dialog-running.png"));

    // The close is refused until the current batch has ended, then happens.
    QVERIFY(!dialog->close());
    QVERIFY(dialog->isVisible());
    QVERIFY(!dialog->stopButton()->isEnabled());
    QVERIFY(finishedSpy.wait(120000));
    QCOMPARE(finishedSpy.first().at(1).toString(), QStringLiteral("cancelled"));
    QTRY_VERIFY(guard.isNull());  // closed and deleted: its thread joined
    const QJsonObject doc = readJson(QDir(out).filePath(QStringLiteral("experiment.json")));
    QCOMPARE(doc.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
}

void TestExperimentDialog::closingAsksFirst() {
    const QString out = m_tmp.filePath(QStringLiteral("exp-ask"));
    ExperimentDialog dialog(m_long, {}, out);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy batchSpy(dialog.runner(), &ExperimentRunner::batchProgress);
    QSignalSpy finishedSpy(&dialog, &ExperimentDialog::experimentFinished);
    QVERIFY(dialog.start());
    QVERIFY(batchSpy.wait(120000));

    // "No" keeps it training; "Yes" stops it and closes when it has ended.
    QString question;
    const auto answer = [&](QMessageBox::StandardButton button) {
        QTimer::singleShot(0, this, [&question, button] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box) return;
            question = box->text();
            box->button(button)->click();
        });
    };
    answer(QMessageBox::No);
    dialog.reject();
    QVERIFY(question.contains(QStringLiteral("Stop it")));
    QVERIFY(dialog.isVisible());
    QVERIFY(dialog.isRunning());
    QVERIFY(!dialog.runner()->isStopping());

    question.clear();
    answer(QMessageBox::Yes);
    dialog.reject();
    QVERIFY(!question.isEmpty());
    QVERIFY(dialog.runner()->isStopping() || !dialog.isRunning());
    QVERIFY(finishedSpy.wait(120000));
    QCOMPARE(finishedSpy.first().at(1).toString(), QStringLiteral("cancelled"));
    QTRY_VERIFY(!dialog.isVisible());
    QVERIFY(!dialog.runner()->isBusy());
}

QTEST_MAIN(TestExperimentDialog)
#include "tst_experimentdialog.moc"
