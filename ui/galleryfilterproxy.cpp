#include "galleryfilterproxy.h"

#include "gallerymodel.h"

namespace fts::ui {
namespace {

// Natural order: digit runs compare as numbers ("img2" < "img10", "f#9" <
// "f#10"), other runs case-insensitively. QCollator's numeric mode depends on
// the ICU build and the locale, so it is not used.
int naturalCompare(const QString& a, const QString& b) {
    int i = 0;
    int j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].isDigit() && b[j].isDigit()) {
            int ei = i;
            int ej = j;
            while (ei < a.size() && a[ei].isDigit()) ++ei;
            while (ej < b.size() && b[ej].isDigit()) ++ej;
            int si = i;
            int sj = j;
            while (si + 1 < ei && a[si] == QLatin1Char('0')) ++si;  // leading zeros
            while (sj + 1 < ej && b[sj] == QLatin1Char('0')) ++sj;
            if (ei - si != ej - sj) return (ei - si) < (ej - sj) ? -1 : 1;
            const int digits =
                QStringView(a).mid(si, ei - si).compare(QStringView(b).mid(sj, ej - sj));
            if (digits != 0) return digits;
            i = ei;
            j = ej;
            continue;
        }
        const QChar ca = a[i].toCaseFolded();
        const QChar cb = b[j].toCaseFolded();
        if (ca != cb) return ca < cb ? -1 : 1;
        ++i;
        ++j;
    }
    if (i < a.size() || j < b.size()) return i < a.size() ? 1 : -1;
    return a.compare(b);  // equal but for case or zeros: a stable, total order
}

}  // namespace

GalleryFilterProxy::GalleryFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
    setDynamicSortFilter(true);
    sort(0, Qt::AscendingOrder);
}

void GalleryFilterProxy::setFilter(Filter filter, int trueClass, int predictedClass) {
    if (filter == m_filter && trueClass == m_trueClass && predictedClass == m_predictedClass)
        return;
    // Qt 6.4 has no beginFilterChange(); invalidateFilter() re-filters at once.
    m_filter = filter;
    m_trueClass = trueClass;
    m_predictedClass = predictedClass;
    invalidateFilter();
}

void GalleryFilterProxy::setSort(Sort sort) {
    m_sort = sort;
    const bool descending = sort == Sort::LossDescending || sort == Sort::ConfidenceDescending;
    invalidate();
    this->sort(0, descending ? Qt::DescendingOrder : Qt::AscendingOrder);
}

bool GalleryFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const int trueLabel = index.data(GalleryModel::TrueLabelRole).toInt();
    const int predicted = index.data(GalleryModel::PredictedRole).toInt();
    switch (m_filter) {
        case Filter::All:
            return true;
        // Unlabelled images (trueLabel -1, "Predict on a folder…") are
        // neither right nor wrong.
        case Filter::Misclassified:
            return trueLabel >= 0 && trueLabel != predicted;
        case Filter::Correct:
            return trueLabel >= 0 && trueLabel == predicted;
        case Filter::TrueClass:
            return trueLabel == m_trueClass;
        case Filter::PredictedClass:
            return predicted == m_predictedClass;
        case Filter::Cell:
            return trueLabel == m_trueClass && predicted == m_predictedClass;
    }
    return true;
}

bool GalleryFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    switch (m_sort) {
        case Sort::LossDescending: {
            const double a = left.data(GalleryModel::LossRole).toDouble();
            const double b = right.data(GalleryModel::LossRole).toDouble();
            if (a != b) return a < b;
            break;
        }
        case Sort::ConfidenceDescending:
        case Sort::ConfidenceAscending: {
            const double a = left.data(GalleryModel::ConfidenceRole).toDouble();
            const double b = right.data(GalleryModel::ConfidenceRole).toDouble();
            if (a != b) return a < b;
            break;
        }
        case Sort::Item:
            break;
    }
    // Natural order of the item names; ties by row.
    const int byName = naturalCompare(left.data(GalleryModel::ItemRole).toString(),
                                      right.data(GalleryModel::ItemRole).toString());
    if (byName != 0) return byName < 0;
    return left.row() < right.row();
}

}  // namespace fts::ui
