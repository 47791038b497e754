#include "runhistorypanel.h"

#include "runcomparisonview.h"
#include "runhistorymodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

namespace fts::ui {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

fts::RunScan scanFolder(const QString& folder) {
    return fts::scanRuns(std::filesystem::u8path(folder.toStdString()));
}

// A settings value as the diff table shows it (file paths by name).
QString displayValue(const QString& key, const fts::RunRecord& run, QString* tooltip) {
    bool present = false;
    QString value;
    for (const auto& [k, v] : run.settings)
        if (qs(k) == key) {
            present = true;
            value = qs(v);
        }
    *tooltip = value;
    if (!present) return QStringLiteral("–");
    if (key == QLatin1String("weights"))
        return value.isEmpty() ? RunHistoryPanel::tr("none (from scratch)")
                               : QFileInfo(value).fileName();
    if (key == QLatin1String("freeze") && value.isEmpty())
        return RunHistoryPanel::tr("nothing frozen");
    if ((key == QLatin1String("data") || key == QLatin1String("validation")) &&
        (value.contains(QLatin1Char('/')) || value.contains(QLatin1Char('\\'))))
        return QFileInfo(value).fileName().isEmpty() ? value : QFileInfo(value).fileName();
    return value.isEmpty() ? QStringLiteral("–") : value;
}

}  // namespace

RunHistoryPanel::RunHistoryPanel(QWidget* parent) : QWidget(parent) {
    m_model = new RunHistoryModel(this);

    m_folderLabel = new QLabel(this);
    m_folderLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_folderLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_refreshButton = new QPushButton(tr("Refresh"), this);
    m_refreshButton->setToolTip(tr("Read the runs folder again"));
    m_openButton = new QPushButton(tr("Open folder"), this);
    m_openButton->setToolTip(
        tr("Show the selected run's folder (or the runs folder) in the file manager"));
    m_reportButton = new QPushButton(tr("Report…"), this);
    m_reportButton->setToolTip(
        tr("Write an HTML report of the selected run, or of its whole experiment"));
    auto* top = new QHBoxLayout;
    top->addWidget(m_folderLabel, 1);
    top->addWidget(m_refreshButton);
    top->addWidget(m_openButton);
    top->addWidget(m_reportButton);

    m_problemLabel = new QLabel(this);
    m_problemLabel->setWordWrap(true);
    m_problemLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problemLabel->setStyleSheet(QStringLiteral("color: #b71c1c;"));
    m_problemLabel->hide();

    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    auto* header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(RunHistoryModel::CheckColumn, QHeaderView::Fixed);
    header->setSectionResizeMode(RunHistoryModel::NameColumn, QHeaderView::Stretch);
    header->resizeSection(RunHistoryModel::CheckColumn, 28);
    const QFontMetrics fm = fontMetrics();
    const auto fit = [&](int column, const QString& sample) {
        header->resizeSection(column, fm.horizontalAdvance(sample) + 18);
    };
    fit(RunHistoryModel::StartedColumn, QStringLiteral("12-31 23:59"));
    fit(RunHistoryModel::ModelColumn, QStringLiteral("mobilenet_v2"));
    fit(RunHistoryModel::FreezeColumn, tr("nothing frozen"));
    fit(RunHistoryModel::StatusColumn, tr("completed"));
    fit(RunHistoryModel::BestColumn, tr("Best acc."));
    fit(RunHistoryModel::EpochsColumn, tr("%1 of %2").arg(10).arg(10));
    fit(RunHistoryModel::TimeColumn, tr("%1 min %2 s").arg(10).arg(10));
    header->setMinimumSectionSize(24);

    // The comparison: the curves (left) and the settings that differ (right).
    m_view = new RunComparisonView(this);
    m_metric = new QComboBox(this);
    m_metric->addItem(tr("Validation accuracy"), int(RunComparisonView::ValAccuracy));
    m_metric->addItem(tr("Validation loss"), int(RunComparisonView::ValLoss));
    m_training = new QCheckBox(tr("Training curves (dashed)"), this);
    auto* curveBar = new QHBoxLayout;
    curveBar->addWidget(new QLabel(tr("Compare:"), this));
    curveBar->addWidget(m_metric);
    curveBar->addWidget(m_training);
    curveBar->addStretch(1);
    auto* curves = new QWidget(this);
    auto* curvesLayout = new QVBoxLayout(curves);
    curvesLayout->setContentsMargins(0, 0, 0, 0);
    curvesLayout->addLayout(curveBar);
    curvesLayout->addWidget(m_view, 1);

    m_diff = new QTableWidget(this);
    m_diff->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_diff->setSelectionMode(QAbstractItemView::NoSelection);
    m_diff->setWordWrap(false);
    // The runs share the width; below a readable width a scroll bar appears.
    m_diff->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_diff->horizontalHeader()->setMinimumSectionSize(
        m_diff->fontMetrics().horizontalAdvance(QStringLiteral("mobilenet")) + 24);
    m_diff->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_diff->setTextElideMode(Qt::ElideRight);
    m_diff->verticalHeader()->setMinimumSectionSize(m_diff->fontMetrics().height() + 4);
    m_diff->verticalHeader()->setDefaultSectionSize(m_diff->fontMetrics().height() + 8);
    m_diffNote = new QLabel(this);
    m_diffNote->setWordWrap(true);
    auto* diffBox = new QWidget(this);
    auto* diffLayout = new QVBoxLayout(diffBox);
    diffLayout->setContentsMargins(0, 0, 0, 0);
    auto* diffTitle = new QLabel(tr("<b>Settings that differ</b>"), this);
    diffLayout->addWidget(diffTitle);
    diffLayout->addWidget(m_diffNote);
    diffLayout->addWidget(m_diff, 1);
    diffLayout->addStretch(0);  // keeps the note at the top while the table is hidden

    auto* bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(curves);
    bottom->addWidget(diffBox);
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 2);
    bottom->setSizes({480, 420});
    bottom->setChildrenCollapsible(false);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(bottom);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setSizes({220, 440});
    split->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_problemLabel);
    layout->addWidget(split, 1);

    connect(&m_watcher, &QFutureWatcherBase::finished, this, &RunHistoryPanel::scanFinished);
    connect(m_refreshButton, &QPushButton::clicked, this, &RunHistoryPanel::refresh);
    connect(m_openButton, &QPushButton::clicked, this, &RunHistoryPanel::openFolder);
    connect(m_reportButton, &QPushButton::clicked, this, &RunHistoryPanel::requestReport);
    connect(m_model, &RunHistoryModel::checkedChanged, this, &RunHistoryPanel::updateComparison);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RunHistoryPanel::updateButtons);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        if (const auto* run = m_model->run(index.row())) Q_EMIT runActivated(qs(run->dir));
    });
    connect(m_metric, &QComboBox::currentIndexChanged, this, [this] {
        m_view->setMetric(RunComparisonView::Metric(m_metric->currentData().toInt()));
    });
    connect(m_training, &QCheckBox::toggled, m_view, &RunComparisonView::setShowTraining);

    m_folderLabel->setText(tr("No runs folder chosen."));
    updateComparison();
    updateButtons();
}

RunHistoryPanel::~RunHistoryPanel() {
    // The scan owns nothing of ours; wait so that it does not outlive the
    // watcher it reports to.
    m_watcher.waitForFinished();
}

void RunHistoryPanel::setRunsFolder(const QString& folder) {
    m_folder = folder;
    m_folderLabel->setText(tr("Runs folder: %1").arg(QDir::toNativeSeparators(folder)));
    m_folderLabel->setToolTip(QDir::toNativeSeparators(folder));
    refresh();
}

void RunHistoryPanel::setActiveRuns(const QStringList& runDirs) {
    m_model->setActiveRuns(runDirs);
}

void RunHistoryPanel::setChecked(const QStringList& runDirs) {
    m_model->setChecked(runDirs);
}

QStringList RunHistoryPanel::checkedRuns() const {
    return m_model->checked();
}

QString RunHistoryPanel::selectedRun() const {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty()) return {};
    const auto* run = m_model->run(rows.first().row());
    return run ? qs(run->dir) : QString();
}

void RunHistoryPanel::selectRun(const QString& runDir) {
    const int row = m_model->rowOf(runDir);
    if (row < 0) {
        m_table->clearSelection();
        return;
    }
    m_table->selectRow(row);
}

void RunHistoryPanel::refresh() {
    if (m_folder.isEmpty()) return;
    if (m_watcher.isRunning()) {
        m_scanAgain = true;  // the folder may have changed since that scan began
        return;
    }
    m_scannedOnce = true;
    m_refreshButton->setEnabled(false);
    m_watcher.setFuture(QtConcurrent::run(scanFolder, m_folder));
}

void RunHistoryPanel::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_scannedOnce) refresh();  // runs may have finished while the tab was hidden
}

void RunHistoryPanel::scanFinished() {
    if (m_scanAgain) {
        m_scanAgain = false;
        m_watcher.setFuture(QtConcurrent::run(scanFolder, m_folder));
        return;
    }
    m_refreshButton->setEnabled(true);
    fts::RunScan scan = m_watcher.result();
    const QString selected = selectedRun();
    m_model->setRuns(std::move(scan.runs));
    selectRun(selected);

    m_problems.clear();
    for (const auto& p : scan.problems) m_problems << qs(p);
    if (m_problems.isEmpty()) {
        m_problemLabel->hide();
    } else {
        QString text = tr("%n run folder(s) could not be read:", nullptr, int(m_problems.size()));
        const int shown = std::min(3, int(m_problems.size()));
        for (int i = 0; i < shown; ++i) text += QLatin1Char('\n') + m_problems[i];
        if (m_problems.size() > shown)
            text +=
                QLatin1Char('\n') + tr("… and %n more.", nullptr, int(m_problems.size()) - shown);
        m_problemLabel->setText(text);
        m_problemLabel->setToolTip(m_problems.join(QLatin1Char('\n')));
        m_problemLabel->show();
    }
    if (m_model->rowCount() == 0)
        m_folderLabel->setText(
            tr("Runs folder: %1 (no runs yet)").arg(QDir::toNativeSeparators(m_folder)));
    else
        m_folderLabel->setText(tr("Runs folder: %1 (%n run(s))", nullptr, m_model->rowCount())
                                   .arg(QDir::toNativeSeparators(m_folder)));
    updateComparison();
    updateButtons();
    Q_EMIT refreshed();
}

QString RunHistoryPanel::settingLabel(const QString& key) {
    static const struct {
        const char* key;
        const char* label;
    } labels[] = {
        {"model", QT_TR_NOOP("Model")},
        {"weights", QT_TR_NOOP("Starting weights")},
        {"freeze", QT_TR_NOOP("Frozen layers")},
        {"epochs", QT_TR_NOOP("Epochs")},
        {"batch_size", QT_TR_NOOP("Batch size")},
        {"optimizer", QT_TR_NOOP("Optimizer")},
        {"lr", QT_TR_NOOP("Learning rate")},
        {"backbone_lr_scale", QT_TR_NOOP("Backbone learning rate ×")},
        {"weight_decay", QT_TR_NOOP("Weight decay")},
        {"momentum", QT_TR_NOOP("Momentum")},
        {"schedule", QT_TR_NOOP("Schedule")},
        {"warmup_epochs", QT_TR_NOOP("Warm-up epochs")},
        {"augment", QT_TR_NOOP("Augmentation")},
        {"image_size", QT_TR_NOOP("Image size")},
        {"precision", QT_TR_NOOP("Precision")},
        {"seed", QT_TR_NOOP("Seed")},
        {"device", QT_TR_NOOP("Device")},
        {"data", QT_TR_NOOP("Training data")},
        {"validation", QT_TR_NOOP("Validation data")},
        {"classes", QT_TR_NOOP("Classes")},
    };
    for (const auto& l : labels)
        if (key == QLatin1String(l.key)) return tr(l.label);
    return key;
}

QString RunHistoryPanel::headerLabel(const fts::RunRecord& run) {
    // Two short lines: the strategy (or the model) over when it ran.
    const QString stamp =
        RunHistoryModel::folderStamp(qs(run.experiment.empty() ? run.name : run.experiment));
    const QString first =
        run.experiment.empty() ? qs(run.model) : RunHistoryModel::strategyName(run);
    if (stamp.isEmpty())
        return first + QLatin1Char('\n') + qs(run.experiment.empty() ? run.name : run.experiment);
    return first + QLatin1Char('\n') + stamp;
}

QString RunHistoryPanel::runLabel(const fts::RunRecord& run) {
    // For the legend: short, and still telling two experiments apart.
    const QString stamp =
        RunHistoryModel::folderStamp(qs(run.experiment.empty() ? run.name : run.experiment));
    if (!run.experiment.empty())
        return stamp.isEmpty()
                   ? tr("%1 · %2").arg(RunHistoryModel::strategyName(run), qs(run.experiment))
                   : tr("%1 · %2").arg(RunHistoryModel::strategyName(run), stamp);
    return stamp.isEmpty() ? qs(run.name) : tr("%1 · %2").arg(qs(run.model), stamp);
}

void RunHistoryPanel::updateComparison() {
    const std::vector<fts::RunRecord> runs = m_model->checkedRuns();
    QVector<RunComparisonView::Series> series;
    for (std::size_t i = 0; i < runs.size(); ++i)
        series.append({runLabel(runs[i]), RunHistoryModel::seriesColour(int(i)), runs[i].epochs});
    m_view->setSeries(std::move(series));

    // The settings that differ, then the results.
    m_diffKeys.clear();
    for (const auto& key : fts::differingSettings(runs)) m_diffKeys << qs(key);
    m_diff->clear();
    if (runs.size() < 2) {
        m_diff->setRowCount(0);
        m_diff->setColumnCount(0);
        m_diff->hide();
        m_diffNote->setText(runs.empty()
                                ? tr("Check two or more runs in the table to see the settings "
                                     "in which they differ.")
                                : tr("One run is checked: check another run to compare "
                                     "settings."));
        m_diffNote->show();
        return;
    }
    m_diffNote->setText(m_diffKeys.isEmpty()
                            ? tr("The checked runs were trained with the same settings.")
                            : QString());
    m_diffNote->setVisible(m_diffKeys.isEmpty());
    m_diff->show();
    const QStringList results{tr("Best val. accuracy"), tr("Final val. accuracy"),
                              tr("Epochs trained"), tr("Time")};
    m_diff->setColumnCount(int(runs.size()));
    m_diff->setRowCount(int(m_diffKeys.size() + results.size()));
    for (int c = 0; c < int(runs.size()); ++c) {
        const QString label = headerLabel(runs[std::size_t(c)]);
        auto* head = new QTableWidgetItem(label);
        QPixmap swatch(12, 12);
        swatch.fill(RunHistoryModel::seriesColour(c));
        head->setIcon(QIcon(swatch));
        head->setToolTip(QDir::toNativeSeparators(qs(runs[std::size_t(c)].dir)));
        m_diff->setHorizontalHeaderItem(c, head);
    }
    QStringList rowLabels;
    for (const auto& key : m_diffKeys) rowLabels << settingLabel(key);
    rowLabels << results;
    m_diff->setVerticalHeaderLabels(rowLabels);
    for (int c = 0; c < int(runs.size()); ++c) {
        const fts::RunRecord& run = runs[std::size_t(c)];
        for (int r = 0; r < m_diffKeys.size(); ++r) {
            QString tip;
            auto* item = new QTableWidgetItem(displayValue(m_diffKeys[r], run, &tip));
            if (!tip.isEmpty()) item->setToolTip(tip);
            m_diff->setItem(r, c, item);
        }
        const auto percent = [](double v) {
            return std::isfinite(v) ? QStringLiteral("%1 %").arg(100.0 * v, 0, 'f', 1)
                                    : QStringLiteral("–");
        };
        const QStringList values{percent(run.bestValAccuracy), percent(run.finalValAccuracy),
                                 QString::number(run.epochs.size()),
                                 RunHistoryModel::durationText(run.wallSeconds)};
        for (int r = 0; r < values.size(); ++r) {
            auto* item = new QTableWidgetItem(values[r]);
            QFont bold = item->font();
            bold.setBold(r == 0);
            item->setFont(bold);
            item->setBackground(palette().color(QPalette::AlternateBase));
            m_diff->setItem(int(m_diffKeys.size()) + r, c, item);
        }
    }
}

void RunHistoryPanel::updateButtons() {
    const bool selected = !selectedRun().isEmpty();
    m_reportButton->setEnabled(selected);
    m_openButton->setEnabled(selected || !m_folder.isEmpty());
}

void RunHistoryPanel::openFolder() {
    QString dir = selectedRun();
    if (dir.isEmpty()) dir = m_folder;
    if (!dir.isEmpty()) QDesktopServices::openUrl(QUrl::fromLocalFile(dir));
}

void RunHistoryPanel::requestReport() {
    const int row = m_model->rowOf(selectedRun());
    const auto* run = m_model->run(row);
    if (!run) return;
    if (!run->experiment.empty())
        Q_EMIT reportRequested(QFileInfo(qs(run->dir)).absolutePath(), true);
    else
        Q_EMIT reportRequested(qs(run->dir), false);
}

}  // namespace fts::ui
