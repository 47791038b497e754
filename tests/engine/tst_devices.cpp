// Cores this process may use: cgroup CPU quota parsing (v2 cpu.max, v1
// cfs_quota_us / cfs_period_us) and the training thread count.
#include "train/devices.h"

#include <QtTest/QtTest>

#include <thread>

class TstDevices : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cpuMax_data();
    void cpuMax();
    void cfsQuota_data();
    void cfsQuota();
    void usableCoresIsWithinTheMachine();
    void trainingThreadsHonoursARequest();
};

void TstDevices::cpuMax_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("cores");
    QTest::newRow("no limit") << "max 100000\n" << 0;
    QTest::newRow("two cpus") << "200000 100000\n" << 2;
    QTest::newRow("one and a half, rounded up") << "150000 100000" << 2;
    QTest::newRow("a tenth is still one") << "10000 100000" << 1;
    QTest::newRow("other period") << "300000 50000" << 6;
    QTest::newRow("quota without period: the default 100 ms") << "400000" << 4;
    QTest::newRow("empty file") << "" << 0;
    QTest::newRow("garbage") << "lots\n" << 0;
}

void TstDevices::cpuMax() {
    QFETCH(QString, text);
    QFETCH(int, cores);
    QCOMPARE(fts::cpuMaxCores(text.toStdString()), cores);
}

void TstDevices::cfsQuota_data() {
    QTest::addColumn<QString>("quota");
    QTest::addColumn<QString>("period");
    QTest::addColumn<int>("cores");
    QTest::newRow("no limit") << "-1\n"
                              << "100000\n"
                              << 0;
    QTest::newRow("three cpus") << "300000\n"
                                << "100000\n"
                                << 3;
    QTest::newRow("half a cpu") << "50000"
                                << "100000" << 1;
    QTest::newRow("missing files") << ""
                                   << "" << 0;
}

void TstDevices::cfsQuota() {
    QFETCH(QString, quota);
    QFETCH(QString, period);
    QFETCH(int, cores);
    QCOMPARE(fts::cfsQuotaCores(quota.toStdString(), period.toStdString()), cores);
}

void TstDevices::usableCoresIsWithinTheMachine() {
    const int cores = fts::usableCores();
    QVERIFY(cores >= 1);
    QVERIFY(cores <= int(std::max(1u, std::thread::hardware_concurrency())));
}

void TstDevices::trainingThreadsHonoursARequest() {
    QCOMPARE(fts::trainingThreads(3), 3);
    QCOMPARE(fts::trainingThreads(0), fts::usableCores());
}

QTEST_GUILESS_MAIN(TstDevices)
#include "tst_devices.moc"
