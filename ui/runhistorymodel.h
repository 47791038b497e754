#pragma once

#include "export/runhistory.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QSet>
#include <QStringList>

#include <vector>

namespace fts::ui {

/// The runs of a runs folder, one row each, newest first (as scanRuns gives
/// them): a check box to overlay the run, then name, start date, model, freeze
/// (or the experiment strategy), status, best validation accuracy, epochs and
/// time. Lives on the GUI thread; setRuns() takes a finished scan.
class RunHistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        CheckColumn,
        NameColumn,
        StartedColumn,
        ModelColumn,
        FreezeColumn,
        StatusColumn,
        BestColumn,
        EpochsColumn,
        TimeColumn,
        ColumnCount
    };
    /// The run directory of a row (Qt::UserRole), its experiment folder
    /// ("" for a standalone run), and its start time for sorting.
    enum Role { DirRole = Qt::UserRole, ExperimentDirRole, StartedRole };

    explicit RunHistoryModel(QObject* parent = nullptr);

    /// Replaces the rows; checked runs that still exist stay checked.
    void setRuns(std::vector<fts::RunRecord> runs);
    const std::vector<fts::RunRecord>& runs() const { return m_runs; }
    const fts::RunRecord* run(int row) const;
    int rowOf(const QString& dir) const;  // -1 when not listed

    /// Run directories shown as running whatever their files say (the run
    /// the app is training now).
    void setActiveRuns(const QStringList& dirs);

    void setChecked(const QStringList& dirs);
    /// Checked run directories, in row order.
    QStringList checked() const;
    /// The checked runs, in row order.
    std::vector<fts::RunRecord> checkedRuns() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /// "42 s", "3 min 05 s", "1 h 02 min"; "–" for NaN.
    static QString durationText(double seconds);
    /// The colour of the n-th overlaid run (the comparison view and the
    /// table's swatches agree); distinct for the first ten.
    static QColor seriesColour(int index);
    /// An experiment strategy as a person reads it ("Head only", translated);
    /// the engine's title for an unknown one.
    static QString strategyName(const fts::RunRecord& run);
    /// "11-28 14:05" for a folder named yyyyMMdd-HHmmss-…; empty otherwise.
    static QString folderStamp(const QString& folderName);
    /// A run's status as shown ("completed", "running", ...), translated.
    static QString statusText(const QString& status);

Q_SIGNALS:
    void checkedChanged();

private:
    QString statusOf(const fts::RunRecord& run) const;

    std::vector<fts::RunRecord> m_runs;
    QSet<QString> m_checked;
    QSet<QString> m_active;
};

}  // namespace fts::ui
