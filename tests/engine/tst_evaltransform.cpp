// The evaluation preprocessing against torchvision's PIL pipeline:
// Resize(256) and CenterCrop(224) outputs are compared pixel for pixel.
#include "core/error.h"
#include "data/evaltransform.h"
#include "data/imagedecode.h"

#include <ATen/ATen.h>

#include <QtTest/QtTest>

#include <filesystem>

namespace fs = std::filesystem;

class TstEvalTransform : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesTorchvision_data();
    void matchesTorchvision();
    void resizeSizeRoundsLikeDesign();
    void cropOffsetsRoundHalfToEven_data();
    void cropOffsetsRoundHalfToEven();
    void smallImageIsPaddedWithZeros();
    void tensorIsNormalised();
    void undecodableFileNamesTheFile();

private:
    static fs::path fixture(const std::string& rel) {
        return fs::u8path(std::string(FTS_FIXTURE_DIR) + "/predict/" + rel);
    }
    static int maxDifference(const fts::RgbImage& a, const fts::RgbImage& b) {
        int worst = 0;
        for (std::size_t i = 0; i < a.pixels.size(); ++i)
            worst = std::max(worst, std::abs(int(a.pixels[i]) - int(b.pixels[i])));
        return worst;
    }
};

void TstEvalTransform::matchesTorchvision_data() {
    QTest::addColumn<QString>("name");
    for (const char* n :
         {"square_256x256.png", "tall_256x320.png", "odd_289x256.png", "up_300x200.png",
          "down_700x500.png", "gray_320x240.png", "bild_\xC3\x9F_\xE7\x8C\xAB.png"})
        QTest::newRow(n) << QString::fromUtf8(n);
}

void TstEvalTransform::matchesTorchvision() {
    QFETCH(QString, name);
    const std::string n = name.toStdString();
    const fts::RgbImage image = fts::decodeImageFile(fixture("images/" + n));
    const fts::RgbImage refResized = fts::decodeImageFile(fixture("reference/resized_" + n));
    const fts::RgbImage refCropped = fts::decodeImageFile(fixture("reference/cropped_" + n));

    const fts::RgbImage resized = fts::resizeShorterSide(image, 256);
    QCOMPARE(resized.width, refResized.width);
    QCOMPARE(resized.height, refResized.height);
    // Pillow's fixed-point filter reproduced exactly: no pixel may differ.
    QCOMPARE(maxDifference(resized, refResized), 0);

    const fts::RgbImage cropped = fts::centerCrop(resized, 224);
    QCOMPARE(cropped.width, 224);
    QCOMPARE(cropped.height, 224);
    QCOMPARE(maxDifference(cropped, refCropped), 0);
}

void TstEvalTransform::resizeSizeRoundsLikeDesign() {
    QCOMPARE(fts::resizeSizeFor(224), 256);
    QCOMPARE(fts::resizeSizeFor(28), 32);
    QCOMPARE(fts::resizeSizeFor(160), 183);  // round(182.857)
}

void TstEvalTransform::cropOffsetsRoundHalfToEven_data() {
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("expectedLeft");
    QTest::newRow("even difference") << 10 << 3;         // (10-4)/2 = 3
    QTest::newRow("x.5 rounds down to even") << 9 << 2;  // 2.5 -> 2
    QTest::newRow("x.5 rounds up to even") << 11 << 4;   // 3.5 -> 4
}

void TstEvalTransform::cropOffsetsRoundHalfToEven() {
    QFETCH(int, width);
    QFETCH(int, expectedLeft);
    fts::RgbImage image;
    image.width = width;
    image.height = 4;
    image.pixels.resize(static_cast<std::size_t>(width) * 4 * 3);
    for (int x = 0; x < width; ++x)
        for (int y = 0; y < 4; ++y)
            image.pixels[(y * width + x) * 3] = static_cast<std::uint8_t>(x);
    const fts::RgbImage c = fts::centerCrop(image, 4);
    QCOMPARE(int(c.pixels[0]), expectedLeft);
}

void TstEvalTransform::smallImageIsPaddedWithZeros() {
    fts::RgbImage image;
    image.width = 2;
    image.height = 2;
    image.pixels.assign(12, 200);
    const fts::RgbImage c = fts::centerCrop(image, 4);  // pads 1 on each side
    QCOMPARE(int(c.pixels[0]), 0);
    QCOMPARE(int(c.pixels[(1 * 4 + 1) * 3]), 200);
    QCOMPARE(int(c.pixels[(3 * 4 + 3) * 3]), 0);
}

void TstEvalTransform::tensorIsNormalised() {
    fts::RgbImage image;
    image.width = 256;
    image.height = 256;
    image.pixels.assign(256 * 256 * 3, 255);
    fts::Normalization norm;
    const at::Tensor t = fts::evalTransform(image, 224, norm);
    QCOMPARE(t.sizes().vec(), (std::vector<std::int64_t>{3, 224, 224}));
    for (int c = 0; c < 3; ++c)
        QVERIFY(std::abs(t[c][0][0].item<float>() - (1.0f - norm.mean[c]) / norm.std[c]) < 1e-6f);
}

void TstEvalTransform::undecodableFileNamesTheFile() {
    const fs::path bad = fs::temp_directory_path() / "fts_not_an_image.png";
    {
        std::FILE* f = std::fopen(bad.string().c_str(), "wb");
        std::fputs("this is text, not a PNG", f);
        std::fclose(f);
    }
    try {
        fts::decodeImageFile(bad);
        QFAIL("decoding text should throw");
    } catch (const fts::Error& e) {
        QVERIFY2(std::string(e.what()).find("fts_not_an_image.png") != std::string::npos, e.what());
    }
    fs::remove(bad);
}

QTEST_GUILESS_MAIN(TstEvalTransform)
#include "tst_evaltransform.moc"
