#include "confusionmodel.h"

#include <QBrush>
#include <QColor>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>

#include <algorithm>

namespace fts::ui {

namespace {

QColor blend(const QColor& from, const QColor& to, double t) {
    t = std::clamp(t, 0.0, 1.0);
    return QColor::fromRgbF(float(from.redF() * (1.0 - t) + to.redF() * t),
                            float(from.greenF() * (1.0 - t) + to.greenF() * t),
                            float(from.blueF() * (1.0 - t) + to.blueF() * t));
}

// The colour of a cell holding `fraction` (> 0) of its row. Even a tiny share
// gets a visible tint (20 %), so that one stray image stands out from the
// empty cells, which keep the view's own base colour.
QColor cellColour(bool diagonal, double fraction) {
    const QColor base = QGuiApplication::palette().color(QPalette::Base);
    const QColor green(0x1b, 0x7a, 0x3a);
    const QColor orange(0xfd, 0x8d, 0x3c);
    const QColor red(0xc6, 0x28, 0x28);
    const QColor target = diagonal ? green : blend(orange, red, fraction);
    return blend(base, target, 0.2 + 0.8 * fraction);
}

QColor contrastingText(const QColor& background) {
    const double luminance =
        0.299 * background.redF() + 0.587 * background.greenF() + 0.114 * background.blueF();
    return luminance < 0.55 ? QColor(Qt::white) : QColor(Qt::black);
}

}  // namespace

ConfusionModel::ConfusionModel(QObject* parent) : QAbstractTableModel(parent) {}

void ConfusionModel::setClassNames(const QStringList& names) {
    if (names.size() == m_n) {
        if (names == m_classNames) return;
        m_classNames = names;
        if (m_n > 0) {
            Q_EMIT headerDataChanged(Qt::Horizontal, 0, m_n - 1);
            Q_EMIT headerDataChanged(Qt::Vertical, 0, m_n - 1);
            Q_EMIT dataChanged(index(0, 0), index(m_n - 1, m_n - 1), {Qt::ToolTipRole});
        }
        return;
    }
    m_classNames = names;
    const int n = int(names.size());
    replaceCounts(n, QVector<QVector<qint64>>(n, QVector<qint64>(n, 0)));
}

void ConfusionModel::setPredictions(const QVector<PredictionSample>& predictions) {
    int n = int(m_classNames.size());
    for (const auto& p : predictions)
        if (p.trueLabel >= 0 && p.predicted >= 0)
            n = std::max({n, p.trueLabel + 1, p.predicted + 1});
    QVector<QVector<qint64>> counts(n, QVector<qint64>(n, 0));
    for (const auto& p : predictions)
        if (p.trueLabel >= 0 && p.predicted >= 0) ++counts[p.trueLabel][p.predicted];
    replaceCounts(n, std::move(counts));
}

void ConfusionModel::setCounts(const QVector<QVector<qint64>>& counts) {
    int n = int(std::max(m_classNames.size(), counts.size()));
    for (const auto& row : counts) n = std::max(n, int(row.size()));
    QVector<QVector<qint64>> square(n, QVector<qint64>(n, 0));
    for (int t = 0; t < counts.size(); ++t)
        for (int p = 0; p < counts[t].size(); ++p) square[t][p] = std::max<qint64>(0, counts[t][p]);
    replaceCounts(n, std::move(square));
}

void ConfusionModel::clear() {
    beginResetModel();
    m_classNames.clear();
    m_n = 0;
    m_counts.clear();
    m_rowTotals.clear();
    m_columnTotals.clear();
    m_total = 0;
    endResetModel();
}

void ConfusionModel::replaceCounts(int n, QVector<QVector<qint64>> counts) {
    const bool sameShape = n == m_n;
    if (!sameShape) beginResetModel();
    m_n = n;
    m_counts = std::move(counts);
    m_rowTotals = QVector<qint64>(n, 0);
    m_columnTotals = QVector<qint64>(n, 0);
    m_total = 0;
    for (int t = 0; t < n; ++t)
        for (int p = 0; p < n; ++p) {
            m_rowTotals[t] += m_counts[t][p];
            m_columnTotals[p] += m_counts[t][p];
            m_total += m_counts[t][p];
        }
    if (!sameShape) {
        endResetModel();
    } else if (n > 0) {
        Q_EMIT dataChanged(index(0, 0), index(n - 1, n - 1));
        Q_EMIT headerDataChanged(Qt::Horizontal, 0, n - 1);  // tooltips hold totals
        Q_EMIT headerDataChanged(Qt::Vertical, 0, n - 1);
    }
}

QString ConfusionModel::className(int index) const {
    if (index >= 0 && index < m_classNames.size() && !m_classNames[index].isEmpty())
        return m_classNames[index];
    return QString::number(index);
}

qint64 ConfusionModel::count(int trueLabel, int predicted) const {
    if (trueLabel < 0 || trueLabel >= m_n || predicted < 0 || predicted >= m_n) return 0;
    return m_counts[trueLabel][predicted];
}

qint64 ConfusionModel::rowTotal(int trueLabel) const {
    return trueLabel >= 0 && trueLabel < m_n ? m_rowTotals[trueLabel] : 0;
}

qint64 ConfusionModel::columnTotal(int predicted) const {
    return predicted >= 0 && predicted < m_n ? m_columnTotals[predicted] : 0;
}

qint64 ConfusionModel::total() const {
    return m_total;
}

double ConfusionModel::accuracy() const {
    if (m_total == 0) return 0.0;
    qint64 correct = 0;
    for (int i = 0; i < m_n; ++i) correct += m_counts[i][i];
    return double(correct) / double(m_total);
}

double ConfusionModel::rowFraction(int trueLabel, int predicted) const {
    const qint64 row = rowTotal(trueLabel);
    return row > 0 ? double(count(trueLabel, predicted)) / double(row) : 0.0;
}

int ConfusionModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : m_n;
}

int ConfusionModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : m_n;
}

QVariant ConfusionModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int t = index.row();
    const int p = index.column();
    const qint64 n = m_counts[t][p];
    const double fraction = rowFraction(t, p);
    switch (role) {
        case Qt::DisplayRole:
            return QVariant::fromValue<qlonglong>(n);
        case Qt::TextAlignmentRole:
            return int(Qt::AlignCenter);
        case RowFractionRole:
            return fraction;
        case Qt::BackgroundRole:
            if (n == 0) return {};  // the view's base colour
            return QBrush(cellColour(t == p, fraction));
        case Qt::ForegroundRole:
            if (n == 0) return {};
            return QBrush(contrastingText(cellColour(t == p, fraction)));
        case Qt::ToolTipRole: {
            const qint64 row = m_rowTotals[t];
            if (row == 0)
                return tr("There are no '%1' images in the validation data.").arg(className(t));
            const QString percent = tr("%1%").arg(QLocale().toString(100.0 * fraction, 'f', 0));
            QString text = t == p ? tr("%L1 of %L2 '%3' images (%4) were predicted correctly.")
                                        .arg(n)
                                        .arg(row)
                                        .arg(className(t), percent)
                                  : tr("%L1 of %L2 '%3' images (%4) were predicted as '%5'.")
                                        .arg(n)
                                        .arg(row)
                                        .arg(className(t), percent, className(p));
            if (n > 0) text += QLatin1Char('\n') + tr("Click to show these images in the gallery.");
            return text;
        }
        default:
            return {};
    }
}

QVariant ConfusionModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (section < 0 || section >= m_n) return {};
    switch (role) {
        case Qt::DisplayRole:
            return className(section);
        case Qt::ToolTipRole:
            if (orientation == Qt::Vertical)
                return tr("True class '%1': %L2 validation images. This row shows which classes "
                          "the model predicted for them.")
                    .arg(className(section))
                    .arg(m_rowTotals[section]);
            return tr("Predicted class '%1': the model gave this answer for %L2 images. This "
                      "column shows their true classes.")
                .arg(className(section))
                .arg(m_columnTotals[section]);
        default:
            return {};
    }
}

Qt::ItemFlags ConfusionModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

}  // namespace fts::ui
