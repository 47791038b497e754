#pragma once

#include "train/modeldescription.h"

#include <QAbstractItemModel>
#include <QString>

#include <cstdint>
#include <vector>

namespace fts::ui {

/// The model's tree of named modules as an item model, with a check box per
/// module that holds parameters: checked = frozen (its parameters do not
/// train). The root module itself is not a row; its children are the
/// top-level rows. A module's check state is derived from the parameters
/// under it (checked: all frozen, unchecked: none, partially: some).
///
/// The freeze state converts to and from the engine's freeze spec (see
/// FreezePlan): "none", "backbone" or sorted comma-separated module paths.
/// Lives on the GUI thread.
class LayerTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { ModuleColumn, TypeColumn, ParametersColumn, OutputShapeColumn, ColumnCount };
    enum Role {
        PathRole = Qt::UserRole + 1,  // QString: module path ("layer1.0.conv1")
        SubtreeParametersRole,        // qlonglong: parameters of the module and below
        FrozenParametersRole,         // qlonglong: of those, how many are frozen
    };

    explicit LayerTreeModel(QObject* parent = nullptr);

    /// Replaces the tree; nothing is frozen afterwards.
    void setDescription(const fts::ModelDescription& description);
    const fts::ModelDescription& description() const { return m_description; }

    /// "none", "backbone" (exactly everything but the head frozen) or the
    /// minimal sorted list of fully frozen module paths.
    QString freezeSpec() const;
    /// Applies a spec ("none", "backbone" or module paths). Returns false and
    /// changes nothing when a path is not a module of this model.
    bool setFreezeSpec(const QString& spec);

    /// Presets. headOnly: everything but the head frozen; lastBlockAndHead:
    /// every module before the last block (in tree order) frozen, so the last
    /// block and what follows it train; everything: nothing frozen.
    void applyHeadOnly();
    void applyLastBlockAndHead();
    void applyEverything();

    /// Whether the module at `path` (and everything under it) is frozen.
    bool isFrozen(const QString& path) const;
    /// Checks or unchecks one module and its subtree, as a click does.
    /// Returns false for an unknown path or one without parameters.
    bool setFrozen(const QString& path, bool frozen);

    qint64 trainableParameters() const;
    qint64 totalParameters() const;
    qint64 frozenParameters() const;

    /// While read-only (a run is going), the check boxes cannot be changed
    /// from views (setData refuses); the programmatic setters still work.
    void setReadOnly(bool readOnly);
    bool isReadOnly() const { return m_readOnly; }

    QModelIndex indexForPath(const QString& path, int column = ModuleColumn) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    /// The set of frozen parameters changed (by a click, a preset or a spec).
    void freezeChanged();

private:
    struct Item {
        const fts::ModuleNode* node = nullptr;  // points into m_description.tree
        int parent = -1;                        // item index; -1 for the root
        int row = 0;                            // row under the parent
        std::vector<int> children;
        bool ownFrozen = false;      // the node's own parameters are frozen
        qint64 frozenInSubtree = 0;  // derived: frozen parameters at and below
    };

    int buildItems(const fts::ModuleNode& node, int parent, int row);
    int itemOf(const QModelIndex& index) const;   // 0 (root) for an invalid index
    int findPath(const std::string& path) const;  // -1 when unknown
    Qt::CheckState checkState(int item) const;
    void setSubtreeFrozen(int item, bool frozen);
    void recompute(int item);
    bool subtreeFullyFrozen(int item) const;
    bool subtreeFullyTrainable(int item) const;
    void collectFrozenPaths(int item, std::vector<std::string>& paths) const;
    /// Runs `change` on the frozen flags, normalises and recomputes, and
    /// reports every row whose state changed.
    template <typename Change>
    void changeFreeze(Change change);

    fts::ModelDescription m_description;
    std::vector<Item> m_items;  // [0] = root
    bool m_readOnly = false;
};

}  // namespace fts::ui
