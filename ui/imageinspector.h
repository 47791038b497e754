#pragma once

#include "uitypes.h"

#include <QDialog>
#include <QHash>
#include <QImage>
#include <QStringList>

#include <memory>

class QAbstractButton;
class QComboBox;
class QLabel;

namespace fts {
class DataSource;
class GradCam;
}

namespace fts::ui {

/// One prediction up close: the image at a large size, its true and
/// predicted class and the top-5 probabilities. The full image is loaded
/// from `source` on QtConcurrent (matched by item name); until then, or when
/// it cannot be found, the thumbnail is shown scaled up. Deletes itself when
/// closed. With a run directory (setRunDirectory), it also shows Grad-CAM
/// overlays for the predicted and the true class at a chosen layer, computed
/// on QtConcurrent (export/gradcam.h). Lives on the GUI thread.
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

    /// What the picture shows: the image, or a Grad-CAM overlay explaining
    /// the predicted or the true class.
    enum class View { Image, GradCamPredicted, GradCamTrue };
    /// The run whose best weights Grad-CAM explains (empty: no Grad-CAM).
    void setRunDirectory(const QString& runDir);
    void setView(View view);
    View view() const { return m_view; }
    /// The overlay shown (the evaluation crop under the heat map); null while
    /// the image is shown or the map is being computed.
    const QImage& gradCamOverlay() const { return m_overlay; }
    bool isComputingGradCam() const { return m_camBusy; }
    /// Module paths Grad-CAM can target; empty until the model is loaded.
    QStringList gradCamLayers() const;
    QString gradCamLayer() const;
    void setGradCamLayer(const QString& layer);

Q_SIGNALS:
    /// The full-size image replaced the thumbnail (not emitted when it failed).
    void imageLoaded();
    /// A Grad-CAM overlay is on screen (gradCamOverlay() is set).
    void gradCamShown();
    /// Grad-CAM could not be computed (unsupported model, no weights yet).
    void gradCamFailed(const QString& message);

private:
    struct CamJob;
    void showImage(const QImage& image);
    void showPicture(const QImage& image, bool crisp);
    void onLoaded(const QImage& image);
    void updateView();
    void onCamFinished(const CamJob& job);

    PredictionSample m_sample;
    QImage m_image;
    bool m_fullLoaded = false;
    bool m_loading = false;
    QLabel* m_picture = nullptr;
    QLabel* m_status = nullptr;

    // Grad-CAM. The GradCam object is created and used only on QtConcurrent
    // workers, one job at a time (m_camBusy); the GUI thread only holds it.
    QString m_runDir;
    std::shared_ptr<fts::GradCam> m_cam;
    View m_view = View::Image;
    bool m_camBusy = false;
    bool m_camFailed = false;
    QHash<QString, QImage> m_overlays;  // "class|layer" -> overlay
    QImage m_overlay;
    QWidget* m_camBox = nullptr;
    QAbstractButton* m_showTrue = nullptr;
    QComboBox* m_layer = nullptr;
    QLabel* m_camStatus = nullptr;
};

}  // namespace fts::ui
