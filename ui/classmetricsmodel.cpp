#include "classmetricsmodel.h"

#include "uitypes.h"

#include <QFont>
#include <QLocale>

#include <algorithm>

namespace fts::ui {

ClassMetricsModel::ClassMetricsModel(QObject* parent) : QAbstractTableModel(parent) {}

std::vector<fts::ClassReport> ClassMetricsModel::reportsFromCounts(
    const QVector<QVector<qint64>>& counts, const QStringList& classNames) {
    int n = int(std::max(counts.size(), classNames.size()));
    for (const auto& row : counts) n = std::max(n, int(row.size()));
    const auto at = [&](int t, int p) -> qint64 {
        if (t >= counts.size() || p >= counts[t].size()) return 0;
        return std::max<qint64>(0, counts[t][p]);
    };
    std::vector<fts::ClassReport> reports(static_cast<std::size_t>(n));
    for (int c = 0; c < n; ++c) {
        qint64 support = 0, predicted = 0;
        for (int k = 0; k < n; ++k) {
            support += at(c, k);
            predicted += at(k, c);
        }
        const qint64 tp = at(c, c);
        fts::ClassReport& r = reports[static_cast<std::size_t>(c)];
        r.name = c < classNames.size() && !classNames[c].isEmpty() ? toStdString(classNames[c])
                                                                   : std::to_string(c);
        r.support = support;
        r.precision = predicted > 0 ? double(tp) / double(predicted) : 0.0;
        r.recall = support > 0 ? double(tp) / double(support) : 0.0;
        r.f1 = r.precision + r.recall > 0.0
                   ? 2.0 * r.precision * r.recall / (r.precision + r.recall)
                   : 0.0;
    }
    return reports;
}

fts::ClassReport ClassMetricsModel::macroAverage(const std::vector<fts::ClassReport>& reports) {
    fts::ClassReport macro;
    if (reports.empty()) return macro;
    for (const auto& r : reports) {
        macro.precision += r.precision;
        macro.recall += r.recall;
        macro.f1 += r.f1;
        macro.support += r.support;
    }
    const double n = double(reports.size());
    macro.precision /= n;
    macro.recall /= n;
    macro.f1 /= n;
    return macro;
}

void ClassMetricsModel::setReports(const std::vector<fts::ClassReport>& reports) {
    const bool sameShape = reports.size() == m_reports.size();
    if (!sameShape) beginResetModel();
    m_reports = reports;
    m_macro = macroAverage(m_reports);
    if (!sameShape)
        endResetModel();
    else if (!m_reports.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void ClassMetricsModel::setCounts(const QVector<QVector<qint64>>& counts,
                                  const QStringList& classNames) {
    setReports(reportsFromCounts(counts, classNames));
}

void ClassMetricsModel::clear() {
    setReports({});
}

int ClassMetricsModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || m_reports.empty()) return 0;
    return int(m_reports.size()) + 1;  // + the macro average
}

int ClassMetricsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ClassMetricsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const bool macro = index.row() == macroRow();
    const fts::ClassReport& r = macro ? m_macro : m_reports[std::size_t(index.row())];
    const QString name = macro ? tr("Macro average") : toQString(r.name);
    const int column = index.column();

    if (role == ValueRole || role == Qt::DisplayRole) {
        switch (column) {
            case ClassColumn:
                return role == Qt::DisplayRole ? QVariant(name) : QVariant();
            case PrecisionColumn:
            case RecallColumn:
            case F1Column: {
                const double v = column == PrecisionColumn ? r.precision
                                 : column == RecallColumn  ? r.recall
                                                           : r.f1;
                if (role == ValueRole) return v;
                return QLocale().toString(v, 'f', 3);
            }
            case SupportColumn:
                if (role == ValueRole) return QVariant::fromValue<qlonglong>(r.support);
                return QLocale().toString(qlonglong(r.support));
        }
        return {};
    }
    switch (role) {
        case Qt::TextAlignmentRole:
            return column == ClassColumn ? int(Qt::AlignLeft | Qt::AlignVCenter)
                                         : int(Qt::AlignRight | Qt::AlignVCenter);
        case Qt::FontRole:
            if (macro) {
                QFont font;
                font.setBold(true);
                return font;
            }
            return {};
        case Qt::ToolTipRole:
            if (macro)
                return tr(
                    "The plain mean over all classes, so that small classes count as much "
                    "as large ones.");
            switch (column) {
                case PrecisionColumn:
                    return tr("Of the images the model called '%1', this share really are '%1'.")
                        .arg(name);
                case RecallColumn:
                    if (r.support == 0)
                        return tr("There are no '%1' images in the validation data, so recall "
                                  "is 0.")
                            .arg(name);
                    return tr("Of the '%1' images, this share was recognised as '%1'.").arg(name);
                case F1Column:
                    return tr("The harmonic mean of precision and recall for '%1': high only "
                              "when both are high.")
                        .arg(name);
                case SupportColumn:
                    return tr("Validation images whose true class is '%1'.").arg(name);
                default:
                    return name;
            }
        default:
            return {};
    }
}

QVariant ClassMetricsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
            case ClassColumn:
                return tr("Class");
            case PrecisionColumn:
                return tr("Precision");
            case RecallColumn:
                return tr("Recall");
            case F1Column:
                return tr("F1");
            case SupportColumn:
                return tr("Support");
        }
    } else if (role == Qt::ToolTipRole) {
        switch (section) {
            case ClassColumn:
                return tr("The class the row is about.");
            case PrecisionColumn:
                return tr(
                    "Precision: of the images predicted as this class, the share that "
                    "really belong to it (0 when the class was never predicted).");
            case RecallColumn:
                return tr(
                    "Recall: of the images of this class, the share the model recognised "
                    "(0 when there are none).");
            case F1Column:
                return tr("F1: the harmonic mean of precision and recall.");
            case SupportColumn:
                return tr("Support: how many validation images belong to this class.");
        }
    }
    return {};
}

Qt::ItemFlags ClassMetricsModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

}  // namespace fts::ui
