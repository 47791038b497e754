#pragma once

#include "train/modeldescription.h"

#include <QString>
#include <QWidget>

#include <cstdint>

class QComboBox;
class QLabel;
class QPushButton;
class QTimer;
template <typename T>
class QFutureWatcher;

namespace fts::ui {

class DownloadDialog;

/// Picks the architecture and its starting weights: the bundled demo
/// backbone first, then every registry model (random initialisation unless a
/// weights file is loaded). Every change of selection, class count or image
/// size describes the model again with fts::describeModel on a pool thread
/// (QtConcurrent); a newer request supersedes an older one, whose result is
/// dropped. Lives on the GUI thread.
class ModelPanel : public QWidget {
    Q_OBJECT
public:
    explicit ModelPanel(QWidget* parent = nullptr);
    ~ModelPanel() override;

    /// The bundled demo: demo_cnn with resources/demo/backbone.safetensors.
    void selectDemo();
    /// Selects `arch` with `weightsFile` (empty: random initialisation).
    /// demo_cnn with the bundled weights selects the demo entry. Returns
    /// false (and reports describeFailed) for an unknown architecture.
    bool setSelection(const QString& arch, const QString& weightsFile);
    QString arch() const;
    QString weightsFile() const { return m_weightsFile; }
    bool isDemoSelected() const;

    /// The class count of the dataset (the head's outputs); 0: not known yet,
    /// the head the weights come with (demo: 5, ImageNet models: 1000).
    void setNumClasses(int numClasses);
    /// The training image size (0: the model's own).
    void setImageSize(int imageSize);
    /// While running, the selection is locked.
    void setRunning(bool running);

    /// "Download ImageNet weights…": opens a DownloadDialog (window-modal,
    /// deleted when closed) for the selected registry model; the verified
    /// file is then used as if chosen with "Load weights from file…".
    /// nullptr when the selected model has no ImageNet weights.
    DownloadDialog* downloadImagenetWeights();

    /// "Load TorchScript backbone…": the trust notice (once), a file dialog,
    /// then useTorchScriptBackbone.
    void loadTorchScriptBackbone();
    /// Selects a TorchScript backbone file (--model torchscript --weights
    /// FILE): adds the "TorchScript backbone" entry to the picker when needed.
    void useTorchScriptBackbone(const QString& file);
    /// The first time only (QSettings "torchScriptNoticeShown"): says that a
    /// TorchScript file is code and should come from a trusted source.
    /// Returns whether the notice was shown.
    bool showTorchScriptNoticeOnce();

    /// The last successful description (empty arch before the first).
    const fts::ModelDescription& description() const { return m_description; }
    /// Whether a describe request is running or queued.
    bool isDescribing() const;

Q_SIGNALS:
    void modelDescribed(const fts::ModelDescription& description);
    void describeFailed(const QString& message);
    /// The architecture or the weights file changed (by the user or a setter).
    void selectionChanged();

private:
    struct Result {
        fts::ModelDescription description;
        QString error;
        quint64 generation = 0;
    };

    void onArchActivated(int index);
    void loadWeights();
    void clearWeights();
    void scheduleDescribe();
    void startDescribe();
    void onDescribeFinished();
    void showError(const QString& message);
    void updateLabels();
    void updateEnabled();
    int indexOfArch(const QString& arch) const;
    int ensureTorchScriptEntry();
    QString bundledWeights() const;

    QComboBox* m_arch = nullptr;
    QPushButton* m_load = nullptr;
    QPushButton* m_clear = nullptr;
    QPushButton* m_download = nullptr;  // "Download ImageNet weights…"
    QPushButton* m_loadScript = nullptr;  // "Load TorchScript backbone…"
    QLabel* m_parameters = nullptr;
    QLabel* m_inputSize = nullptr;
    QLabel* m_weights = nullptr;
    QLabel* m_error = nullptr;
    QTimer* m_describeTimer = nullptr;  // coalesces changes made in one event-loop turn
    QFutureWatcher<Result>* m_watcher = nullptr;

    QString m_weightsFile;
    QString m_scriptFile;  // the last TorchScript backbone chosen
    mutable QString m_bundledWeights;  // resolved on first use; empty when not found
    mutable bool m_bundledResolved = false;
    int m_numClasses = 0;
    int m_imageSize = 0;
    bool m_running = false;
    quint64 m_generation = 0;  // of the newest request
    fts::ModelDescription m_description;
};

}  // namespace fts::ui
