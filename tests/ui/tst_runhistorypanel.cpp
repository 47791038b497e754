// The "Runs" tab (ui/runhistorypanel.h): hand-written run directories are
// listed, checked runs are overlaid and their differing settings tabulated,
// damaged folders are reported, and the view renders.

#include "runcomparisonview.h"
#include "runhistorymodel.h"
#include "runhistorypanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <cmath>

using fts::ui::RunComparisonView;
using fts::ui::RunHistoryModel;
using fts::ui::RunHistoryPanel;

namespace {

void writeFile(const QString& path, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

QJsonObject config(const QString& model, const QString& freeze, double lr, int epochs) {
    return QJsonObject{
        {"model", model},
        {"weights", QJsonObject{{"file", "/models/backbone.safetensors"}}},
        {"freeze", freeze},
        {"data", QJsonObject{{"path", "/data/flowers"},
                             {"val_split", 0.2},
                             {"classes", QJsonArray{"a", "b", "c"}}}},
        {"image_size", 224},
        {"augment", "light"},
        {"epochs", epochs},
        {"batch_size", 32},
        {"optimizer",
         QJsonObject{
             {"name", "adamw"}, {"lr", lr}, {"backbone_lr_scale", 0.1}, {"weight_decay", 0.0001}}},
        {"scheduler", QJsonObject{{"name", "cosine"}, {"warmup_epochs", 1}}},
        {"seed", 42},
        {"device", "cpu"}};
}

// A finished run; NaN accuracies are written as null (a missing value).
void writeRun(const QString& dir, const QJsonObject& cfg, double start,
              const QVector<double>& accuracies, const QString& status = "completed") {
    writeFile(dir + "/config.json", QJsonDocument(cfg).toJson());
    QByteArray events;
    double best = 0;
    for (int i = 0; i < accuracies.size(); ++i) {
        const double a = accuracies[i];
        QJsonObject e{{"type", "epoch"},
                      {"time", start + 30.0 * (i + 1)},
                      {"epoch", i + 1},
                      {"train_loss", 1.2 / (i + 1)},
                      {"train_accuracy", std::isnan(a) ? 0.5 : std::min(1.0, a + 0.05)},
                      {"val_loss", std::isnan(a) ? QJsonValue() : QJsonValue(1.5 * (1.0 - a))},
                      {"val_accuracy", std::isnan(a) ? QJsonValue() : QJsonValue(a)},
                      {"seconds", 30.0}};
        events += QJsonDocument(e).toJson(QJsonDocument::Compact) + "\n";
        if (!std::isnan(a)) best = std::max(best, a);
    }
    writeFile(dir + "/events.jsonl", events);
    writeFile(
        dir + "/summary.json",
        QJsonDocument(QJsonObject{{"status", status},
                                  {"best_val_accuracy", best},
                                  {"final_val_accuracy", accuracies.value(accuracies.size() - 1)},
                                  {"wall_seconds", 30.0 * accuracies.size() + 2}})
            .toJson());
}

}  // namespace

class TstRunHistoryPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void listsRuns();
    void overlaysCheckedRuns();
    void diffShowsDifferingKeys();
    void damagedFolderIsReported();
    void reportAndActivation();
    void renders();

private:
    QString makeRuns();
    QTemporaryDir* m_tmp = nullptr;
    std::unique_ptr<QTemporaryDir> m_owned;
};

void TstRunHistoryPanel::init() {
    m_owned = std::make_unique<QTemporaryDir>();
    m_tmp = m_owned.get();
}

// Three standalone runs and a two-strategy experiment.
QString TstRunHistoryPanel::makeRuns() {
    const QString root = m_tmp->path();
    writeRun(root + "/20260101-090000-resnet18", config("resnet18", "backbone", 0.01, 5), 1.80e9,
             {0.55, 0.68, 0.74, 0.78, 0.79});
    writeRun(root + "/20260102-090000-resnet18", config("resnet18", "", 0.001, 8), 1.81e9,
             {0.40, 0.62, NAN, 0.81, 0.86, 0.88, 0.90, 0.91});
    writeRun(root + "/20260103-090000-mobilenet_v2", config("mobilenet_v2", "backbone", 0.01, 3),
             1.82e9, {0.6, 0.7}, "cancelled");
    writeRun(root + "/exp/head", config("demo_cnn", "backbone", 0.01, 3), 1.79e9, {0.5, 0.6, 0.65});
    writeRun(root + "/exp/full", config("demo_cnn", "", 0.01, 3), 1.7901e9, {0.5, 0.7, 0.8});
    writeFile(
        root + "/exp/experiment.json",
        QJsonDocument(QJsonObject{{"strategies",
                                   QJsonArray{QJsonObject{{"name", "head"},
                                                          {"title", "Head only (frozen backbone)"},
                                                          {"run_dir", "head"}},
                                              QJsonObject{{"name", "full"},
                                                          {"title", "Full fine-tune"},
                                                          {"run_dir", "full"}}}}})
            .toJson());
    return root;
}

void TstRunHistoryPanel::listsRuns() {
    const QString root = makeRuns();
    RunHistoryPanel panel;
    QSignalSpy refreshed(&panel, &RunHistoryPanel::refreshed);
    panel.setRunsFolder(root);
    QCOMPARE(panel.runsFolder(), root);
    QTRY_COMPARE(panel.tableView()->model()->rowCount(), 5);
    QTRY_COMPARE(refreshed.count(), 1);
    const auto* m = panel.tableView()->model();
    // Newest first; the experiment's runs together, in strategy order.
    QCOMPARE(m->index(0, RunHistoryModel::NameColumn).data().toString(),
             QString("20260103-090000-mobilenet_v2"));
    QCOMPARE(m->index(0, RunHistoryModel::StatusColumn).data().toString(), QString("cancelled"));
    QCOMPARE(m->index(0, RunHistoryModel::EpochsColumn).data().toString(), QString("2 of 3"));
    QCOMPARE(m->index(1, RunHistoryModel::BestColumn).data().toString(), QString("91.0 %"));
    QCOMPARE(m->index(1, RunHistoryModel::FreezeColumn).data().toString(),
             QString("nothing frozen"));
    QCOMPARE(m->index(3, RunHistoryModel::NameColumn).data().toString(),
             QString("Experiment exp · Head only"));
    QCOMPARE(m->index(4, RunHistoryModel::NameColumn).data().toString(),
             QString("Experiment exp · Everything"));
    QCOMPARE(m->index(1, RunHistoryModel::TimeColumn).data().toString(), QString("4 min 02 s"));
    QVERIFY(panel.problemLabel()->isHidden());

    // A new run appears on refresh.
    writeRun(root + "/20260104-090000-resnet18", config("resnet18", "", 0.001, 2), 1.83e9, {0.7});
    panel.refresh();
    QTRY_COMPARE(refreshed.count(), 2);
    QCOMPARE(m->rowCount(), 6);
    QCOMPARE(m->index(0, RunHistoryModel::NameColumn).data().toString(),
             QString("20260104-090000-resnet18"));

    // The app's own run in progress shows as running.
    panel.setActiveRuns({root + "/20260104-090000-resnet18"});
    QCOMPARE(m->index(0, RunHistoryModel::StatusColumn).data().toString(), QString("running"));

    // An empty folder and a missing one: no rows, no crash.
    QTemporaryDir empty;
    panel.setRunsFolder(empty.path());
    QTRY_COMPARE(refreshed.count(), 3);
    QCOMPARE(m->rowCount(), 0);
    panel.setRunsFolder(empty.path() + "/missing");
    QTRY_COMPARE(refreshed.count(), 4);
    QCOMPARE(m->rowCount(), 0);
}

void TstRunHistoryPanel::overlaysCheckedRuns() {
    const QString root = makeRuns();
    RunHistoryPanel panel;
    QSignalSpy refreshed(&panel, &RunHistoryPanel::refreshed);
    panel.setRunsFolder(root);
    QTRY_COMPARE(refreshed.count(), 1);
    RunComparisonView* view = panel.comparisonView();
    QCOMPARE(view->seriesCount(), 0);

    const QString a = root + "/20260101-090000-resnet18", b = root + "/20260102-090000-resnet18";
    panel.setChecked({a, b, root + "/no-such-run"});
    QCOMPARE(panel.checkedRuns(), QStringList({b, a}));  // table order
    QCOMPARE(view->seriesCount(), 2);
    QCOMPARE(view->seriesName(0), QString("resnet18 · 01-02 09:00"));
    QVERIFY(view->seriesColour(0) != view->seriesColour(1));
    // Different lengths; the NaN epoch 3 left out.
    const QVector<QPointF> pb = view->points(0, RunComparisonView::ValAccuracy);
    QCOMPARE(pb.size(), 7);
    QCOMPARE(pb[2], QPointF(4, 0.81));
    QCOMPARE(view->points(1, RunComparisonView::ValAccuracy).size(), 5);
    QCOMPARE(view->points(1, RunComparisonView::ValLoss).size(), 5);
    QCOMPARE(view->points(0, RunComparisonView::TrainLoss).size(), 8);
    QCOMPARE(view->points(5, RunComparisonView::ValLoss).size(), 0);

    // Checking through the table's check box column.
    auto* m = panel.tableView()->model();
    QVERIFY(m->setData(m->index(0, RunHistoryModel::CheckColumn), Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(view->seriesCount(), 3);
    QVERIFY(
        m->setData(m->index(0, RunHistoryModel::CheckColumn), Qt::Unchecked, Qt::CheckStateRole));
    QCOMPARE(view->seriesCount(), 2);

    // Checks survive a refresh.
    panel.refresh();
    QTRY_COMPARE(refreshed.count(), 2);
    QCOMPARE(view->seriesCount(), 2);
    panel.setChecked({});
    QCOMPARE(view->seriesCount(), 0);
}

void TstRunHistoryPanel::diffShowsDifferingKeys() {
    const QString root = makeRuns();
    RunHistoryPanel panel;
    QSignalSpy refreshed(&panel, &RunHistoryPanel::refreshed);
    panel.setRunsFolder(root);
    QTRY_COMPARE(refreshed.count(), 1);
    QTableWidget* diff = panel.diffTable();

    // None or one checked: a line saying so, no table.
    QVERIFY(diff->isHidden());
    QVERIFY(!panel.diffNote()->text().isEmpty());
    panel.setChecked({root + "/20260101-090000-resnet18"});
    QVERIFY(diff->isHidden());
    QVERIFY(panel.diffNote()->text().contains("One run"));

    panel.setChecked({root + "/20260101-090000-resnet18", root + "/20260102-090000-resnet18"});
    QVERIFY(!diff->isHidden());
    QCOMPARE(panel.diffKeys(), QStringList({"freeze", "epochs", "lr"}));
    QCOMPARE(diff->columnCount(), 2);
    QCOMPARE(diff->rowCount(), 3 + 4);  // + best, final, epochs, time
    QCOMPARE(diff->verticalHeaderItem(0)->text(), QString("Frozen layers"));
    QCOMPARE(diff->verticalHeaderItem(2)->text(), QString("Learning rate"));
    QCOMPARE(diff->verticalHeaderItem(3)->text(), QString("Best val. accuracy"));
    QCOMPARE(diff->horizontalHeaderItem(0)->text(), QString("resnet18\n01-02 09:00"));
    QCOMPARE(diff->item(0, 0)->text(), QString("nothing frozen"));
    QCOMPARE(diff->item(0, 1)->text(), QString("backbone"));
    QCOMPARE(diff->item(2, 0)->text(), QString("0.001"));
    QCOMPARE(diff->item(3, 0)->text(), QString("91.0 %"));
    QCOMPARE(diff->item(3, 1)->text(), QString("79.0 %"));

    // Same settings: the note says so; the results are still compared.
    panel.setChecked({root + "/20260101-090000-resnet18", root + "/20260103-090000-mobilenet_v2"});
    QCOMPARE(panel.diffKeys(), QStringList({"model", "epochs"}));
    panel.setChecked({root + "/exp/head", root + "/exp/full"});
    QCOMPARE(panel.diffKeys(), QStringList({"freeze"}));
    QCOMPARE(diff->horizontalHeaderItem(0)->text(), QString("Head only\nexp"));
}

void TstRunHistoryPanel::damagedFolderIsReported() {
    const QString root = makeRuns();
    writeFile(root + "/20260105-broken/config.json", "{\"model\": ");
    writeFile(root + "/20260105-broken/events.jsonl", "{\"type\":\"epo");
    RunHistoryPanel panel;
    QSignalSpy refreshed(&panel, &RunHistoryPanel::refreshed);
    panel.setRunsFolder(root);
    QTRY_COMPARE(refreshed.count(), 1);
    QCOMPARE(panel.tableView()->model()->rowCount(), 5);
    QCOMPARE(panel.problems().size(), 1);
    QVERIFY(panel.problems()[0].contains("20260105-broken"));
    QVERIFY(!panel.problemLabel()->isHidden());
    QVERIFY(panel.problemLabel()->text().contains("20260105-broken"));
}

void TstRunHistoryPanel::reportAndActivation() {
    const QString root = makeRuns();
    RunHistoryPanel panel;
    QSignalSpy refreshed(&panel, &RunHistoryPanel::refreshed);
    QSignalSpy report(&panel, &RunHistoryPanel::reportRequested);
    QSignalSpy activated(&panel, &RunHistoryPanel::runActivated);
    panel.setRunsFolder(root);
    QTRY_COMPARE(refreshed.count(), 1);
    QList<QPushButton*> buttons = panel.findChildren<QPushButton*>();
    QPushButton* reportB = nullptr;
    for (auto* b : buttons)
        if (b->text() == QString("Report…")) reportB = b;
    QVERIFY(reportB);
    QVERIFY(!reportB->isEnabled());

    panel.selectRun(root + "/20260102-090000-resnet18");
    QCOMPARE(panel.selectedRun(), root + "/20260102-090000-resnet18");
    QVERIFY(reportB->isEnabled());
    reportB->click();
    QCOMPARE(report.count(), 1);
    QCOMPARE(report[0][0].toString(), root + "/20260102-090000-resnet18");
    QCOMPARE(report[0][1].toBool(), false);

    panel.selectRun(root + "/exp/full");
    reportB->click();
    QCOMPARE(report.count(), 2);
    QCOMPARE(report[1][0].toString(), root + "/exp");
    QCOMPARE(report[1][1].toBool(), true);

    // Selection survives a refresh.
    panel.refresh();
    QTRY_COMPARE(refreshed.count(), 2);
    QCOMPARE(panel.selectedRun(), root + "/exp/full");

    const QModelIndex index = panel.tableView()->model()->index(1, RunHistoryModel::NameColumn);
    Q_EMIT panel.tableView()->doubleClicked(index);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated[0][0].toString(), root + "/20260102-090000-resnet18");
}

void TstRunHistoryPanel::renders() {
    const QString root = makeRuns();
    RunHistoryPanel panel;
    panel.resize(900, 700);
    QSignalSpy refreshed(&panel, &RunHistoryPanel::refreshed);
    panel.setRunsFolder(root);
    QTRY_COMPARE(refreshed.count(), 1);
    panel.setChecked({root + "/20260101-090000-resnet18", root + "/20260102-090000-resnet18",
                      root + "/20260103-090000-mobilenet_v2"});
    panel.selectRun(root + "/20260102-090000-resnet18");
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QTRY_VERIFY(refreshed.count() >= 2);  // showing the panel scans again

    // The curves: coloured pixels of at least three series.
    const QImage curves = panel.comparisonView()->grab().toImage();
    QVERIFY(!curves.isNull());
    int coloured[3] = {0, 0, 0};
    for (int y = 0; y < curves.height(); ++y)
        for (int x = 0; x < curves.width(); ++x)
            for (int s = 0; s < 3; ++s)
                if (curves.pixelColor(x, y) == panel.comparisonView()->seriesColour(s))
                    ++coloured[s];
    for (int s = 0; s < 3; ++s) QVERIFY2(coloured[s] > 20, qPrintable(QString::number(s)));

    // The loss view with training curves, through the panel's controls.
    auto* metric = panel.findChild<QComboBox*>();
    auto* training = panel.findChild<QCheckBox*>();
    QVERIFY(metric && training);
    const QByteArray dir = qgetenv("FTS_SCREENSHOT_DIR");
    const auto shot = [&](const char* name) {
        if (dir.isEmpty()) return;
        QCoreApplication::processEvents();  // pending header layouts
        QVERIFY(panel.grab().save(QString::fromLocal8Bit(dir) + "/" + name));
    };
    shot("runs-panel.png");
    metric->setCurrentIndex(1);
    training->setChecked(true);
    QCOMPARE(panel.comparisonView()->metric(), RunComparisonView::ValLoss);
    QVERIFY(panel.comparisonView()->showTraining());
    const QImage loss = panel.comparisonView()->grab().toImage();
    QVERIFY(loss != curves);
    shot("runs-panel-loss.png");

    const QImage whole = panel.grab().toImage();
    QCOMPARE(whole.size(), QSize(900, 700));
    panel.setChecked({});
    shot("runs-panel-empty.png");
}

QTEST_MAIN(TstRunHistoryPanel)
#include "tst_runhistorypanel.moc"
