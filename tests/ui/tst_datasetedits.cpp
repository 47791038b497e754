// DatasetEdits (pending relabellings and exclusions with undo, the
// confirmation, the moves) and its place in GalleryPanel.
#include "datasetedits.h"
#include "galleryfilterproxy.h"
#include "gallerymodel.h"
#include "gallerypanel.h"
#include "uitypes.h"

#include <QAction>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QUndoStack>
#include <QtTest>

using fts::DatasetEdit;
using fts::ui::DatasetEdits;
using fts::ui::GalleryModel;
using fts::ui::GalleryPanel;
using fts::ui::PredictionSample;

namespace {

const QStringList kClasses{QStringLiteral("Boot"), QStringLiteral("Sandal"),
                           QStringLiteral("Sneaker")};

// root/<class>/<class>-<i>.png with a small real PNG each (3 per class).
QString makeDataset(const QTemporaryDir& dir) {
    const QString root = dir.filePath(QStringLiteral("shoes"));
    for (int c = 0; c < kClasses.size(); ++c) {
        QDir().mkpath(root + QLatin1Char('/') + kClasses[c]);
        for (int i = 0; i < 3; ++i) {
            QImage image(8, 8, QImage::Format_RGB888);
            image.fill(QColor::fromHsv(c * 110, 200, 100 + i * 60));
            image.save(QStringLiteral("%1/%2/%2-%3.png").arg(root, kClasses[c]).arg(i));
        }
    }
    return root;
}

QString item(const QString& root, int c, int i) {
    return QStringLiteral("%1/%2/%2-%3.png").arg(root, kClasses[c]).arg(i);
}

// The gallery's samples: every image of the dataset, predicted as class (c+i)%3.
QVector<PredictionSample> samplesFor(const QString& root) {
    QVector<PredictionSample> samples;
    for (int c = 0; c < kClasses.size(); ++c)
        for (int i = 0; i < 3; ++i) {
            PredictionSample s;
            s.item = item(root, c, i);
            s.trueLabel = c;
            s.predicted = (c + i) % 3;
            s.confidence = 0.5 + 0.1 * i;
            s.loss = 0.1 * (c + i);
            s.thumbnail = QImage(s.item).scaled(32, 32);
            samples.push_back(s);
        }
    return samples;
}

QAction* findAction(QMenu* menu, const QString& name) {
    for (QAction* a : menu->actions()) {
        if (a->objectName() == name) return a;
        if (a->menu() && a->menu()->objectName() == name) return a;
    }
    return nullptr;
}

// Selects the gallery images of these rows of the (source) model, wherever
// the proxy's sort puts them.
void selectRows(GalleryPanel& panel, const QList<int>& rows) {
    QListView* view = panel.view();
    view->clearSelection();
    for (int row : rows) {
        const QModelIndex index = panel.proxy()->mapFromSource(panel.model()->index(row));
        QVERIFY(index.isValid());
        view->selectionModel()->select(index, QItemSelectionModel::Select);
    }
}

void saveScreenshot(QWidget* widget, const QString& name) {
    const QString dir = qEnvironmentVariable("FTS_SCREENSHOT_DIR");
    if (dir.isEmpty()) return;
    QDir().mkpath(dir);
    QVERIFY(widget->grab().save(dir + QLatin1Char('/') + name));
}

}  // namespace

class TestDatasetEdits : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void undoRedoRelabelExcludeRevert() {
        DatasetEdits edits;
        const QString root = QStringLiteral("/data/shoes");
        edits.setDataset(root, kClasses);
        QVERIFY(edits.isEditable());
        QSignalSpy changed(&edits, &DatasetEdits::changed);
        const QString a = item(root, 2, 0), b = item(root, 2, 1);

        edits.relabel({a, b}, 1);  // one command for the multi-selection
        QCOMPARE(edits.pendingCount(), 2);
        QCOMPARE(edits.undoStack()->count(), 1);
        QCOMPARE(edits.pending(a)->kind, DatasetEdit::Kind::Relabel);
        QCOMPARE(edits.pending(a)->newClass, QStringLiteral("Sandal"));
        QCOMPARE(edits.pendingText(a), QStringLiteral("→ Sandal"));
        QVERIFY(changed.count() >= 1);

        edits.exclude({a});  // replaces a's relabelling
        QCOMPARE(edits.pendingCount(), 2);
        QCOMPARE(edits.pending(a)->kind, DatasetEdit::Kind::Exclude);
        QCOMPARE(edits.pendingText(a), QStringLiteral("excluded"));

        edits.revert({b});
        QCOMPARE(edits.pendingCount(), 1);
        QVERIFY(!edits.pending(b));

        edits.undoStack()->undo();  // revert
        QCOMPARE(edits.pending(b)->newClass, QStringLiteral("Sandal"));
        edits.undoStack()->undo();  // exclude
        QCOMPARE(edits.pending(a)->kind, DatasetEdit::Kind::Relabel);
        edits.undoStack()->undo();  // relabel
        QCOMPARE(edits.pendingCount(), 0);
        edits.undoStack()->redo();
        edits.undoStack()->redo();
        QCOMPARE(edits.pending(a)->kind, DatasetEdit::Kind::Exclude);
        QCOMPARE(edits.pendingCount(), 2);

        edits.discard();  // one command, undoable
        QCOMPARE(edits.pendingCount(), 0);
        edits.undoStack()->undo();
        QCOMPARE(edits.pendingCount(), 2);
    }

    void relabellingBackToItsClassDropsTheEdit() {
        DatasetEdits edits;
        const QString root = QStringLiteral("/data/shoes");
        edits.setDataset(root, kClasses);
        const QString a = item(root, 2, 0);  // a Sneaker
        QCOMPARE(edits.originalClass(a), 2);
        edits.relabel({a}, 0);
        QCOMPARE(edits.pendingCount(), 1);
        edits.relabel({a}, 2);
        QCOMPARE(edits.pendingCount(), 0);
        QCOMPARE(edits.undoStack()->count(), 2);
        // An action that changes nothing is no command.
        edits.relabel({a}, 2);
        edits.revert({a});
        QCOMPARE(edits.undoStack()->count(), 2);
        // Another dataset drops the edits and their history.
        edits.relabel({a}, 1);
        edits.setDataset(QStringLiteral("/data/other"), kClasses);
        QCOMPARE(edits.pendingCount(), 0);
        QCOMPARE(edits.undoStack()->count(), 0);
    }

    void itemsOutsideAnImageFolderAreNotEditable() {
        DatasetEdits edits;
        edits.setDataset(QString(), kClasses);  // IDX: records in a file
        QVERIFY(!edits.isEditable());
        QVERIFY(!edits.isEditable(QStringLiteral("/data/t10k-images-idx3-ubyte#3")));
        edits.exclude({QStringLiteral("/data/t10k-images-idx3-ubyte#3")});
        QCOMPARE(edits.pendingCount(), 0);
        QCOMPARE(edits.undoStack()->count(), 0);

        edits.setDataset(QStringLiteral("/data/shoes"), kClasses);
        QVERIFY(edits.isEditable(QStringLiteral("/data/shoes/Boot/a.png")));
        QVERIFY(!edits.isEditable(QStringLiteral("/data/shoes/a.png")));
        QVERIFY(!edits.isEditable(QStringLiteral("/data/shoes/Boot/deep/a.png")));
        QVERIFY(!edits.isEditable(QStringLiteral("/elsewhere/Boot/a.png")));
        QVERIFY(!edits.isEditable(QStringLiteral("Boot/a.png")));  // relative to the working dir
        QVERIFY(!edits.isEditable(QStringLiteral("/data/shoes/Boot")));  // a class folder
        edits.exclude(
            {QStringLiteral("/elsewhere/Boot/a.png"), QStringLiteral("/data/shoes/Boot/a.png")});
        QCOMPARE(edits.pendingItems(), QStringList{QStringLiteral("/data/shoes/Boot/a.png")});
    }

    void relativePathsAreTakenFromTheWorkingDirectory() {
        QTemporaryDir dir;
        const QString root = makeDataset(dir);
        const QString previous = QDir::currentPath();
        QVERIFY(QDir::setCurrent(dir.path()));
        DatasetEdits edits;
        edits.setDataset(QStringLiteral("shoes"), kClasses);
        QVERIFY(edits.isEditable(QStringLiteral("shoes/Boot/Boot-0.png")));
        edits.exclude({QStringLiteral("shoes/Boot/Boot-0.png")});
        QString error;
        const auto moves = edits.plan(&error);
        QVERIFY(QDir::setCurrent(previous));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(moves.size(), 1);
        QCOMPARE(fts::ui::toQString(moves[0].from.string()), item(root, 0, 0));
    }

    void planListsTheMoves() {
        QTemporaryDir dir;
        const QString root = makeDataset(dir);
        DatasetEdits edits;
        edits.setDataset(root, kClasses);
        edits.relabel({item(root, 2, 0)}, 1);
        edits.exclude({item(root, 0, 1)});
        QString error;
        const auto moves = edits.plan(&error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(moves.size(), 2);
        QCOMPARE(fts::ui::toQString(moves[0].from.string()), item(root, 0, 1));  // sorted by item
        QCOMPARE(fts::ui::toQString(moves[0].to.string()),
                 dir.filePath(QStringLiteral("shoes-excluded/Boot/Boot-1.png")));
        QCOMPARE(fts::ui::toQString(moves[1].to.string()),
                 root + QStringLiteral("/Sandal/Sneaker-0.png"));

        // A file that has gone since is named in the error; nothing is planned.
        QVERIFY(QFile::remove(item(root, 2, 0)));
        QVERIFY(edits.plan(&error).isEmpty());
        QVERIFY2(error.contains(QStringLiteral("Sneaker-0.png")), qPrintable(error));
    }

    void applyMovesFilesAfterConfirmation() {
        QTemporaryDir dir;
        const QString root = makeDataset(dir);
        DatasetEdits edits;
        edits.setDataset(root, kClasses);
        edits.relabel({item(root, 2, 0), item(root, 2, 1)}, 1);
        edits.exclude({item(root, 0, 2)});

        QDialog* dialog = edits.requestApply(nullptr);
        QVERIFY(dialog);
        QCOMPARE(dialog->objectName(), QStringLiteral("applyEditsDialog"));
        auto* list = dialog->findChild<QTreeWidget*>(QStringLiteral("moveList"));
        QVERIFY(list);
        QCOMPARE(list->topLevelItemCount(), 3);
        QCOMPARE(list->topLevelItem(0)->text(1),
                 QDir::toNativeSeparators(QStringLiteral("shoes-excluded/Boot/Boot-2.png")));
        auto* move = dialog->findChild<QPushButton*>(QStringLiteral("moveButton"));
        QVERIFY(move);
        // English plurals come from the _en translation, not loaded here.
        QVERIFY2(move->text().startsWith(QStringLiteral("Move 3 file")), qPrintable(move->text()));
        saveScreenshot(dialog, QStringLiteral("datasetedits-confirm.png"));
        // Nothing moves before the confirmation.
        QVERIFY(QFile::exists(item(root, 2, 0)));

        QSignalSpy applied(&edits, &DatasetEdits::applied);
        dialog->accept();
        QVERIFY(applied.wait(10000));
        QCOMPARE(applied.at(0).at(0).toInt(), 3);
        QCOMPARE(applied.at(0).at(1).toInt(), 0);
        QVERIFY(!QFile::exists(item(root, 2, 0)));
        QVERIFY(QFile::exists(root + QStringLiteral("/Sandal/Sneaker-0.png")));
        QVERIFY(QFile::exists(root + QStringLiteral("/Sandal/Sneaker-1.png")));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("shoes-excluded/Boot/Boot-2.png"))));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("shoes-excluded/moves.tsv"))));
        QCOMPARE(edits.pendingCount(), 0);
        QCOMPARE(edits.undoStack()->count(), 0);  // the history spoke of moved files
    }

    void cancellingMovesNothing() {
        QTemporaryDir dir;
        const QString root = makeDataset(dir);
        DatasetEdits edits;
        edits.setDataset(root, kClasses);
        edits.exclude({item(root, 1, 0)});
        QDialog* dialog = edits.requestApply(nullptr);
        QVERIFY(dialog);
        QSignalSpy applied(&edits, &DatasetEdits::applied);
        dialog->reject();
        QCoreApplication::processEvents();
        QCOMPARE(applied.count(), 0);
        QVERIFY(QFile::exists(item(root, 1, 0)));
        QCOMPARE(edits.pendingCount(), 1);
    }

    void galleryMenuAndBar() {
        QTemporaryDir dir;
        const QString root = makeDataset(dir);
        GalleryPanel panel;
        panel.resize(900, 640);
        panel.setClassNames(kClasses);
        panel.setPredictions(3, samplesFor(root));
        auto* bar = panel.findChild<QWidget*>(QStringLiteral("editBar"));
        auto* count = panel.findChild<QLabel*>(QStringLiteral("editCount"));
        auto* apply = panel.findChild<QPushButton*>(QStringLiteral("applyEdits"));
        QVERIFY(bar && count && apply);
        QVERIFY(bar->isHidden());
        QCOMPARE(panel.view()->selectionMode(), QAbstractItemView::ExtendedSelection);

        // IDX-like data: the actions are there but off, with the reason.
        selectRows(panel, {0, 1});
        QCOMPARE(panel.selectedItems().size(), 2);
        {
            std::unique_ptr<QMenu> menu(panel.createEditMenu(nullptr));
            QAction* exclude = findAction(menu.get(), QStringLiteral("excludeAction"));
            QAction* relabel = findAction(menu.get(), QStringLiteral("relabelMenu"));
            QVERIFY(exclude && relabel && findAction(menu.get(), QStringLiteral("revertAction")));
            QVERIFY(!exclude->isEnabled());
            QVERIFY(!relabel->isEnabled());
            QVERIFY2(exclude->toolTip().contains(QStringLiteral("image-folder")),
                     qPrintable(exclude->toolTip()));
        }

        panel.setDatasetRoot(root);
        QStringList selected;
        {
            std::unique_ptr<QMenu> menu(panel.createEditMenu(nullptr));
            QAction* exclude = findAction(menu.get(), QStringLiteral("excludeAction"));
            QAction* relabel = findAction(menu.get(), QStringLiteral("relabelMenu"));
            QVERIFY(exclude->isEnabled());
            QVERIFY(relabel->isEnabled());
            QCOMPARE(relabel->menu()->actions().size(), kClasses.size());
            QVERIFY(relabel->menu()->actions().at(0)->isChecked());  // both are Boots
            QVERIFY(!relabel->menu()->actions().at(2)->isChecked());
            QVERIFY(!findAction(menu.get(), QStringLiteral("revertAction"))->isEnabled());
            menu->adjustSize();
            saveScreenshot(menu.get(), QStringLiteral("datasetedits-menu.png"));
            relabel->menu()->adjustSize();
            saveScreenshot(relabel->menu(), QStringLiteral("datasetedits-relabel-menu.png"));
            relabel->menu()->actions().at(2)->trigger();  // both as Sneaker
        }
        QCOMPARE(panel.edits()->pendingCount(), 2);
        QVERIFY(!bar->isHidden());
        QVERIFY2(count->text().startsWith(QStringLiteral("2 change")), qPrintable(count->text()));
        QVERIFY(apply->isEnabled());
        QVERIFY(panel.undoAction()->isEnabled());
        QCOMPARE(panel.model()->index(0).data(GalleryModel::PendingTextRole).toString(),
                 QStringLiteral("→ Sneaker"));
        QCOMPARE(panel.model()->index(0).data(GalleryModel::PendingKindRole).toInt(), 1);

        selectRows(panel, {4});
        {
            std::unique_ptr<QMenu> menu(panel.createEditMenu(nullptr));
            findAction(menu.get(), QStringLiteral("excludeAction"))->trigger();
        }
        QVERIFY2(count->text().startsWith(QStringLiteral("3 change")), qPrintable(count->text()));
        QCOMPARE(panel.model()->index(4).data(GalleryModel::PendingKindRole).toInt(), 2);
        selectRows(panel, {0, 4, 5});
        {
            std::unique_ptr<QMenu> menu(panel.createEditMenu(nullptr));
            QVERIFY(findAction(menu.get(), QStringLiteral("revertAction"))->isEnabled());
        }
        panel.undoAction()->trigger();
        QVERIFY2(count->text().startsWith(QStringLiteral("2 change")), qPrintable(count->text()));
        panel.redoAction()->trigger();
        QVERIFY2(count->text().startsWith(QStringLiteral("3 change")), qPrintable(count->text()));
        selectRows(panel, {7});
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        saveScreenshot(&panel, QStringLiteral("datasetedits-gallery.png"));

        // A training run reads the data: edits can be made, not applied.
        panel.setTrainingRunning(true);
        QVERIFY(!apply->isEnabled());
        QVERIFY(apply->toolTip().contains(QStringLiteral("training")));
        QVERIFY(!panel.applyEdits());
        panel.setTrainingRunning(false);
        QVERIFY(apply->isEnabled());

        QSignalSpy changedDataset(&panel, &GalleryPanel::datasetChanged);
        QDialog* dialog = panel.applyEdits();
        QVERIFY(dialog);
        saveScreenshot(dialog, QStringLiteral("datasetedits-confirm-panel.png"));
        dialog->accept();
        QVERIFY(changedDataset.wait(10000));
        QCOMPARE(changedDataset.at(0).at(0).toString(), QDir::cleanPath(root));
        QVERIFY(QFile::exists(root + QStringLiteral("/Sneaker/Boot-0.png")));
        QVERIFY(QFile::exists(root + QStringLiteral("/Sneaker/Boot-1.png")));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("shoes-excluded/Sandal/Sandal-1.png"))));
        auto* message = panel.findChild<QMessageBox*>(QStringLiteral("editsAppliedMessage"));
        QVERIFY(message);
        QVERIFY2(message->text().contains(QStringLiteral("Moved 3 file")),
                 qPrintable(message->text()));
        message->close();
        QVERIFY(bar->isHidden());
    }
};

QTEST_MAIN(TestDatasetEdits)
#include "tst_datasetedits.moc"
