#include <QtTest/QtTest>

class TstEvaltransform : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { QSKIP("not written yet"); }
};

QTEST_GUILESS_MAIN(TstEvaltransform)
#include "tst_evaltransform.moc"
