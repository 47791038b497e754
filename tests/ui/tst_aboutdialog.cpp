// The About dialog: the version comes from the application, the licence is
// GPL-3.0-or-later with its link, every third-party component is named with
// its licence, the full notices and the icon come from the linked resources,
// and Close closes.

#include "aboutdialog.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QTextBrowser>
#include <QtTest>

using namespace fts::ui;

class TestAboutDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showsTheApplicationVersion();
    void licenceIsGplWithLink();
    void noticesNameEveryComponent_data();
    void noticesNameEveryComponent();
    void textsAreReadOnlyAndLinksOpenOutside();
    void fullNoticesComeFromTheResources();
    void iconHasSmallAndLargeSizes();
    void closeButtonCloses();
};

void TestAboutDialog::showsTheApplicationVersion() {
    const QString before = QCoreApplication::applicationVersion();
    QCoreApplication::setApplicationVersion(QStringLiteral("9.8.7"));
    AboutDialog dialog(nullptr);
    QCoreApplication::setApplicationVersion(before);
    auto* version = dialog.findChild<QLabel*>(QStringLiteral("versionLabel"));
    QVERIFY(version);
    QVERIFY2(version->text().contains(QLatin1String("9.8.7")), qPrintable(version->text()));
}

void TestAboutDialog::licenceIsGplWithLink() {
    AboutDialog dialog(nullptr);
    const QString text = dialog.licenceView()->toPlainText();
    QVERIFY2(text.contains(QLatin1String("GPL-3.0-or-later")), qPrintable(text));
    QVERIFY(text.contains(QLatin1String("WITHOUT ANY WARRANTY")));
    QVERIFY(dialog.licenceView()->toHtml().contains(
        QLatin1String("https://www.gnu.org/licenses/gpl-3.0.html")));
}

void TestAboutDialog::noticesNameEveryComponent_data() {
    QTest::addColumn<QString>("component");
    QTest::addColumn<QString>("licence");
    QTest::newRow("Qt") << "Qt 6"
                        << "LGPL-3.0-only";
    QTest::newRow("Qt Charts") << "Qt Charts"
                               << "GPL-3.0-only";
    QTest::newRow("LibTorch") << "LibTorch"
                              << "BSD-3-Clause";
    QTest::newRow("OpenCV") << "OpenCV"
                            << "Apache-2.0";
    QTest::newRow("nlohmann-json") << "nlohmann/json"
                                   << "MIT";
    QTest::newRow("CLI11") << "CLI11"
                           << "BSD-3-Clause";
    QTest::newRow("Fashion-MNIST") << "Fashion-MNIST"
                                   << "MIT";
}

void TestAboutDialog::noticesNameEveryComponent() {
    QFETCH(QString, component);
    QFETCH(QString, licence);
    AboutDialog dialog(nullptr);
    const QString text = dialog.noticesView()->toPlainText();
    const int at = text.indexOf(component);
    QVERIFY2(at >= 0, qPrintable(component + QLatin1String(" missing from: ") + text));
    // The component's licence is the first one named after it.
    const int licenceAt = text.indexOf(QLatin1String("Licence: "), at);
    QVERIFY(licenceAt > at);
    QCOMPARE(text.mid(licenceAt + 9, licence.size()), licence);
}

void TestAboutDialog::textsAreReadOnlyAndLinksOpenOutside() {
    AboutDialog dialog(nullptr);
    for (QTextBrowser* view : {dialog.licenceView(), dialog.noticesView()}) {
        QVERIFY(view->isReadOnly());
        QVERIFY(view->openExternalLinks());
    }
}

void TestAboutDialog::fullNoticesComeFromTheResources() {
    AboutDialog dialog(nullptr);
    QVERIFY2(dialog.fullNoticesView(), "the :/branding/THIRD-PARTY-NOTICES.md resource is missing");
    QCOMPARE(dialog.tabs()->count(), 3);
    const QString text = dialog.fullNoticesView()->toPlainText();
    QVERIFY(text.contains(QLatin1String("Copyright (c) 2017 Zalando SE")));
    QVERIFY(text.contains(QLatin1String("Niels Lohmann")));
    QVERIFY(text.contains(QLatin1String("Redistribution and use in source and binary forms")));
}

void TestAboutDialog::iconHasSmallAndLargeSizes() {
    const QIcon icon = AboutDialog::applicationIcon();
    QVERIFY(!icon.isNull());
    const QList<QSize> sizes = icon.availableSizes();
    QVERIFY(sizes.contains(QSize(16, 16)));
    QVERIFY(sizes.contains(QSize(256, 256)));
    const QImage small = icon.pixmap(QSize(16, 16)).toImage();
    QCOMPARE(small.size(), QSize(16, 16));
    // The tile's blue fills the left margin beside the bars: the icon is drawn, not blank.
    const QColor tile = small.pixelColor(2, 8);
    QVERIFY2(tile.alpha() == 255 && tile.blue() > 2 * tile.red(),
             qPrintable(tile.name(QColor::HexArgb)));
}

void TestAboutDialog::closeButtonCloses() {
    AboutDialog dialog(nullptr);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto* buttons = dialog.findChild<QDialogButtonBox*>();
    QVERIFY(buttons);
    QPushButton* close = buttons->button(QDialogButtonBox::Close);
    QVERIFY(close);
    QTest::mouseClick(close, Qt::LeftButton);
    QTRY_VERIFY(!dialog.isVisible());
}

QTEST_MAIN(TestAboutDialog)
#include "tst_aboutdialog.moc"
