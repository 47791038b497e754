// The health check through the dataset panel: a generated ImageFolder (a
// copy of one image under another class, a tiny class, a truncated file) is
// scanned, checked on the worker, and the findings lead to their files.
#include "datasetpanel.h"
#include "healthpanel.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QListWidget>
#include <QPainter>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <random>

using fts::HealthWarningKind;
using fts::ui::DatasetPanel;
using fts::ui::HealthPanel;

namespace {

// A distinct picture: a random background and three random shapes.
QImage picture(quint32 seed) {
    std::mt19937 rng(seed);
    const auto u = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    QImage image(64, 64, QImage::Format_RGB888);
    image.fill(QColor(u(0, 255), u(0, 255), u(0, 255)));
    QPainter p(&image);
    p.setPen(Qt::NoPen);
    for (int s = 0; s < 3; ++s) {
        p.setBrush(QColor(u(0, 255), u(0, 255), u(0, 255)));
        if (u(0, 1))
            p.drawRect(u(0, 40), u(0, 40), u(10, 40), u(10, 40));
        else
            p.drawEllipse(QPoint(u(0, 63), u(0, 63)), u(6, 20), u(6, 20));
    }
    return image;
}

}  // namespace

class TestHealthPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void checksThroughThePanel();
    void newDataClearsFindings();

private:
    QTemporaryDir m_tmp;
    QString m_root;
};

void TestHealthPanel::initTestCase() {
    QVERIFY(m_tmp.isValid());
    m_root = m_tmp.path() + QStringLiteral("/data");
    quint32 seed = 1;
    for (const char* cls : {"cats", "dogs"}) {
        QVERIFY(QDir().mkpath(m_root + QLatin1Char('/') + QLatin1String(cls)));
        for (int i = 0; i < 12; ++i)
            QVERIFY(picture(seed++).save(
                QStringLiteral("%1/%2/%3.png").arg(m_root, QLatin1String(cls)).arg(i)));
    }
    QVERIFY(QDir().mkpath(m_root + QStringLiteral("/mice")));
    QVERIFY(picture(seed++).save(m_root + QStringLiteral("/mice/0.png")));
    // The same picture as cats/3.png, labelled dogs.
    QVERIFY(QFile::copy(m_root + QStringLiteral("/cats/3.png"),
                        m_root + QStringLiteral("/dogs/copy-of-cat.png")));
    QFile broken(m_root + QStringLiteral("/dogs/broken.png"));
    QFile good(m_root + QStringLiteral("/cats/0.png"));
    QVERIFY(good.open(QIODevice::ReadOnly) && broken.open(QIODevice::WriteOnly));
    broken.write(good.read(good.size() / 2));
}

void TestHealthPanel::checksThroughThePanel() {
    DatasetPanel panel;
    panel.resize(900, 700);
    panel.show();
    QSignalSpy changed(&panel, &DatasetPanel::datasetChanged);
    panel.setDataPath(m_root);
    QVERIFY(changed.wait(20000));
    HealthPanel* health = panel.healthPanel();
    QVERIFY(health);
    QVERIFY(!health->hasReport());

    // Through the button, as a user does.
    auto* tabs = panel.findChild<QTabWidget*>();
    QVERIFY(tabs);
    tabs->setCurrentWidget(health);
    QPushButton* check = nullptr;
    for (auto* b : health->findChildren<QPushButton*>())
        if (b->text() == HealthPanel::tr("Check dataset")) check = b;
    QVERIFY(check && check->isEnabled());
    QSignalSpy finished(health, &HealthPanel::checkFinished);
    check->click();
    QVERIFY(health->isChecking());
    QVERIFY(!check->isEnabled());
    QVERIFY(finished.wait(20000));
    QVERIFY(!health->isChecking());
    QVERIFY(health->hasReport());

    const auto& report = health->report();
    QVERIFY(report.validationIsSplit);  // no separate validation: the trainer's split
    int conflict = -1, tiny = -1, unreadable = -1;
    for (int i = 0; i < int(report.warnings.size()); ++i) {
        const auto kind = report.warnings[std::size_t(i)].kind;
        if (kind == HealthWarningKind::LabelConflict) conflict = i;
        if (kind == HealthWarningKind::TinyClass) tiny = i;
        if (kind == HealthWarningKind::UnreadableFile) unreadable = i;
    }
    QVERIFY(conflict >= 0 && tiny >= 0 && unreadable >= 0);
    QCOMPARE(health->warningCount(), int(report.warnings.size()));
    QCOMPARE(finished.first().at(0).toInt(), 1);  // one problem: the conflict

    // Selecting a finding lists its files.
    health->selectWarning(conflict);
    QStringList files = health->shownFiles();
    QCOMPARE(files.size(), 2);
    files.sort();
    QVERIFY(files[0].endsWith(QStringLiteral("cats/3.png")));
    QVERIFY(files[1].endsWith(QStringLiteral("dogs/copy-of-cat.png")));
    // Their thumbnails arrive from a worker.
    auto* list = health->findChild<QListWidget*>();
    QVERIFY(list);
    QTRY_VERIFY_WITH_TIMEOUT(!list->item(0)->icon().isNull(), 10000);
    health->selectWarning(unreadable);
    QCOMPARE(health->shownFiles().size(), 1);
    QVERIFY(health->shownFiles().first().endsWith(QStringLiteral("broken.png")));

    // The screenshot for docs/ (when asked for: FTS_SCREENSHOT_DIR).
    const QByteArray shots = qgetenv("FTS_SCREENSHOT_DIR");
    if (!shots.isEmpty()) {
        health->selectWarning(conflict);
        QTRY_VERIFY_WITH_TIMEOUT(!list->item(1)->icon().isNull(), 10000);
        QVERIFY(panel.grab().save(QString::fromLocal8Bit(shots) +
                                  QStringLiteral("/dataset-health.png")));
    }
}

void TestHealthPanel::newDataClearsFindings() {
    DatasetPanel panel;
    QSignalSpy changed(&panel, &DatasetPanel::datasetChanged);
    panel.setDataPath(m_root);
    QVERIFY(changed.wait(20000));
    HealthPanel* health = panel.healthPanel();
    QSignalSpy finished(health, &HealthPanel::checkFinished);
    health->startCheck();
    QVERIFY(finished.wait(20000));
    QVERIFY(health->warningCount() > 0);
    panel.setDataPath(QString());  // cleared: the findings were about the old data
    QTRY_VERIFY(!health->hasReport());
    QCOMPARE(health->warningCount(), 0);
    // A check started and the panel destroyed at once: the destructor waits.
    panel.setDataPath(m_root);
    QVERIFY(changed.wait(20000));
    health->startCheck();
}

QTEST_MAIN(TestHealthPanel)
#include "tst_healthpanel.moc"
