// Data sources: ImageFolder scanning, IDX (plain and gzipped), CIFAR-10
// binaries, the openDataSource dispatch and in-memory sources. Every input is
// generated here: PPM/PGM images, IDX and CIFAR bytes, gzip through zlib.
#include "core/error.h"
#include "core/fileio.h"
#include "data/cifarsource.h"
#include "data/datasource.h"
#include "data/idxsource.h"
#include "data/imagefoldersource.h"

#include <QtTest/QtTest>

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

namespace {

fs::path u8(const std::string& s) {
    return fs::u8path(s);
}

void writeBytes(const fs::path& file, const Bytes& bytes) {
    fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    QVERIFY(out.good());
}

void writeText(const fs::path& file, const std::string& text) {
    writeBytes(file, Bytes(text.begin(), text.end()));
}

// A w x h binary PPM whose pixels are (seed + x, seed + y, seed).
void writePpm(const fs::path& file, int w, int h, int seed = 0) {
    const std::string header = "P6\n" + std::to_string(w) + " " + std::to_string(h) + "\n255\n";
    Bytes bytes(header.begin(), header.end());
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            bytes.push_back(static_cast<std::uint8_t>(seed + x));
            bytes.push_back(static_cast<std::uint8_t>(seed + y));
            bytes.push_back(static_cast<std::uint8_t>(seed));
        }
    writeBytes(file, bytes);
}

void writePgm(const fs::path& file, int w, int h) {
    const std::string header = "P5\n" + std::to_string(w) + " " + std::to_string(h) + "\n255\n";
    Bytes bytes(header.begin(), header.end());
    bytes.resize(bytes.size() + static_cast<std::size_t>(w) * h, 77);
    writeBytes(file, bytes);
}

void put32(Bytes& b, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<std::uint8_t>(v >> shift));
}

Bytes idxImages(std::uint32_t count, std::uint32_t h, std::uint32_t w) {
    Bytes b;
    put32(b, 0x803);
    put32(b, count);
    put32(b, h);
    put32(b, w);
    for (std::uint32_t i = 0; i < count * h * w; ++i)
        b.push_back(static_cast<std::uint8_t>(i / (h * w) * 10 +
                                              i % (h * w) % 7));  // image i: 10*i + (p % 7)
    return b;
}

Bytes idxLabels(const std::vector<std::uint8_t>& labels) {
    Bytes b;
    put32(b, 0x801);
    put32(b, static_cast<std::uint32_t>(labels.size()));
    b.insert(b.end(), labels.begin(), labels.end());
    return b;
}

Bytes gzip(const Bytes& plain) {
    z_stream zs{};
    deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    Bytes out(deflateBound(&zs, static_cast<uLong>(plain.size())) + 64);
    zs.next_in = const_cast<Bytef*>(plain.data());
    zs.avail_in = static_cast<uInt>(plain.size());
    zs.next_out = out.data();
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

// CIFAR-10 records: label, then R, G, B planes; plane c of record r holds r * 3 + c.
Bytes cifarRecords(const std::vector<std::uint8_t>& labels) {
    Bytes b;
    for (std::size_t r = 0; r < labels.size(); ++r) {
        b.push_back(labels[r]);
        for (int c = 0; c < 3; ++c)
            for (int p = 0; p < 1024; ++p)
                b.push_back(static_cast<std::uint8_t>(c == 0 ? r * 3 + (p % 32) : r * 3 + c));
    }
    return b;
}

}  // namespace

class TstDatasource : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void imageFolderClassesAndCounts();
    void imageFolderNonAsciiNames();
    void imageFolderNeedsTwoClasses_data();
    void imageFolderNeedsTwoClasses();
    void imageFolderCorruptFileNamesIt_data();
    void imageFolderCorruptFileNamesIt();
    void idxReads_data();
    void idxReads();
    void idxRejects_data();
    void idxRejects();
    void cifarFolderAndFile();
    void cifarRejects_data();
    void cifarRejects();
    void openDispatches_data();
    void openDispatches();
    void openRefuses_data();
    void openRefuses();
    void memorySourceValidates();

private:
    fs::path dir(const std::string& rel = {}) const {
        return rel.empty() ? u8(m_tmp->path().toStdString())
                           : u8(m_tmp->path().toStdString() + "/" + rel);
    }
    static void expectError(const std::function<void()>& f,
                            const std::vector<std::string>& fragments) {
        try {
            f();
        } catch (const fts::Error& e) {
            const std::string what = e.what();
            for (const auto& frag : fragments)
                QVERIFY2(what.find(frag) != std::string::npos,
                         ("'" + frag + "' not in: " + what).c_str());
            QVERIFY2(what.find('\n') == std::string::npos, "error messages are one line");
            return;
        }
        QFAIL("no fts::Error thrown");
    }
    std::unique_ptr<QTemporaryDir> m_tmp;
};

void TstDatasource::init() {
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
}

void TstDatasource::imageFolderClassesAndCounts() {
    const fs::path root = dir("pets");
    writePpm(root / "dog" / "b.ppm", 4, 3);
    writePpm(root / "dog" / "a.PPM", 5, 2);           // extensions in any case
    writePgm(root / "dog" / "deep" / "c.pgm", 3, 3);  // recursive
    writePpm(root / "cat" / "1.ppm", 2, 2);
    writeText(root / "cat" / "notes.txt", "not an image");
    writePpm(root / "cat" / ".hidden.ppm", 2, 2);       // hidden file
    writePpm(root / "cat" / ".cache" / "x.ppm", 2, 2);  // hidden folder
    writePpm(root / ".git" / "y.ppm", 2, 2);            // hidden class folder
    writePpm(root / "Zebra" / "z.ppm", 2, 2);           // 'Z' sorts before 'c' byte-wise
    fs::create_directories(root / "empty");
    writeText(root / "README.txt", "top-level files are not classes");

    fts::ImageFolderSource source(root);
    const std::vector<std::string> expected{"Zebra", "cat", "dog", "empty"};
    QCOMPARE(source.classNames(), expected);
    QCOMPARE(source.size(), std::size_t(5));
    QCOMPARE(source.label(0), 0);
    QCOMPARE(source.label(1), 1);
    for (std::size_t i = 2; i < 5; ++i) QCOMPARE(source.label(i), 2);
    QVERIFY(source.itemName(2).find("a.PPM") != std::string::npos);
    QVERIFY(source.itemName(3).find("b.ppm") != std::string::npos);
    QVERIFY(source.itemName(4).find("c.pgm") != std::string::npos);
    const fts::RgbImage a = source.load(2);
    QCOMPARE(a.width, 5);
    QCOMPARE(a.height, 2);
    QCOMPARE(int(a.pixels[3]), 1);  // pixel (1, 0): R = x
    const fts::RgbImage c = source.load(4);
    QCOMPARE(int(c.pixels[0]), 77);  // grey replicated
    QCOMPARE(int(c.pixels[2]), 77);

    const auto problems = source.scanProblems();
    QCOMPARE(problems.size(), std::size_t(1));
    QVERIFY(problems[0].path.find("empty") != std::string::npos);
    QVERIFY(source.description().find("4 classes, 5 files") != std::string::npos);
}

void TstDatasource::imageFolderNonAsciiNames() {
    const fs::path root = dir(u8"d\u00e4ten");
    const std::string cat = "\xE7\x8C\xAB";      // 猫
    const std::string katze = "Katze_\xC3\x9F";  // Katze_ß
    const std::string eule = "\xC3\x89ule";      // Éule
    writePpm(root / u8(cat) / u8("\xE5\x9B\xBE.ppm"), 3, 3);
    writePpm(root / u8(katze) / "1.ppm", 3, 3);
    writePpm(root / u8(eule) / "1.ppm", 3, 3);
    fts::ImageFolderSource source(root);
    // Byte-wise UTF-8 order: 'K' (0x4B) < 0xC3 (É) < 0xE7 (猫).
    const std::vector<std::string> expected{katze, eule, cat};
    QCOMPARE(source.classNames(), expected);
    QVERIFY(source.itemName(2).find("\xE5\x9B\xBE.ppm") != std::string::npos);
    QCOMPARE(source.load(2).width, 3);
}

void TstDatasource::imageFolderNeedsTwoClasses_data() {
    QTest::addColumn<int>("classesWithImages");
    QTest::addColumn<int>("emptyClasses");
    QTest::newRow("nothing") << 0 << 0;
    QTest::newRow("one class") << 1 << 0;
    QTest::newRow("one class and an empty one") << 1 << 2;
}

void TstDatasource::imageFolderNeedsTwoClasses() {
    QFETCH(int, classesWithImages);
    QFETCH(int, emptyClasses);
    const fs::path root = dir("few");
    fs::create_directories(root);
    for (int c = 0; c < classesWithImages; ++c)
        writePpm(root / ("c" + std::to_string(c)) / "1.ppm", 2, 2);
    for (int c = 0; c < emptyClasses; ++c) fs::create_directories(root / ("e" + std::to_string(c)));
    expectError([&] { fts::ImageFolderSource s(root); },
                {fts::displayPath(root), "at least two class"});
}

void TstDatasource::imageFolderCorruptFileNamesIt_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("random bytes as jpg")
        << "broken.jpg" << QByteArray("\x13\x37 this is no JPEG at all \x01\x02", 28);
    QTest::newRow("empty png") << "empty.png" << QByteArray();
    QTest::newRow("truncated ppm") << "cut.ppm" << QByteArray("P6\n64 64\n255\n\x01\x02\x03", 16);
}

void TstDatasource::imageFolderCorruptFileNamesIt() {
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    const fs::path root = dir("bad");
    writePpm(root / "a" / "ok.ppm", 2, 2);
    writePpm(root / "b" / "ok.ppm", 2, 2);
    writeBytes(root / "b" / u8(name.toStdString()), Bytes(bytes.begin(), bytes.end()));
    fts::ImageFolderSource source(root);
    QCOMPARE(source.size(), std::size_t(3));
    std::size_t bad = 0;
    for (std::size_t i = 0; i < source.size(); ++i)
        if (source.itemName(i).find(name.toStdString()) != std::string::npos) bad = i;
    expectError([&] { source.load(bad); }, {name.toStdString()});
}

void TstDatasource::idxReads_data() {
    QTest::addColumn<bool>("gzipped");
    QTest::addColumn<bool>("withClassesFile");
    QTest::addColumn<QString>("imagesName");
    QTest::newRow("plain") << false << false << "train-images-idx3-ubyte";
    QTest::newRow("plain, classes.txt") << false << true << "train-images-idx3-ubyte";
    QTest::newRow("gzipped") << true << false << "t10k-images-idx3-ubyte.gz";
    QTest::newRow("gzipped, classes.txt") << true << true << "t10k-images-idx3-ubyte.gz";
    QTest::newRow("dotted names") << false << false << "train-images.idx3-ubyte";
}

void TstDatasource::idxReads() {
    QFETCH(bool, gzipped);
    QFETCH(bool, withClassesFile);
    QFETCH(QString, imagesName);
    const std::string images = imagesName.toStdString();
    std::string labels = images;
    if (labels.find("images-idx3") != std::string::npos)
        labels.replace(labels.find("images-idx3"), 11, "labels-idx1");
    else
        labels.replace(labels.find("images.idx3"), 11, "labels.idx1");
    const std::vector<std::uint8_t> labelValues{3, 0, 2, 3, 1};
    Bytes imageBytes = idxImages(5, 4, 3);
    Bytes labelBytes = idxLabels(labelValues);
    if (gzipped) {
        imageBytes = gzip(imageBytes);
        labelBytes = gzip(labelBytes);
    }
    writeBytes(dir("idx") / images, imageBytes);
    writeBytes(dir("idx") / labels, labelBytes);
    if (withClassesFile) writeText(dir("idx") / "classes.txt", "zero\r\nOne\ntwo \nthree\n\n");

    fts::IdxSource source(dir("idx") / images);
    QCOMPARE(source.size(), std::size_t(5));
    const std::vector<std::string> expected =
        withClassesFile ? std::vector<std::string>{"zero", "One", "two", "three"}
                        : std::vector<std::string>{"0", "1", "2", "3"};
    QCOMPARE(source.classNames(), expected);
    for (std::size_t i = 0; i < labelValues.size(); ++i)
        QCOMPARE(source.label(i), int(labelValues[i]));
    QCOMPARE(source.itemName(2), images + "#2");
    const fts::RgbImage im = source.load(2);
    QCOMPARE(im.width, 3);
    QCOMPARE(im.height, 4);
    QCOMPARE(im.pixels.size(), std::size_t(4 * 3 * 3));
    for (int p = 0; p < 12; ++p)
        for (int c = 0; c < 3; ++c)
            QCOMPARE(int(im.pixels[p * 3 + c]), 20 + p % 7);  // replicated grey
    QVERIFY(source.description().find("4 classes, 5 images") != std::string::npos);
}

void TstDatasource::idxRejects_data() {
    QTest::addColumn<QString>("fault");
    QTest::addColumn<QString>("blamed");  // which file the message names
    QTest::addColumn<QString>("message");
    QTest::newRow("bad magic") << "magic"
                               << "images"
                               << "magic number";
    QTest::newRow("truncated images") << "truncate"
                                      << "images"
                                      << "truncated";
    QTest::newRow("extra bytes") << "extra"
                                 << "images"
                                 << "more than its header";
    QTest::newRow("huge declared count") << "huge"
                                         << "images"
                                         << "truncated";
    QTest::newRow("zero images") << "zero"
                                 << "images"
                                 << "no images";
    QTest::newRow("count mismatch") << "count"
                                    << "labels"
                                    << "holds 4 labels";
    QTest::newRow("labels file missing") << "nolabels"
                                         << "images"
                                         << "is missing";
    QTest::newRow("truncated gzip") << "gzcut"
                                    << "images"
                                    << "truncated";
    QTest::newRow("too few class names") << "classes"
                                         << "classes.txt"
                                         << "names 2 classes";
}

void TstDatasource::idxRejects() {
    QFETCH(QString, fault);
    QFETCH(QString, blamed);
    QFETCH(QString, message);
    const std::string f = fault.toStdString();
    Bytes images = idxImages(5, 4, 3);
    Bytes labels = idxLabels({0, 1, 2, 3, 4});
    std::string imagesName = "x-images-idx3-ubyte";
    std::string labelsName = "x-labels-idx1-ubyte";
    if (f == "magic") images[3] = 0x08;
    if (f == "truncate") images.resize(images.size() - 5);
    if (f == "extra") images.push_back(0);
    if (f == "huge") {
        images[4] = 0x00, images[5] = 0x10;  // 1 M images of 4 x 3 declared
    }
    if (f == "zero") {
        images = idxImages(0, 4, 3);
        labels = idxLabels({});
    }
    if (f == "count") labels = idxLabels({0, 1, 2, 3});
    if (f == "gzcut") {
        images = gzip(images);
        images.resize(images.size() / 2);
        imagesName += ".gz";
        labelsName += ".gz";
        labels = gzip(labels);
    }
    if (f == "classes") writeText(dir("idx") / "classes.txt", "a\nb\n");
    writeBytes(dir("idx") / imagesName, images);
    if (f != "nolabels") writeBytes(dir("idx") / labelsName, labels);
    const std::string blamedName =
        blamed == "images" ? imagesName : (blamed == "labels" ? labelsName : blamed.toStdString());
    expectError([&] { fts::IdxSource s(dir("idx") / imagesName); },
                {blamedName, message.toStdString()});
}

void TstDatasource::cifarFolderAndFile() {
    const fs::path folder = dir("cifar");
    writeBytes(folder / "data_batch_2.bin", cifarRecords({7, 8}));
    writeBytes(folder / "data_batch_1.bin", cifarRecords({1, 2, 9}));
    writeBytes(folder / "data_batch_10.bin", cifarRecords({4}));  // numeric order: after 2
    writeBytes(folder / "test_batch.bin", cifarRecords({5}));
    writeText(folder / "batches.meta.txt",
              "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n");
    fts::CifarSource source(folder);
    QCOMPARE(source.size(), std::size_t(6));
    QCOMPARE(source.classNames().size(), std::size_t(10));
    QCOMPARE(source.classNames()[9], std::string("truck"));
    const std::vector<int> labels{1, 2, 9, 7, 8, 4};
    for (std::size_t i = 0; i < labels.size(); ++i) QCOMPARE(source.label(i), labels[i]);
    QCOMPARE(source.itemName(1), std::string("data_batch_1.bin#1"));
    QCOMPARE(source.itemName(4), std::string("data_batch_2.bin#1"));
    QCOMPARE(source.itemName(5), std::string("data_batch_10.bin#0"));
    // Record 1 of data_batch_2: R plane = 3 + x, G = 4, B = 5.
    const fts::RgbImage im = source.load(4);
    QCOMPARE(im.width, 32);
    QCOMPARE(im.height, 32);
    const std::size_t px = (5 * 32 + 6) * 3;  // (x 6, y 5)
    QCOMPARE(int(im.pixels[px]), 3 + 6);
    QCOMPARE(int(im.pixels[px + 1]), 4);
    QCOMPARE(int(im.pixels[px + 2]), 5);

    fts::CifarSource single(folder / "test_batch.bin");
    QCOMPARE(single.size(), std::size_t(1));
    QCOMPARE(single.label(0), 5);
    QCOMPARE(single.classNames()[5], std::string("dog"));
    QCOMPARE(single.itemName(0), std::string("test_batch.bin#0"));
}

void TstDatasource::cifarRejects_data() {
    QTest::addColumn<int>("extraBytes");
    QTest::addColumn<int>("label");
    QTest::addColumn<QString>("message");
    QTest::newRow("size not a multiple") << 5 << 3 << "not a multiple of the 3073-byte record";
    QTest::newRow("truncated record") << -100 << 3 << "not a multiple";
    QTest::newRow("label out of range") << 0 << 42 << "has label 42";
}

void TstDatasource::cifarRejects() {
    QFETCH(int, extraBytes);
    QFETCH(int, label);
    QFETCH(QString, message);
    Bytes bytes = cifarRecords({1, static_cast<std::uint8_t>(label)});
    bytes.resize(static_cast<std::size_t>(static_cast<int>(bytes.size()) + extraBytes), 0);
    writeBytes(dir("c") / "data_batch_1.bin", bytes);
    expectError([&] { fts::CifarSource s(dir("c")); }, {"data_batch_1.bin", message.toStdString()});
    expectError([&] { fts::openDataSource(dir("c") / "data_batch_1.bin"); },
                {"data_batch_1.bin", message.toStdString()});
}

void TstDatasource::openDispatches_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("descriptionStart");
    QTest::newRow("ImageFolder") << "folder"
                                 << "ImageFolder ";
    QTest::newRow("IDX") << "idx"
                         << "IDX ";
    QTest::newRow("IDX gzipped") << "idxgz"
                                 << "IDX ";
    QTest::newRow("CIFAR folder") << "cifar"
                                  << "CIFAR-10 ";
    QTest::newRow("CIFAR file") << "cifarfile"
                                << "CIFAR-10 ";
}

void TstDatasource::openDispatches() {
    QFETCH(QString, kind);
    QFETCH(QString, descriptionStart);
    const std::string k = kind.toStdString();
    fs::path target;
    if (k == "folder") {
        writePpm(dir("f/a/1.ppm"), 2, 2);
        writePpm(dir("f/b/1.ppm"), 2, 2);
        target = dir("f");
    } else if (k == "idx" || k == "idxgz") {
        const bool gz = k == "idxgz";
        // The magic is read through the compression, whatever the name says.
        target = dir("i") / "my-images-idx3-ubyte";
        writeBytes(target, gz ? gzip(idxImages(2, 2, 2)) : idxImages(2, 2, 2));
        writeBytes(dir("i") / "my-labels-idx1-ubyte", idxLabels({0, 1}));
    } else if (k == "cifar") {
        writeBytes(dir("c/data_batch_1.bin"), cifarRecords({0, 1}));
        target = dir("c");
    } else {
        writeBytes(dir("c/test_batch.bin"), cifarRecords({0, 1}));
        target = dir("c/test_batch.bin");
    }
    const auto source = fts::openDataSource(target);
    QCOMPARE(source->size(), std::size_t(2));
    QVERIFY2(source->description().rfind(descriptionStart.toStdString(), 0) == 0,
             source->description().c_str());
}

void TstDatasource::openRefuses_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");
    QTest::newRow("text file") << "notes.txt" << QByteArray("hello")
                               << "not a dataset this app reads";
    QTest::newRow("empty file") << "empty.dat" << QByteArray() << "not a dataset this app reads";
    QTest::newRow("labels file") << "t-labels-idx1-ubyte" << QByteArray("\0\0\x08\x01\0\0\0\0", 8)
                                 << "IDX labels file";
    QTest::newRow("missing") << "" << QByteArray() << "no such file or folder";
}

void TstDatasource::openRefuses() {
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    fs::path target = dir("nothing-here");
    if (!name.isEmpty()) {
        target = dir(name.toStdString());
        writeBytes(target, Bytes(bytes.begin(), bytes.end()));
    }
    expectError([&] { fts::openDataSource(target); },
                {fts::displayPath(target), message.toStdString()});
}

void TstDatasource::memorySourceValidates() {
    fts::RgbImage im;
    im.width = 2;
    im.height = 1;
    im.pixels = {1, 2, 3, 4, 5, 6};
    const auto source = fts::makeMemorySource({"a", "b"}, {im, im}, {0, 1});
    QCOMPARE(source->size(), std::size_t(2));
    QCOMPARE(source->label(1), 1);
    QCOMPARE(source->load(1).pixels, im.pixels);
    expectError([&] { fts::makeMemorySource({"a"}, {im}, {1}); }, {"label 1"});
    expectError([&] { fts::makeMemorySource({"a"}, {im, im}, {0}); }, {"2 images but 1 labels"});
    expectError([&] { fts::makeMemorySource({"a"}, {fts::RgbImage{}}, {0}); }, {"empty"});
}

QTEST_GUILESS_MAIN(TstDatasource)
#include "tst_datasource.moc"
