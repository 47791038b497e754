#pragma once

#include "uitypes.h"

#include <QDialog>
#include <QImage>
#include <QStringList>

#include <memory>

class QLabel;

namespace fts {
class DataSource;
}

namespace fts::ui {

/// One prediction up close: the image at a large size, its true and
/// predicted class and the top-5 probabilities. The full image is loaded
/// from `source` on QtConcurrent (matched by item name); until then, or when
/// it cannot be found, the thumbnail is shown scaled up. Deletes itself when
/// closed. Lives on the GUI thread.
class ImageInspector : public QDialog {
    Q_OBJECT
public:
    ImageInspector(const PredictionSample& sample, const QStringList& classNames,
                   std::shared_ptr<const fts::DataSource> source, QWidget* parent = nullptr);

    const PredictionSample& sample() const { return m_sample; }
    /// The image shown: the full image once loaded, else the thumbnail.
    const QImage& image() const { return m_image; }
    bool fullImageLoaded() const { return m_fullLoaded; }
    /// True while the full image is being looked up and decoded.
    bool isLoading() const { return m_loading; }

    /// The index of `item` in `source`, or -1. Tries the "#record" suffix
    /// first, then scans every item name. Blocking (call off the GUI thread
    /// for large sources).
    static long long findItem(const fts::DataSource& source, const QString& item);

Q_SIGNALS:
    /// The full-size image replaced the thumbnail (not emitted when it failed).
    void imageLoaded();

private:
    void showImage(const QImage& image);
    void onLoaded(const QImage& image);

    PredictionSample m_sample;
    QImage m_image;
    bool m_fullLoaded = false;
    bool m_loading = false;
    QLabel* m_picture = nullptr;
    QLabel* m_status = nullptr;
};

}  // namespace fts::ui
