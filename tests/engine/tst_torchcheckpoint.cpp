#include <QtTest/QtTest>

class TstTorchcheckpoint : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { QSKIP("not written yet"); }
};

QTEST_GUILESS_MAIN(TstTorchcheckpoint)
#include "tst_torchcheckpoint.moc"
