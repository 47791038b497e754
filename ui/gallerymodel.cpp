#include "gallerymodel.h"

#include "datasetedits.h"

#include <QDir>

namespace fts::ui {

GalleryModel::GalleryModel(QObject* parent) : QAbstractListModel(parent) {}

void GalleryModel::setClassNames(const QStringList& names) {
    if (names == m_classNames) return;
    m_classNames = names;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1),
                           {Qt::DisplayRole, Qt::ToolTipRole});
}

void GalleryModel::setEdits(const DatasetEdits* edits) {
    if (m_edits) disconnect(m_edits, nullptr, this, nullptr);
    m_edits = edits;
    if (!edits) return;
    connect(edits, &DatasetEdits::changed, this, [this] {
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1),
                               {PendingKindRole, PendingTextRole, Qt::ToolTipRole});
    });
}

QString GalleryModel::className(int index) const {
    if (index < 0) return tr("unlabelled", "an image whose true class is not known");
    if (index >= 0 && index < m_classNames.size()) return m_classNames[index];
    return QStringLiteral("#%1").arg(index);
}

void GalleryModel::setPredictions(int epoch, const QVector<PredictionSample>& samples) {
    // Only thumbnails of the items in the new set are kept, so memory stays
    // bounded by the current rows (the live strip sees ever new items).
    QHash<QString, QImage> previous;
    previous.reserve(m_rows.size());
    for (const auto& row : m_rows)
        if (!row.thumbnail.isNull()) previous.insert(row.item, row.thumbnail);

    beginResetModel();
    m_epoch = epoch;
    m_rows = samples;
    for (auto& row : m_rows)
        if (row.thumbnail.isNull()) row.thumbnail = previous.value(row.item);
    endResetModel();
}

void GalleryModel::clear() {
    beginResetModel();
    m_rows.clear();
    m_epoch = 0;
    endResetModel();
}

int GalleryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant GalleryModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PredictionSample& s = m_rows.at(index.row());
    switch (role) {
        case Qt::DisplayRole:
            return tr("%1 → %2 %3%")
                .arg(className(s.trueLabel), className(s.predicted))
                .arg(qRound(s.confidence * 100.0));
        case Qt::DecorationRole:
            return s.thumbnail.isNull() ? QVariant() : QVariant(s.thumbnail);
        case Qt::ToolTipRole: {
            QString tip = tr("%1\nTrue class: %2\nPredicted: %3 (%4%)")
                              .arg(QDir::toNativeSeparators(s.item), className(s.trueLabel),
                                   className(s.predicted))
                              .arg(s.confidence * 100.0, 0, 'f', 1);
            if (s.loss > 0.0) tip += QLatin1Char('\n') + tr("Loss: %1").arg(s.loss, 0, 'f', 3);
            if (m_edits) {
                if (const auto p = m_edits->pending(s.item))
                    tip += QLatin1Char('\n') +
                           (p->kind == fts::DatasetEdit::Kind::Exclude
                                ? tr("Pending: exclude from the dataset")
                                : tr("Pending: relabel as %1").arg(p->newClass));
            }
            return tip;
        }
        case ItemRole:
            return s.item;
        case TrueLabelRole:
            return s.trueLabel;
        case PredictedRole:
            return s.predicted;
        case ConfidenceRole:
            return s.confidence;
        case LossRole:
            return s.loss;
        case CorrectRole:
            return s.correct();
        case SampleRole:
            return QVariant::fromValue(s);
        case PendingKindRole: {
            const auto p = m_edits ? m_edits->pending(s.item) : std::nullopt;
            if (!p) return 0;
            return p->kind == fts::DatasetEdit::Kind::Exclude ? 2 : 1;
        }
        case PendingTextRole:
            return m_edits ? m_edits->pendingText(s.item) : QString();
        default:
            return {};
    }
}

QHash<int, QByteArray> GalleryModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(ItemRole, "item");
    names.insert(TrueLabelRole, "trueLabel");
    names.insert(PredictedRole, "predicted");
    names.insert(ConfidenceRole, "confidence");
    names.insert(LossRole, "loss");
    names.insert(CorrectRole, "correct");
    names.insert(SampleRole, "sample");
    names.insert(PendingKindRole, "pendingKind");
    names.insert(PendingTextRole, "pendingText");
    return names;
}

}  // namespace fts::ui
