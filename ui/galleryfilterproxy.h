#pragma once

#include <QSortFilterProxyModel>

namespace fts::ui {

/// Filters and sorts a GalleryModel by its custom roles. Lives on the GUI
/// thread; stays sorted and filtered across model resets.
class GalleryFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum class Filter {
        All,
        Misclassified,
        Correct,
        TrueClass,       // rows whose true label is trueClass()
        PredictedClass,  // rows predicted as predictedClass()
        Cell,            // one confusion-matrix cell: trueClass() predicted as predictedClass()
    };
    Q_ENUM(Filter)

    enum class Sort {
        Item,            // item name, ascending (dataset order for IDX / CIFAR records)
        LossDescending,  // the worst mistakes first
        ConfidenceDescending,
        ConfidenceAscending,  // the least sure predictions first
    };
    Q_ENUM(Sort)

    explicit GalleryFilterProxy(QObject* parent = nullptr);

    /// `trueClass` is used by TrueClass and Cell, `predictedClass` by
    /// PredictedClass and Cell.
    void setFilter(Filter filter, int trueClass = -1, int predictedClass = -1);
    Filter filter() const { return m_filter; }
    int trueClass() const { return m_trueClass; }
    int predictedClass() const { return m_predictedClass; }

    void setSort(Sort sort);
    Sort sortMode() const { return m_sort; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    Filter m_filter = Filter::All;
    int m_trueClass = -1;
    int m_predictedClass = -1;
    Sort m_sort = Sort::Item;
};

}  // namespace fts::ui
