#include "datasetscan.h"

#include <QLocale>

#include "data/preview.h"
#include "uitypes.h"

#include <QCoreApplication>
#include <QDir>

#include <algorithm>
#include <exception>
#include <filesystem>

namespace fts::ui {
namespace {

// The decoded image is kept only as a small thumbnail (pixels, longest side).
constexpr int kOriginalThumbnailSize = 128;
// Preview images that fail to decode before a class gives up looking for more.
constexpr int kMaxDecodeFailuresPerClass = 8;

std::filesystem::path toFsPath(const QString& path) {
#ifdef Q_OS_WIN
    return std::filesystem::path(path.toStdWString());
#else
    return std::filesystem::path(toStdString(path));
#endif
}

// The engine's messages start with "item: "; the skipped list shows the item
// in its own column.
std::string reasonWithoutItem(const std::string& message, const std::string& item) {
    const std::string prefix = item + ": ";
    if (message.compare(0, prefix.size(), prefix) == 0) return message.substr(prefix.size());
    return message;
}

QImage smallCopy(const QImage& image) {
    if (image.width() <= kOriginalThumbnailSize && image.height() <= kOriginalThumbnailSize)
        return image;
    return image.scaled(kOriginalThumbnailSize, kOriginalThumbnailSize, Qt::KeepAspectRatio,
                        Qt::SmoothTransformation);
}

}  // namespace

DatasetSummary renderPreviews(DatasetSummary summary, int imageSize, const QString& augment,
                              int previewsPerClass, quint64 seed) {
    summary.imageSize = imageSize;
    summary.augment = augment;
    summary.previews.clear();
    summary.problems.clear();
    if (!summary.source) return summary;
    const fts::DataSource& source = *summary.source;
    for (const auto& problem : source.scanProblems()) summary.problems.push_back(problem);

    const int classes = int(source.classNames().size());
    summary.previews.resize(classes);
    if (classes == 0 || previewsPerClass <= 0) return summary;
    const int perClass = std::max(1, std::min(previewsPerClass, kMaxPreviews / classes));

    std::vector<std::vector<std::size_t>> byClass(static_cast<std::size_t>(classes));
    for (std::size_t i = 0; i < source.size(); ++i) {
        const int label = source.label(i);
        if (label >= 0 && label < classes) byClass[std::size_t(label)].push_back(i);
    }

    const std::string augmentName = toStdString(augment);
    for (int c = 0; c < classes; ++c) {
        const auto& items = byClass[std::size_t(c)];
        const std::size_t wanted = std::min<std::size_t>(std::size_t(perClass), items.size());
        int failures = 0;
        // Spread the picks over the class (items are in file-name order, which
        // often groups similar images); after a broken file, try the next one.
        for (std::size_t k = 0; k < wanted && failures <= kMaxDecodeFailuresPerClass; ++k) {
            const std::size_t begin = k * items.size() / wanted;
            const std::size_t end = (k + 1) * items.size() / wanted;
            for (std::size_t p = begin; p < end && failures <= kMaxDecodeFailuresPerClass; ++p) {
                const std::size_t index = items[p];
                const std::string item = source.itemName(index);
                fts::RgbImage image;
                try {
                    image = source.load(index);
                } catch (const std::exception& e) {
                    // A damaged file must never break the scan: list it, go on.
                    summary.problems.push_back({item, reasonWithoutItem(e.what(), item)});
                    ++failures;
                    continue;
                }
                PreviewImage preview;
                preview.item = toQString(item);
                preview.original = smallCopy(toQImage(image));
                try {
                    preview.validation = toQImage(fts::previewEvalImage(image, imageSize));
                    preview.training = toQImage(fts::previewTrainImage(
                        image, imageSize, augmentName, seed * 1000003u + index));
                } catch (const std::exception&) {
                    // An unknown augmentation name or image size: not the file's
                    // fault. The panel falls back to the original.
                }
                summary.previews[c].push_back(preview);
                break;
            }
        }
    }
    return summary;
}

DatasetSummary scanDataset(const QString& path, int imageSize, const QString& augment,
                           int previewsPerClass, quint64 seed) {
    DatasetSummary summary;
    summary.path = path;
    summary.imageSize = imageSize;
    summary.augment = augment;
    const QString shown = QDir::toNativeSeparators(path);
    if (path.trimmed().isEmpty()) {
        summary.error = QCoreApplication::translate(
            "fts::ui::DatasetScan", "No dataset chosen: choose a folder or a file with images.");
        return summary;
    }
    try {
        std::shared_ptr<const fts::DataSource> source = fts::openDataSource(toFsPath(path));
        summary.description = toQString(source->description());
        summary.classNames = toQStringList(source->classNames());
        summary.counts = QVector<qint64>(summary.classNames.size(), 0);
        for (std::size_t i = 0; i < source->size(); ++i) {
            const int label = source->label(i);
            if (label >= 0 && label < summary.counts.size()) ++summary.counts[label];
        }
        summary.total = qint64(source->size());
        summary.source = std::move(source);
        return renderPreviews(std::move(summary), imageSize, augment, previewsPerClass, seed);
    } catch (const std::exception& e) {
        QString message = QString::fromUtf8(e.what());
        if (!message.contains(shown) && !message.contains(path))
            message = shown + QStringLiteral(": ") + message;
        summary.error = message;
        summary.source.reset();
        summary.previews.clear();
        return summary;
    }
}

QString datasetSummaryText(const DatasetSummary& summary) {
    return QCoreApplication::translate("fts::ui::DatasetPanel", "%1 images in %n class(es)", nullptr,
                                       int(summary.classNames.size()))
        .arg(QLocale().toString(summary.total));
}

QString augmentationDisplayName(const QString& augment) {
    if (augment == QLatin1String("none"))
        return QCoreApplication::translate("fts::ui::DatasetPanel", "no");
    if (augment == QLatin1String("light"))
        return QCoreApplication::translate("fts::ui::DatasetPanel", "light");
    if (augment == QLatin1String("strong"))
        return QCoreApplication::translate("fts::ui::DatasetPanel", "strong");
    return augment;
}

}  // namespace fts::ui
