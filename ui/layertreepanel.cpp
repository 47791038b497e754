#include "layertreepanel.h"

#include "layertreemodel.h"
#include "uitypes.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace fts::ui {

LayerTreePanel::LayerTreePanel(QWidget* parent) : QWidget(parent) {
    m_model = new LayerTreeModel(this);

    m_view = new QTreeView(this);
    m_view->setModel(m_model);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->header()->setStretchLastSection(true);
    m_view->setToolTip(
        tr("Tick a layer to freeze it: its parameters keep the values they learned before "
           "and only the unticked layers learn from your images."));

    m_headOnly = new QPushButton(tr("Train head only"), this);
    m_headOnly->setToolTip(
        tr("Freeze everything except the last layer (the head): fastest, and good when you "
           "have few images similar to what the model was trained on."));
    m_lastBlock = new QPushButton(tr("Train last block + head"), this);
    m_lastBlock->setToolTip(
        tr("Freeze the early layers, which detect general edges and textures, and let the "
           "last block adapt its features to your images together with the head."));
    m_everything = new QPushButton(tr("Train everything"), this);
    m_everything->setToolTip(
        tr("Freeze nothing: every layer adapts to your images. Slowest, and best when you "
           "have many images or they look very different."));

    m_summary = new QLabel(this);
    m_summary->setToolTip(
        tr("How many of the model's parameters will change during training; frozen ones keep "
           "their values."));

    auto* presets = new QHBoxLayout;
    presets->addWidget(m_headOnly);
    presets->addWidget(m_lastBlock);
    presets->addWidget(m_everything);
    presets->addStretch(1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(presets);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_summary);

    connect(m_headOnly, &QPushButton::clicked, m_model, &LayerTreeModel::applyHeadOnly);
    connect(m_lastBlock, &QPushButton::clicked, m_model, &LayerTreeModel::applyLastBlockAndHead);
    connect(m_everything, &QPushButton::clicked, m_model, &LayerTreeModel::applyEverything);
    connect(m_model, &LayerTreeModel::freezeChanged, this, [this] {
        if (m_quiet) return;
        updateSummary();
        Q_EMIT freezeChanged(m_model->freezeSpec());
    });

    setRunning(false);
    updateSummary();
}

void LayerTreePanel::setDescription(const fts::ModelDescription& description) {
    // The same network described again (other class count, image size or
    // weights): keep what the user ticked.
    const bool sameArch =
        description.arch == m_model->description().arch && m_model->totalParameters() > 0;
    const QString previous = m_model->freezeSpec();
    m_quiet = true;  // one freezeChanged below, not one per step
    m_model->setDescription(description);
    if (sameArch) m_model->setFreezeSpec(previous);
    m_quiet = false;
    expandTopLevels();
    for (int column = 0; column < LayerTreeModel::ColumnCount; ++column)
        m_view->resizeColumnToContents(column);
    updateSummary();
    Q_EMIT freezeChanged(m_model->freezeSpec());
}

void LayerTreePanel::expandTopLevels() {
    m_view->expandToDepth(0);
}

QString LayerTreePanel::freezeSpec() const {
    return m_model->freezeSpec();
}

bool LayerTreePanel::setFreezeSpec(const QString& spec) {
    return m_model->setFreezeSpec(spec);
}

void LayerTreePanel::setRunning(bool running) {
    m_running = running;
    m_model->setReadOnly(running);
    const bool enabled = !running;
    m_headOnly->setEnabled(enabled);
    m_lastBlock->setEnabled(enabled);
    m_everything->setEnabled(enabled);
}

QString LayerTreePanel::trainableText() const {
    return m_summary->text();
}

void LayerTreePanel::updateSummary() {
    const qint64 total = m_model->totalParameters();
    const qint64 trainable = m_model->trainableParameters();
    if (total <= 0) {
        m_summary->setStyleSheet(QString());
        m_summary->setText(tr("No model yet: choose one above."));
        return;
    }
    const QLocale locale;
    const double percent = 100.0 * double(trainable) / double(total);
    QString text =
        tr("Trainable: %1 of %2 parameters (%3%)")
            .arg(locale.toString(static_cast<qlonglong>(trainable)),
                 locale.toString(static_cast<qlonglong>(total)), locale.toString(percent, 'f', 1));
    if (trainable == 0) {
        text += QLatin1Char(' ') + tr("Nothing would learn: untick at least one layer.");
        m_summary->setStyleSheet(QStringLiteral("color: #c0392b;"));
    } else {
        m_summary->setStyleSheet(QString());
    }
    m_summary->setText(text);
}

}  // namespace fts::ui
