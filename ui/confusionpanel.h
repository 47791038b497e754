#pragma once

#include "uitypes.h"

#include <QPersistentModelIndex>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QLabel;
class QModelIndex;
class QTableView;

namespace fts::ui {

class ClassMetricsModel;
class ConfusionModel;

/// The validation confusion matrix (colour = share of the row), the
/// per-class precision / recall / F1 table beside it, and the overall
/// accuracy. The metrics and the accuracy follow the matrix whichever way its
/// counts are set. GUI thread only.
class ConfusionPanel : public QWidget {
    Q_OBJECT

public:
    explicit ConfusionPanel(QWidget* parent);

    void setClassNames(const QStringList& names);
    /// Every validation prediction of the last epoch.
    void setPredictions(const QVector<PredictionSample>& predictions);
    void clear();

    ConfusionModel* confusionModel() const { return m_confusion; }
    ClassMetricsModel* metricsModel() const { return m_metrics; }
    QTableView* matrixView() const { return m_matrixView; }
    QTableView* metricsView() const { return m_metricsView; }

Q_SIGNALS:
    /// A matrix cell was clicked (or activated with the keyboard): show the
    /// images of true class `trueLabel` that were predicted as `predicted`.
    void cellActivated(int trueLabel, int predicted);

private:
    void refresh();  // metrics, accuracy and cell sizes from the matrix
    void onCellClicked(const QModelIndex& index);
    void onCellActivated(const QModelIndex& index);

    ConfusionModel* m_confusion = nullptr;
    ClassMetricsModel* m_metrics = nullptr;
    QTableView* m_matrixView = nullptr;
    QTableView* m_metricsView = nullptr;
    QLabel* m_accuracyLabel = nullptr;
    QLabel* m_captionLabel = nullptr;
    QPersistentModelIndex m_lastClicked;  // to report a click once, see onCellActivated
};

}  // namespace fts::ui
