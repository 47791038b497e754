// The image policy's header parsing (imageformat.h), on bytes built here: no
// decoder involved. Format by magic bytes, width/height/orientation from every
// header kind, the pixel limit, and completeness (files cut short).
#include "data/imageformat.h"

#include <QtTest/QtTest>

#include <zlib.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

using Bytes = std::vector<std::uint8_t>;
Q_DECLARE_METATYPE(Bytes)
Q_DECLARE_METATYPE(fts::ImageFormat)

namespace {

Bytes text(const std::string& s) {
    return Bytes(s.begin(), s.end());
}
void put(Bytes& b, const Bytes& more) {
    b.insert(b.end(), more.begin(), more.end());
}
void be16(Bytes& b, std::uint32_t v) {
    b.push_back(std::uint8_t(v >> 8));
    b.push_back(std::uint8_t(v));
}
void be32(Bytes& b, std::uint32_t v) {
    be16(b, v >> 16);
    be16(b, v & 0xFFFF);
}
void le16(Bytes& b, std::uint32_t v) {
    b.push_back(std::uint8_t(v));
    b.push_back(std::uint8_t(v >> 8));
}
void le32(Bytes& b, std::uint32_t v) {
    le16(b, v & 0xFFFF);
    le16(b, v >> 16);
}

// An EXIF/TIFF block with one orientation entry.
Bytes exif(int orientation, bool bigEndian) {
    Bytes b = bigEndian ? Bytes{'M', 'M', 0, 42} : Bytes{'I', 'I', 42, 0};
    auto u16 = [&](std::uint32_t v) { bigEndian ? be16(b, v) : le16(b, v); };
    auto u32 = [&](std::uint32_t v) { bigEndian ? be32(b, v) : le32(b, v); };
    u32(8);
    u16(1);
    u16(0x0112);
    u16(3);
    u32(1);
    u16(std::uint32_t(orientation));
    u16(0);
    u32(0);
    return b;
}

void pngChunk(Bytes& b, const std::string& type, const Bytes& data) {
    be32(b, std::uint32_t(data.size()));
    Bytes body = text(type);
    put(body, data);
    put(b, body);
    be32(b, std::uint32_t(crc32(0, body.data(), uInt(body.size()))));
}

Bytes png(std::uint32_t w, std::uint32_t h, int orientation = 0) {
    Bytes b{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    Bytes ihdr;
    be32(ihdr, w);
    be32(ihdr, h);
    put(ihdr, {8, 2, 0, 0, 0});
    pngChunk(b, "IHDR", ihdr);
    if (orientation) pngChunk(b, "eXIf", exif(orientation, false));
    pngChunk(b, "IDAT", Bytes(20, 0x42));  // not valid zlib: the parser does not inflate
    pngChunk(b, "IEND", {});
    return b;
}

Bytes jpeg(int w, int h, int orientation = 0, bool bigEndian = false, bool progressive = false) {
    Bytes b{0xFF, 0xD8};
    if (orientation) {
        Bytes app1 = text(std::string("Exif\0\0", 6));
        put(app1, exif(orientation, bigEndian));
        put(b, {0xFF, 0xE1});
        be16(b, std::uint32_t(app1.size() + 2));
        put(b, app1);
    }
    put(b, {0xFF, 0xDB});  // a quantisation table, content irrelevant
    be16(b, 67);
    put(b, Bytes(65, 1));
    put(b, {0xFF, std::uint8_t(progressive ? 0xC2 : 0xC0)});
    be16(b, 17);
    b.push_back(8);
    be16(b, std::uint32_t(h));
    be16(b, std::uint32_t(w));
    put(b, {3, 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0});
    for (int scan = 0; scan < (progressive ? 2 : 1); ++scan) {
        put(b, {0xFF, 0xDA});
        be16(b, 12);
        put(b, {3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0});
        put(b, {0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0x78});  // stuffing, a restart marker
        if (progressive) put(b, {0xFF, 0xC4, 0x00, 0x04, 0x00, 0x00});  // a table between scans
    }
    put(b, {0xFF, 0xD9});
    return b;
}

Bytes bmp(int w, int h) {
    const std::uint32_t stride = (std::uint32_t(w) * 3 + 3) / 4 * 4;
    const std::uint32_t absH = std::uint32_t(h < 0 ? -h : h);
    Bytes b{'B', 'M'};
    le32(b, 54 + stride * absH);
    le32(b, 0);
    le32(b, 54);
    le32(b, 40);
    le32(b, std::uint32_t(w));
    le32(b, std::uint32_t(h));
    le16(b, 1);
    le16(b, 24);
    le32(b, 0);
    le32(b, stride * absH);
    put(b, Bytes(16, 0));
    put(b, Bytes(stride * absH, 7));
    return b;
}

Bytes riff(const Bytes& chunks) {
    Bytes b = text("RIFF");
    le32(b, std::uint32_t(chunks.size() + 4));
    put(b, text("WEBP"));
    put(b, chunks);
    return b;
}

void riffChunk(Bytes& b, const std::string& type, const Bytes& data) {
    put(b, text(type));
    le32(b, std::uint32_t(data.size()));
    put(b, data);
    if (data.size() & 1) b.push_back(0);
}

Bytes webpLossy(int w, int h) {
    Bytes vp8{0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A};
    le16(vp8, std::uint32_t(w));
    le16(vp8, std::uint32_t(h));
    put(vp8, Bytes(10, 0));
    Bytes chunks;
    riffChunk(chunks, "VP8 ", vp8);
    return riff(chunks);
}

Bytes webpLossless(int w, int h) {
    Bytes vp8l{0x2F};
    le32(vp8l, std::uint32_t(w - 1) | (std::uint32_t(h - 1) << 14));
    put(vp8l, Bytes(8, 0));
    Bytes chunks;
    riffChunk(chunks, "VP8L", vp8l);
    return riff(chunks);
}

Bytes webpExtended(int w, int h, int orientation) {
    Bytes vp8x{0x08, 0, 0, 0};  // EXIF flag
    vp8x.push_back(std::uint8_t(w - 1));
    vp8x.push_back(std::uint8_t((w - 1) >> 8));
    vp8x.push_back(std::uint8_t((w - 1) >> 16));
    vp8x.push_back(std::uint8_t(h - 1));
    vp8x.push_back(std::uint8_t((h - 1) >> 8));
    vp8x.push_back(std::uint8_t((h - 1) >> 16));
    Bytes chunks;
    riffChunk(chunks, "VP8X", vp8x);
    Bytes vp8l{0x2F};
    le32(vp8l, std::uint32_t(w - 1) | (std::uint32_t(h - 1) << 14));
    put(vp8l, Bytes(8, 0));
    riffChunk(chunks, "VP8L", vp8l);
    riffChunk(chunks, "EXIF", exif(orientation, false));
    return riff(chunks);
}

// A TIFF with one strip of w * h * 3 bytes after the directory.
Bytes tiff(int w, int h, bool bigEndian) {
    Bytes b = bigEndian ? Bytes{'M', 'M', 0, 42} : Bytes{'I', 'I', 42, 0};
    auto u16 = [&](std::uint32_t v) { bigEndian ? be16(b, v) : le16(b, v); };
    auto u32 = [&](std::uint32_t v) { bigEndian ? be32(b, v) : le32(b, v); };
    u32(8);
    const std::uint32_t entries = 4;
    const std::uint32_t dataAt = 8 + 2 + entries * 12 + 4;
    u16(entries);
    auto entry = [&](std::uint32_t tag, std::uint32_t type, std::uint32_t value) {
        u16(tag);
        u16(type);
        u32(1);
        if (type == 3) {
            u16(value);
            u16(0);
        } else {
            u32(value);
        }
    };
    entry(256, 3, std::uint32_t(w));
    entry(257, 4, std::uint32_t(h));
    entry(273, 4, dataAt);
    entry(279, 4, std::uint32_t(w * h * 3));
    u32(0);
    put(b, Bytes(std::size_t(w * h * 3), 9));
    return b;
}

Bytes pnm(const std::string& header, std::size_t dataBytes) {
    Bytes b = text(header);
    put(b, Bytes(dataBytes, 1));
    return b;
}

fts::ImageInfo inspect(const Bytes& b) {
    return fts::inspectImage(b.data(), b.size());
}

}  // namespace

class TstImagePolicy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { fts::setMaxImagePixels(0); }
    void detect_data();
    void detect();
    void headers_data();
    void headers();
    void pixelLimit();
    void truncated_data();
    void truncated();
    void damaged();
    void sniffFile();
};

void TstImagePolicy::detect_data() {
    QTest::addColumn<Bytes>("bytes");
    QTest::addColumn<fts::ImageFormat>("format");
    QTest::addColumn<bool>("decodable");
    using F = fts::ImageFormat;
    QTest::newRow("jpeg") << jpeg(2, 2) << F::Jpeg << true;
    QTest::newRow("png") << png(2, 2) << F::Png << true;
    QTest::newRow("bmp") << bmp(2, 2) << F::Bmp << true;
    QTest::newRow("webp") << webpLossless(2, 2) << F::WebP << true;
    QTest::newRow("tiff II") << tiff(2, 2, false) << F::Tiff << true;
    QTest::newRow("tiff MM") << tiff(2, 2, true) << F::Tiff << true;
    QTest::newRow("pgm") << pnm("P5 2 2 255\n", 4) << F::Pnm << true;
    QTest::newRow("pbm ascii") << text("P1\n2 2\n0 1 1 0\n") << F::Pnm << true;
    QTest::newRow("gif") << text("GIF89a\x02\x00\x02\x00") << F::Gif << false;
    QTest::newRow("svg") << text("<svg xmlns='http://www.w3.org/2000/svg'/>") << F::Svg << false;
    QTest::newRow("svg with xml prolog")
        << text("\xEF\xBB\xBF<?xml version='1.0'?>\n<!-- x -->\n<svg/>") << F::Svg << false;
    QTest::newRow("html") << text("  <!DOCTYPE HTML><html></html>") << F::Html << false;
    QTest::newRow("text") << text("hello\nworld\n") << F::Text << false;
    QTest::newRow("text starting BM") << text("BMW 3 series, parts list\n") << F::Text << false;
    QTest::newRow("heic") << text(std::string("\0\0\0\x18"
                                              "ftypheic",
                                              12))
                          << F::Heif << false;
    QTest::newRow("binary") << Bytes{0, 1, 2, 3, 0xFE} << F::Unknown << false;
    QTest::newRow("empty") << Bytes{} << F::Unknown << false;
    QTest::newRow("P7 (PAM) is not PNM") << text("P7\nWIDTH 2\n") << F::Text << false;
}

void TstImagePolicy::detect() {
    QFETCH(Bytes, bytes);
    QFETCH(fts::ImageFormat, format);
    QFETCH(bool, decodable);
    QCOMPARE(fts::detectImageFormat(bytes.data(), bytes.size()), format);
    QCOMPARE(fts::isDecodableFormat(format), decodable);
    const std::string problem = fts::sniffProblem(bytes.data(), bytes.size(), bytes.size());
    QCOMPARE(problem.empty(), decodable);
}

void TstImagePolicy::headers_data() {
    QTest::addColumn<Bytes>("bytes");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("orientation");
    QTest::newRow("png") << png(640, 480) << 640 << 480 << 1;
    QTest::newRow("png eXIf") << png(30, 20, 8) << 30 << 20 << 8;
    QTest::newRow("jpeg baseline") << jpeg(1024, 768) << 1024 << 768 << 1;
    QTest::newRow("jpeg progressive") << jpeg(7, 5, 0, false, true) << 7 << 5 << 1;
    for (int o = 1; o <= 8; ++o) {
        QTest::addRow("jpeg exif II %d", o) << jpeg(40, 30, o) << 40 << 30 << o;
        QTest::addRow("jpeg exif MM %d", o) << jpeg(40, 30, o, true) << 40 << 30 << o;
    }
    QTest::newRow("jpeg exif out of range") << jpeg(4, 3, 9) << 4 << 3 << 1;
    QTest::newRow("bmp bottom-up") << bmp(5, 3) << 5 << 3 << 1;
    QTest::newRow("bmp top-down") << bmp(5, -3) << 5 << 3 << 1;
    QTest::newRow("webp lossy") << webpLossy(300, 200) << 300 << 200 << 1;
    QTest::newRow("webp lossless") << webpLossless(16383, 3) << 16383 << 3 << 1;
    QTest::newRow("webp extended") << webpExtended(70, 50, 6) << 70 << 50 << 6;
    QTest::newRow("tiff II") << tiff(6, 4, false) << 6 << 4 << 1;
    QTest::newRow("tiff MM") << tiff(6, 4, true) << 6 << 4 << 1;
    QTest::newRow("ppm with comments")
        << pnm("P6\n# made by hand\n4 # width\n3\n255\n", 36) << 4 << 3 << 1;
    QTest::newRow("pgm 16-bit") << pnm("P5 4 3 65535\n", 24) << 4 << 3 << 1;
    QTest::newRow("pbm") << pnm("P4\n9 2\n", 4) << 9 << 2 << 1;
    QTest::newRow("pgm ascii") << text("P2\n2 2\n255\n1 2\n3 4\n") << 2 << 2 << 1;
    QTest::newRow("1x1 png") << png(1, 1) << 1 << 1 << 1;
}

void TstImagePolicy::headers() {
    QFETCH(Bytes, bytes);
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(int, orientation);
    const fts::ImageInfo info = inspect(bytes);
    QVERIFY2(info.ok(), info.problem.c_str());
    QCOMPARE(info.width, width);
    QCOMPARE(info.height, height);
    QCOMPARE(info.orientation, orientation);
}

void TstImagePolicy::pixelLimit() {
    QCOMPARE(fts::maxImagePixels(), fts::kDefaultMaxImagePixels);
    // A decompression bomb: tiny file, huge declared size, refused naming it.
    fts::ImageInfo info = inspect(png(100000, 100000));
    QVERIFY(!info.ok());
    QVERIFY2(info.problem.find("100000 x 100000") != std::string::npos, info.problem.c_str());
    QVERIFY2(info.problem.find("10000.0 megapixels") != std::string::npos, info.problem.c_str());
    QVERIFY2(info.problem.find("limit of 100.0 megapixels") != std::string::npos,
             info.problem.c_str());
    QVERIFY(!inspect(jpeg(65535, 65535)).ok());
    QVERIFY(!inspect(bmp(20000, -20000)).ok());  // checked before the missing pixel rows
    QVERIFY(inspect(png(10000, 10000)).ok());    // exactly 100 megapixels is allowed
    QVERIFY(!inspect(png(10000, 10001)).ok());

    fts::setMaxImagePixels(100);
    QVERIFY(inspect(png(10, 10)).ok());
    info = inspect(png(11, 10));
    QVERIFY(!info.ok());
    QVERIFY2(info.problem.find("11 x 10 pixels (110 pixels)") != std::string::npos,
             info.problem.c_str());
    QVERIFY(!inspect(pnm("P5 11 10 255\n", 110)).ok());
    QVERIFY(!inspect(tiff(11, 10, false)).ok());
    QVERIFY(!inspect(webpLossless(11, 10)).ok());
    fts::setMaxImagePixels(0);
    QCOMPARE(fts::maxImagePixels(), fts::kDefaultMaxImagePixels);
}

void TstImagePolicy::truncated_data() {
    QTest::addColumn<Bytes>("bytes");
    QTest::newRow("jpeg") << jpeg(8, 8, 6);
    QTest::newRow("jpeg progressive") << jpeg(8, 8, 0, false, true);
    QTest::newRow("png") << png(8, 8, 3);
    QTest::newRow("bmp") << bmp(8, 8);
    QTest::newRow("webp lossy") << webpLossy(8, 8);
    QTest::newRow("webp extended") << webpExtended(8, 8, 2);
    QTest::newRow("tiff") << tiff(8, 8, true);
    QTest::newRow("ppm") << pnm("P6 8 8 255\n", 8 * 8 * 3);
    QTest::newRow("pbm") << pnm("P4 8 8\n", 8);
    QTest::newRow("pgm ascii") << text("P2 2 2 255\n1 2\n3 4\n");
}

// Whole, the file passes; cut anywhere, it never does.
void TstImagePolicy::truncated() {
    QFETCH(Bytes, bytes);
    QVERIFY2(inspect(bytes).ok(), inspect(bytes).problem.c_str());
    int saidTruncated = 0;
    for (std::size_t n = 1; n < bytes.size(); ++n) {
        const Bytes cut(bytes.begin(), bytes.begin() + std::ptrdiff_t(n));
        const fts::ImageInfo info = inspect(cut);
        if (info.ok() && bytes[0] == 'P' && n + 1 >= bytes.size())
            continue;  // ASCII PNM: a cut after the last digit cannot be told from the end
        QVERIFY2(!info.ok(), ("cut at " + std::to_string(n) + " passes").c_str());
        if (info.problem.find("truncated") != std::string::npos) ++saidTruncated;
    }
    // Cuts inside the pixel data (the last half of the file) say "truncated".
    QVERIFY(saidTruncated >= int(bytes.size() / 2));
}

void TstImagePolicy::damaged() {
    Bytes b = png(4, 4);
    b[45] ^= 0xFF;  // inside IDAT's data: its CRC no longer matches
    fts::ImageInfo info = inspect(b);
    QVERIFY2(info.problem.find("damaged") != std::string::npos &&
                 info.problem.find("IDAT") != std::string::npos,
             info.problem.c_str());
    b = jpeg(4, 4);
    b[71] = 0x12;  // no marker after the quantisation table
    info = inspect(b);
    QVERIFY2(info.problem.find("damaged") != std::string::npos, info.problem.c_str());
    info = inspect(png(0, 4));
    QVERIFY2(info.problem.find("damaged") != std::string::npos, info.problem.c_str());
    info = inspect(jpeg(0, 4));
    QVERIFY(!info.ok());
    Bytes noData;  // IHDR straight to IEND
    {
        Bytes full = png(4, 4);
        noData.assign(full.begin(), full.begin() + 33);
        pngChunk(noData, "IEND", {});
    }
    info = inspect(noData);
    QVERIFY2(info.problem.find("IDAT") != std::string::npos, info.problem.c_str());
}

void TstImagePolicy::sniffFile() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const std::filesystem::path dir(tmp.path().toStdString());
    auto write = [&](const char* name, const Bytes& bytes) {
        std::ofstream out(dir / name, std::ios::binary);
        out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
        return dir / name;
    };
    std::string problem = "unset";
    QCOMPARE(fts::sniffImageFile(write("a.txt", png(3, 3)), &problem), fts::ImageFormat::Png);
    QVERIFY(problem.empty());
    QCOMPARE(fts::sniffImageFile(write("b.jpg", {}), &problem), fts::ImageFormat::Unknown);
    QVERIFY2(problem.find("empty") != std::string::npos, problem.c_str());
    QCOMPARE(fts::sniffImageFile(write("c.png", text("<html><body>404</body></html>")), &problem),
             fts::ImageFormat::Html);
    QVERIFY2(problem.find("HTML") != std::string::npos, problem.c_str());
    QCOMPARE(fts::sniffImageFile(dir / "missing.png", &problem), fts::ImageFormat::Unknown);
    QVERIFY(!problem.empty());
}

QTEST_GUILESS_MAIN(TstImagePolicy)
#include "tst_imagepolicy.moc"
