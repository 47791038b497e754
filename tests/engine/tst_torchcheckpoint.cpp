// Reads torch.save checkpoints written by Debian's PyTorch (zip and legacy
// formats) and compares every tensor bitwise with a safetensors copy that
// Python's safetensors package wrote (tests/fixtures/make_checkpoint_fixtures.py).
#include "core/error.h"
#include "weights/safetensors.h"
#include "weights/torchcheckpoint.h"

#include <ATen/ATen.h>
#include <torch/serialize.h>
#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <cstring>
#include <map>

namespace {

std::filesystem::path fixture(const QString& name) {
    return std::filesystem::u8path(
        QStringLiteral(FTS_FIXTURE_DIR "/checkpoints/%1").arg(name).toStdString());
}

bool sameBytes(const at::Tensor& a, const at::Tensor& b) {
    const at::Tensor ca = a.contiguous();
    const at::Tensor cb = b.contiguous();
    return ca.nbytes() == cb.nbytes() &&
           (ca.nbytes() == 0 || std::memcmp(ca.data_ptr(), cb.data_ptr(), ca.nbytes()) == 0);
}

}  // namespace

class TstTorchcheckpoint : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesPythonCopy_data();
    void matchesPythonCopy();
    void keepsStateDictOrder();
    void refusesForbiddenGlobals_data();
    void refusesForbiddenGlobals();
    void refusesTorchScript();
    void readsTorchPickleSaveOfADict();
};

void TstTorchcheckpoint::matchesPythonCopy_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("zip");

    const char* cases[] = {"resnet18",      "dtypes", "views",     "noncontiguous",
                           "scalars_empty", "nested", "parameters"};
    for (const char* c : cases) {
        for (const char* kind : {"zip", "legacy"}) {
            const QString file =
                QStringLiteral("%1_%2.pth").arg(QLatin1String(c), QLatin1String(kind));
            QTest::newRow(qPrintable(file))
                << file << QStringLiteral("%1_expected.safetensors").arg(QLatin1String(c))
                << (QLatin1String(kind) == QLatin1String("zip"));
        }
    }
    // Saved to a buffer: the archive's folder is "archive/", not the file's stem.
    QTest::newRow("resnet18_archive.pth") << "resnet18_archive.pth"
                                          << "resnet18_expected.safetensors" << true;
    // Over 65535 entries: found through the ZIP64 end-of-central-directory records.
    QTest::newRow("dtypes_zip64.pth") << "dtypes_zip64.pth"
                                      << "dtypes_expected.safetensors" << true;
    for (const char* p : {"p4", "p5"}) {
        for (const char* kind : {"zip", "legacy"}) {
            const QString file =
                QStringLiteral("dtypes_%1_%2.pth").arg(QLatin1String(kind), QLatin1String(p));
            QTest::newRow(qPrintable(file)) << file << "dtypes_expected.safetensors"
                                            << (QLatin1String(kind) == QLatin1String("zip"));
        }
    }
}

void TstTorchcheckpoint::matchesPythonCopy() {
    QFETCH(QString, file);
    QFETCH(QString, expected);
    QFETCH(bool, zip);

    const fts::TorchCheckpoint ckpt = fts::readTorchCheckpoint(fixture(file));
    const fts::SafetensorsContent want = fts::readSafetensors(fixture(expected));
    QCOMPARE(ckpt.kind, zip ? fts::TorchCheckpointKind::Zip : fts::TorchCheckpointKind::Legacy);

    std::map<std::string, at::Tensor> got;
    for (const auto& [name, t] : ckpt.tensors) {
        QVERIFY2(got.emplace(name, t).second, name.c_str());
        QVERIFY2(t.is_contiguous(), name.c_str());
    }
    QCOMPARE(got.size(), want.tensors.size());
    for (const auto& [name, w] : want.tensors) {
        const auto it = got.find(name);
        QVERIFY2(it != got.end(), ("missing " + name).c_str());
        const at::Tensor& g = it->second;
        QCOMPARE(g.scalar_type(), w.scalar_type());
        QCOMPARE(g.sizes().vec(), w.sizes().vec());
        QVERIFY2(sameBytes(g, w), ("values differ: " + name).c_str());
    }
    const auto others =
        nlohmann::json::parse(want.metadata.at("other_entries")).get<std::vector<std::string>>();
    QCOMPARE(ckpt.otherEntries, others);
}

void TstTorchcheckpoint::keepsStateDictOrder() {
    const auto ckpt = fts::readTorchCheckpoint(fixture("resnet18_zip.pth"));
    QCOMPARE(ckpt.tensors.size(), std::size_t(122));
    QCOMPARE(ckpt.tensors.front().first, std::string("conv1.weight"));
    QCOMPARE(ckpt.tensors.back().first, std::string("fc.bias"));

    // Views of one storage come back as separate tensors that own their memory.
    auto views = fts::readTorchCheckpoint(fixture("views_legacy.pth")).tensors;
    QCOMPARE(views.size(), std::size_t(6));
    views[1].second.fill_(-1.0f);  // "slice" = base[4:10]
    QCOMPARE(views[0].second[4].item<float>(), 4.0f);

    const auto nested = fts::readTorchCheckpoint(fixture("nested_zip.pth"));
    QCOMPARE(nested.tensors.front().first, std::string("model.0.weight"));
    QVERIFY(std::find(nested.otherEntries.begin(), nested.otherEntries.end(), "epoch") !=
            nested.otherEntries.end());
}

void TstTorchcheckpoint::refusesForbiddenGlobals_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("global");
    QTest::newRow("os.system via __reduce__, zip") << "evil_zip.pth"
                                                   << "'posix.system'";
    QTest::newRow("os.system via __reduce__, legacy") << "evil_legacy.pth"
                                                      << "'posix.system'";
    QTest::newRow("whole module, zip") << "module_zip.pth"
                                       << "'torch.nn.modules.container.Sequential'";
    QTest::newRow("whole module, legacy") << "module_legacy.pth"
                                          << "'torch.nn.modules.container.Sequential'";
}

void TstTorchcheckpoint::refusesForbiddenGlobals() {
    QFETCH(QString, file);
    QFETCH(QString, global);
    try {
        fts::readTorchCheckpoint(fixture(file));
        QFAIL("a forbidden global was accepted");
    } catch (const fts::FormatError& e) {
        const QString message = QString::fromUtf8(e.what());
        QVERIFY2(message.contains(file), qPrintable(message));
        QVERIFY2(message.contains(global), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("only state dicts")), qPrintable(message));
    }
}

void TstTorchcheckpoint::refusesTorchScript() {
    try {
        fts::readTorchCheckpoint(fixture("torchscript.pt"));
        QFAIL("a TorchScript archive was accepted");
    } catch (const fts::FormatError& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("TorchScript")), e.what());
    }
}

// An export bundle's model.pth is torch::pickle_save of a Dict (bundle.cpp);
// that pickle wraps the dict in torch.jit._pickle.restore_type_tag.
void TstTorchcheckpoint::readsTorchPickleSaveOfADict() {
    c10::Dict<std::string, at::Tensor> dict;
    dict.insert("fc.weight", at::arange(6, at::kFloat).reshape({2, 3}));
    dict.insert("fc.bias", at::tensor({-1.5, 2.5}, at::kDouble));
    const std::vector<char> bytes = torch::pickle_save(c10::IValue(dict));
    const auto ckpt = fts::parseTorchCheckpoint(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                                bytes.size(), "model.pth");
    QCOMPARE(ckpt.tensors.size(), std::size_t(2));
    std::map<std::string, at::Tensor> byName(ckpt.tensors.begin(), ckpt.tensors.end());
    QVERIFY(byName.count("fc.weight") && byName.count("fc.bias"));
    QVERIFY(byName["fc.weight"].equal(dict.at("fc.weight")));
    QVERIFY(byName["fc.bias"].equal(dict.at("fc.bias")));
}

QTEST_GUILESS_MAIN(TstTorchcheckpoint)
#include "tst_torchcheckpoint.moc"
