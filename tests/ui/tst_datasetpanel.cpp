// DatasetPanel, scanDataset and ClassCountChart: scanning on QtConcurrent,
// previews as the model sees them, problems listed, drops, validation mode.
#include "classcountchart.h"
#include "core/resources.h"
#include "datasetpanel.h"
#include "datasetscan.h"
#include "uitypes.h"

#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QMimeData>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QUrl>
#include <QtTest>

using fts::ui::DatasetPanel;
using fts::ui::DatasetSummary;

namespace {

constexpr int kTimeoutMs = 20000;

// classes a, b, c with 3, 4, 5 decodable PNGs; b also holds a broken .png; a
// holds a .txt (not an image: not a sample at all).
void makeImageFolder(const QString& root) {
    const QStringList classes{"a", "b", "c"};
    for (int c = 0; c < classes.size(); ++c) {
        QDir(root).mkpath(classes[c]);
        for (int i = 0; i < 3 + c; ++i) {
            QImage image(40 + 4 * i, 30, QImage::Format_RGB888);
            image.fill(QColor(80 * c, 20 * i, 200));
            QVERIFY(image.save(QStringLiteral("%1/%2/img%3.png").arg(root, classes[c]).arg(i)));
        }
    }
    QFile broken(root + "/b/broken.png");
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("this is not a PNG file, only garbage bytes \x01\x02\x03\xff\xfe");
    broken.close();
    QFile text(root + "/a/notes.txt");
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("not an image\n");
}

DatasetSummary waitForDataset(QSignalSpy& changed) {
    if (changed.isEmpty() && !changed.wait(kTimeoutMs)) return {};
    return changed.takeLast().at(0).value<DatasetSummary>();
}

}  // namespace

class TestDatasetPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        fts::ui::registerUiTypes();
        qRegisterMetaType<DatasetSummary>();
        QVERIFY(m_dir.isValid());
        m_folder = m_dir.filePath("pets");
        makeImageFolder(m_folder);
    }

    void scansImageFolder() {
        DatasetPanel panel;
        QSignalSpy changed(&panel, &DatasetPanel::datasetChanged);
        QSignalSpy failed(&panel, &DatasetPanel::scanFailed);
        panel.setPreviewTransform(/*imageSize=*/32, QStringLiteral("light"));
        panel.setDataPath(m_folder);
        QCOMPARE(panel.dataPath(), m_folder);
        QVERIFY(panel.isScanning());
        auto* status = panel.findChild<QLabel*>(QStringLiteral("dataStatusLabel"));
        QVERIFY(status);
        QVERIFY(status->text().startsWith(QStringLiteral("Scanning")));
        const DatasetSummary summary = waitForDataset(changed);
        QVERIFY2(summary.ok(), qPrintable(summary.error));
        QCOMPARE(failed.count(), 0);
        QVERIFY(!panel.isScanning());
        QVERIFY(status->text().contains(QStringLiteral("13 images in 3 class")));

        QCOMPARE(summary.classNames, QStringList({"a", "b", "c"}));
        // The broken .png has an image extension: it is a sample of b until it
        // fails to decode; the .txt is not a sample.
        QCOMPARE(summary.counts, QVector<qint64>({3, 5, 5}));
        QCOMPARE(summary.total, 13);
        QVERIFY(panel.source() != nullptr);
        QCOMPARE(panel.source()->size(), std::size_t(13));
        QCOMPARE(panel.summary().total, 13);

        // The broken file was met while rendering the previews: listed, not fatal.
        bool listed = false;
        for (const auto& problem : summary.problems)
            listed = listed || QString::fromStdString(problem.path).endsWith("broken.png");
        QVERIFY(listed);
        auto* list = panel.findChild<QTreeWidget*>(QStringLiteral("skippedFiles"));
        QVERIFY(list);
        QVERIFY(!list->findItems(QStringLiteral("broken.png"), Qt::MatchEndsWith, 0).isEmpty());
        QVERIFY(!list->findItems(QStringLiteral("broken.png"), Qt::MatchEndsWith, 0)
                     .first()
                     ->text(1)
                     .isEmpty());
        QCOMPARE(list->findItems(QStringLiteral("notes.txt"), Qt::MatchEndsWith, 0).size(), 0);

        // Previews: every decodable image of these small classes, S x S.
        QCOMPARE(summary.previews.size(), 3);
        QCOMPARE(summary.previews[0].size(), 3);
        QCOMPARE(summary.previews[1].size(), 4);  // 5 files, one broken
        QCOMPARE(summary.previews[2].size(), 5);
        for (const auto& row : summary.previews)
            for (const auto& preview : row) {
                QCOMPARE(preview.training.size(), QSize(32, 32));
                QCOMPARE(preview.validation.size(), QSize(32, 32));
                QVERIFY(!preview.original.isNull());
                QVERIFY(!preview.item.endsWith("broken.png"));
            }

        // The chart shows the counts.
        auto* chart = panel.findChild<fts::ui::ClassCountChart*>();
        QVERIFY(chart);
        QCOMPARE(chart->counts(), QVector<qint64>({3, 5, 5}));

        // Skipped files from training are appended once.
        const int before = int(panel.skippedFiles().size());
        panel.addSkippedFiles({{"/data/x.jpg", "damaged"}, {"/data/x.jpg", "damaged"}});
        QCOMPARE(int(panel.skippedFiles().size()), before + 1);
        QCOMPARE(list->topLevelItemCount(), before + 1);
    }

    void previewTransformRerenders() {
        DatasetPanel panel;
        QSignalSpy changed(&panel, &DatasetPanel::datasetChanged);
        panel.setPreviewTransform(24, QStringLiteral("none"));
        panel.setDataPath(m_folder);
        QVERIFY(waitForDataset(changed).ok());
        panel.setPreviewTransform(40, QStringLiteral("strong"));
        QTRY_COMPARE_WITH_TIMEOUT(panel.summary().imageSize, 40, kTimeoutMs);
        QCOMPARE(panel.summary().augment, QStringLiteral("strong"));
        QCOMPARE(panel.summary().previews[2].first().training.size(), QSize(40, 40));
        QCOMPARE(panel.summary().previews[2].first().validation.size(), QSize(40, 40));
        QCOMPARE(changed.count(), 0);  // a re-render is not a new dataset
        QVERIFY(panel.source() != nullptr);
    }

    void manyPreviewsAreCapped() {
        // scanDataset directly (blocking is fine in a test): with 1 preview per
        // class asked, each class gets one.
        const DatasetSummary summary =
            fts::ui::scanDataset(m_folder, 16, QStringLiteral("none"), 1, 7);
        QVERIFY(summary.ok());
        for (const auto& row : summary.previews) QCOMPARE(row.size(), 1);
        const DatasetSummary none =
            fts::ui::scanDataset(m_folder, 16, QStringLiteral("none"), 0, 7);
        QVERIFY(none.ok());
        for (const auto& row : none.previews) QVERIFY(row.isEmpty());
    }

    void opensBundledDemo() {
        QString demo;
        try {
            demo = QString::fromStdU16String(
                (fts::demoDirectory() / "train-images-idx3-ubyte.gz").u16string());
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
        DatasetPanel panel;
        QSignalSpy changed(&panel, &DatasetPanel::datasetChanged);
        panel.setPreviewTransform(28, QStringLiteral("light"));
        panel.setDataPath(demo);
        const DatasetSummary summary = waitForDataset(changed);
        QVERIFY2(summary.ok(), qPrintable(summary.error));
        QCOMPARE(summary.classNames,
                 QStringList({"Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}));
        QCOMPARE(summary.counts.size(), 5);
        qint64 sum = 0;
        for (qint64 n : summary.counts) {
            QVERIFY(n > 0);
            sum += n;
        }
        QCOMPARE(summary.total, sum);
        QVERIFY(summary.problems.isEmpty());
        for (const auto& row : summary.previews) {
            QVERIFY(!row.isEmpty());
            QCOMPARE(row.first().training.size(), QSize(28, 28));
            QVERIFY(row.first().item.contains('#'));
        }
    }

    void missingPathFails() {
        DatasetPanel panel;
        QSignalSpy changed(&panel, &DatasetPanel::datasetChanged);
        QSignalSpy failed(&panel, &DatasetPanel::scanFailed);
        const QString missing = m_dir.filePath("no-such-folder");
        panel.setDataPath(missing);
        QVERIFY(failed.wait(kTimeoutMs));
        const QString message = failed.takeFirst().at(0).toString();
        QVERIFY2(message.contains(QDir::toNativeSeparators(missing)), qPrintable(message));
        QCOMPARE(changed.count(), 0);
        QVERIFY(!panel.summary().ok());
        QVERIFY(panel.source() == nullptr);
        QCOMPARE(panel.summary().error, message);
    }

    void newerRequestSupersedes() {
        DatasetPanel panel;
        QSignalSpy changed(&panel, &DatasetPanel::datasetChanged);
        QSignalSpy failed(&panel, &DatasetPanel::scanFailed);
        panel.setDataPath(m_dir.filePath("no-such-folder"));
        panel.setDataPath(m_folder);
        const DatasetSummary summary = waitForDataset(changed);
        QVERIFY(summary.ok());
        QCOMPARE(summary.path, m_folder);
        QCOMPARE(failed.count(), 0);  // the older, failing scan was dropped
        QCOMPARE(changed.count(), 0);
    }

    void dragAndDrop() {
        DatasetPanel panel;
        QSignalSpy changed(&panel, &DatasetPanel::datasetChanged);
        QMimeData web;
        web.setUrls({QUrl("https://example.com/data.zip")});
        QVERIFY(!panel.canAccept(&web));
        QVERIFY(!panel.acceptDrop(&web));
        QMimeData text;
        text.setText(m_folder);
        QVERIFY(!panel.canAccept(&text));
        QMimeData missing;
        missing.setUrls({QUrl::fromLocalFile(m_dir.filePath("nothing-here"))});
        QVERIFY(!panel.canAccept(&missing));

        QMimeData folder;
        folder.setUrls({QUrl::fromLocalFile(m_folder)});
        QVERIFY(panel.canAccept(&folder));
        panel.setRunning(true);
        QVERIFY(!panel.canAccept(&folder));  // no data change while training
        panel.setRunning(false);
        QVERIFY(panel.acceptDrop(&folder));
        QCOMPARE(panel.dataPath(), m_folder);
        QVERIFY(waitForDataset(changed).ok());
    }

    void validationMode() {
        DatasetPanel panel;
        QSignalSpy mode(&panel, &DatasetPanel::validationModeChanged);
        QVERIFY(panel.valPath().isEmpty());
        panel.setValPath(m_folder);
        QCOMPARE(panel.valPath(), m_folder);
        QCOMPARE(mode.count(), 1);
        QCOMPARE(mode.takeFirst().at(0).toBool(), true);
        QTRY_VERIFY_WITH_TIMEOUT(panel.valSource() != nullptr, kTimeoutMs);
        QCOMPARE(panel.valSource()->size(), std::size_t(13));

        // Unticking the box means "split from the training data".
        auto* box = panel.findChild<QCheckBox*>();
        QVERIFY(box);
        box->setChecked(false);
        QCOMPARE(mode.count(), 1);
        QCOMPARE(mode.takeFirst().at(0).toBool(), false);
        QVERIFY(panel.valPath().isEmpty());
        QVERIFY(panel.valSource() == nullptr);
        box->setChecked(true);
        QCOMPARE(panel.valPath(), m_folder);  // remembered
        panel.setValPath(QString());
        QVERIFY(!box->isChecked());
        QVERIFY(panel.valPath().isEmpty());
    }

    void chartLayout() {
        fts::ui::ClassCountChart chart;
        QStringList names;
        QVector<qint64> counts;
        for (int i = 0; i < 100; ++i) {
            names << QStringLiteral("class %1").arg(i);
            counts << i * 3;
        }
        chart.setCounts(names, counts);
        // 100 classes need scrolling room: at least 14 px a row.
        QVERIFY(chart.minimumSizeHint().height() >= 100 * 14);
        chart.resize(300, chart.minimumSizeHint().height());
        QCOMPARE(chart.classAt(QPoint(10, 4 + 14 * 50 + 7)), 50);
        QCOMPARE(chart.classAt(QPoint(10, chart.height() + 50)), -1);
        chart.setCounts({"x", "y"}, {5, 7});
        QVERIFY(chart.minimumSizeHint().height() < 100);
        QImage image(chart.size(), QImage::Format_RGB32);
        chart.render(&image);  // paints without crashing with two classes
    }

private:
    QTemporaryDir m_dir;
    QString m_folder;
};

QTEST_MAIN(TestDatasetPanel)
#include "tst_datasetpanel.moc"
