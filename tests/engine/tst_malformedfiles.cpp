// Every malformed or hostile weight file is refused with one sentence that
// names the file, both by the engine (an fts::Error, never a crash) and by
// `finetune-cli inspect` (non-zero exit, exactly one line on stderr).
// The files are written at test time by tests/fixtures/make_checkpoint_fixtures.py.
#include "core/error.h"
#include "weights/weightfile.h"

#include <QtTest/QtTest>

namespace {

QString fixturePath(const QString& name) {
    return QStringLiteral(FTS_FIXTURE_DIR "/checkpoints/%1").arg(name);
}

}  // namespace

class TstMalformedfiles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void refusedByEngine_data();
    void refusedByEngine();
    void refusedByCli_data() { refusedByEngine_data(); }
    void refusedByCli();
    void inspectNamesATorchScriptArchive();
    void detectsFormatByContent();
};

void TstMalformedfiles::refusedByEngine_data() {
    QTest::addColumn<QString>("file");     // relative to the checkpoint fixtures
    QTest::addColumn<QString>("problem");  // a fragment the message must hold

    QTest::newRow("empty file") << "malformed/empty.safetensors"
                                << "empty";
    QTest::newRow("random garbage") << "malformed/garbage.bin"
                                    << "not a weight file";
    QTest::newRow("nonexistent path") << "malformed/no-such-file.pth"
                                      << "no such file";
    QTest::newRow("a directory") << "malformed"
                                 << "folder";

    QTest::newRow("st: header length past end") << "malformed/st_header_past_end.safetensors"
                                                << "past the end";
    QTest::newRow("st: header length 2^63") << "malformed/st_header_2pow63.safetensors"
                                            << "100 MB limit";
    QTest::newRow("st: invalid JSON") << "malformed/st_invalid_json.safetensors"
                                      << "not valid JSON";
    QTest::newRow("st: JSON not an object") << "malformed/st_not_object.safetensors"
                                            << "not a JSON object";
    QTest::newRow("st: no data_offsets") << "malformed/st_missing_offsets.safetensors"
                                         << "data_offsets";
    QTest::newRow("st: unknown dtype") << "malformed/st_unknown_dtype.safetensors"
                                       << "'Q7'";
    QTest::newRow("st: shape [2^40, 2^40]") << "malformed/st_huge_shape.safetensors"
                                            << "too large";
    QTest::newRow("st: byte size overflows int64") << "malformed/st_int64_overflow.safetensors"
                                                   << "too large";
    QTest::newRow("st: negative dimension") << "malformed/st_negative_dim.safetensors"
                                            << "negative";
    QTest::newRow("st: shape vs offsets") << "malformed/st_shape_mismatch.safetensors"
                                          << "span 12";
    QTest::newRow("st: offsets outside file") << "malformed/st_offsets_outside.safetensors"
                                              << "beyond the data area";
    QTest::newRow("st: overlapping ranges") << "malformed/st_overlap.safetensors"
                                            << "overlaps";
    QTest::newRow("st: hole") << "malformed/st_hole.safetensors"
                              << "gap";
    QTest::newRow("st: unused trailing bytes") << "malformed/st_trailing_bytes.safetensors"
                                               << "no tensor uses";
    QTest::newRow("st: duplicate name") << "malformed/st_duplicate_name.safetensors"
                                        << "twice";

    QTest::newRow("zip: truncated") << "malformed/zip_truncated.pth"
                                    << "truncated";
    QTest::newRow("zip: corrupted central directory") << "malformed/zip_central_directory.pth"
                                                      << "damaged";
    QTest::newRow("zip: compressed entries") << "malformed/zip_compressed.pth"
                                             << "compressed";
    QTest::newRow("zip: no data.pkl") << "malformed/zip_no_datapkl.pth"
                                      << "no data.pkl";
    QTest::newRow("zip: forbidden global") << "evil_zip.pth"
                                           << "'posix.system'";
    QTest::newRow("zip: pickled nn.Module") << "module_zip.pth"
                                            << "'torch.nn.modules.container.Sequential'";
    QTest::newRow("pickle: stack underflow") << "malformed/zip_stack_underflow.pth"
                                             << "stack underflow";
    QTest::newRow("pickle: deep MARK nesting") << "malformed/zip_deep_marks.pth"
                                               << "nests deeper";
    QTest::newRow("pickle: deeply nested lists") << "malformed/zip_deep_lists.pth"
                                                 << "deeper than";
    QTest::newRow("pickle: unsupported opcode") << "malformed/zip_unknown_opcode.pth"
                                                << "opcode";
    QTest::newRow("tensor beyond its storage") << "malformed/zip_tensor_extent.pth"
                                               << "holds only 4";
    QTest::newRow("strided tensor beyond its storage") << "malformed/zip_tensor_stride_extent.pth"
                                                       << "holds only 4";
    QTest::newRow("tensor shape [2^40, 2^40]") << "malformed/zip_tensor_huge_shape.pth"
                                               << "2^63";
    QTest::newRow("storage larger than its entry") << "malformed/zip_storage_short.pth"
                                                   << "needs 4000 bytes";
    QTest::newRow("storage entry missing") << "malformed/zip_storage_missing.pth"
                                           << "missing from the archive";
    QTest::newRow("legacy: truncated") << "malformed/legacy_truncated.pth"
                                       << "truncated";
    QTest::newRow("legacy: storage count past end") << "malformed/legacy_storage_count.pth"
                                                    << "past the end";
    QTest::newRow("legacy: forbidden global") << "evil_legacy.pth"
                                              << "'posix.system'";
}

void TstMalformedfiles::refusedByEngine() {
    QFETCH(QString, file);
    QFETCH(QString, problem);
    const QString path = fixturePath(file);
    try {
        fts::loadWeightFile(std::filesystem::u8path(path.toStdString()));
        QFAIL("the file was accepted");
    } catch (const fts::Error& e) {
        const QString message = QString::fromUtf8(e.what());
        QVERIFY2(message.startsWith(path), qPrintable(message));
        QVERIFY2(message.contains(problem), qPrintable(message));
        QVERIFY2(!message.contains(QLatin1Char('\n')), qPrintable(message));
    }
}

void TstMalformedfiles::refusedByCli() {
    QFETCH(QString, file);
    QFETCH(QString, problem);
    const QString path = fixturePath(file);
    QProcess cli;
    QElapsedTimer timer;
    timer.start();
    cli.start(QStringLiteral(FTS_CLI_PATH), {QStringLiteral("inspect"), path});
    QVERIFY2(cli.waitForFinished(15000), "finetune-cli inspect hung");
    QVERIFY2(timer.elapsed() < 15000, "finetune-cli inspect took too long");
    QCOMPARE(cli.exitStatus(), QProcess::NormalExit);  // not a crash
    QVERIFY(cli.exitCode() != 0);
    QCOMPARE(cli.readAllStandardOutput(), QByteArray());
    const QString err = QString::fromUtf8(cli.readAllStandardError());
    QVERIFY2(err.endsWith(QLatin1Char('\n')) && err.count(QLatin1Char('\n')) == 1, qPrintable(err));
    QVERIFY2(err.contains(QFileInfo(path).fileName()), qPrintable(err));
    QVERIFY2(err.contains(problem), qPrintable(err));
}

// Not a weight file: inspect says it is a TorchScript archive, and (this
// fixture's forward wants no image batch) why it cannot be a backbone.
void TstMalformedfiles::inspectNamesATorchScriptArchive() {
    QProcess cli;
    cli.start(QStringLiteral(FTS_CLI_PATH),
              {QStringLiteral("inspect"), fixturePath(QStringLiteral("torchscript.pt"))});
    QVERIFY2(cli.waitForFinished(60000), "finetune-cli inspect hung");
    QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
    const QString out = QString::fromUtf8(cli.readAllStandardOutput());
    QVERIFY2(out.contains(QLatin1String("TorchScript archive")), qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("not usable as a backbone")), qPrintable(out));
}

void TstMalformedfiles::detectsFormatByContent() {
    const auto detect = [](const QString& file) {
        QFile f(fixturePath(file));
        if (!f.open(QIODevice::ReadOnly)) return fts::WeightFormat::Unknown;
        const QByteArray bytes = f.readAll();
        return fts::detectWeightFormat(reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                                       std::size_t(bytes.size()));
    };
    QCOMPARE(detect(QStringLiteral("dtypes_zip.pth")), fts::WeightFormat::TorchZip);
    QCOMPARE(detect(QStringLiteral("dtypes_legacy.pth")), fts::WeightFormat::TorchLegacy);
    QCOMPARE(detect(QStringLiteral("dtypes_legacy_p4.pth")), fts::WeightFormat::TorchLegacy);
    QCOMPARE(detect(QStringLiteral("dtypes_expected.safetensors")), fts::WeightFormat::Safetensors);
    QCOMPARE(detect(QStringLiteral("torchscript.pt")), fts::WeightFormat::TorchScript);
    QCOMPARE(detect(QStringLiteral("malformed/garbage.bin")), fts::WeightFormat::Unknown);

    // And the whole file through the one entry point.
    const auto wf = fts::loadWeightFile(
        std::filesystem::u8path(fixturePath(QStringLiteral("nested_legacy.pth")).toStdString()));
    QCOMPARE(wf.format, fts::WeightFormat::TorchLegacy);
    QVERIFY(!wf.tensors.empty());
    const auto infos = fts::describeTensors(wf.tensors);
    QCOMPARE(infos.front().name, std::string("model.0.weight"));
    QCOMPARE(infos.front().dtype, std::string("float32"));
    QCOMPARE(infos.front().shape, (std::vector<std::int64_t>{3, 4}));
    QCOMPARE(infos.front().numel, std::int64_t(12));
}

QTEST_GUILESS_MAIN(TstMalformedfiles)
#include "tst_malformedfiles.moc"
