#include <QtTest/QtTest>

class TstClipredict : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { QSKIP("not written yet"); }
};

QTEST_GUILESS_MAIN(TstClipredict)
#include "tst_clipredict.moc"
