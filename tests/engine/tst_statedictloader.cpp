#include <QtTest/QtTest>

class TstStatedictloader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { QSKIP("not written yet"); }
};

QTEST_GUILESS_MAIN(TstStatedictloader)
#include "tst_statedictloader.moc"
