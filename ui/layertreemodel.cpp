#include "layertreemodel.h"

#include "uitypes.h"

#include <QFont>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>
#include <QStringList>

#include <algorithm>

namespace fts::ui {

LayerTreeModel::LayerTreeModel(QObject* parent) : QAbstractItemModel(parent) {
    m_items.push_back(Item{&m_description.tree, -1, 0, {}, false, 0});
}

void LayerTreeModel::setDescription(const fts::ModelDescription& description) {
    beginResetModel();
    m_description = description;
    m_items.clear();
    buildItems(m_description.tree, /*parent=*/-1, /*row=*/0);
    recompute(0);
    endResetModel();
    Q_EMIT freezeChanged();
}

int LayerTreeModel::buildItems(const fts::ModuleNode& node, int parent, int row) {
    const int self = static_cast<int>(m_items.size());
    m_items.push_back(Item{&node, parent, row, {}, false, 0});
    int childRow = 0;
    for (const fts::ModuleNode& child : node.children) {
        const int childItem = buildItems(child, self, childRow++);
        m_items[self].children.push_back(childItem);
    }
    return self;
}

int LayerTreeModel::itemOf(const QModelIndex& index) const {
    if (!index.isValid()) return 0;
    return static_cast<int>(index.internalId());
}

int LayerTreeModel::findPath(const std::string& path) const {
    for (std::size_t i = 0; i < m_items.size(); ++i)
        if (m_items[i].node->path == path) return static_cast<int>(i);
    return -1;
}

Qt::CheckState LayerTreeModel::checkState(int item) const {
    const Item& it = m_items[item];
    if (it.frozenInSubtree == 0) return Qt::Unchecked;
    if (it.frozenInSubtree >= it.node->totalParameters) return Qt::Checked;
    return Qt::PartiallyChecked;
}

bool LayerTreeModel::subtreeFullyFrozen(int item) const {
    const Item& it = m_items[item];
    return it.node->totalParameters > 0 && it.frozenInSubtree == it.node->totalParameters;
}

bool LayerTreeModel::subtreeFullyTrainable(int item) const {
    return m_items[item].frozenInSubtree == 0;
}

void LayerTreeModel::setSubtreeFrozen(int item, bool frozen) {
    m_items[item].ownFrozen = frozen;
    for (int child : m_items[item].children) setSubtreeFrozen(child, frozen);
}

void LayerTreeModel::recompute(int item) {
    Item& it = m_items[item];
    qint64 frozenBelow = 0;
    qint64 paramsBelow = 0;
    for (int child : it.children) {
        recompute(child);
        frozenBelow += m_items[child].frozenInSubtree;
        paramsBelow += m_items[child].node->totalParameters;
    }
    // A module that holds parameters itself and has parameter-bearing
    // children: a freeze spec can only name the whole module, so its own
    // parameters are frozen exactly when everything below it is.
    if (it.node->ownParameters > 0 && paramsBelow > 0) it.ownFrozen = frozenBelow == paramsBelow;
    it.frozenInSubtree = frozenBelow + (it.ownFrozen ? it.node->ownParameters : 0);
}

template <typename Change>
void LayerTreeModel::changeFreeze(Change change) {
    std::vector<qint64> before;
    before.reserve(m_items.size());
    for (const Item& it : m_items) before.push_back(it.frozenInSubtree);

    change();
    recompute(0);

    bool any = false;
    for (std::size_t i = 1; i < m_items.size(); ++i) {
        if (m_items[i].frozenInSubtree == before[i]) continue;
        any = true;
        const Item& it = m_items[i];
        const QModelIndex first = createIndex(it.row, ModuleColumn, quintptr(i));
        const QModelIndex last = createIndex(it.row, ColumnCount - 1, quintptr(i));
        Q_EMIT dataChanged(
            first, last,
            {Qt::CheckStateRole, Qt::ForegroundRole, Qt::ToolTipRole, FrozenParametersRole});
    }
    if (any) Q_EMIT freezeChanged();
}

void LayerTreeModel::collectFrozenPaths(int item, std::vector<std::string>& paths) const {
    for (int child : m_items[item].children) {
        if (subtreeFullyFrozen(child))
            paths.push_back(m_items[child].node->path);
        else if (!subtreeFullyTrainable(child))
            collectFrozenPaths(child, paths);
    }
}

QString LayerTreeModel::freezeSpec() const {
    if (m_items.empty() || subtreeFullyTrainable(0)) return QStringLiteral("none");
    const int head = m_description.headPath.empty() ? -1 : findPath(m_description.headPath);
    if (head > 0 && subtreeFullyTrainable(head) &&
        frozenParameters() == totalParameters() - m_items[head].node->totalParameters)
        return QStringLiteral("backbone");
    std::vector<std::string> paths;
    collectFrozenPaths(0, paths);
    std::sort(paths.begin(), paths.end());
    QStringList list;
    for (const auto& path : paths) list << toQString(path);
    return list.join(QLatin1Char(','));
}

bool LayerTreeModel::setFreezeSpec(const QString& spec) {
    const QString text = spec.trimmed();
    if (text.isEmpty() || text == QLatin1String("none")) {
        applyEverything();
        return true;
    }
    if (text == QLatin1String("backbone")) {
        applyHeadOnly();
        return true;
    }
    std::vector<int> items;
    for (const QString& part : text.split(QLatin1Char(','))) {
        const QString path = part.trimmed();
        if (path.isEmpty()) continue;
        const int item = findPath(toStdString(path));
        if (item <= 0) return false;  // unknown, or the root ("")
        items.push_back(item);
    }
    if (items.empty()) return false;
    changeFreeze([&] {
        setSubtreeFrozen(0, false);
        for (int item : items) setSubtreeFrozen(item, true);
    });
    return true;
}

void LayerTreeModel::applyHeadOnly() {
    const int head = m_description.headPath.empty() ? -1 : findPath(m_description.headPath);
    changeFreeze([&] {
        setSubtreeFrozen(0, true);
        if (head > 0) setSubtreeFrozen(head, false);
    });
}

void LayerTreeModel::applyLastBlockAndHead() {
    const int last =
        m_description.lastBlockPath.empty() ? -1 : findPath(m_description.lastBlockPath);
    if (last <= 0) {
        applyHeadOnly();
        return;
    }
    changeFreeze([&] {
        setSubtreeFrozen(0, false);
        // Walk up from the last block: at every level, the siblings before
        // the chain's module come earlier in the network and are frozen.
        for (int item = last; m_items[item].parent >= 0; item = m_items[item].parent) {
            const Item& parent = m_items[m_items[item].parent];
            for (int sibling : parent.children) {
                if (m_items[sibling].row >= m_items[item].row) break;
                setSubtreeFrozen(sibling, true);
            }
        }
    });
}

void LayerTreeModel::applyEverything() {
    changeFreeze([&] { setSubtreeFrozen(0, false); });
}

bool LayerTreeModel::isFrozen(const QString& path) const {
    const int item = findPath(toStdString(path));
    return item >= 0 && subtreeFullyFrozen(item);
}

bool LayerTreeModel::setFrozen(const QString& path, bool frozen) {
    const int item = findPath(toStdString(path));
    if (item <= 0 || m_items[item].node->totalParameters == 0) return false;
    changeFreeze([&] { setSubtreeFrozen(item, frozen); });
    return true;
}

qint64 LayerTreeModel::totalParameters() const {
    return m_items.empty() ? 0 : m_items[0].node->totalParameters;
}

qint64 LayerTreeModel::frozenParameters() const {
    return m_items.empty() ? 0 : m_items[0].frozenInSubtree;
}

qint64 LayerTreeModel::trainableParameters() const {
    return totalParameters() - frozenParameters();
}

void LayerTreeModel::setReadOnly(bool readOnly) {
    if (m_readOnly == readOnly) return;
    m_readOnly = readOnly;
    // Flags changed on every check box.
    for (std::size_t i = 1; i < m_items.size(); ++i) {
        const QModelIndex index = createIndex(m_items[i].row, ModuleColumn, quintptr(i));
        Q_EMIT dataChanged(index, index, {Qt::CheckStateRole});
    }
}

QModelIndex LayerTreeModel::indexForPath(const QString& path, int column) const {
    const int item = findPath(toStdString(path));
    if (item <= 0 || column < 0 || column >= ColumnCount) return {};
    return createIndex(m_items[item].row, column, quintptr(item));
}

QModelIndex LayerTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (column < 0 || column >= ColumnCount || row < 0) return {};
    if (parent.isValid() && parent.column() != ModuleColumn) return {};
    const Item& p = m_items[itemOf(parent)];
    if (row >= static_cast<int>(p.children.size())) return {};
    return createIndex(row, column, quintptr(p.children[row]));
}

QModelIndex LayerTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid()) return {};
    const int parent = m_items[itemOf(child)].parent;
    if (parent <= 0) return {};
    return createIndex(m_items[parent].row, ModuleColumn, quintptr(parent));
}

int LayerTreeModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() && parent.column() != ModuleColumn) return 0;
    return static_cast<int>(m_items[itemOf(parent)].children.size());
}

int LayerTreeModel::columnCount(const QModelIndex& parent) const {
    Q_UNUSED(parent);
    return ColumnCount;
}

QVariant LayerTreeModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.model() != this) return {};
    const int item = itemOf(index);
    const Item& it = m_items[item];
    const fts::ModuleNode& node = *it.node;
    const bool hasParameters = node.totalParameters > 0;
    const bool isHead = !node.path.empty() && node.path == m_description.headPath;

    switch (role) {
        case Qt::DisplayRole:
            switch (index.column()) {
                case ModuleColumn:
                    return toQString(node.name);
                case TypeColumn:
                    return toQString(node.type);
                case ParametersColumn:
                    return QLocale().toString(static_cast<qlonglong>(node.totalParameters));
                case OutputShapeColumn: {
                    const auto shape = m_description.outputShapes.find(node.path);
                    if (shape == m_description.outputShapes.end()) return QString();
                    QStringList dims;
                    for (std::int64_t d : shape->second) dims << QString::number(d);
                    return dims.join(QStringLiteral(" \u00d7 "));
                }
                default:
                    return {};
            }
        case Qt::CheckStateRole:
            if (index.column() == ModuleColumn && hasParameters) return checkState(item);
            return {};
        case Qt::TextAlignmentRole:
            if (index.column() == ParametersColumn)
                return QVariant::fromValue<int>(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case Qt::ForegroundRole:
            // Not the name column: its check box would look disabled.
            if (index.column() != ModuleColumn && hasParameters && subtreeFullyFrozen(item))
                return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
            return {};
        case Qt::FontRole:
            if (isHead) {
                QFont font;
                font.setBold(true);
                return font;
            }
            return {};
        case Qt::ToolTipRole: {
            QString tip = toQString(node.path);
            if (isHead) tip += tr(" (the head: the layer that outputs one score per class)");
            if (!hasParameters)
                return tip + QLatin1Char('\n') +
                       tr("This module has no parameters to learn, so there is nothing to freeze.");
            switch (checkState(item)) {
                case Qt::Checked:
                    return tip + QLatin1Char('\n') +
                           tr("Frozen: its %1 parameters keep their current values during "
                              "training.")
                               .arg(QLocale().toString(
                                   static_cast<qlonglong>(node.totalParameters)));
                case Qt::PartiallyChecked:
                    return tip + QLatin1Char('\n') +
                           tr("Partly frozen: %1 of its %2 parameters keep their values.")
                               .arg(QLocale().toString(static_cast<qlonglong>(it.frozenInSubtree)),
                                    QLocale().toString(
                                        static_cast<qlonglong>(node.totalParameters)));
                default:
                    return tip + QLatin1Char('\n') +
                           tr("Trains: tick the box to freeze it and everything inside it.");
            }
        }
        case PathRole:
            return toQString(node.path);
        case SubtreeParametersRole:
            return static_cast<qlonglong>(node.totalParameters);
        case FrozenParametersRole:
            return static_cast<qlonglong>(it.frozenInSubtree);
        default:
            return {};
    }
}

bool LayerTreeModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (m_readOnly || role != Qt::CheckStateRole || !index.isValid() ||
        index.column() != ModuleColumn)
        return false;
    const int item = itemOf(index);
    if (m_items[item].node->totalParameters == 0) return false;
    const auto state = static_cast<Qt::CheckState>(value.toInt());
    if (state == Qt::PartiallyChecked) return false;  // derived, never set
    changeFreeze([&] { setSubtreeFrozen(item, state == Qt::Checked); });
    return true;
}

Qt::ItemFlags LayerTreeModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == ModuleColumn && !m_readOnly &&
        m_items[itemOf(index)].node->totalParameters > 0)
        f |= Qt::ItemIsUserCheckable;
    if (m_items[itemOf(index)].children.empty()) f |= Qt::ItemNeverHasChildren;
    return f;
}

QVariant LayerTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
            case ModuleColumn:
                return tr("Module (tick = frozen)");
            case TypeColumn:
                return tr("Type");
            case ParametersColumn:
                return tr("Parameters");
            case OutputShapeColumn:
                return tr("Output shape");
            default:
                return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
            case ModuleColumn:
                return tr("The network's layers; a ticked layer is frozen and keeps its values.");
            case TypeColumn:
                return tr("What kind of layer this is (convolution, normalisation, linear, ...).");
            case ParametersColumn:
                return tr("How many numbers the layer and everything inside it can learn.");
            case OutputShapeColumn:
                return tr(
                    "The size of what the layer outputs for one image: channels \u00d7 height "
                    "\u00d7 width.");
            default:
                return {};
        }
    }
    return {};
}

}  // namespace fts::ui
