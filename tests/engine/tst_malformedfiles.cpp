#include <QtTest/QtTest>

class TstMalformedfiles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { QSKIP("not written yet"); }
};

QTEST_GUILESS_MAIN(TstMalformedfiles)
#include "tst_malformedfiles.moc"
