#pragma once

#include "data/datasetedit.h"

#include <QFutureWatcher>
#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <functional>
#include <optional>

class QDialog;
class QUndoStack;
class QWidget;

namespace fts::ui {

/// The relabellings and exclusions a person has asked for in the gallery but
/// not yet applied to the ImageFolder dataset, with undo (one command per
/// action). Applying them moves files (never deletes or overwrites) after a
/// confirmation, on a QtConcurrent worker. Lives on the GUI thread.
class DatasetEdits : public QObject {
    Q_OBJECT
public:
    /// A pending change of one image. newClass names the target class folder.
    struct Pending {
        fts::DatasetEdit::Kind kind = fts::DatasetEdit::Kind::Relabel;
        QString newClass;  // Relabel only
        bool operator==(const Pending& o) const { return kind == o.kind && newClass == o.newClass; }
        bool operator!=(const Pending& o) const { return !(*this == o); }
    };

    explicit DatasetEdits(QObject* parent = nullptr);
    /// Waits for moves in flight: a file is never left half moved.
    ~DatasetEdits() override;

    /// The ImageFolder root the gallery's images come from and its classes
    /// (folder names). An empty root (IDX, CIFAR: records, not files) turns
    /// editing off. Another root drops the pending edits and the undo history.
    void setDataset(const QString& root, const QStringList& classNames);
    QString root() const { return m_root; }
    const QStringList& classNames() const { return m_classNames; }
    /// False for IDX/CIFAR data or while moves are being made.
    bool isEditable() const { return !m_root.isEmpty() && !isApplying(); }
    /// True when `item` is a file directly inside a class folder of root().
    bool isEditable(const QString& item) const;
    /// The index of the item's class folder in classNames(); -1 if unknown.
    int originalClass(const QString& item) const;

    /// Each action is one undoable command; items that are not editable are
    /// passed over. Relabelling an image back to its own class drops its edit.
    void relabel(const QStringList& items, int newClass);
    void exclude(const QStringList& items);
    void revert(const QStringList& items);
    /// Drops every pending edit (one command, so it can be undone).
    void discard();
    QUndoStack* undoStack() const { return m_undo; }

    int pendingCount() const { return int(m_pending.size()); }
    std::optional<Pending> pending(const QString& item) const;
    QStringList pendingItems() const;
    /// For the gallery: "→ Sandal", "excluded", or empty.
    QString pendingText(const QString& item) const;

    /// The file moves of the pending edits; empty with *error set (a sentence
    /// naming the file) when they cannot be planned.
    QVector<fts::FileMove> plan(QString* error = nullptr) const;

    /// Plans the moves and opens (window-modal, not blocking) the
    /// confirmation dialog listing them, or a message saying why nothing can
    /// be moved. Accepting the dialog starts the moves. Returns the dialog
    /// (deleted on close); nullptr when nothing is pending.
    QDialog* requestApply(QWidget* parent);
    /// Starts the moves on a worker without asking. applied() follows.
    void applyNow(const QVector<fts::FileMove>& moves);
    bool isApplying() const { return m_watcher.isRunning(); }
    /// The failures of the last apply: "file: why".
    const QStringList& lastFailures() const { return m_lastFailures; }
    QString lastJournalProblem() const { return m_lastJournalProblem; }

Q_SIGNALS:
    /// Pending edits (or the editable state) changed.
    void changed();
    /// Moves finished: `moved` files were moved, `failed` stayed in place.
    void applied(int moved, int failed);

private:
    friend class EditCommand;
    void setStates(const QHash<QString, std::optional<Pending>>& states);
    void push(const QString& text, const QStringList& items,
              const std::function<std::optional<Pending>(const QString&)>& next);
    void onMovesFinished();

    QString m_root;
    QStringList m_classNames;
    QHash<QString, Pending> m_pending;
    QUndoStack* m_undo = nullptr;  // owned (child)
    QFutureWatcher<fts::MoveResult> m_watcher;
    QStringList m_lastFailures;
    QString m_lastJournalProblem;
};

}  // namespace fts::ui
