#include "uitypes.h"

#include <cstring>

namespace fts::ui {

QImage toQImage(const RgbImage& image) {
    if (image.empty()) return {};
    QImage out(image.width, image.height, QImage::Format_RGB888);
    const std::size_t rowBytes = std::size_t(image.width) * 3;
    for (int y = 0; y < image.height; ++y)
        std::memcpy(out.scanLine(y), image.pixels.data() + std::size_t(y) * rowBytes, rowBytes);
    return out;
}

RgbImage toRgbImage(const QImage& image) {
    RgbImage out;
    if (image.isNull()) return out;
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    out.width = rgb.width();
    out.height = rgb.height();
    const std::size_t rowBytes = std::size_t(out.width) * 3;
    out.pixels.resize(rowBytes * std::size_t(out.height));
    for (int y = 0; y < out.height; ++y)
        std::memcpy(out.pixels.data() + std::size_t(y) * rowBytes, rgb.constScanLine(y), rowBytes);
    return out;
}

QString toQString(const std::string& text) {
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

std::filesystem::path toPath(const QString& text) {
    return std::filesystem::path(text.toStdU16String());
}

std::string toStdString(const QString& text) {
    const QByteArray utf8 = text.toUtf8();
    return std::string(utf8.constData(), std::size_t(utf8.size()));
}

QStringList toQStringList(const std::vector<std::string>& list) {
    QStringList out;
    out.reserve(qsizetype(list.size()));
    for (const auto& s : list) out << toQString(s);
    return out;
}

void registerUiTypes() {
    qRegisterMetaType<fts::BatchProgress>();
    qRegisterMetaType<fts::EpochMetrics>();
    qRegisterMetaType<fts::RunSummary>();
    qRegisterMetaType<fts::SkippedFile>();
    qRegisterMetaType<fts::ModelDescription>();
    qRegisterMetaType<fts::ui::PredictionSample>();
    qRegisterMetaType<QVector<fts::ui::PredictionSample>>();
    qRegisterMetaType<QVector<fts::SkippedFile>>();
}

}  // namespace fts::ui
