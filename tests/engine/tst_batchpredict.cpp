// finetune-cli predict --csv over nested folders: images decided by content,
// unreadable files listed and not fatal, true labels from an ImageFolder.
#include "export/batchprediction.h"
#include "exporttestdata.h"

#include <QtTest/QtTest>

#include <fstream>

namespace {

void writeBytes(const QString& file, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(file).absolutePath());
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

// One CSV line (RFC 4180 quoting, no newlines inside fields).
QList<QByteArray> fields(const QByteArray& line) {
    QList<QByteArray> out{QByteArray()};
    bool quoted = false;
    for (int i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
            out.back() += '"';
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            out.append(QByteArray());
        } else {
            out.back() += c;
        }
    }
    return out;
}

}  // namespace

class TstBatchPredict : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void sniffsByContent();
    void collectsNestedFolders();
    void csvOverNestedFolders();
    void noImagesIsAnError();

private:
    QTemporaryDir m_dir;
    QString m_run;
    QString m_data;
};

void TstBatchPredict::initTestCase() {
    QVERIFY(m_dir.isValid());
    exporttest::writeImageFolder(m_dir.filePath("train"), 8, 32, 32, 1);
    m_run = m_dir.filePath("run");
    const ProcessResult r = exporttest::trainTiny("demo_cnn", m_dir.filePath("train"), m_run);
    QVERIFY2(r.exitCode == 0, r.err.constData());

    // An ImageFolder of the model's classes, nested one level deeper, with a
    // JPEG-named PPM (decided by content), a damaged "PNG", a GIF, a text
    // file and a hidden file; and a second folder without classes.
    m_data = m_dir.filePath("data");
    exporttest::writeImage(m_data + "/dark/a/1.ppm", 40, 40, 0, 11);
    exporttest::writeImage(m_data + "/dark/a/b/2.jpg", 40, 40, 0, 12);  // PPM bytes
    exporttest::writeImage(m_data + "/bright/3.ppm", 40, 40, 1, 13);
    exporttest::writeImage(m_data + "/split/4.ppm", 40, 40, 2, 14);
    exporttest::writeImage(m_data + "/noclass/5.ppm", 40, 40, 1, 15);
    writeBytes(m_data + "/bright/broken.png", QByteArray("not a png at all"));
    writeBytes(m_data + "/split/anim.gif", QByteArray("GIF89a\x01\x00\x01\x00", 10));
    writeBytes(m_data + "/dark/notes.txt", "hello");
    writeBytes(m_data + "/dark/.hidden.ppm", "P6\n");
    exporttest::writeImage(m_dir.filePath("loose/6.ppm"), 30, 20, 1, 16);
    // Image content without an image name still counts.
    exporttest::writeImage(m_dir.filePath("loose/7.data"), 30, 20, 0, 17);
}

void TstBatchPredict::sniffsByContent() {
    QCOMPARE(fts::sniffImageFormat((m_data + "/dark/a/b/2.jpg").toStdString()), std::string("pnm"));
    QCOMPARE(fts::sniffImageFormat((m_data + "/bright/broken.png").toStdString()), std::string());
    QCOMPARE(fts::sniffImageFormat((m_data + "/split/anim.gif").toStdString()), std::string("gif"));
    QCOMPARE(fts::sniffImageFormat(m_dir.filePath("missing.png").toStdString()), std::string());
}

void TstBatchPredict::collectsNestedFolders() {
    const fts::ImageCollection c = fts::collectImagesToPredict(
        {m_data.toStdString(), m_dir.filePath("loose").toStdString()}, {"bright", "dark", "split"});
    QCOMPARE(c.images.size(), std::size_t(7));
    QCOMPARE(c.skipped.size(), std::size_t(2));  // broken.png, anim.gif
    QCOMPARE(c.ignored, std::size_t(2));         // notes.txt, .hidden.ppm
    std::map<std::string, int> truth;
    for (const auto& i : c.images) truth[i.file.filename().string()] = i.trueIndex;
    QCOMPARE(truth["1.ppm"], 1);
    QCOMPARE(truth["2.jpg"], 1);
    QCOMPARE(truth["3.ppm"], 0);
    QCOMPARE(truth["4.ppm"], 2);
    QCOMPARE(truth["5.ppm"], -1);  // "noclass" is no class of the model
    QCOMPARE(truth["6.ppm"], -1);
    QCOMPARE(truth["7.data"], -1);
}

void TstBatchPredict::csvOverNestedFolders() {
    const QString csv = m_dir.filePath("out.csv");
    const ProcessResult r = runCli(
        {"predict", "--run", m_run, "--topk", "2", "--csv", csv, m_data, m_dir.filePath("loose")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.err.contains("broken.png"), r.err.constData());
    QVERIFY2(r.err.contains("anim.gif"), r.err.constData());
    QVERIFY2(r.out.contains("7 images classified, 2 could not be read"), r.out.constData());

    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 1 + 9);
    QCOMPARE(lines[0], QByteArray("path,true_label,predicted,probability,correct,top_k,error"));
    int labelled = 0, correct = 0, errors = 0;
    for (int i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> f = fields(lines[i]);
        QCOMPARE(f.size(), 7);
        if (!f[6].isEmpty()) {
            ++errors;
            QVERIFY(f[2].isEmpty() && f[3].isEmpty());
            continue;
        }
        const double p = f[3].toDouble();
        QVERIFY(p > 0.0 && p <= 1.0);
        QCOMPARE(f[5].count(';'), 1);  // two classes in top_k
        QVERIFY(f[5].startsWith(f[2] + ':'));
        if (f[0].endsWith("5.ppm") || f[0].contains("loose")) QVERIFY(f[1].isEmpty());
        if (!f[1].isEmpty()) {
            ++labelled;
            QCOMPARE(f[4], QByteArray(f[1] == f[2] ? "1" : "0"));
            correct += f[4] == "1";
        }
    }
    QCOMPARE(errors, 2);
    QCOMPARE(labelled, 4);
    const QByteArray accuracy = QByteArray("accuracy: ") +
                                QByteArray::number(correct / 4.0, 'f', 4) + " (" +
                                QByteArray::number(correct) + " of 4 images";
    QVERIFY2(r.out.contains(accuracy), r.out.constData());
}

void TstBatchPredict::noImagesIsAnError() {
    const QString empty = m_dir.filePath("empty");
    writeBytes(empty + "/readme.txt", "nothing here");
    const ProcessResult r =
        runCli({"predict", "--run", m_run, "--csv", m_dir.filePath("none.csv"), empty});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.startsWith("error: no images found"), r.err.constData());
}

QTEST_GUILESS_MAIN(TstBatchPredict)
#include "tst_batchpredict.moc"
