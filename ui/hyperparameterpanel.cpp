#include "hyperparameterpanel.h"

#include "train/devices.h"
#include "uitypes.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <cmath>

namespace fts::ui {
namespace {

constexpr double kMinLr = 1e-6;
constexpr double kMaxLr = 1.0;
// The image-size spin box's minimum stands for "Auto" (0 in TrainSettings):
// every real size is 16..1024.
constexpr int kImageSizeAuto = 15;
constexpr int kMinImageSize = 16;
constexpr int kMaxImageSize = 1024;
constexpr int kDeviceAvailableRole = Qt::UserRole + 1;
// A device item's CUDA compute capability major (0: the CPU or unknown).
constexpr int kDeviceComputeRole = Qt::UserRole + 2;

/// `value` rounded to two significant digits (1.2589e-3 -> 1.3e-3).
double roundTwoDigits(double value) {
    if (!(value > 0.0)) return value;
    const double scale = std::pow(10.0, std::floor(std::log10(value)) - 1.0);
    return std::round(value / scale) * scale;
}

/// A spin box for a positive number spanning decades, shown as "1.0e-3".
/// A step moves a tenth of a decade on a logarithmic grid (1.0, 1.3, 1.6,
/// 2.0, 2.5, 3.2, 4.0, 5.0, 6.3, 7.9), so stepping multiplies.
class LogSpinBox : public QDoubleSpinBox {
public:
    explicit LogSpinBox(QWidget* parent) : QDoubleSpinBox(parent) {
        setDecimals(12);  // QDoubleSpinBox rounds values to this many decimals
        setRange(kMinLr, kMaxLr);
        setCorrectionMode(QAbstractSpinBox::CorrectToNearestValue);
        setKeyboardTracking(false);
    }

    QString textFromValue(double value) const override {
        if (!(value > 0.0)) return QStringLiteral("0");
        int exponent = int(std::floor(std::log10(value)));
        double mantissa = value / std::pow(10.0, exponent);
        if (std::round(mantissa * 10.0) >= 100.0) {
            mantissa /= 10.0;
            ++exponent;
        }
        return QString::number(mantissa, 'f', 1) + QLatin1Char('e') + QString::number(exponent);
    }

    double valueFromText(const QString& text) const override {
        bool ok = false;
        const double value = parse(text, &ok);
        return ok ? std::clamp(value, minimum(), maximum()) : this->value();
    }

    QValidator::State validate(QString& text, int& pos) const override {
        Q_UNUSED(pos);
        const QString t = text.trimmed();
        if (t.isEmpty()) return QValidator::Intermediate;
        for (const QChar c : t)
            if (!(c.isDigit() || c == QLatin1Char('.') || c == QLatin1Char(',') ||
                  c == QLatin1Char('e') || c == QLatin1Char('E') || c == QLatin1Char('-') ||
                  c == QLatin1Char('+')))
                return QValidator::Invalid;
        bool ok = false;
        const double value = parse(t, &ok);
        if (!ok) return QValidator::Intermediate;  // "1e", "1.0e-" while typing
        return value >= minimum() && value <= maximum() ? QValidator::Acceptable
                                                        : QValidator::Intermediate;
    }

    void fixup(QString& input) const override {
        bool ok = false;
        const double value = parse(input, &ok);
        input = textFromValue(ok ? std::clamp(value, minimum(), maximum()) : this->value());
    }

    void stepBy(int steps) override {
        const double tenths = std::round(std::log10(value()) * 10.0) + steps;
        setValue(std::clamp(roundTwoDigits(std::pow(10.0, tenths / 10.0)), minimum(), maximum()));
        selectAll();
    }

private:
    double parse(const QString& text, bool* ok) const {
        const QString t = text.trimmed();
        double value = QLocale::c().toDouble(t, ok);
        if (!*ok) value = locale().toDouble(t, ok);
        return value;
    }
};

}  // namespace

HyperparameterPanel::HyperparameterPanel(QWidget* parent) : QWidget(parent) {
    // A form row whose label carries the field's tooltip too.
    const auto addRow = [this](QFormLayout* form, const QString& label, QWidget* field,
                               const QString& tip) {
        field->setToolTip(tip);
        auto* text = new QLabel(label, this);
        text->setToolTip(tip);
        text->setBuddy(field);
        form->addRow(text, field);
    };

    // --- Optimisation
    auto* optimisation = new QGroupBox(tr("Optimisation"), this);
    auto* optForm = new QFormLayout(optimisation);

    m_epochs = new QSpinBox(this);
    m_epochs->setRange(1, 1000);
    addRow(optForm, tr("&Epochs:"), m_epochs,
           tr("How many times training goes through all training images."));

    m_batchSize = new QSpinBox(this);
    m_batchSize->setRange(1, 4096);
    addRow(optForm, tr("&Batch size:"), m_batchSize,
           tr("How many images the model looks at before each update; larger needs more "
              "memory."));

    auto* lrRow = new QWidget(this);
    auto* lrLayout = new QHBoxLayout(lrRow);
    lrLayout->setContentsMargins(0, 0, 0, 0);
    m_lrSlider = new QSlider(Qt::Horizontal, lrRow);
    m_lrSlider->setRange(int(std::lround(std::log10(kMinLr) * kLrStepsPerDecade)),
                         int(std::lround(std::log10(kMaxLr) * kLrStepsPerDecade)));
    m_lrSlider->setPageStep(kLrStepsPerDecade);
    m_lrSlider->setTickInterval(kLrStepsPerDecade);
    m_lrSlider->setTickPosition(QSlider::TicksBelow);
    m_lr = new LogSpinBox(lrRow);
    lrLayout->addWidget(m_lrSlider, 1);
    lrLayout->addWidget(m_lr);
    m_findLr = new QPushButton(tr("Find learning rate…"), lrRow);
    m_findLr->setObjectName(QStringLiteral("findLearningRate"));
    m_findLr->setToolTip(
        tr("Find a learning rate: a short test run with a growing learning rate plots the loss "
           "and suggests a value"));
    connect(m_findLr, &QPushButton::clicked, this,
            &HyperparameterPanel::learningRateFinderRequested);
    lrLayout->addWidget(m_findLr);
    const QString lrTip =
        tr("How big each update step is (1.0e-3 = 0.001); too large and "
           "training jumps around, too small and it barely moves.");
    m_lrSlider->setToolTip(lrTip);
    m_lr->setToolTip(lrTip);
    {
        auto* text = new QLabel(tr("&Learning rate:"), this);
        text->setToolTip(lrTip);
        text->setBuddy(m_lr);
        optForm->addRow(text, lrRow);
    }

    m_optimizer = new QComboBox(this);
    m_optimizer->addItem(tr("SGD"), QStringLiteral("sgd"));
    m_optimizer->addItem(tr("Adam"), QStringLiteral("adam"));
    m_optimizer->addItem(tr("AdamW"), QStringLiteral("adamw"));
    addRow(optForm, tr("&Optimizer:"), m_optimizer,
           tr("The rule that turns the error into weight updates; AdamW is a robust default."));

    m_momentum = new QDoubleSpinBox(this);
    m_momentum->setRange(0.0, 0.999);
    m_momentum->setDecimals(3);
    m_momentum->setSingleStep(0.01);
    addRow(optForm, tr("&Momentum:"), m_momentum,
           tr("For SGD only: how much of the previous update carries over, smoothing the "
              "steps."));

    m_weightDecay = new QDoubleSpinBox(this);
    m_weightDecay->setRange(0.0, 1.0);
    m_weightDecay->setDecimals(6);
    m_weightDecay->setSingleStep(1e-4);
    addRow(optForm, tr("&Weight decay:"), m_weightDecay,
           tr("A small pull of every weight towards zero that helps against over-fitting."));

    m_scheduler = new QComboBox(this);
    m_scheduler->addItem(tr("Constant"), QStringLiteral("none"));
    m_scheduler->addItem(tr("Step (divide by 10 every third of the run)"), QStringLiteral("step"));
    m_scheduler->addItem(tr("Cosine (smoothly down to zero)"), QStringLiteral("cosine"));
    addRow(optForm, tr("&Schedule:"), m_scheduler,
           tr("How the learning rate changes during the run; lowering it late helps the model "
              "settle."));

    m_warmup = new QSpinBox(this);
    m_warmup->setRange(0, 100);
    addRow(optForm, tr("Warm-&up epochs:"), m_warmup,
           tr("Epochs at the start in which the learning rate grows from almost zero, which "
              "keeps the first updates gentle."));

    // --- Data
    auto* data = new QGroupBox(tr("Data"), this);
    auto* dataForm = new QFormLayout(data);

    m_imageSize = new QSpinBox(this);
    m_imageSize->setRange(kImageSizeAuto, kMaxImageSize);
    m_imageSize->setSpecialValueText(tr("Auto (the model's size)"));
    m_imageSize->setSuffix(tr(" px"));
    addRow(dataForm, tr("&Image size:"), m_imageSize,
           tr("The side in pixels images are scaled and cropped to; Auto uses the size the "
              "model was trained with."));

    m_augment = new QComboBox(this);
    m_augment->addItem(tr("None"), QStringLiteral("none"));
    m_augment->addItem(tr("Light (flips and small crops)"), QStringLiteral("light"));
    m_augment->addItem(tr("Strong (also colour and rotation)"), QStringLiteral("strong"));
    addRow(dataForm, tr("&Augmentation:"), m_augment,
           tr("Random changes to training images so the model sees more variety and "
              "memorises less."));

    m_valSplit = new QDoubleSpinBox(this);
    m_valSplit->setRange(0.05, 0.5);
    m_valSplit->setDecimals(2);
    m_valSplit->setSingleStep(0.05);
    addRow(dataForm, tr("&Validation split:"), m_valSplit,
           tr("The share of images kept aside to measure accuracy on images the model never "
              "trains on."));

    m_seed = new QSpinBox(this);
    m_seed->setRange(0, INT_MAX);
    addRow(dataForm, tr("&Random seed:"), m_seed,
           tr("The starting number for every random choice; the same seed repeats the same "
              "run."));

    // --- Machine
    auto* machine = new QGroupBox(tr("Machine"), this);
    auto* machineForm = new QFormLayout(machine);

    m_device = new QComboBox(this);
    m_device->addItem(tr("Automatic (a GPU when there is one, else the CPU)"),
                      QStringLiteral("auto"));
    m_device->setItemData(0, true, kDeviceAvailableRole);
    for (const fts::ComputeDevice& device : fts::availableDevices()) {
        m_device->addItem(toQString(device.name), toQString(device.id));
        m_device->setItemData(m_device->count() - 1, true, kDeviceAvailableRole);
        m_device->setItemData(m_device->count() - 1, device.computeMajor, kDeviceComputeRole);
    }
    addRow(machineForm, tr("&Device:"), m_device,
           tr("Where the computation runs; a GPU is much faster than the CPU."));

    m_precision = new QComboBox(this);
    m_precision->addItem(tr("32-bit floats (fp32)"), QStringLiteral("fp32"));
    m_precision->addItem(tr("bfloat16 mixed precision (bf16, recent NVIDIA GPUs)"),
                         QStringLiteral("bf16"));
    addRow(machineForm, tr("&Precision:"), m_precision,
           tr("bf16 computes most layers in 16-bit floats on NVIDIA GPUs of compute capability "
              "8.0 or newer (Ampere and later): faster and leaner, with about the same "
              "accuracy. fp32 works everywhere."));

    const int cores = fts::usableCores();
    m_threads = new QSpinBox(this);
    m_threads->setRange(0, cores);
    m_threads->setSpecialValueText(tr("Auto (all %1 cores)").arg(cores));
    addRow(machineForm, tr("&Threads:"), m_threads,
           tr("How many CPU cores training may use; fewer leaves the computer responsive."));

    m_error = new QLabel(this);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_error->setWordWrap(true);
    m_error->setVisible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(optimisation);
    layout->addWidget(data);
    layout->addWidget(machine);
    layout->addWidget(m_error);
    layout->addStretch(1);

    // Slider and spin box show one value: the slider in tenths of a decade.
    connect(m_lrSlider, &QSlider::valueChanged, this, [this](int tenths) {
        const double lr = roundTwoDigits(std::pow(10.0, double(tenths) / kLrStepsPerDecade));
        if (std::lround(std::log10(m_lr->value()) * kLrStepsPerDecade) != tenths)
            m_lr->setValue(std::clamp(lr, kMinLr, kMaxLr));
    });
    connect(m_lr, &QDoubleSpinBox::valueChanged, this, [this](double lr) {
        const QSignalBlocker blocker(m_lrSlider);
        m_lrSlider->setValue(int(std::lround(std::log10(lr) * kLrStepsPerDecade)));
        onFieldChanged();
    });

    // Object names: for tests, style sheets and accessibility tools.
    m_epochs->setObjectName(QStringLiteral("epochs"));
    m_batchSize->setObjectName(QStringLiteral("batchSize"));
    m_lrSlider->setObjectName(QStringLiteral("learningRateSlider"));
    m_lr->setObjectName(QStringLiteral("learningRate"));
    m_optimizer->setObjectName(QStringLiteral("optimizer"));
    m_momentum->setObjectName(QStringLiteral("momentum"));
    m_weightDecay->setObjectName(QStringLiteral("weightDecay"));
    m_scheduler->setObjectName(QStringLiteral("scheduler"));
    m_warmup->setObjectName(QStringLiteral("warmupEpochs"));
    m_imageSize->setObjectName(QStringLiteral("imageSize"));
    m_augment->setObjectName(QStringLiteral("augment"));
    m_valSplit->setObjectName(QStringLiteral("validationSplit"));
    m_seed->setObjectName(QStringLiteral("seed"));
    m_device->setObjectName(QStringLiteral("device"));
    m_precision->setObjectName(QStringLiteral("precision"));
    m_threads->setObjectName(QStringLiteral("threads"));
    m_error->setObjectName(QStringLiteral("validationMessage"));

    for (QSpinBox* box : {m_epochs, m_batchSize, m_warmup, m_imageSize, m_seed, m_threads})
        connect(box, &QSpinBox::valueChanged, this, &HyperparameterPanel::onFieldChanged);
    for (QDoubleSpinBox* box : {m_momentum, m_weightDecay, m_valSplit})
        connect(box, &QDoubleSpinBox::valueChanged, this, &HyperparameterPanel::onFieldChanged);
    for (QComboBox* box : {m_optimizer, m_scheduler, m_augment, m_device, m_precision})
        connect(box, &QComboBox::currentIndexChanged, this, &HyperparameterPanel::onFieldChanged);

    setSettings(fts::TrainSettings{});
}

void HyperparameterPanel::useLearningRate(double lr) {
    setLearningRate(lr);
}

void HyperparameterPanel::setLearningRate(double lr) {
    m_lr->setValue(std::clamp(lr, kMinLr, kMaxLr));
    const QSignalBlocker blocker(m_lrSlider);
    m_lrSlider->setValue(int(std::lround(std::log10(m_lr->value()) * kLrStepsPerDecade)));
}

int HyperparameterPanel::deviceIndex(const QString& id) {
    const int found = m_device->findData(id);
    if (found >= 0) return found;
    // A device saved on another computer: keep it visible, and invalid
    // unless it means "the first GPU" and there is one.
    bool available = false;
    if (id == QLatin1String("cuda")) available = m_device->findData(QStringLiteral("cuda:0")) >= 0;
    const QString name =
        available ? tr("The first GPU (cuda)") : tr("%1 (not available on this computer)").arg(id);
    m_device->addItem(name, id);
    m_device->setItemData(m_device->count() - 1, available, kDeviceAvailableRole);
    return m_device->count() - 1;
}

void HyperparameterPanel::setSettings(const fts::TrainSettings& s) {
    ++m_quiet;
    m_epochs->setValue(s.epochs);
    m_batchSize->setValue(s.batchSize);
    setLearningRate(s.lr);
    const auto select = [](QComboBox* box, const std::string& id) {
        const int index = box->findData(toQString(id));
        if (index >= 0) box->setCurrentIndex(index);
    };
    select(m_optimizer, s.optimizer);
    m_momentum->setValue(s.momentum);
    m_weightDecay->setValue(s.weightDecay);
    select(m_scheduler, s.scheduler);
    m_warmup->setValue(s.warmupEpochs);
    m_imageSize->setValue(s.imageSize <= 0 ? kImageSizeAuto
                                           : std::clamp(s.imageSize, kMinImageSize, kMaxImageSize));
    select(m_augment, s.augment);
    m_valSplit->setValue(s.valSplit);
    m_seed->setValue(int(std::min<std::uint64_t>(s.seed, std::uint64_t(INT_MAX))));
    m_device->setCurrentIndex(deviceIndex(toQString(s.device.empty() ? "auto" : s.device)));
    select(m_precision, s.precision);
    m_threads->setValue(s.threads);
    --m_quiet;
    onFieldChanged();
}

bool HyperparameterPanel::applyTo(fts::TrainSettings& s, QString* error) const {
    const QString problem = crossFieldError();
    if (!problem.isEmpty()) {
        if (error) *error = problem;
        return false;
    }
    s.epochs = m_epochs->value();
    s.batchSize = m_batchSize->value();
    s.lr = m_lr->value();
    s.optimizer = toStdString(m_optimizer->currentData().toString());
    s.momentum = m_momentum->value();
    s.weightDecay = m_weightDecay->value();
    s.scheduler = toStdString(m_scheduler->currentData().toString());
    s.warmupEpochs = m_warmup->value();
    s.imageSize = m_imageSize->value() == kImageSizeAuto ? 0 : m_imageSize->value();
    s.augment = toStdString(m_augment->currentData().toString());
    s.valSplit = m_valSplit->value();
    s.seed = std::uint64_t(m_seed->value());
    s.device = toStdString(m_device->currentData().toString());
    s.precision = toStdString(m_precision->currentData().toString());
    s.threads = m_threads->value();
    if (error) error->clear();
    return true;
}

QString HyperparameterPanel::validationMessage() const {
    return crossFieldError();
}

QString HyperparameterPanel::crossFieldError() const {
    if (m_warmup->value() > 0 && m_warmup->value() >= m_epochs->value())
        return tr("The warm-up (%1 epochs) must be shorter than the whole run (%2 epochs): "
                  "lower the warm-up or train for more epochs.")
            .arg(m_warmup->value())
            .arg(m_epochs->value());
    if (!m_device->currentData(kDeviceAvailableRole).toBool())
        return tr("The device %1 is not available on this computer: choose another device or "
                  "Automatic.")
            .arg(m_device->currentData().toString());
    if (m_precision->currentData().toString() == QLatin1String("bf16")) {
        // "auto" and "cuda" mean the first GPU when there is one.
        const QString id = m_device->currentData().toString();
        const int gpu = m_device->findData(
            id == QLatin1String("auto") || id == QLatin1String("cuda") ? QStringLiteral("cuda:0")
                                                                       : id);
        const int major = gpu >= 0 ? m_device->itemData(gpu, kDeviceComputeRole).toInt() : 0;
        if (major < 8)
            return tr("bf16 precision needs an NVIDIA GPU of compute capability 8.0 or newer "
                      "(Ampere or later), and the chosen device is not one: choose fp32 or "
                      "such a GPU.");
    }
    return {};
}

void HyperparameterPanel::onFieldChanged() {
    if (m_quiet > 0) return;
    updateEnabled();
    const QString problem = crossFieldError();
    m_error->setText(problem);
    m_error->setVisible(!problem.isEmpty());
    const bool valid = problem.isEmpty();
    if (valid != m_valid) {
        m_valid = valid;
        Q_EMIT validityChanged(m_valid);
    }
    Q_EMIT changed();
}

void HyperparameterPanel::setValidationSplitEnabled(bool enabled) {
    m_valSplitEnabled = enabled;
    updateEnabled();
}

void HyperparameterPanel::setRunning(bool running) {
    m_running = running;
    updateEnabled();
}

void HyperparameterPanel::updateEnabled() {
    const bool editable = !m_running;
    for (QWidget* w : std::initializer_list<QWidget*>{
             m_epochs, m_batchSize, m_lrSlider, m_lr, m_optimizer, m_weightDecay, m_scheduler,
             m_warmup, m_imageSize, m_augment, m_seed, m_device, m_precision, m_threads,
             m_findLr})
        w->setEnabled(editable);
    m_momentum->setEnabled(editable &&
                           m_optimizer->currentData().toString() == QLatin1String("sgd"));
    m_valSplit->setEnabled(editable && m_valSplitEnabled);
}

}  // namespace fts::ui
