#pragma once

#include "train/modeldescription.h"

#include <QString>
#include <QWidget>

class QLabel;
class QPushButton;
class QTreeView;

namespace fts::ui {

class LayerTreeModel;

/// The layer tree with freeze presets and a live "Trainable: N of M" line.
/// A tick freezes a module (its parameters keep their values). When a new
/// description of the same architecture arrives (another class count, image
/// size or weights file), the current freeze spec is kept.
class LayerTreePanel : public QWidget {
    Q_OBJECT
public:
    explicit LayerTreePanel(QWidget* parent = nullptr);

    void setDescription(const fts::ModelDescription& description);
    QString freezeSpec() const;
    /// Returns false (and changes nothing) when a path is not in the model.
    bool setFreezeSpec(const QString& spec);
    /// While running, ticks and presets are locked.
    void setRunning(bool running);
    LayerTreeModel* model() const { return m_model; }

    /// The "Trainable: ..." line as shown (for tests and the status bar).
    QString trainableText() const;

Q_SIGNALS:
    void freezeChanged(const QString& spec);

private:
    void updateSummary();
    void expandTopLevels();

    LayerTreeModel* m_model = nullptr;
    QTreeView* m_view = nullptr;
    QPushButton* m_headOnly = nullptr;
    QPushButton* m_lastBlock = nullptr;
    QPushButton* m_everything = nullptr;
    QLabel* m_summary = nullptr;
    bool m_running = false;
    bool m_quiet = false;
};

}  // namespace fts::ui
