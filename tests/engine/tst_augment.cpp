// Training transforms: names, RandomResizedCrop parameters, determinism for a
// given generator, output shape and range, and thumbnails.
#include "core/error.h"
#include "data/augment.h"
#include "data/evaltransform.h"

#include <ATen/ATen.h>

#include <QtTest/QtTest>

#include <cmath>

namespace {

// A gradient with some texture, so crops and flips change the result.
fts::RgbImage testImage(int w, int h) {
    fts::RgbImage im;
    im.width = w;
    im.height = h;
    im.pixels.resize(static_cast<std::size_t>(w) * h * 3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            std::uint8_t* p = &im.pixels[(static_cast<std::size_t>(y) * w + x) * 3];
            p[0] = static_cast<std::uint8_t>(x * 255 / std::max(1, w - 1));
            p[1] = static_cast<std::uint8_t>(y * 255 / std::max(1, h - 1));
            p[2] = static_cast<std::uint8_t>((x * 7 + y * 13) % 256);
        }
    return im;
}

// Back from normalised values to [0, 1].
at::Tensor unnormalise(const at::Tensor& t, const fts::Normalization& n) {
    const at::Tensor mean = at::tensor({n.mean[0], n.mean[1], n.mean[2]}).view({3, 1, 1});
    const at::Tensor sd = at::tensor({n.std[0], n.std[1], n.std[2]}).view({3, 1, 1});
    return t * sd + mean;
}

}  // namespace

Q_DECLARE_METATYPE(fts::Augment)

class TstAugment : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void names_data();
    void names();
    void unknownNameListsChoices();
    void cropBoxWithinBounds_data();
    void cropBoxWithinBounds();
    void cropBoxFallsBackToCentre();
    void shapeRangeAndDeterminism_data();
    void shapeRangeAndDeterminism();
    void noneIsTheEvalTransform();
    void lightFlipsAboutHalfTheTime();
    void flipCanBeTurnedOff();
    void intoMatchesTensorVersions();
    void thumbnail_data();
    void thumbnail();
};

void TstAugment::names_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<fts::Augment>("augment");
    QTest::newRow("none") << "none" << fts::Augment::None;
    QTest::newRow("light") << "light" << fts::Augment::Light;
    QTest::newRow("strong") << "strong" << fts::Augment::Strong;
    QTest::newRow("any case") << "Strong" << fts::Augment::Strong;
}

void TstAugment::names() {
    QFETCH(QString, text);
    QFETCH(fts::Augment, augment);
    QCOMPARE(fts::parseAugment(text.toStdString()), augment);
    QCOMPARE(fts::parseAugment(fts::augmentName(augment)), augment);
}

void TstAugment::unknownNameListsChoices() {
    try {
        fts::parseAugment("heavy");
        QFAIL("no error");
    } catch (const fts::Error& e) {
        const std::string what = e.what();
        QVERIFY(what.find("heavy") != std::string::npos);
        QVERIFY(what.find("none, light or strong") != std::string::npos);
    }
}

void TstAugment::cropBoxWithinBounds_data() {
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<double>("scaleMin");
    QTest::newRow("square light") << 64 << 64 << 0.5;
    QTest::newRow("wide strong") << 120 << 40 << 0.2;
    QTest::newRow("tall light") << 30 << 90 << 0.5;
    QTest::newRow("tiny") << 3 << 2 << 0.2;
}

void TstAugment::cropBoxWithinBounds() {
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(double, scaleMin);
    std::mt19937_64 rng(1);
    for (int i = 0; i < 500; ++i) {
        const fts::CropBox b = fts::randomResizedCropBox(width, height, scaleMin, 1.0, rng);
        QVERIFY(b.width >= 1 && b.height >= 1);
        QVERIFY(b.left >= 0 && b.top >= 0);
        QVERIFY(b.left + b.width <= width);
        QVERIFY(b.top + b.height <= height);
    }
    // On a large image the first try nearly always fits: area and ratio in range.
    std::mt19937_64 big(2);
    for (int i = 0; i < 200; ++i) {
        const fts::CropBox b = fts::randomResizedCropBox(1000, 1000, scaleMin, 1.0, big);
        const double area = double(b.width) * b.height / 1e6;
        const double ratio = double(b.width) / b.height;
        QVERIFY2(area > scaleMin - 0.01 && area < 1.01, std::to_string(area).c_str());
        QVERIFY(ratio > 0.74 && ratio < 1.35);
    }
}

void TstAugment::cropBoxFallsBackToCentre() {
    // 100 x 1: no crop of ratio 3/4..4/3 fits; torchvision falls back to the
    // central crop with the ratio clamped: height 1, width round(1 * 4/3) = 1.
    std::mt19937_64 rng(3);
    const fts::CropBox b = fts::randomResizedCropBox(100, 1, 0.5, 1.0, rng);
    QCOMPARE(b.height, 1);
    QCOMPARE(b.width, 1);
    QCOMPARE(b.left, 49);
    QCOMPARE(b.top, 0);
}

void TstAugment::shapeRangeAndDeterminism_data() {
    QTest::addColumn<fts::Augment>("augment");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("size");
    QTest::newRow("none") << fts::Augment::None << 40 << 30 << 16;
    QTest::newRow("light") << fts::Augment::Light << 40 << 30 << 16;
    QTest::newRow("light, upscaling") << fts::Augment::Light << 10 << 12 << 24;
    QTest::newRow("strong") << fts::Augment::Strong << 50 << 50 << 20;
    QTest::newRow("strong, wide") << fts::Augment::Strong << 90 << 20 << 8;
}

void TstAugment::shapeRangeAndDeterminism() {
    QFETCH(fts::Augment, augment);
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(int, size);
    const fts::RgbImage image = testImage(width, height);
    fts::TransformSpec spec;
    spec.cropSize = size;
    spec.augment = augment;
    std::mt19937_64 a(77), b(77);
    for (int round = 0; round < 5; ++round) {
        const at::Tensor ta = fts::trainTransform(image, spec, a);
        const at::Tensor tb = fts::trainTransform(image, spec, b);
        QCOMPARE(ta.sizes().vec(), (std::vector<std::int64_t>{3, size, size}));
        QCOMPARE(ta.scalar_type(), at::kFloat);
        QVERIFY(ta.is_contiguous());
        QVERIFY(at::equal(ta, tb));  // same generator state, same output
        const at::Tensor u = unnormalise(ta, spec.norm);
        QVERIFY(u.min().item<float>() >= -1e-5f);
        QVERIFY(u.max().item<float>() <= 1.0f + 1e-5f);
    }
    if (augment != fts::Augment::None) {
        // Different draws give different crops.
        std::mt19937_64 c(1), d(2);
        bool differs = false;
        for (int i = 0; i < 5 && !differs; ++i)
            differs = !at::equal(fts::trainTransform(image, spec, c),
                                 fts::trainTransform(image, spec, d));
        QVERIFY(differs);
    }
}

void TstAugment::noneIsTheEvalTransform() {
    const fts::RgbImage image = testImage(37, 29);
    fts::TransformSpec spec;
    spec.cropSize = 16;
    std::mt19937_64 rng(5);
    QVERIFY(
        at::equal(fts::trainTransform(image, spec, rng), fts::evalTransform(image, 16, spec.norm)));
}

void TstAugment::lightFlipsAboutHalfTheTime() {
    // A left/right gradient: a flipped sample has its red channel falling.
    const fts::RgbImage image = testImage(32, 32);
    fts::TransformSpec spec;
    spec.cropSize = 8;
    spec.augment = fts::Augment::Light;
    std::mt19937_64 rng(9);
    int flipped = 0;
    const int n = 200;
    for (int i = 0; i < n; ++i) {
        const at::Tensor t = fts::trainTransform(image, spec, rng);
        flipped += t[0][4][0].item<float>() > t[0][4][7].item<float>();
    }
    QVERIFY2(flipped > n / 2 - 30 && flipped < n / 2 + 30, std::to_string(flipped).c_str());
}

void TstAugment::flipCanBeTurnedOff() {
    const fts::RgbImage image = testImage(32, 32);
    fts::TransformSpec spec;
    spec.cropSize = 8;
    spec.augment = fts::Augment::Strong;
    spec.horizontalFlip = false;
    std::mt19937_64 rng(9);
    for (int i = 0; i < 50; ++i) {
        const at::Tensor t = fts::trainTransform(image, spec, rng);
        const at::Tensor u = unnormalise(t, spec.norm);
        // Colour jitter can flatten the gradient to equal values, never reverse it.
        QVERIFY(u[0][4][0].item<float>() <= u[0][4][7].item<float>() + 1e-5f);
    }
}

void TstAugment::intoMatchesTensorVersions() {
    const fts::RgbImage image = testImage(45, 33);
    fts::TransformSpec spec;
    spec.cropSize = 12;
    at::Tensor buffer = at::empty({3, 12, 12}, at::kFloat);
    fts::evalTransformInto(image, 12, spec.norm, buffer.data_ptr<float>());
    QVERIFY(at::equal(buffer, fts::evalTransform(image, 12, spec.norm)));  // bitwise
    spec.augment = fts::Augment::Strong;
    std::mt19937_64 a(4), b(4);
    fts::trainTransformInto(image, spec, a, buffer.data_ptr<float>());
    QVERIFY(at::equal(buffer, fts::trainTransform(image, spec, b)));
}

void TstAugment::thumbnail_data() {
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("maxSide");
    QTest::addColumn<int>("expectedWidth");
    QTest::addColumn<int>("expectedHeight");
    QTest::newRow("wide") << 200 << 100 << 64 << 64 << 32;
    QTest::newRow("tall") << 90 << 300 << 60 << 18 << 60;
    QTest::newRow("already small") << 28 << 28 << 64 << 28 << 28;
    QTest::newRow("thin") << 1000 << 2 << 50 << 50 << 1;
}

void TstAugment::thumbnail() {
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(int, maxSide);
    QFETCH(int, expectedWidth);
    QFETCH(int, expectedHeight);
    const fts::RgbImage t = fts::makeThumbnail(testImage(width, height), maxSide);
    QCOMPARE(t.width, expectedWidth);
    QCOMPARE(t.height, expectedHeight);
    QCOMPARE(t.pixels.size(), std::size_t(expectedWidth) * expectedHeight * 3);
}

QTEST_GUILESS_MAIN(TstAugment)
#include "tst_augment.moc"
