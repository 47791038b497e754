// The image policy against a corpus of messy files (tests/fixtures/
// make_image_corpus.py): every case of manifest.json through the real decoder,
// then all of them at once through an ImageFolder and the batch loader, as a
// training run sees them (skipped files with their reasons).
#include "core/error.h"
#include "data/imagedecode.h"
#include "data/imagefoldersource.h"
#include "data/loader.h"

#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const fs::path kCorpus = fs::path(FTS_FIXTURE_DIR) / "imagecorpus";

json manifest() {
    std::ifstream in(kCorpus / "manifest.json");
    if (!in) return json();
    return json::parse(in);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Checks a decoded image against a "loaded" case; empty when it matches.
std::string mismatch(const fts::RgbImage& image, const json& c) {
    if (image.width != c["width"].get<int>() || image.height != c["height"].get<int>())
        return "size " + std::to_string(image.width) + "x" + std::to_string(image.height);
    const int tolerance = c["tolerance"].get<int>();
    for (const auto& p : c["pixels"]) {
        const std::size_t at = (std::size_t(p[1].get<int>()) * image.width + p[0].get<int>()) * 3;
        for (int ch = 0; ch < 3; ++ch) {
            const int got = image.pixels[at + ch];
            const int want = p[2 + ch].get<int>();
            if (std::abs(got - want) > tolerance)
                return "pixel " + p.dump() + " channel " + std::to_string(ch) + " is " +
                       std::to_string(got);
        }
    }
    return {};
}

}  // namespace

class TstImageCorpus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void decoder_data();
    void decoder();
    void imageFolderAndLoader();

private:
    json m_manifest;
};

void TstImageCorpus::initTestCase() {
    m_manifest = manifest();
    QVERIFY2(m_manifest.contains("cases"),
             "no manifest.json: run the fixture (ctest -R fixture_imagecorpus)");
    QVERIFY(m_manifest["cases"].size() >= 60);
}

void TstImageCorpus::decoder_data() {
    QTest::addColumn<int>("index");
    const json& cases = m_manifest["cases"];
    for (std::size_t i = 0; i < cases.size(); ++i)
        QTest::newRow(cases[i]["file"].get<std::string>().c_str()) << int(i);
}

void TstImageCorpus::decoder() {
    QFETCH(int, index);
    const json& c = m_manifest["cases"][std::size_t(index)];
    const fs::path file = kCorpus / "files" / c["file"].get<std::string>();
    const std::string expect = c["expect"].get<std::string>();
    if (expect == "loaded") {
        fts::RgbImage image;
        try {
            image = fts::decodeImageFile(file);
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
        const std::string problem = mismatch(image, c);
        QVERIFY2(problem.empty(), (c["case"].get<std::string>() + ": " + problem).c_str());
        return;
    }
    try {
        fts::decodeImageFile(file);
    } catch (const fts::FormatError& e) {
        const std::string what = e.what();
        QVERIFY2(contains(what, c["reason"].get<std::string>()), what.c_str());
        QVERIFY2(contains(what, c["file"].get<std::string>()), "the message names the file");
        QVERIFY(what.find('\n') == std::string::npos);
        return;
    }
    QFAIL("decoded, but the manifest says it must be refused");
}

void TstImageCorpus::imageFolderAndLoader() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const fs::path root = fs::path(tmp.path().toStdString()) / "data";
    fs::create_directories(root / "messy");
    fs::create_directories(root / "clean");
    const json& cases = m_manifest["cases"];
    for (const auto& c : cases) {
        const std::string name = c["file"].get<std::string>();
        fs::copy_file(kCorpus / "files" / name, root / "messy" / name);
    }
    fs::copy_file(kCorpus / "files" / "png_rgb.png", root / "clean" / "reference.png");

    const fts::ImageFolderSource source(root);
    std::map<std::string, std::size_t> items;  // file name -> source index
    for (std::size_t i = 0; i < source.size(); ++i)
        items[fs::u8path(source.itemName(i)).filename().u8string()] = i;
    std::map<std::string, std::string> problems;
    for (const auto& p : source.scanProblems())
        problems[fs::u8path(p.path).filename().u8string()] = p.reason;

    // Items that must fail in the loader, with the reason keyword.
    std::map<std::string, std::string> mustFail;
    for (const auto& c : cases) {
        const std::string name = c["file"].get<std::string>();
        const std::string expect = c["expect"].get<std::string>();
        const std::string label = name + " (" + c["case"].get<std::string>() + ")";
        if (expect == "loaded") {
            QVERIFY2(items.count(name), ("not taken as an image: " + label).c_str());
            QVERIFY2(!problems.count(name), label.c_str());
            const std::string problem = mismatch(source.load(items[name]), c);
            QVERIFY2(problem.empty(), (label + ": " + problem).c_str());
        } else if (expect == "ignored") {
            QVERIFY2(!items.count(name) && !problems.count(name), label.c_str());
        } else {
            const std::string reason = c["reason"].get<std::string>();
            if (problems.count(name)) {
                // Found by the scan from the first bytes: not a sample at all.
                QVERIFY2(!items.count(name), label.c_str());
                QVERIFY2(contains(problems[name], reason), (label + ": " + problems[name]).c_str());
            } else {
                QVERIFY2(items.count(name), ("neither a sample nor reported: " + label).c_str());
                mustFail[name] = reason;
            }
        }
    }
    QVERIFY(!mustFail.empty());

    // The loader (as the trainer uses it) skips the damaged items and says why.
    std::vector<std::size_t> all(source.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    fts::TransformSpec spec;
    spec.cropSize = 16;
    fts::LoaderOptions options;
    options.batchSize = 8;
    options.shuffle = false;
    options.train = false;
    fts::BatchLoader loader(source, all, spec, options);
    loader.startEpoch(0);
    fts::Batch batch;
    std::size_t delivered = 0;
    while (loader.next(batch)) delivered += batch.items.size();
    QCOMPARE(delivered, source.size() - mustFail.size());
    const auto skipped = loader.takeSkipped();
    QCOMPARE(skipped.size(), mustFail.size());
    for (const auto& s : skipped) {
        const std::string name = fs::u8path(s.path).filename().u8string();
        QVERIFY2(mustFail.count(name), name.c_str());
        QVERIFY2(contains(s.reason, mustFail[name]), (name + ": " + s.reason).c_str());
    }
    qInfo("%zu corpus files: %zu samples (%zu refused when decoded), %zu reported by the scan",
          cases.size(), source.size() - 1, mustFail.size(), problems.size());
}

QTEST_GUILESS_MAIN(TstImageCorpus)
#include "tst_imagecorpus.moc"
