// safetensors read/write: round trips, canonical layout, and interop with
// Python's safetensors package in both directions.
#include "core/error.h"
#include "weights/safetensors.h"

#include <ATen/ATen.h>

#include <QtTest/QtTest>

#include <cstring>

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

/// Deterministic tensors of every dtype; the Python check below rebuilds them.
fts::TensorList dtypeZoo() {
    const at::Tensor ramp = at::arange(-6, 6, at::kDouble).div(4.0).reshape({3, 4});
    return {
        {"f64", ramp},
        {"f32", ramp.to(at::kFloat).t()},  // not contiguous: the writer copies
        {"f16", ramp.to(at::kHalf)},
        {"bf16", ramp.to(at::kBFloat16)},
        {"i64", at::arange(-6, 6, at::kLong).mul(static_cast<std::int64_t>(1) << 40)},
        {"i32", at::arange(-6, 6, at::kInt).mul(1 << 20)},
        {"i16", at::arange(-6, 6, at::kShort)},
        {"i8", at::arange(-6, 6, at::kChar)},
        {"u8", at::arange(0, 12, at::kByte)},
        {"bool", at::arange(0, 12, at::kLong).remainder(3).eq(0)},
        {"scalar", at::scalar_tensor(2.5, at::kFloat)},
        {"empty", at::empty({0}, at::kFloat)},
        {"empty_2d", at::empty({2, 0}, at::kLong)},
    };
}

}  // namespace

class TstSafetensors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripsEveryDtype();
    void writesCanonicalLayout();
    void writesSameBytesAsPython_data();
    void writesSameBytesAsPython();
    void pythonReadsOurFile();
    void refusesWhatItCannotWrite_data();
    void refusesWhatItCannotWrite();
};

void TstSafetensors::roundTripsEveryDtype() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto file =
        std::filesystem::u8path(dir.filePath(QStringLiteral("zoo.safetensors")).toStdString());
    const std::map<std::string, std::string> metadata{{"format", "pt"}, {"note", "caf\xc3\xa9"}};
    const fts::TensorList zoo = dtypeZoo();
    fts::writeSafetensors(file, zoo, metadata);

    const auto back = fts::readSafetensors(file);
    QCOMPARE(back.metadata, metadata);
    QCOMPARE(back.tensors.size(), zoo.size());
    for (const auto& [name, t] : zoo) {
        const auto it = std::find_if(back.tensors.begin(), back.tensors.end(),
                                     [&](const auto& nt) { return nt.first == name; });
        QVERIFY2(it != back.tensors.end(), name.c_str());
        QCOMPARE(it->second.scalar_type(), t.scalar_type());
        QCOMPARE(it->second.sizes().vec(), t.sizes().vec());
        QVERIFY2(sameBytes(it->second, t), name.c_str());
    }
}

void TstSafetensors::writesCanonicalLayout() {
    const auto bytes = fts::serializeSafetensors(dtypeZoo());
    std::uint64_t headerSize = 0;
    for (int i = 7; i >= 0; --i) headerSize = (headerSize << 8) | bytes[i];
    QCOMPARE(headerSize % 8, std::uint64_t(0));
    const std::string header(reinterpret_cast<const char*>(bytes.data() + 8), headerSize);
    QCOMPARE(header.front(), '{');
    // Largest alignment first, then by name: int64 before float64, bool last.
    QVERIFY(header.find("\"i64\"") < header.find("\"f64\""));
    QVERIFY(header.find("\"f32\"") < header.find("\"scalar\""));
    QVERIFY(header.find("\"u8\"") < header.find("\"bool\""));
    // Tensors come back in data order.
    const auto back = fts::parseSafetensors(bytes.data(), bytes.size(), "mem");
    QCOMPARE(back.tensors.front().first, std::string("empty_2d"));
    QCOMPARE(back.tensors.back().first, std::string("bool"));
}

void TstSafetensors::writesSameBytesAsPython_data() {
    QTest::addColumn<QString>("file");
    for (const char* name : {"dtypes_expected.safetensors", "resnet18_expected.safetensors",
                             "scalars_empty_expected.safetensors", "nested_expected.safetensors"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TstSafetensors::writesSameBytesAsPython() {
    // Read what Python's safetensors wrote, write it again: byte for byte the same file.
    QFETCH(QString, file);
    QFile f(QString::fromStdString(fixture(file).u8string()));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray python = f.readAll();
    const auto content =
        fts::parseSafetensors(reinterpret_cast<const std::uint8_t*>(python.constData()),
                              std::size_t(python.size()), file.toStdString());
    QVERIFY(!content.tensors.empty());
    const auto ours = fts::serializeSafetensors(content.tensors, content.metadata);
    QCOMPARE(QByteArray(reinterpret_cast<const char*>(ours.data()), qsizetype(ours.size())),
             python);
}

void TstSafetensors::pythonReadsOurFile() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("ours.safetensors"));
    fts::writeSafetensors(std::filesystem::u8path(path.toStdString()), dtypeZoo(),
                          {{"written_by", "fts"}});

    // The same tensors, built in Python, must equal what safetensors loads.
    const QString script = QStringLiteral(R"(
import sys, torch
from safetensors import safe_open
from safetensors.torch import load_file
got = load_file(sys.argv[1])
ramp = torch.arange(-6, 6, dtype=torch.float64).div(4.0).reshape(3, 4)
want = {
    "f64": ramp, "f32": ramp.float().t(), "f16": ramp.half(), "bf16": ramp.bfloat16(),
    "i64": torch.arange(-6, 6, dtype=torch.int64) * (1 << 40),
    "i32": torch.arange(-6, 6, dtype=torch.int32) * (1 << 20),
    "i16": torch.arange(-6, 6, dtype=torch.int16), "i8": torch.arange(-6, 6, dtype=torch.int8),
    "u8": torch.arange(0, 12, dtype=torch.uint8), "bool": torch.arange(12) % 3 == 0,
    "scalar": torch.tensor(2.5), "empty": torch.empty(0), "empty_2d": torch.empty(2, 0, dtype=torch.int64),
}
assert set(got) == set(want), sorted(set(got) ^ set(want))
for k, v in want.items():
    assert got[k].dtype == v.dtype and got[k].shape == v.shape and torch.equal(got[k], v), k
with safe_open(sys.argv[1], "pt") as f:
    assert f.metadata() == {"written_by": "fts"}, f.metadata()
print("ok", len(got))
)");
    QProcess python;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PYTHONPATH"), QStringLiteral(FTS_PYDEPS));
    python.setProcessEnvironment(env);
    python.start(QStringLiteral(FTS_PYTHON), {QStringLiteral("-c"), script, path});
    QVERIFY(python.waitForFinished(120000));
    const QByteArray out = python.readAllStandardOutput();
    const QByteArray err = python.readAllStandardError();
    QVERIFY2(python.exitStatus() == QProcess::NormalExit && python.exitCode() == 0,
             err.constData());
    QCOMPARE(out.trimmed(), QByteArray("ok 13"));
}

void TstSafetensors::refusesWhatItCannotWrite_data() {
    QTest::addColumn<QString>("problem");
    QTest::newRow("complex dtype") << "complex";
    QTest::newRow("duplicate name") << "twice";
    QTest::newRow("reserved name") << "reserved";
}

void TstSafetensors::refusesWhatItCannotWrite() {
    QFETCH(QString, problem);
    fts::TensorList list;
    if (problem == QLatin1String("complex"))
        list = {{"c", at::zeros({2}, at::kComplexFloat)}};
    else if (problem == QLatin1String("twice"))
        list = {{"w", at::zeros({2})}, {"w", at::ones({2})}};
    else
        list = {{"__metadata__", at::zeros({2})}};
    try {
        fts::serializeSafetensors(list);
        QFAIL("accepted a tensor list safetensors cannot hold");
    } catch (const fts::Error& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(problem, Qt::CaseInsensitive), e.what());
    }
}

QTEST_GUILESS_MAIN(TstSafetensors)
#include "tst_safetensors.moc"
