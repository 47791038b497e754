#include "datasetedits.h"

#include "core/fileio.h"
#include "uitypes.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSet>
#include <QTreeWidget>
#include <QUndoCommand>
#include <QUndoStack>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <algorithm>

namespace fts::ui {

/// One user action on the pending edits: the states of its items before and
/// after (std::nullopt: no pending edit).
class EditCommand : public QUndoCommand {
public:
    using States = QHash<QString, std::optional<DatasetEdits::Pending>>;
    EditCommand(DatasetEdits* edits, const QString& text, States before, States after)
        : QUndoCommand(text),
          m_edits(edits),
          m_before(std::move(before)),
          m_after(std::move(after)) {}
    void undo() override { m_edits->setStates(m_before); }
    void redo() override { m_edits->setStates(m_after); }

private:
    DatasetEdits* m_edits;  // owns the stack that owns this command
    States m_before, m_after;
};

namespace {

QString className(const QString& item) {
    return QFileInfo(item).dir().dirName();
}

// A data source opened on a relative path names its items relative to the
// working directory: compare and move absolute paths.
QString absolutePath(const QString& path) {
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

}  // namespace

DatasetEdits::DatasetEdits(QObject* parent) : QObject(parent), m_undo(new QUndoStack(this)) {
    connect(&m_watcher, &QFutureWatcher<fts::MoveResult>::finished, this,
            &DatasetEdits::onMovesFinished);
}

DatasetEdits::~DatasetEdits() {
    m_watcher.waitForFinished();
    // The stack (a child) is cleared as it dies: no one may hear of that.
    m_undo->blockSignals(true);
}

void DatasetEdits::setDataset(const QString& root, const QStringList& classNames) {
    const QString cleaned = root.isEmpty() ? QString() : absolutePath(root);
    if (cleaned == m_root && classNames == m_classNames) return;
    if (cleaned != m_root) {
        m_pending.clear();
        m_undo->clear();
    }
    m_root = cleaned;
    m_classNames = classNames;
    Q_EMIT changed();
}

bool DatasetEdits::isEditable(const QString& item) const {
    if (m_root.isEmpty() || item.isEmpty()) return false;
    // Text only (no file-system access): the gallery asks for many items.
    const QString classDir = QFileInfo(absolutePath(item)).path();
    return QFileInfo(classDir).path() == m_root && classDir != m_root;
}

int DatasetEdits::originalClass(const QString& item) const {
    return int(m_classNames.indexOf(className(item)));
}

void DatasetEdits::relabel(const QStringList& items, int newClass) {
    if (newClass < 0 || newClass >= m_classNames.size()) return;
    const QString name = m_classNames[newClass];
    push(tr("Relabel %n image(s) as %1", nullptr, int(items.size())).arg(name), items,
         [name](const QString& item) -> std::optional<Pending> {
             if (className(item) == name) return std::nullopt;  // back to its own class
             return Pending{fts::DatasetEdit::Kind::Relabel, name};
         });
}

void DatasetEdits::exclude(const QStringList& items) {
    push(tr("Exclude %n image(s)", nullptr, int(items.size())), items,
         [](const QString&) -> std::optional<Pending> {
             return Pending{fts::DatasetEdit::Kind::Exclude, QString()};
         });
}

void DatasetEdits::revert(const QStringList& items) {
    push(tr("Revert %n image(s)", nullptr, int(items.size())), items,
         [](const QString&) -> std::optional<Pending> { return std::nullopt; });
}

void DatasetEdits::discard() {
    const QStringList items = pendingItems();
    if (items.isEmpty()) return;
    push(tr("Discard %n change(s)", nullptr, int(items.size())), items,
         [](const QString&) -> std::optional<Pending> { return std::nullopt; });
}

void DatasetEdits::push(const QString& text, const QStringList& items,
                        const std::function<std::optional<Pending>(const QString&)>& next) {
    if (!isEditable()) return;
    EditCommand::States before, after;
    bool changes = false;
    for (const QString& item : items) {
        if (!isEditable(item) || before.contains(item)) continue;
        const std::optional<Pending> old = pending(item);
        const std::optional<Pending> now = next(item);
        before.insert(item, old);
        after.insert(item, now);
        changes = changes || old != now;
    }
    if (changes) m_undo->push(new EditCommand(this, text, before, after));
}

void DatasetEdits::setStates(const QHash<QString, std::optional<Pending>>& states) {
    for (auto it = states.begin(); it != states.end(); ++it) {
        if (it.value())
            m_pending.insert(it.key(), *it.value());
        else
            m_pending.remove(it.key());
    }
    Q_EMIT changed();
}

std::optional<DatasetEdits::Pending> DatasetEdits::pending(const QString& item) const {
    const auto it = m_pending.find(item);
    if (it == m_pending.end()) return std::nullopt;
    return *it;
}

QStringList DatasetEdits::pendingItems() const {
    QStringList items = m_pending.keys();
    items.sort();
    return items;
}

QString DatasetEdits::pendingText(const QString& item) const {
    const auto p = pending(item);
    if (!p) return {};
    if (p->kind == fts::DatasetEdit::Kind::Exclude)
        return tr("excluded", "an image that will be moved out of the dataset");
    return tr("→ %1", "relabelled as").arg(p->newClass);
}

QVector<fts::FileMove> DatasetEdits::plan(QString* error) const {
    if (error) error->clear();
    if (m_root.isEmpty() || m_pending.isEmpty()) return {};
    std::vector<fts::DatasetEdit> edits;
    for (const QString& item : pendingItems()) {
        const Pending& p = m_pending[item];
        edits.push_back({toStdString(absolutePath(item)), p.kind, toStdString(p.newClass)});
    }
    try {
        const auto moves = fts::planMoves(toPath(m_root), edits);
        return QVector<fts::FileMove>(moves.begin(), moves.end());
    } catch (const std::exception& e) {
        if (error) *error = toQString(e.what());
        return {};
    }
}

QDialog* DatasetEdits::requestApply(QWidget* parent) {
    if (m_pending.isEmpty() || isApplying()) return nullptr;
    QString error;
    const QVector<fts::FileMove> moves = plan(&error);
    if (!error.isEmpty() || moves.isEmpty()) {
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Cannot apply the changes"),
                                    error.isEmpty() ? tr("There is nothing to move.") : error,
                                    QMessageBox::Ok, parent);
        box->setObjectName(QStringLiteral("applyEditsError"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return box;
    }

    auto* dialog = new QDialog(parent);
    dialog->setObjectName(QStringLiteral("applyEditsDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Apply changes to the dataset folder"));

    const std::filesystem::path excluded = fts::excludedFolderFor(toPath(m_root));
    const int excludedCount = int(std::count_if(moves.begin(), moves.end(), [&](const auto& m) {
        return m.to.parent_path().parent_path() == excluded;
    }));
    const int relabelled = int(moves.size()) - excludedCount;
    const QString excludedText = QDir::toNativeSeparators(toQString(displayPath(excluded)));

    auto* summary = new QLabel(
        tr("%n file(s) will be moved in %1:", nullptr, int(moves.size()))
                .arg(QDir::toNativeSeparators(m_root)) +
            QStringLiteral("<ul><li>") +
            tr("%n relabelled: moved into another class folder", nullptr, relabelled) +
            QStringLiteral("</li><li>") +
            tr("%n excluded: moved out of the dataset into %1", nullptr, excludedCount)
                .arg(excludedText.toHtmlEscaped()) +
            QStringLiteral("</li></ul>") +
            tr("Nothing is deleted. The list of moves is kept in %1, so that they can be undone "
               "by hand.")
                .arg(QDir::toNativeSeparators(
                         toQString(displayPath(fts::moveJournalFor(toPath(m_root)))))
                         .toHtmlEscaped()),
        dialog);
    summary->setObjectName(QStringLiteral("applyEditsSummary"));
    summary->setTextFormat(Qt::RichText);
    summary->setWordWrap(true);

    // Paths relative to the folder that holds the dataset and the excluded folder.
    const QDir base(QFileInfo(m_root).dir());
    auto* list = new QTreeWidget(dialog);
    list->setObjectName(QStringLiteral("moveList"));
    list->setRootIsDecorated(false);
    list->setHeaderLabels({tr("From"), tr("To")});
    for (const auto& m : moves) {
        const QString from = toQString(displayPath(m.from));
        const QString to = toQString(displayPath(m.to));
        auto* row =
            new QTreeWidgetItem(list, {QDir::toNativeSeparators(base.relativeFilePath(from)),
                                       QDir::toNativeSeparators(base.relativeFilePath(to))});
        row->setToolTip(0, QDir::toNativeSeparators(from));
        row->setToolTip(1, QDir::toNativeSeparators(to));
    }
    list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);

    auto* buttons = new QDialogButtonBox(dialog);
    QPushButton* move = buttons->addButton(tr("Move %n file(s)", nullptr, int(moves.size())),
                                           QDialogButtonBox::AcceptRole);
    move->setObjectName(QStringLiteral("moveButton"));
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(dialog, &QDialog::accepted, this, [this, moves] { applyNow(moves); });

    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(summary);
    layout->addWidget(list, 1);
    layout->addWidget(buttons);
    dialog->resize(720, 420);
    dialog->open();
    return dialog;
}

void DatasetEdits::applyNow(const QVector<fts::FileMove>& moves) {
    if (isApplying() || moves.isEmpty()) return;
    std::vector<fts::FileMove> list(moves.begin(), moves.end());
    // A worker thread: hundreds of renames (or copies across drives) must not
    // freeze the window. The destructor waits for it.
    m_watcher.setFuture(
        QtConcurrent::run([list = std::move(list)] { return fts::applyMoves(list); }));
    Q_EMIT changed();
}

void DatasetEdits::onMovesFinished() {
    const fts::MoveResult result = m_watcher.result();
    QSet<QString> moved;
    for (const auto& m : result.done) moved.insert(QDir::cleanPath(toQString(displayPath(m.from))));
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (moved.contains(absolutePath(it.key())))
            it = m_pending.erase(it);
        else
            ++it;
    }
    // The history speaks of files that have moved since: start afresh (the
    // journal lists the moves for undoing them by hand).
    m_undo->clear();
    m_lastFailures.clear();
    for (const auto& [move, why] : result.failed) m_lastFailures << toQString(why);
    m_lastJournalProblem = toQString(result.journalProblem);
    Q_EMIT changed();
    Q_EMIT applied(int(result.done.size()), int(result.failed.size()));
}

}  // namespace fts::ui
