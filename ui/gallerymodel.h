#pragma once

#include "uitypes.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPointer>
#include <QStringList>
#include <QVector>

namespace fts::ui {

class DatasetEdits;

/// The validation predictions of one epoch (or the live strip's training
/// samples), one row each. Lives on the GUI thread.
class GalleryModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        ItemRole = Qt::UserRole + 1,  // QString: path or file#record
        TrueLabelRole,                // int
        PredictedRole,                // int
        ConfidenceRole,               // double, 0..1
        LossRole,                     // double
        CorrectRole,                  // bool
        SampleRole,                   // fts::ui::PredictionSample
        PendingKindRole,              // int: 0 none, 1 relabel, 2 exclude (DatasetEdits)
        PendingTextRole,              // QString: "→ Sandal", "excluded" or empty
    };
    Q_ENUM(Role)

    explicit GalleryModel(QObject* parent = nullptr);

    void setClassNames(const QStringList& names);
    /// The pending relabellings and exclusions shown on the rows (not owned;
    /// may be null). The rows repaint when they change.
    void setEdits(const DatasetEdits* edits);
    const QStringList& classNames() const { return m_classNames; }
    /// "Sandal", "#7" for an index without a name, "unlabelled" for -1 (an
    /// image of a folder prediction whose true class is unknown).
    QString className(int index) const;

    /// Replaces all rows (one model reset). A sample whose thumbnail is null
    /// keeps the thumbnail its item had before: the engine sends each
    /// thumbnail only the first time an item appears in a run.
    void setPredictions(int epoch, const QVector<PredictionSample>& samples);
    void clear();
    int epoch() const { return m_epoch; }
    const PredictionSample& sample(int row) const { return m_rows.at(row); }
    const QVector<PredictionSample>& samples() const { return m_rows; }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QStringList m_classNames;
    QVector<PredictionSample> m_rows;
    int m_epoch = 0;
    QPointer<const DatasetEdits> m_edits;
};

}  // namespace fts::ui
