#pragma once

#include "uitypes.h"

#include <QAbstractTableModel>
#include <QStringList>
#include <QVector>

namespace fts::ui {

/// The validation confusion matrix as a table: row = true class, column =
/// predicted class, cell = number of images. Counts agree with the engine's
/// fts::ConfusionMatrix (eval/metrics.h). Lives on the GUI thread.
class ConfusionModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Role {
        /// double: count / row total (0 when the row is empty), what the colour shows.
        RowFractionRole = Qt::UserRole + 1,
    };

    explicit ConfusionModel(QObject* parent);

    /// The classes in label order. Keeps the counts when the number of
    /// classes stays the same (only the labels change); otherwise the matrix
    /// becomes an empty n x n grid.
    void setClassNames(const QStringList& names);
    QStringList classNames() const { return m_classNames; }

    /// Counts every prediction once: the cell (t, p) then holds exactly the
    /// samples with trueLabel t and predicted p. Labels at or past the number
    /// of class names grow the matrix (shown by number); negative ones are
    /// skipped.
    void setPredictions(const QVector<PredictionSample>& predictions);
    /// counts[t][p]; ragged rows are padded with zeros, negative counts read as 0.
    void setCounts(const QVector<QVector<qint64>>& counts);
    /// Removes the class names and the counts (0 x 0).
    void clear();

    int classCount() const { return m_n; }
    /// The label of class i, its number when it has no name.
    QString className(int index) const;
    qint64 count(int trueLabel, int predicted) const;  // 0 outside the matrix
    qint64 rowTotal(int trueLabel) const;              // images of the true class
    qint64 columnTotal(int predicted) const;           // images predicted as the class
    qint64 total() const;
    double accuracy() const;  // diagonal / total; 0 when empty
    /// The square matrix, counts[t][p].
    QVector<QVector<qint64>> counts() const { return m_counts; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    /// Puts `counts` (already n x n) in place: dataChanged when the size is
    /// unchanged (views keep their scroll position), a reset otherwise.
    void replaceCounts(int n, QVector<QVector<qint64>> counts);
    double rowFraction(int trueLabel, int predicted) const;

    QStringList m_classNames;
    int m_n = 0;
    QVector<QVector<qint64>> m_counts;  // m_n x m_n
    QVector<qint64> m_rowTotals;
    QVector<qint64> m_columnTotals;
    qint64 m_total = 0;
};

}  // namespace fts::ui
