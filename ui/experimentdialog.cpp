#include "experimentdialog.h"

#include "experimentrunner.h"
#include "uitypes.h"

#include "train/experiment.h"

#include <QCheckBox>
#include <QCloseEvent>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace fts::ui {
namespace {

constexpr int kProgressSteps = 1000;  // the whole experiment

QString strategyTitle(const QString& strategy) {
    if (strategy == QLatin1String("head"))
        return ExperimentDialog::tr("Head only (frozen backbone)");
    if (strategy == QLatin1String("last")) return ExperimentDialog::tr("Last block + head");
    if (strategy == QLatin1String("full"))
        return ExperimentDialog::tr("Everything, from pretrained weights");
    if (strategy == QLatin1String("scratch"))
        return ExperimentDialog::tr("Everything, from scratch (random weights)");
    return strategy;
}

QString formatSeconds(double seconds) {
    const QLocale locale;
    if (seconds < 60.0) return ExperimentDialog::tr("%1 s").arg(locale.toString(seconds, 'f', 1));
    const int whole = int(seconds + 0.5);
    return ExperimentDialog::tr("%1 min %2 s")
        .arg(whole / 60)
        .arg(whole % 60, 2, 10, QLatin1Char('0'));
}

QString formatAccuracy(double accuracy) {
    return ExperimentDialog::tr("%1 %").arg(QLocale().toString(accuracy * 100.0, 'f', 1));
}

}  // namespace

ExperimentDialog::ExperimentDialog(const fts::TrainSettings& base,
                                   const std::map<std::string, fts::TrainSettings>& strategyBase,
                                   const QString& outDir, QWidget* parent)
    : QDialog(parent),
      m_base(base),
      m_strategyBase(strategyBase),
      m_outDir(outDir),
      m_runner(new ExperimentRunner(this)) {
    setWindowTitle(tr("Transfer-learning experiment"));

    auto* intro = new QLabel(this);
    intro->setObjectName(QStringLiteral("experimentIntro"));
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::RichText);
    const QString lines[] = {
        tr("<b>Head only:</b> the pretrained network stays frozen and only a new last layer "
           "learns. Fastest; it works when the new images look like those the network has "
           "seen."),
        tr("<b>Last block + head:</b> the last block of the pretrained network adapts too. A "
           "middle way."),
        tr("<b>Everything:</b> every layer fine-tunes from the pretrained weights, those more "
           "slowly than the new head. Usually the most accurate, and slower."),
        tr("<b>From scratch:</b> the same network from random weights. The baseline: what the "
           "pretrained weights are worth.")};
    QString html = QStringLiteral("<p>%1</p><ul style=\"margin-left: 0px; -qt-list-indent: 1;\">")
                       .arg(tr("Train the same model on the same data in four ways, one after "
                               "another, and compare how much starting from pretrained weights "
                               "helps:"));
    for (const QString& line : lines) html += QStringLiteral("<li>%1</li>").arg(line);
    html += QStringLiteral("</ul>");
    intro->setText(html);

    // Strategies and epochs.
    auto* choose = new QGroupBox(tr("Strategies"), this);
    auto* chooseLayout = new QVBoxLayout(choose);
    auto* checks = new QHBoxLayout;
    const bool hasWeights = !m_base.weightsFile.empty();
    for (const auto& name : fts::experimentStrategies()) {
        const QString strategy = toQString(name);
        auto* check = new QCheckBox(strategyTitle(strategy), choose);
        check->setObjectName(QStringLiteral("strategy_%1").arg(strategy));
        // Head, last and full start from pretrained weights: without a
        // weights file they would all be training from scratch.
        const bool possible = hasWeights || strategy == QLatin1String("scratch");
        check->setChecked(possible);
        check->setEnabled(possible);
        connect(check, &QCheckBox::toggled, this, [this] {
            rebuildRows();
            updateButtons();
        });
        m_checks.insert(strategy, check);
        checks->addWidget(check);
    }
    checks->addStretch(1);
    chooseLayout->addLayout(checks);
    m_noWeights = new QLabel(
        tr("No pretrained weights are chosen (tab 1 · Model & layers), so only “from scratch” "
           "can run: the other three strategies start from pretrained weights."),
        choose);
    m_noWeights->setObjectName(QStringLiteral("noWeightsNote"));
    m_noWeights->setWordWrap(true);
    m_noWeights->setVisible(!hasWeights);
    chooseLayout->addWidget(m_noWeights);

    auto* form = new QFormLayout;
    m_epochs = new QSpinBox(choose);
    m_epochs->setObjectName(QStringLiteral("experimentEpochs"));
    m_epochs->setRange(1, 1000);
    m_epochs->setValue(qMax(1, m_base.epochs));
    m_epochs->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    m_epochs->setToolTip(
        tr("Every strategy trains for this many epochs, so that the "
           "comparison is fair."));
    form->addRow(tr("Epochs per strategy:"), m_epochs);
    auto* folder = new QLabel(QDir::toNativeSeparators(m_outDir), choose);
    folder->setObjectName(QStringLiteral("experimentFolder"));
    folder->setTextInteractionFlags(Qt::TextSelectableByMouse);
    folder->setWordWrap(true);
    form->addRow(tr("Saved in:"), folder);
    chooseLayout->addLayout(form);

    // Results.
    m_model = new QStandardItemModel(0, ColumnCount, this);
    m_model->setHorizontalHeaderLabels(
        {tr("Strategy"), tr("Status"), tr("Best validation accuracy"), tr("Time")});
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("experimentResults"));
    m_table->setModel(m_model);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setFocusPolicy(Qt::NoFocus);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(StrategyColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(StatusColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(AccuracyColumn,
                                                      QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(TimeColumn, QHeaderView::ResizeToContents);
    m_table->setMinimumHeight(m_table->verticalHeader()->defaultSectionSize() * 5 + 8);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("experimentProgress"));
    m_progress->setRange(0, kProgressSteps);
    m_progress->setValue(0);
    m_status = new QLabel(tr("Press Start to train the strategies one after another."), this);
    m_status->setObjectName(QStringLiteral("experimentStatus"));
    m_status->setWordWrap(true);

    auto* buttons = new QDialogButtonBox(this);
    m_start = buttons->addButton(tr("Start"), QDialogButtonBox::ActionRole);
    m_start->setObjectName(QStringLiteral("startExperiment"));
    m_start->setDefault(true);
    m_stop = buttons->addButton(tr("Stop"), QDialogButtonBox::ActionRole);
    m_stop->setObjectName(QStringLiteral("stopExperiment"));
    m_openReport = buttons->addButton(tr("Open report"), QDialogButtonBox::ActionRole);
    m_openReport->setObjectName(QStringLiteral("openExperimentReport"));
    m_openReport->setToolTip(tr("The comparison as a self-contained HTML page to share."));
    m_showRuns = buttons->addButton(tr("Show in Runs"), QDialogButtonBox::ActionRole);
    m_showRuns->setObjectName(QStringLiteral("showExperimentRuns"));
    m_close = buttons->addButton(tr("Close"), QDialogButtonBox::RejectRole);
    m_close->setObjectName(QStringLiteral("closeExperiment"));
    m_close->setAutoDefault(false);
    connect(m_start, &QPushButton::clicked, this, [this] { start(); });
    connect(m_stop, &QPushButton::clicked, this, &ExperimentDialog::stop);
    connect(m_openReport, &QPushButton::clicked, this,
            [this] { Q_EMIT reportRequested(m_outDir); });
    connect(m_showRuns, &QPushButton::clicked, this,
            [this] { Q_EMIT showRunsRequested(runDirectories()); });
    connect(m_close, &QPushButton::clicked, this, &ExperimentDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(choose);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(m_runner, &ExperimentRunner::strategyStarted, this,
            [this](int index, int count, const QString& strategy) {
                onStrategyStarted(index, count, strategy);
            });
    connect(m_runner, &ExperimentRunner::batchProgress, this, &ExperimentDialog::onBatchProgress);
    connect(m_runner, &ExperimentRunner::epochFinished, this, &ExperimentDialog::onEpochFinished);
    connect(m_runner, &ExperimentRunner::strategyFinished, this,
            &ExperimentDialog::onStrategyFinished);
    connect(m_runner, &ExperimentRunner::finished, this, &ExperimentDialog::onFinished);

    rebuildRows();
    updateButtons();
    resize(780, 560);
}

ExperimentDialog::~ExperimentDialog() {
    // Stops a running experiment and joins its thread while this dialog is
    // still whole (the runner would otherwise go with the QObject children).
    delete m_runner;
    m_runner = nullptr;
}

QCheckBox* ExperimentDialog::strategyCheckBox(const QString& strategy) const {
    return m_checks.value(strategy, nullptr);
}

QStringList ExperimentDialog::selectedStrategies() const {
    QStringList out;
    for (const auto& name : fts::experimentStrategies()) {
        const QCheckBox* check = m_checks.value(toQString(name), nullptr);
        if (check && check->isEnabled() && check->isChecked()) out << toQString(name);
    }
    return out;
}

bool ExperimentDialog::isRunning() const {
    return m_runner && m_runner->isBusy();
}

QStringList ExperimentDialog::runDirectories() const {
    QStringList dirs;
    const QDir out(m_outDir);
    for (const QString& strategy : m_startedStrategies) dirs << out.filePath(strategy);
    return dirs;
}

bool ExperimentDialog::start() {
    if (m_started || isRunning()) return false;
    const QStringList strategies = selectedStrategies();
    if (strategies.isEmpty()) return false;

    fts::ExperimentSettings settings;
    settings.base = m_base;
    settings.base.epochs = m_epochs->value();
    settings.base.resume = false;
    for (const auto& [name, own] : m_strategyBase) {
        fts::TrainSettings s = own;
        s.epochs = m_epochs->value();
        s.resume = false;
        settings.strategyBase[name] = s;
    }
    for (const QString& strategy : strategies) settings.strategies.push_back(toStdString(strategy));
    settings.outDir = toStdString(m_outDir);

    rebuildRows();
    m_startedStrategies.clear();
    m_finishedStatus.clear();
    m_currentIndex = 0;
    m_count = int(strategies.size());
    m_progress->setValue(0);
    if (!m_runner->start(settings)) return false;
    m_started = true;
    m_status->setText(tr("Starting…"));
    updateButtons();
    return true;
}

void ExperimentDialog::stop() {
    if (!isRunning()) return;
    m_runner->stop();
    m_status->setText(tr("Stopping after the current batch…"));
    updateButtons();
}

bool ExperimentDialog::mayCloseNow() {
    if (!isRunning()) return true;
    if (!m_closeWhenFinished) {
        if (m_askBeforeStopping) {
            const auto answer = QMessageBox::question(
                this, tr("Stop the experiment?"),
                tr("The experiment is still training. Stop it and close this window? The "
                   "strategies that finished are kept."),
                QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
            // The experiment may have ended while the question was open.
            if (answer != QMessageBox::Yes || !isRunning()) return answer == QMessageBox::Yes;
        }
        m_closeWhenFinished = true;
        stop();
    }
    return false;  // onFinished() closes the dialog
}

void ExperimentDialog::closeEvent(QCloseEvent* event) {
    if (mayCloseNow())
        QDialog::closeEvent(event);
    else
        event->ignore();
}

void ExperimentDialog::reject() {
    if (mayCloseNow()) QDialog::reject();
}

void ExperimentDialog::rebuildRows() {
    if (m_started) return;  // the rows belong to the experiment now
    m_model->removeRows(0, m_model->rowCount());
    for (const QString& strategy : selectedStrategies()) {
        QList<QStandardItem*> row;
        for (int c = 0; c < ColumnCount; ++c) row << new QStandardItem;
        row[StrategyColumn]->setText(strategyTitle(strategy));
        row[StrategyColumn]->setData(strategy, Qt::UserRole);
        row[StatusColumn]->setText(tr("waiting"));
        row[AccuracyColumn]->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        row[TimeColumn]->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_model->appendRow(row);
    }
}

int ExperimentDialog::rowOf(const QString& strategy) const {
    for (int r = 0; r < m_model->rowCount(); ++r)
        if (m_model->item(r, StrategyColumn)->data(Qt::UserRole).toString() == strategy) return r;
    return -1;
}

void ExperimentDialog::setCell(int row, int column, const QString& text, const QVariant& value) {
    if (row < 0) return;
    QStandardItem* item = m_model->item(row, column);
    item->setText(text);
    if (value.isValid()) item->setData(value, Qt::UserRole);
}

void ExperimentDialog::updateButtons() {
    const bool running = isRunning();
    const bool done = !m_finishedStatus.isEmpty();
    m_start->setEnabled(!m_started && !selectedStrategies().isEmpty());
    m_stop->setEnabled(running && !m_runner->isStopping());
    for (QCheckBox* check : qAsConst(m_checks))
        check->setEnabled(!m_started && (!m_base.weightsFile.empty() ||
                                         check->objectName() == QLatin1String("strategy_scratch")));
    m_epochs->setEnabled(!m_started);
    const QString report = QDir(m_outDir).filePath(QStringLiteral("report.html"));
    m_openReport->setEnabled(done && QFileInfo::exists(report));
    m_showRuns->setEnabled(done && !m_startedStrategies.isEmpty());
}

void ExperimentDialog::setOverallProgress(double strategiesDone) {
    if (m_count <= 0) return;
    const double fraction = qBound(0.0, strategiesDone / m_count, 1.0);
    m_progress->setValue(int(fraction * kProgressSteps + 0.5));
}

void ExperimentDialog::onStrategyStarted(int index, int count, const QString& strategy) {
    m_currentIndex = index;
    m_count = count;
    m_startedStrategies << strategy;
    m_strategyClock.start();
    const int row = rowOf(strategy);
    setCell(row, StatusColumn, tr("starting…"));
    m_status->setText(
        tr("Training %1 of %2: %3").arg(index + 1).arg(count).arg(strategyTitle(strategy)));
    setOverallProgress(index);
    if (row >= 0) m_table->scrollTo(m_model->index(row, 0));
}

void ExperimentDialog::onBatchProgress(const QString& strategy, int epoch, int epochs, int batch,
                                       int batches) {
    const int row = rowOf(strategy);
    if (!m_runner->isStopping())
        setCell(row, StatusColumn, tr("training epoch %1/%2").arg(epoch).arg(epochs));
    if (m_strategyClock.isValid())
        setCell(row, TimeColumn, formatSeconds(m_strategyClock.elapsed() / 1000.0));
    if (epochs > 0 && batches > 0)
        setOverallProgress(m_currentIndex + (epoch - 1 + double(batch) / batches) / epochs);
}

void ExperimentDialog::onEpochFinished(const QString& strategy, const fts::EpochMetrics& metrics) {
    const int row = rowOf(strategy);
    if (row < 0) return;
    const QVariant previous = m_model->item(row, AccuracyColumn)->data(Qt::UserRole);
    const double best =
        previous.isValid() ? qMax(previous.toDouble(), metrics.valAccuracy) : metrics.valAccuracy;
    setCell(row, AccuracyColumn, formatAccuracy(best), best);
}

void ExperimentDialog::onStrategyFinished(int index, int /*count*/, const QString& strategy,
                                          const QString& status, double bestValAccuracy,
                                          double wallSeconds, const QString& error) {
    const int row = rowOf(strategy);
    if (status == QLatin1String("completed")) {
        setCell(row, StatusColumn, tr("done"));
    } else if (status == QLatin1String("cancelled")) {
        setCell(row, StatusColumn, tr("stopped"));
    } else {
        const QString reason = error.isEmpty() ? tr("see the run's log") : error;
        setCell(row, StatusColumn, tr("failed: %1").arg(reason));
        if (row >= 0) m_model->item(row, StatusColumn)->setToolTip(reason);
    }
    // A run stopped or failed before its first epoch has no accuracy.
    if (row >= 0 && (status == QLatin1String("completed") ||
                     m_model->item(row, AccuracyColumn)->data(Qt::UserRole).isValid()))
        setCell(row, AccuracyColumn, formatAccuracy(bestValAccuracy), bestValAccuracy);
    setCell(row, TimeColumn, formatSeconds(wallSeconds), wallSeconds);
    m_strategyClock.invalidate();
    setOverallProgress(index + 1);
}

void ExperimentDialog::onFinished(const QString& status, const QString& experimentDir,
                                  const QString& error) {
    m_finishedStatus = status;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const QString text = m_model->item(r, StatusColumn)->text();
        if (!m_startedStrategies.contains(
                m_model->item(r, StrategyColumn)->data(Qt::UserRole).toString()))
            setCell(r, StatusColumn, tr("not run"));
        else if (text == tr("starting…"))
            setCell(r, StatusColumn, tr("stopped"));
    }
    if (status == QLatin1String("completed")) {
        m_progress->setValue(kProgressSteps);
        m_status->setText(
            tr("Done. Compare the strategies above, or open the report for "
               "their curves side by side."));
    } else if (status == QLatin1String("cancelled")) {
        m_status->setText(tr("Stopped. The strategies that finished are kept."));
    } else {
        m_status->setText(tr("The experiment failed: %1")
                              .arg(error.isEmpty() ? tr("see the runs' logs") : error));
    }
    if (status != QLatin1String("failed") && !error.isEmpty())
        m_status->setText(m_status->text() + QLatin1Char('\n') + error);
    updateButtons();
    Q_EMIT experimentFinished(experimentDir, status);
    if (m_closeWhenFinished) {
        m_closeWhenFinished = false;
        // Queued: this slot runs inside the runner's signal, and a dialog
        // with WA_DeleteOnClose deletes itself (and the runner) on close.
        QTimer::singleShot(0, this, [this] { close(); });
    }
}

}  // namespace fts::ui
