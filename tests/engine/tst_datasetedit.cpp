// planMoves / applyMoves on real files in a temporary ImageFolder.
#include "core/error.h"
#include "data/datasetedit.h"
#include "data/imagefoldersource.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#ifndef _WIN32
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace fs = std::filesystem;

namespace {

// The bytes do not matter: ImageFolderSource takes "*.png" files as samples
// without decoding them.
void writeFile(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
}

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// root/{Sandal,Sneaker,Boot}/<class>-<i>.png, two each.
fs::path makeDataset(const QTemporaryDir& dir) {
    const fs::path root = fs::path(dir.path().toStdString()) / "shoes";
    for (const char* c : {"Sandal", "Sneaker", "Boot"})
        for (int i = 0; i < 2; ++i)
            writeFile(root / c / (std::string(c) + "-" + std::to_string(i) + ".png"),
                      std::string(c) + std::to_string(i));
    return root;
}

std::map<std::string, int> classCounts(const fs::path& root) {
    const fts::ImageFolderSource source(root);
    std::map<std::string, int> counts;
    for (const auto& name : source.classNames()) counts[name] = 0;
    for (std::size_t i = 0; i < source.size(); ++i)
        ++counts[source.classNames().at(std::size_t(source.label(i)))];
    return counts;
}

fts::DatasetEdit relabel(const fs::path& item, const std::string& to) {
    return {item.string(), fts::DatasetEdit::Kind::Relabel, to};
}
fts::DatasetEdit exclude(const fs::path& item) {
    return {item.string(), fts::DatasetEdit::Kind::Exclude, {}};
}

}  // namespace

class TestDatasetEdit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void excludedFolderIsASibling() {
        QCOMPARE(fts::excludedFolderFor("/data/shoes"), fs::path("/data/shoes-excluded"));
        QCOMPARE(fts::excludedFolderFor("/data/shoes/"), fs::path("/data/shoes-excluded"));
        QCOMPARE(fts::moveJournalFor("/data/shoes"), fs::path("/data/shoes-excluded/moves.tsv"));
        QVERIFY_THROWS_EXCEPTION(fts::Error, fts::excludedFolderFor("/"));
    }

    void relabelAndExcludeMoveFiles() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path root = makeDataset(dir);
        const auto moves = fts::planMoves(root, {relabel(root / "Sneaker/Sneaker-0.png", "Sandal"),
                                                 exclude(root / "Boot/Boot-1.png"),
                                                 // Already in that class: nothing to move.
                                                 relabel(root / "Boot/Boot-0.png", "Boot")});
        QCOMPARE(moves.size(), std::size_t(2));
        QCOMPARE(moves[0].to, root / "Sandal/Sneaker-0.png");
        const fs::path excluded = fs::path(dir.path().toStdString()) / "shoes-excluded";
        QCOMPARE(moves[1].to, excluded / "Boot/Boot-1.png");
        // Planning moves nothing.
        QVERIFY(fs::exists(root / "Sneaker/Sneaker-0.png"));

        const fts::MoveResult result = fts::applyMoves(moves);
        QCOMPARE(result.done.size(), std::size_t(2));
        QVERIFY(result.failed.empty());
        QVERIFY(result.journalProblem.empty());
        QVERIFY(!fs::exists(root / "Sneaker/Sneaker-0.png"));
        QCOMPARE(readFile(root / "Sandal/Sneaker-0.png"), std::string("Sneaker0"));
        QCOMPARE(readFile(excluded / "Boot/Boot-1.png"), std::string("Boot1"));

        // The loader sees the new counts and not the excluded folder.
        const auto counts = classCounts(root);
        QCOMPARE(counts.size(), std::size_t(3));
        QCOMPARE(counts.at("Sandal"), 3);
        QCOMPARE(counts.at("Sneaker"), 1);
        QCOMPARE(counts.at("Boot"), 1);

        // The journal lists both moves under a header.
        const std::string journal = readFile(excluded / "moves.tsv");
        QVERIFY2(journal.rfind("time\tfrom\tto\n", 0) == 0, journal.c_str());
        QCOMPARE(std::count(journal.begin(), journal.end(), '\n'), 3L);
        QVERIFY(journal.find((root / "Sneaker/Sneaker-0.png").string() + "\t" +
                             (root / "Sandal/Sneaker-0.png").string()) != std::string::npos);

        // A second apply appends (no second header).
        const auto more = fts::planMoves(root, {exclude(root / "Sandal/Sandal-0.png")});
        QCOMPARE(fts::applyMoves(more).done.size(), std::size_t(1));
        const std::string journal2 = readFile(excluded / "moves.tsv");
        QCOMPARE(std::count(journal2.begin(), journal2.end(), '\n'), 4L);
        QCOMPARE(journal2.find("time\tfrom"), journal2.rfind("time\tfrom"));
    }

    void relabelToANewClassCreatesItsFolder() {
        QTemporaryDir dir;
        const fs::path root = makeDataset(dir);
        const auto moves = fts::planMoves(root, {relabel(root / "Boot/Boot-0.png", "Slipper")});
        QCOMPARE(fts::applyMoves(moves).done.size(), std::size_t(1));
        QCOMPARE(classCounts(root).at("Slipper"), 1);
    }

    void nameClashesGetANumber() {
        QTemporaryDir dir;
        const fs::path root = makeDataset(dir);
        writeFile(root / "Sandal/x.png", "sandal x");
        writeFile(root / "Sneaker/x.png", "sneaker x");
        writeFile(root / "Boot/x.png", "boot x");
        writeFile(root / "Sandal/x (2).png", "sandal x2");
        const auto moves = fts::planMoves(root, {relabel(root / "Sneaker/x.png", "Sandal"),
                                                 relabel(root / "Boot/x.png", "Sandal")});
        QCOMPARE(moves.size(), std::size_t(2));
        QCOMPARE(moves[0].to, root / "Sandal/x (3).png");  // x.png and x (2).png are taken
        QCOMPARE(moves[1].to, root / "Sandal/x (4).png");  // x (3).png by the first move
        QCOMPARE(fts::applyMoves(moves).done.size(), std::size_t(2));
        QCOMPARE(readFile(root / "Sandal/x.png"), std::string("sandal x"));
        QCOMPARE(readFile(root / "Sandal/x (2).png"), std::string("sandal x2"));
        QCOMPARE(readFile(root / "Sandal/x (3).png"), std::string("sneaker x"));
        QCOMPARE(readFile(root / "Sandal/x (4).png"), std::string("boot x"));
    }

    void aFileThatAppearsAtTheTargetIsNotOverwritten() {
        QTemporaryDir dir;
        const fs::path root = makeDataset(dir);
        const auto moves = fts::planMoves(root, {relabel(root / "Boot/Boot-0.png", "Sandal"),
                                                 relabel(root / "Boot/Boot-1.png", "Sandal")});
        writeFile(root / "Sandal/Boot-0.png", "newcomer");  // after planning
        const fts::MoveResult result = fts::applyMoves(moves);
        QCOMPARE(result.done.size(), std::size_t(1));
        QCOMPARE(result.failed.size(), std::size_t(1));
        QVERIFY(result.failed[0].second.find("Boot-0.png") != std::string::npos);
        QCOMPARE(readFile(root / "Sandal/Boot-0.png"), std::string("newcomer"));
        QCOMPARE(readFile(root / "Boot/Boot-0.png"), std::string("Boot0"));
        QCOMPARE(readFile(root / "Sandal/Boot-1.png"), std::string("Boot1"));
    }

    void invalidEditsThrow_data() {
        QTest::addColumn<QString>("item");
        QTest::addColumn<bool>("exclude");
        QTest::addColumn<QString>("newClass");
        QTest::newRow("outside the root") << "../outside.png" << true << "";
        QTest::newRow("in the root itself") << "loose.png" << true << "";
        QTest::newRow("in a subfolder of a class") << "Boot/deep/d.png" << true << "";
        QTest::newRow("missing file") << "Boot/missing.png" << true << "";
        QTest::newRow("a folder") << "Boot" << true << "";
        QTest::newRow("empty class") << "Boot/Boot-0.png" << false << "";
        QTest::newRow("dot class") << "Boot/Boot-0.png" << false << ".";
        QTest::newRow("dot-dot class") << "Boot/Boot-0.png" << false << "..";
        QTest::newRow("hidden class") << "Boot/Boot-0.png" << false << ".cache";
        QTest::newRow("slash in class") << "Boot/Boot-0.png" << false << "a/b";
        QTest::newRow("backslash in class") << "Boot/Boot-0.png" << false << "a\\b";
    }
    void invalidEditsThrow() {
        QFETCH(QString, item);
        QFETCH(bool, exclude);
        QFETCH(QString, newClass);
        QTemporaryDir dir;
        const fs::path root = makeDataset(dir);
        writeFile(root / "loose.png", "x");
        writeFile(root / "Boot/deep/d.png", "x");
        writeFile(root.parent_path() / "outside.png", "x");
        const fs::path path = root / item.toStdString();
        const fts::DatasetEdit edit{
            path.string(),
            exclude ? fts::DatasetEdit::Kind::Exclude : fts::DatasetEdit::Kind::Relabel,
            newClass.toStdString()};
        try {
            fts::planMoves(root, {edit});
            QFAIL("no error");
        } catch (const fts::Error& e) {
            // One sentence naming the file.
            QVERIFY2(std::string(e.what()).find(path.filename().string()) != std::string::npos,
                     e.what());
        }
    }

    void twoEditsOfOneItemThrow() {
        QTemporaryDir dir;
        const fs::path root = makeDataset(dir);
        const fs::path item = root / "Boot/Boot-0.png";
        QVERIFY_THROWS_EXCEPTION(fts::Error,
                                 fts::planMoves(root, {relabel(item, "Sandal"), exclude(item)}));
        // Spelled differently, still the same file.
        QVERIFY_THROWS_EXCEPTION(
            fts::Error, fts::planMoves(root, {exclude(item), exclude(root / "Boot/./Boot-0.png")}));
    }

    // Works as root too: a file stands where the new class folder must go.
    void aBlockedTargetFolderFailsOneMoveOnly() {
        QTemporaryDir dir;
        const fs::path root = makeDataset(dir);
        const auto moves = fts::planMoves(root, {relabel(root / "Boot/Boot-0.png", "Slipper"),
                                                 exclude(root / "Boot/Boot-1.png")});
        writeFile(root / "Slipper", "not a folder");
        const fts::MoveResult result = fts::applyMoves(moves);
        QCOMPARE(result.failed.size(), std::size_t(1));
        QVERIFY2(result.failed[0].second.find("Boot-0.png") != std::string::npos,
                 result.failed[0].second.c_str());
        QCOMPARE(result.done.size(), std::size_t(1));
        QCOMPARE(readFile(root / "Boot/Boot-0.png"), std::string("Boot0"));
        QCOMPARE(readFile(root / "Slipper"), std::string("not a folder"));
        QVERIFY(fs::exists(fts::excludedFolderFor(root) / "Boot/Boot-1.png"));
    }

    void aReadOnlyTargetFailsOneMoveOnly() {
#ifdef _WIN32
        QSKIP("permissions are POSIX here");
#else
        if (geteuid() == 0) QSKIP("root ignores folder permissions");
        QTemporaryDir dir;
        const fs::path root = makeDataset(dir);
        const auto moves = fts::planMoves(root, {relabel(root / "Boot/Boot-0.png", "Sandal"),
                                                 relabel(root / "Boot/Boot-1.png", "Sneaker")});
        QCOMPARE(::chmod((root / "Sandal").c_str(), 0555), 0);
        const fts::MoveResult result = fts::applyMoves(moves);
        ::chmod((root / "Sandal").c_str(), 0755);
        QCOMPARE(result.failed.size(), std::size_t(1));
        QCOMPARE(result.failed[0].first.from, root / "Boot/Boot-0.png");
        QVERIFY2(result.failed[0].second.find("Boot-0.png") != std::string::npos,
                 result.failed[0].second.c_str());
        QCOMPARE(result.done.size(), std::size_t(1));
        // Nothing lost: the failed file is where it was, the other one moved.
        QCOMPARE(readFile(root / "Boot/Boot-0.png"), std::string("Boot0"));
        QVERIFY(!fs::exists(root / "Sandal/Boot-0.png"));
        QCOMPARE(readFile(root / "Sneaker/Boot-1.png"), std::string("Boot1"));
        // The journal lists only the move made.
        const std::string journal = readFile(fts::moveJournalFor(root));
        QVERIFY(journal.find("Boot-1.png") != std::string::npos);
        QVERIFY(journal.find("Boot-0.png") == std::string::npos);
#endif
    }
};

QTEST_GUILESS_MAIN(TestDatasetEdit)
#include "tst_datasetedit.moc"
