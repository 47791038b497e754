#pragma once

#include <QStringList>
#include <QVector>
#include <QWidget>

namespace fts::ui {

/// A horizontal bar chart of images per class: one row per class with its
/// name, a bar scaled to the largest class, and the count. Rows shrink from
/// 22 to 14 px as classes are added; below that the widget asks for more
/// height, so put it in a QScrollArea (widgetResizable) for 100 classes.
/// Hovering a row shows its full name and count as a tooltip.
class ClassCountChart : public QWidget {
    Q_OBJECT
public:
    explicit ClassCountChart(QWidget* parent = nullptr);

    void setCounts(const QStringList& classNames, const QVector<qint64>& counts);
    void clear();

    const QStringList& classNames() const { return m_names; }
    const QVector<qint64>& counts() const { return m_counts; }
    /// The class under a point in widget coordinates, or -1.
    int classAt(const QPoint& pos) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Layout {
        int top = 0;
        int rowHeight = 0;
        int nameWidth = 0;
        int countWidth = 0;
    };
    Layout layoutRows() const;

    QStringList m_names;
    QVector<qint64> m_counts;
};

}  // namespace fts::ui
