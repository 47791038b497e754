#include "train/checkpoint.h"

#include "core/error.h"
#include "models/registry.h"
#include "train/optimizers.h"
#include "train/rundirectory.h"
#include "train/settings.h"

#include <torch/nn/functional/loss.h>
#include <torch/optim/optimizer.h>
#include <torch/types.h>

#include <QtTest/QtTest>

#include <fstream>

namespace fs = std::filesystem;

namespace {

fs::path tempPath(const QTemporaryDir& dir) {
    return fs::path(dir.path().toStdString());
}

void trainSteps(fts::ClassifierImpl& model, torch::optim::Optimizer& optimizer, int steps,
                int seed) {
    torch::manual_seed(seed);
    model.train();
    for (int i = 0; i < steps; ++i) {
        const auto x = torch::randn({4, 3, 28, 28});
        const auto y = torch::randint(0, 2, {4}, torch::kLong);
        optimizer.zero_grad();
        torch::nn::functional::cross_entropy(model.forward(x), y).backward();
        optimizer.step();
    }
}

bool sameState(const torch::nn::Module& a, const torch::nn::Module& b) {
    const auto pa = a.named_parameters(), pb = b.named_parameters();
    for (const auto& p : pa)
        if (!torch::equal(p.value(), pb[p.key()])) return false;
    const auto ba = a.named_buffers(), bb = b.named_buffers();
    for (const auto& x : ba)
        if (!torch::equal(x.value(), bb[x.key()])) return false;
    return true;
}

}  // namespace

class TstCheckpoint : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sha256_data();
    void sha256();
    void sha256OfFile();
    void roundTripContinuesIdentically_data();
    void roundTripContinuesIdentically();
    void latestPointsAtNewestAndOldAreRemoved();
    void leftoverOfInterruptedWriteIsIgnored();
    void damagedLatestIsAClearError();
    void settingsDifferences();
};

void TstCheckpoint::sha256_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("digest");
    QTest::newRow("empty") << QByteArray()
                           << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    QTest::newRow("abc") << QByteArray("abc")
                         << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    QTest::newRow("two blocks")
        << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        << "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
    QTest::newRow("million a")
        << QByteArray(1000000, 'a')
        << "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
}

void TstCheckpoint::sha256() {
    QFETCH(QByteArray, input);
    QTEST(QString::fromStdString(fts::sha256Hex(input.constData(), std::size_t(input.size()))),
          "digest");
}

void TstCheckpoint::sha256OfFile() {
    QTemporaryDir dir;
    const auto file = tempPath(dir) / "big.bin";
    std::string data(3 * 1024 * 1024 + 17, '\0');
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = char(i * 31 % 251);
    std::ofstream(file, std::ios::binary).write(data.data(), std::streamsize(data.size()));
    QCOMPARE(fts::sha256OfFile(file), fts::sha256Hex(data.data(), data.size()));
    QVERIFY_THROWS_EXCEPTION(fts::Error, fts::sha256OfFile(tempPath(dir) / "missing.bin"));
}

void TstCheckpoint::roundTripContinuesIdentically_data() {
    QTest::addColumn<QString>("optimizer");
    QTest::newRow("sgd") << "sgd";
    QTest::newRow("adam") << "adam";
    QTest::newRow("adamw") << "adamw";
}

void TstCheckpoint::roundTripContinuesIdentically() {
    QFETCH(QString, optimizer);
    QTemporaryDir dir;
    const auto ckpt = tempPath(dir) / "checkpoint";
    fts::TrainSettings s;
    s.optimizer = optimizer.toStdString();
    s.lr = 0.01;

    torch::manual_seed(3);
    auto a = fts::createModel("demo_cnn", 2);
    auto optA = fts::makeOptimizer(s, *a);
    trainSteps(*a, *optA.optimizer, 2, 10);

    fts::CheckpointState state;
    state.epoch = 2;
    state.bestAccuracy = 0.75;
    state.bestEpoch = 1;
    state.lastAccuracy = 0.5;
    state.seed = 42;
    state.settings = fts::resumeSettings(s, 28, {"a", "b"}, 10, 4);
    fts::writeCheckpoint(ckpt, *a, *optA.optimizer, state);
    QVERIFY(fts::hasCheckpoint(ckpt));
    QVERIFY(fs::is_regular_file(ckpt / "epoch-0002" / "model.safetensors"));
    QVERIFY(fs::is_regular_file(ckpt / "epoch-0002" / "optimizer.pt"));
    QVERIFY(fs::is_regular_file(ckpt / "epoch-0002" / "state.json"));

    torch::manual_seed(99);  // other initial weights: all must come from the checkpoint
    auto b = fts::createModel("demo_cnn", 2);
    auto optB = fts::makeOptimizer(s, *b);
    const auto loaded = fts::loadCheckpoint(ckpt, *b, optB.optimizer.get());
    QCOMPARE(loaded.epoch, 2);
    QCOMPARE(loaded.bestAccuracy, 0.75);
    QCOMPARE(loaded.bestEpoch, 1);
    QCOMPARE(loaded.lastAccuracy, 0.5);
    QCOMPARE(loaded.seed, std::uint64_t(42));
    QVERIFY(loaded.settings == state.settings);
    QCOMPARE(loaded.settingsDigest, fts::settingsDigest(state.settings));
    QVERIFY(sameState(*a, *b));

    // With the optimizer state restored, the next steps are identical too.
    trainSteps(*a, *optA.optimizer, 2, 11);
    trainSteps(*b, *optB.optimizer, 2, 11);
    QVERIFY(sameState(*a, *b));
}

void TstCheckpoint::latestPointsAtNewestAndOldAreRemoved() {
    QTemporaryDir dir;
    const auto ckpt = tempPath(dir) / "checkpoint";
    fts::TrainSettings s;
    auto model = fts::createModel("demo_cnn", 2);
    auto opt = fts::makeOptimizer(s, *model);
    fts::CheckpointState state;
    for (int epoch = 1; epoch <= 3; ++epoch) {
        state.epoch = epoch;
        fts::writeCheckpoint(ckpt, *model, *opt.optimizer, state);
    }
    QCOMPARE(fts::latestCheckpoint(ckpt), ckpt / "epoch-0003");
    QVERIFY(!fs::exists(ckpt / "epoch-0001"));
    QVERIFY(!fs::exists(ckpt / "epoch-0002"));
    QCOMPARE(fts::readCheckpointState(ckpt).epoch, 3);
    for (const auto& entry : fs::directory_iterator(ckpt))  // no temporary files left
        QVERIFY2(
            entry.path().filename() == "latest.json" || entry.path().filename() == "epoch-0003",
            entry.path().c_str());
}

void TstCheckpoint::leftoverOfInterruptedWriteIsIgnored() {
    QTemporaryDir dir;
    const auto ckpt = tempPath(dir) / "checkpoint";
    fts::TrainSettings s;
    auto model = fts::createModel("demo_cnn", 2);
    auto opt = fts::makeOptimizer(s, *model);
    fts::CheckpointState state;
    state.epoch = 1;
    fts::writeCheckpoint(ckpt, *model, *opt.optimizer, state);
    // A crash while writing epoch 2: a half folder, latest.json untouched.
    fs::create_directories(ckpt / "epoch-0002");
    std::ofstream(ckpt / "epoch-0002" / "model.safetensors") << "garbage";
    QCOMPARE(fts::readCheckpointState(ckpt).epoch, 1);
    auto other = fts::createModel("demo_cnn", 2);
    QCOMPARE(fts::loadCheckpoint(ckpt, *other, nullptr).epoch, 1);
    QVERIFY(sameState(*model, *other));

    // A kill while latest.json was being replaced left its temporary
    // sibling: the next commit removes it with the half folder's leftovers.
    std::ofstream(ckpt / "latest.json.tmp-123456") << "{\"epo";
    state.epoch = 2;
    fts::writeCheckpoint(ckpt, *model, *opt.optimizer, state);
    QCOMPARE(fts::readCheckpointState(ckpt).epoch, 2);
    QVERIFY(!fs::exists(ckpt / "latest.json.tmp-123456"));
    QVERIFY(!fs::exists(ckpt / "epoch-0001"));
}

void TstCheckpoint::damagedLatestIsAClearError() {
    QTemporaryDir dir;
    const auto ckpt = tempPath(dir) / "checkpoint";
    QVERIFY(!fts::hasCheckpoint(ckpt));
    QVERIFY_THROWS_EXCEPTION(fts::Error, fts::latestCheckpoint(ckpt));
    fs::create_directories(ckpt);
    std::ofstream(ckpt / "latest.json") << "{ not json";
    try {
        fts::readCheckpointState(ckpt);
        QFAIL("no error for a damaged latest.json");
    } catch (const fts::Error& e) {
        QVERIFY2(QString(e.what()).contains("latest.json"), e.what());
    }
    std::ofstream(ckpt / "latest.json", std::ios::trunc)
        << R"({"epoch": 1, "dir": "../elsewhere"})";
    QVERIFY_THROWS_EXCEPTION(fts::Error, fts::latestCheckpoint(ckpt));
    std::ofstream(ckpt / "latest.json", std::ios::trunc) << R"({"epoch": 1, "dir": "epoch-0001"})";
    try {
        fts::latestCheckpoint(ckpt);
        QFAIL("no error for a missing epoch folder");
    } catch (const fts::Error& e) {
        QVERIFY2(QString(e.what()).contains("epoch-0001"), e.what());
    }
}

void TstCheckpoint::settingsDifferences() {
    fts::TrainSettings s;
    const auto saved = fts::resumeSettings(s, 224, {"cat", "dog"}, 100, 20);
    QVERIFY(fts::settingsDifferences(saved, saved).empty());
    fts::TrainSettings t = s;
    t.batchSize = 16;
    t.model = "resnet34";
    t.epochs = 50;  // may change on resume
    t.threads = 3;  // does not change results
    const auto now = fts::resumeSettings(t, 224, {"cat", "dog"}, 100, 20);
    const auto diff = fts::settingsDifferences(saved, now);
    QCOMPARE(int(diff.size()), 2);
    QVERIFY(QString::fromStdString(diff[0] + diff[1]).contains("batch_size is '16' now but '32'"));
    QVERIFY(QString::fromStdString(diff[0] + diff[1]).contains("model"));
    QVERIFY(fts::settingsDigest(saved) != fts::settingsDigest(now));
    const auto otherData = fts::resumeSettings(s, 224, {"cat", "dog", "bird"}, 100, 20);
    QCOMPARE(int(fts::settingsDifferences(saved, otherData).size()), 1);
}

QTEST_GUILESS_MAIN(TstCheckpoint)
#include "tst_checkpoint.moc"
