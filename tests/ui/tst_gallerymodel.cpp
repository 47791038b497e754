// GalleryModel, GalleryFilterProxy, GalleryPanel and ImageInspector.
#include "data/datasource.h"
#include "galleryfilterproxy.h"
#include "gallerymodel.h"
#include "gallerypanel.h"
#include "imageinspector.h"
#include "uitypes.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QListView>
#include <QProgressBar>
#include <QtTest>

using fts::ui::GalleryFilterProxy;
using fts::ui::GalleryModel;
using fts::ui::GalleryPanel;
using fts::ui::ImageInspector;
using fts::ui::PredictionSample;

namespace {

constexpr int kClasses = 3;
constexpr int kRows = 40;

// A thumbnail whose colour encodes the row, so a kept thumbnail is recognisable.
QImage thumbnailFor(int row, int size = 16) {
    QImage image(size, size, QImage::Format_RGB888);
    image.fill(QColor(row * 5 % 256, 100, 200));
    return image;
}

// Deterministic, uneven predictions: every confusion cell has a different count.
QVector<PredictionSample> makeSamples(bool withThumbnails, int shift = 0) {
    QVector<PredictionSample> samples;
    for (int i = 0; i < kRows; ++i) {
        PredictionSample s;
        s.item = QStringLiteral("memory#%1").arg(i);
        s.trueLabel = i % kClasses;
        s.predicted = (i * 7 + shift) % 5 < 3 ? s.trueLabel : (i / 2 + shift) % kClasses;
        s.confidence = 0.3 + 0.6 * double((i * 13) % kRows) / kRows;
        s.loss = double((i * 17 + shift) % kRows) / 10.0;
        s.topIndices = {s.predicted, (s.predicted + 1) % kClasses, (s.predicted + 2) % kClasses};
        s.topProbabilities = {float(s.confidence), float((1 - s.confidence) * 0.7),
                              float((1 - s.confidence) * 0.3)};
        if (withThumbnails) s.thumbnail = thumbnailFor(i);
        samples.push_back(s);
    }
    return samples;
}

int countIf(const QVector<PredictionSample>& samples,
            const std::function<bool(const PredictionSample&)>& pred) {
    return int(std::count_if(samples.begin(), samples.end(), pred));
}

ImageInspector* findInspector() {
    for (QWidget* w : QApplication::topLevelWidgets())
        if (auto* inspector = qobject_cast<ImageInspector*>(w); inspector && inspector->isVisible())
            return inspector;
    return nullptr;
}

}  // namespace

class TestGalleryModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { fts::ui::registerUiTypes(); }

    void modelRolesAndTester() {
        GalleryModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setClassNames({"cat", "dog", "fox"});
        const auto samples = makeSamples(true);
        model.setPredictions(1, samples);
        QCOMPARE(model.rowCount(), kRows);
        QCOMPARE(model.epoch(), 1);
        for (int row : {0, 1, 5, kRows - 1}) {
            const QModelIndex index = model.index(row);
            const PredictionSample& s = samples[row];
            QCOMPARE(index.data(GalleryModel::ItemRole).toString(), s.item);
            QCOMPARE(index.data(GalleryModel::TrueLabelRole).toInt(), s.trueLabel);
            QCOMPARE(index.data(GalleryModel::PredictedRole).toInt(), s.predicted);
            QCOMPARE(index.data(GalleryModel::LossRole).toDouble(), s.loss);
            QCOMPARE(index.data(GalleryModel::ConfidenceRole).toDouble(), s.confidence);
            QCOMPARE(index.data(GalleryModel::CorrectRole).toBool(), s.correct());
            const QString text = index.data(Qt::DisplayRole).toString();
            QVERIFY2(text.startsWith(model.className(s.trueLabel) + QStringLiteral(" → ") +
                                     model.className(s.predicted)),
                     qPrintable(text));
            QVERIFY(text.endsWith(QStringLiteral("%1%").arg(qRound(s.confidence * 100))));
            QVERIFY(index.data(Qt::ToolTipRole).toString().contains(s.item));
            QCOMPARE(index.data(Qt::DecorationRole).value<QImage>(), s.thumbnail);
            const auto whole = index.data(GalleryModel::SampleRole).value<PredictionSample>();
            QCOMPARE(whole.item, s.item);
            QCOMPARE(whole.topIndices, s.topIndices);
        }
        QCOMPARE(model.className(7), QStringLiteral("#7"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void thumbnailsKeptAcrossEpochs() {
        GalleryModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPredictions(1, makeSamples(true));
        // Epoch 2: other predictions, no thumbnails (the engine sends them once).
        auto second = makeSamples(false, /*shift=*/1);
        std::reverse(second.begin(), second.end());   // rows in another order
        second[0].thumbnail = thumbnailFor(200, 20);  // one item gets a new thumbnail
        model.setPredictions(2, second);
        QCOMPARE(model.rowCount(), kRows);
        for (int row = 0; row < kRows; ++row) {
            const QModelIndex index = model.index(row);
            const int item = index.data(GalleryModel::ItemRole).toString().section('#', 1).toInt();
            const QImage image = index.data(Qt::DecorationRole).value<QImage>();
            QVERIFY(!image.isNull());
            if (row == 0)
                QCOMPARE(image, thumbnailFor(200, 20));
            else
                QCOMPARE(image, thumbnailFor(item));
            QCOMPARE(index.data(GalleryModel::PredictedRole).toInt(), second[row].predicted);
        }
        // After clear() nothing is remembered.
        model.clear();
        model.setPredictions(3, makeSamples(false));
        QVERIFY(model.index(0).data(Qt::DecorationRole).isNull());
    }

    void proxyFilters() {
        GalleryModel model;
        GalleryFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester modelTester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto samples = makeSamples(true);
        model.setPredictions(1, samples);
        QCOMPARE(proxy.rowCount(), kRows);

        const int wrong = countIf(samples, [](const auto& s) { return !s.correct(); });
        QVERIFY(wrong > 0 && wrong < kRows);
        proxy.setFilter(GalleryFilterProxy::Filter::Misclassified);
        QCOMPARE(proxy.rowCount(), wrong);
        for (int r = 0; r < proxy.rowCount(); ++r)
            QVERIFY(!proxy.index(r, 0).data(GalleryModel::CorrectRole).toBool());
        proxy.setFilter(GalleryFilterProxy::Filter::Correct);
        QCOMPARE(proxy.rowCount(), kRows - wrong);

        int cells = 0;
        for (int t = 0; t < kClasses; ++t) {
            proxy.setFilter(GalleryFilterProxy::Filter::TrueClass, t);
            QCOMPARE(proxy.rowCount(),
                     countIf(samples, [t](const auto& s) { return s.trueLabel == t; }));
            proxy.setFilter(GalleryFilterProxy::Filter::PredictedClass, -1, t);
            QCOMPARE(proxy.rowCount(),
                     countIf(samples, [t](const auto& s) { return s.predicted == t; }));
            for (int p = 0; p < kClasses; ++p) {
                proxy.setFilter(GalleryFilterProxy::Filter::Cell, t, p);
                const int expected = countIf(samples, [t, p](const auto& s) {
                    return s.trueLabel == t && s.predicted == p;
                });
                QCOMPARE(proxy.rowCount(), expected);
                cells += proxy.rowCount();
            }
        }
        QCOMPARE(cells, kRows);

        // The filter survives a new epoch (model reset).
        proxy.setFilter(GalleryFilterProxy::Filter::Misclassified);
        const auto next = makeSamples(false, /*shift=*/2);
        model.setPredictions(2, next);
        QCOMPARE(proxy.rowCount(), countIf(next, [](const auto& s) { return !s.correct(); }));
        proxy.setFilter(GalleryFilterProxy::Filter::All);
        QCOMPARE(proxy.rowCount(), kRows);
    }

    void proxySorting() {
        GalleryModel model;
        GalleryFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPredictions(1, makeSamples(true));

        proxy.setSort(GalleryFilterProxy::Sort::LossDescending);
        QVERIFY(proxy.index(0, 0).data(GalleryModel::LossRole).toDouble() > 0.0);
        for (int r = 1; r < proxy.rowCount(); ++r)
            QVERIFY(proxy.index(r - 1, 0).data(GalleryModel::LossRole).toDouble() >=
                    proxy.index(r, 0).data(GalleryModel::LossRole).toDouble());

        proxy.setSort(GalleryFilterProxy::Sort::ConfidenceAscending);
        for (int r = 1; r < proxy.rowCount(); ++r)
            QVERIFY(proxy.index(r - 1, 0).data(GalleryModel::ConfidenceRole).toDouble() <=
                    proxy.index(r, 0).data(GalleryModel::ConfidenceRole).toDouble());
        proxy.setSort(GalleryFilterProxy::Sort::ConfidenceDescending);
        for (int r = 1; r < proxy.rowCount(); ++r)
            QVERIFY(proxy.index(r - 1, 0).data(GalleryModel::ConfidenceRole).toDouble() >=
                    proxy.index(r, 0).data(GalleryModel::ConfidenceRole).toDouble());

        // Item order is natural: memory#2 before memory#10.
        proxy.setSort(GalleryFilterProxy::Sort::Item);
        for (int r = 0; r < proxy.rowCount(); ++r)
            QCOMPARE(proxy.index(r, 0).data(GalleryModel::ItemRole).toString(),
                     QStringLiteral("memory#%1").arg(r));

        // Sorting holds after a new epoch and combined with a filter.
        proxy.setSort(GalleryFilterProxy::Sort::LossDescending);
        proxy.setFilter(GalleryFilterProxy::Filter::Misclassified);
        model.setPredictions(2, makeSamples(false, /*shift=*/3));
        QVERIFY(proxy.rowCount() > 1);
        for (int r = 1; r < proxy.rowCount(); ++r)
            QVERIFY(proxy.index(r - 1, 0).data(GalleryModel::LossRole).toDouble() >=
                    proxy.index(r, 0).data(GalleryModel::LossRole).toDouble());
    }

    void panelShowCellAndCount() {
        GalleryPanel panel;
        QAbstractItemModelTester proxyTester(
            panel.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        panel.setClassNames({"cat", "dog", "fox"});
        const auto samples = makeSamples(true);
        panel.setPredictions(1, samples);
        QCOMPARE(panel.proxy()->rowCount(), kRows);
        QVERIFY2(panel.countText().contains(QStringLiteral("%1 of %1").arg(kRows)),
                 qPrintable(panel.countText()));

        // The off-diagonal cell with the most images.
        int bestTrue = 0, bestPredicted = 1, expected = 0;
        for (int t = 0; t < kClasses; ++t)
            for (int p = 0; p < kClasses; ++p) {
                const int n = countIf(samples, [t, p](const auto& s) {
                    return s.trueLabel == t && s.predicted == p;
                });
                if (t != p && n > expected) {
                    expected = n;
                    bestTrue = t;
                    bestPredicted = p;
                }
            }
        QVERIFY(expected > 0 && expected < kRows);
        panel.showCell(bestTrue, bestPredicted);
        QCOMPARE(panel.proxy()->filter(), GalleryFilterProxy::Filter::Cell);
        QCOMPARE(panel.proxy()->rowCount(), expected);
        QVERIFY2(panel.countText().contains(QStringLiteral("%1 of %2").arg(expected).arg(kRows)),
                 qPrintable(panel.countText()));
        panel.showCell(1, 1);
        QCOMPARE(panel.proxy()->rowCount(), countIf(samples, [](const auto& s) {
                     return s.trueLabel == 1 && s.predicted == 1;
                 }));
        panel.showAll();
        QCOMPARE(panel.proxy()->rowCount(), kRows);

        // A cell asked for before the class names arrive stays selected.
        GalleryPanel early;
        early.setPredictions(1, samples);
        early.showCell(bestTrue, bestPredicted);
        early.setClassNames({"cat", "dog", "fox"});
        QCOMPARE(early.proxy()->trueClass(), bestTrue);
        QCOMPARE(early.proxy()->predictedClass(), bestPredicted);
        QCOMPARE(early.proxy()->rowCount(), expected);

        // The live strip keeps the newest samples only, newest first.
        for (int batch = 0; batch < 5; ++batch) {
            QVector<PredictionSample> live = makeSamples(true).mid(batch * 4, 4);
            panel.addTrainingSamples(1, live);
        }
        QCOMPARE(panel.liveModel()->rowCount(), GalleryPanel::kLiveSamples);
        QCOMPARE(panel.liveModel()->index(0).data(GalleryModel::ItemRole).toString(),
                 QStringLiteral("memory#19"));

        panel.clear();
        QCOMPARE(panel.proxy()->rowCount(), 0);
        QCOMPARE(panel.liveModel()->rowCount(), 0);
    }

    void doubleClickOpensInspector() {
        // A source holding the full-size images under the items' names.
        std::vector<fts::RgbImage> images;
        std::vector<int> labels;
        for (int i = 0; i < kRows; ++i) {
            images.push_back(fts::ui::toRgbImage(thumbnailFor(i, 64)));
            labels.push_back(i % kClasses);
        }
        std::shared_ptr<const fts::DataSource> source =
            fts::makeMemorySource({"cat", "dog", "fox"}, images, labels);

        GalleryPanel panel;
        panel.resize(900, 700);
        panel.setClassNames({"cat", "dog", "fox"});
        panel.setDataSource(source);
        panel.setPredictions(1, makeSamples(true));
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(findInspector() == nullptr);

        QListView* view = panel.view();
        const QModelIndex first = panel.proxy()->index(0, 0);
        QTRY_VERIFY(view->visualRect(first).isValid());
        const QPoint center = view->visualRect(first).center();
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, center);
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, center);

        ImageInspector* inspector = findInspector();
        QVERIFY(inspector != nullptr);
        const QString item = first.data(GalleryModel::ItemRole).toString();
        QCOMPARE(inspector->sample().item, item);
        // The thumbnail shows at once; the full 64 px image replaces it.
        QTRY_VERIFY(inspector->fullImageLoaded());
        QCOMPARE(inspector->image().size(), QSize(64, 64));
        QCOMPARE(inspector->image().pixelColor(3, 3),
                 thumbnailFor(item.section('#', 1).toInt(), 64).pixelColor(3, 3));

        QPointer<ImageInspector> guard(inspector);
        inspector->close();
        QTRY_VERIFY(guard.isNull());  // WA_DeleteOnClose
        QVERIFY(findInspector() == nullptr);
    }

    void inspectorFallsBackToThumbnail() {
        PredictionSample s = makeSamples(true)[4];
        s.item = QStringLiteral("/no/such/file.png");
        auto source =
            fts::makeMemorySource({"cat", "dog"}, {fts::ui::toRgbImage(thumbnailFor(1))}, {0});
        ImageInspector inspector(s, {"cat", "dog", "fox"}, std::move(source));
        inspector.setAttribute(Qt::WA_DeleteOnClose, false);
        QCOMPARE(inspector.image(), s.thumbnail);
        QSignalSpy loaded(&inspector, &ImageInspector::imageLoaded);
        QVERIFY(inspector.isLoading());
        QTRY_VERIFY(!inspector.isLoading());  // nothing matches the item
        QCOMPARE(loaded.count(), 0);
        QVERIFY(!inspector.fullImageLoaded());
        QCOMPARE(inspector.image(), s.thumbnail);
        // Top-5 bars show the probabilities.
        auto* bar = inspector.findChild<QProgressBar*>(QStringLiteral("topBar0"));
        QVERIFY(bar);
        QCOMPARE(bar->value(), qRound(s.topProbabilities[0] * 1000.0));
    }

    void findItemByName() {
        auto source = fts::makeMemorySource(
            {"a", "b"},
            {fts::ui::toRgbImage(thumbnailFor(1)), fts::ui::toRgbImage(thumbnailFor(2)),
             fts::ui::toRgbImage(thumbnailFor(3))},
            {0, 1, 0});
        QCOMPARE(ImageInspector::findItem(*source, QStringLiteral("memory#2")), 2LL);
        QCOMPARE(ImageInspector::findItem(*source, QStringLiteral("memory#9")), -1LL);
        QCOMPARE(ImageInspector::findItem(*source, QStringLiteral("other#1")), -1LL);
    }
};

QTEST_MAIN(TestGalleryModel)
#include "tst_gallerymodel.moc"
