#pragma once

#include "train/settings.h"

#include <QString>
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace fts::ui {

/// The hyperparameters of a run in three groups (Optimisation, Data,
/// Machine). Every widget is bounded, so out-of-range values cannot be
/// entered; checks across fields (warm-up shorter than the run, a device that
/// exists here) show in a red line and make the panel invalid.
///
/// Owns these TrainSettings fields: epochs, batchSize, lr, optimizer,
/// momentum, weightDecay, scheduler, warmupEpochs, imageSize, augment,
/// valSplit, seed, device, precision, threads. applyTo() leaves every other
/// field alone.
class HyperparameterPanel : public QWidget {
    Q_OBJECT
public:
    explicit HyperparameterPanel(QWidget* parent = nullptr);

    /// Shows the panel's fields of `settings`; values outside a widget's
    /// range are clamped into it. Emits changed() once.
    void setSettings(const fts::TrainSettings& settings);
    /// Copies the panel's fields into `settings`. Returns false (and leaves
    /// `settings` unchanged) when the fields do not fit together; `error`
    /// then gets the reason.
    bool applyTo(fts::TrainSettings& settings, QString* error = nullptr) const;
    bool isValid() const { return m_valid; }
    /// The reason the panel is invalid (empty when valid).
    QString validationMessage() const;

    /// Off when the dataset has its own validation set (no split needed).
    void setValidationSplitEnabled(bool enabled);
    /// While running, every input is disabled.
    void setRunning(bool running);
    /// Puts `lr` in the learning-rate field (clamped to its range).
    void useLearningRate(double lr);

    /// The learning-rate slider's steps per decade (for tests).
    static constexpr int kLrStepsPerDecade = 10;

Q_SIGNALS:
    /// Any field changed, by the user or by setSettings().
    void changed();
    void validityChanged(bool valid);
    /// "Find learning rate…" beside the learning rate was pressed (MainWindow opens the
    /// LrFinderDialog with the current settings and data).
    void learningRateFinderRequested();

private:
    void onFieldChanged();
    void updateEnabled();
    QString crossFieldError() const;
    void setLearningRate(double lr);
    int deviceIndex(const QString& id);

    // Optimisation
    QSpinBox* m_epochs = nullptr;
    QSpinBox* m_batchSize = nullptr;
    QSlider* m_lrSlider = nullptr;
    QDoubleSpinBox* m_lr = nullptr;
    QPushButton* m_findLr = nullptr;
    QComboBox* m_optimizer = nullptr;
    QDoubleSpinBox* m_momentum = nullptr;
    QDoubleSpinBox* m_weightDecay = nullptr;
    QComboBox* m_scheduler = nullptr;
    QSpinBox* m_warmup = nullptr;
    QSpinBox* m_seed = nullptr;
    // Data
    QSpinBox* m_imageSize = nullptr;
    QComboBox* m_augment = nullptr;
    QDoubleSpinBox* m_valSplit = nullptr;
    // Machine
    QComboBox* m_device = nullptr;
    QComboBox* m_precision = nullptr;  // "fp32" | "bf16"
    QSpinBox* m_threads = nullptr;

    QLabel* m_error = nullptr;
    bool m_valid = true;
    bool m_running = false;
    bool m_valSplitEnabled = true;
    int m_quiet = 0;  // > 0 while setSettings() fills the widgets
};

}  // namespace fts::ui
