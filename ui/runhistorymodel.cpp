#include "runhistorymodel.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

#include <cmath>

namespace fts::ui {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

}  // namespace

RunHistoryModel::RunHistoryModel(QObject* parent) : QAbstractTableModel(parent) {}

QColor RunHistoryModel::seriesColour(int index) {
    // Tableau 10: distinct on white and for most colour-blind readers.
    static const QColor colours[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e),
                                     QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28),
                                     QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                     QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f),
                                     QColor(0xbc, 0xbd, 0x22), QColor(0x17, 0xbe, 0xcf)};
    const int n = int(sizeof colours / sizeof colours[0]);
    QColor c = colours[((index % n) + n) % n];
    if (index >= n) c = c.darker(100 + 40 * (index / n));
    return c;
}

void RunHistoryModel::setRuns(std::vector<fts::RunRecord> runs) {
    beginResetModel();
    m_runs = std::move(runs);
    QSet<QString> still;
    for (const auto& r : m_runs)
        if (m_checked.contains(qs(r.dir))) still.insert(qs(r.dir));
    const bool changed = still != m_checked;
    m_checked = still;
    endResetModel();
    if (changed) Q_EMIT checkedChanged();
}

const fts::RunRecord* RunHistoryModel::run(int row) const {
    return row >= 0 && row < int(m_runs.size()) ? &m_runs[std::size_t(row)] : nullptr;
}

int RunHistoryModel::rowOf(const QString& dir) const {
    for (int i = 0; i < int(m_runs.size()); ++i)
        if (qs(m_runs[std::size_t(i)].dir) == dir) return i;
    return -1;
}

void RunHistoryModel::setActiveRuns(const QStringList& dirs) {
    m_active = QSet<QString>(dirs.begin(), dirs.end());
    if (!m_runs.empty())
        Q_EMIT dataChanged(index(0, StatusColumn), index(rowCount() - 1, StatusColumn));
}

void RunHistoryModel::setChecked(const QStringList& dirs) {
    QSet<QString> next;
    for (const auto& d : dirs)
        if (rowOf(d) >= 0) next.insert(d);
    if (next == m_checked) return;
    m_checked = next;
    if (!m_runs.empty())
        Q_EMIT dataChanged(index(0, CheckColumn), index(rowCount() - 1, NameColumn));
    Q_EMIT checkedChanged();
}

QStringList RunHistoryModel::checked() const {
    QStringList out;
    for (const auto& r : m_runs)
        if (m_checked.contains(qs(r.dir))) out << qs(r.dir);
    return out;
}

std::vector<fts::RunRecord> RunHistoryModel::checkedRuns() const {
    std::vector<fts::RunRecord> out;
    for (const auto& r : m_runs)
        if (m_checked.contains(qs(r.dir))) out.push_back(r);
    return out;
}

int RunHistoryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_runs.size());
}

int RunHistoryModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString RunHistoryModel::durationText(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return QStringLiteral("–");
    const long long s = std::llround(seconds);
    if (s < 60) return tr("%1 s").arg(s);
    if (s < 3600) return tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString RunHistoryModel::statusText(const QString& status) {
    if (status == QLatin1String("completed")) return tr("completed");
    if (status == QLatin1String("cancelled")) return tr("cancelled");
    if (status == QLatin1String("failed")) return tr("failed");
    if (status == QLatin1String("running")) return tr("running");
    return tr("unfinished");
}

QString RunHistoryModel::statusOf(const fts::RunRecord& run) const {
    return m_active.contains(qs(run.dir)) ? QStringLiteral("running") : qs(run.status);
}

QVariant RunHistoryModel::data(const QModelIndex& index, int role) const {
    const fts::RunRecord* r = index.isValid() ? run(index.row()) : nullptr;
    if (!r) return {};
    const QString dir = qs(r->dir);
    if (role == DirRole) return dir;
    if (role == ExperimentDirRole)
        return r->experiment.empty() ? QString() : QFileInfo(dir).absolutePath();
    if (role == StartedRole) return r->startedAt;
    const int column = index.column();
    const QString status = statusOf(*r);
    if (column == CheckColumn) {
        if (role == Qt::CheckStateRole)
            return m_checked.contains(dir) ? Qt::Checked : Qt::Unchecked;
        if (role == Qt::ToolTipRole) return tr("Overlay this run's curves in the comparison");
        return {};
    }
    if (role == Qt::DecorationRole && column == NameColumn && m_checked.contains(dir))
        return seriesColour(int(checked().indexOf(dir)));
    if (role == Qt::ToolTipRole) {
        QString tip = QDir::toNativeSeparators(dir);
        if (!r->error.empty()) tip += QLatin1Char('\n') + qs(r->error);
        return tip;
    }
    if (role == Qt::ForegroundRole && column == StatusColumn) {
        if (status == QLatin1String("failed")) return QColor(0xc6, 0x28, 0x28);
        if (status == QLatin1String("running")) return QColor(0x15, 0x65, 0xc0);
        return {};
    }
    if (role == Qt::TextAlignmentRole &&
        (column == BestColumn || column == EpochsColumn || column == TimeColumn))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::EditRole) return {};
    switch (column) {
        case NameColumn:
            if (!r->experiment.empty()) {
                // The app's experiment folders are dated (the Started column
                // says when); a folder named by hand keeps its name.
                if (!folderStamp(qs(r->experiment)).isEmpty())
                    return tr("Experiment · %1").arg(strategyName(*r));
                return tr("Experiment %1 · %2").arg(qs(r->experiment), strategyName(*r));
            }
            return qs(r->name);
        case StartedColumn:
            if (r->startedAt <= 0) return QString();
            return QDateTime::fromMSecsSinceEpoch(qint64(r->startedAt * 1000.0))
                .toString(QStringLiteral("MM-dd HH:mm"));
        case ModelColumn:
            return qs(r->model);
        case FreezeColumn:
            if (r->freeze.empty() || r->freeze == "none") return tr("nothing frozen");
            return qs(r->freeze);
        case StatusColumn:
            return statusText(status);
        case BestColumn:
            if (!std::isfinite(r->bestValAccuracy)) return QStringLiteral("–");
            return QStringLiteral("%1 %").arg(100.0 * r->bestValAccuracy, 0, 'f', 1);
        case EpochsColumn:
            if (r->plannedEpochs > 0 && r->plannedEpochs != int(r->epochs.size()))
                return tr("%1 of %2").arg(r->epochs.size()).arg(r->plannedEpochs);
            return QString::number(r->epochs.size());
        case TimeColumn:
            return durationText(r->wallSeconds);
        default:
            return {};
    }
}

bool RunHistoryModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    const fts::RunRecord* r = index.isValid() ? run(index.row()) : nullptr;
    if (!r || index.column() != CheckColumn || role != Qt::CheckStateRole) return false;
    const QString dir = qs(r->dir);
    const bool on = value.toInt() == Qt::Checked;
    if (on == m_checked.contains(dir)) return true;
    if (on)
        m_checked.insert(dir);
    else
        m_checked.remove(dir);
    // Colours follow the order of the checked runs: every swatch may change.
    Q_EMIT dataChanged(this->index(0, CheckColumn), this->index(rowCount() - 1, NameColumn));
    Q_EMIT checkedChanged();
    return true;
}

Qt::ItemFlags RunHistoryModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == CheckColumn) f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant RunHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::ToolTipRole && section == CheckColumn)
        return tr("Check runs to overlay their curves and compare their settings");
    if (role == Qt::ToolTipRole && section == BestColumn)
        return tr("The best validation accuracy of any epoch");
    if (role != Qt::DisplayRole) return {};
    switch (section) {
        case CheckColumn:
            return QString();
        case NameColumn:
            return tr("Run");
        case StartedColumn:
            return tr("Started");
        case ModelColumn:
            return tr("Model");
        case FreezeColumn:
            return tr("Frozen");
        case StatusColumn:
            return tr("Status");
        case BestColumn:
            return tr("Best acc.");
        case EpochsColumn:
            return tr("Epochs");
        case TimeColumn:
            return tr("Time");
        default:
            return {};
    }
}

QString RunHistoryModel::strategyName(const fts::RunRecord& run) {
    const std::string& key = run.strategy;
    if (key == "head") return tr("Head only");
    if (key == "last") return tr("Last block + head");
    if (key == "full") return tr("Everything");
    if (key == "scratch") return tr("From scratch");
    return qs(run.strategyTitle.empty() ? run.strategy : run.strategyTitle);
}

QString RunHistoryModel::folderStamp(const QString& folderName) {
    static const QRegularExpression stamped(
        QStringLiteral("^(\\d{4})(\\d{2})(\\d{2})-(\\d{2})(\\d{2})\\d{2}(-|$)"));
    const QRegularExpressionMatch m = stamped.match(folderName);
    if (!m.hasMatch()) return {};
    return QStringLiteral("%1-%2 %3:%4")
        .arg(m.captured(2), m.captured(3), m.captured(4), m.captured(5));
}

}  // namespace fts::ui
