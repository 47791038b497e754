#pragma once

#include "train/observer.h"

#include <QAbstractTableModel>
#include <QStringList>
#include <QVector>

#include <vector>

namespace fts::ui {

/// Per-class validation precision, recall, F1 and support, one row per class
/// and a last "Macro average" row (the unweighted mean over all classes, as
/// scikit-learn's macro average; its support is the total). Lives on the GUI
/// thread.
class ClassMetricsModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        ClassColumn,
        PrecisionColumn,
        RecallColumn,
        F1Column,
        SupportColumn,
        ColumnCount
    };
    enum Role {
        /// The raw number of a cell: double (precision, recall, F1) or qlonglong (support).
        ValueRole = Qt::UserRole + 1,
    };

    explicit ClassMetricsModel(QObject* parent);

    /// The engine's reports (EpochMetrics::perClass, RunSummary::perClass).
    void setReports(const std::vector<fts::ClassReport>& reports);
    /// Computes the reports from a confusion matrix counts[t][p]; agrees with
    /// the engine's ConfusionMatrix::perClass.
    void setCounts(const QVector<QVector<qint64>>& counts, const QStringList& classNames);
    void clear();

    /// As the engine computes them: precision = TP / column total, recall =
    /// TP / row total, F1 their harmonic mean, each 0 where it would divide
    /// by zero. A class without a name is named by its number.
    static std::vector<fts::ClassReport> reportsFromCounts(const QVector<QVector<qint64>>& counts,
                                                           const QStringList& classNames);
    /// Unweighted means of precision, recall and F1; support = the sum.
    static fts::ClassReport macroAverage(const std::vector<fts::ClassReport>& reports);

    const std::vector<fts::ClassReport>& reports() const { return m_reports; }
    /// The row of the macro average; -1 when there are no classes.
    int macroRow() const { return m_reports.empty() ? -1 : int(m_reports.size()); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    std::vector<fts::ClassReport> m_reports;
    fts::ClassReport m_macro;
};

}  // namespace fts::ui
