#include <QtTest/QtTest>

class TstSafetensors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { QSKIP("not written yet"); }
};

QTEST_GUILESS_MAIN(TstSafetensors)
#include "tst_safetensors.moc"
