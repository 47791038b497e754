#include <QtTest/QtTest>

class TstModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { QSKIP("not written yet"); }
};

QTEST_GUILESS_MAIN(TstModels)
#include "tst_models.moc"
