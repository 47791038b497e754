#include "aboutdialog.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QTabWidget>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>
#include <QtGlobal>

namespace fts::ui {

namespace {

// The resources ui/CMakeLists.txt links in from packaging/.
const char* const kIconPattern = ":/branding/icons/finetune-studio-%1.png";
const char* const kNoticesResource = ":/branding/THIRD-PARTY-NOTICES.md";

/// One piece of third-party software the app is built on. `purpose` is
/// translated in AboutDialog's context; names, licences and copyright lines
/// are legal text and stay as they are.
struct Component {
    const char* name;
    const char* url;
    const char* purpose;
    const char* licence;  // SPDX identifier
    const char* copyright;
};

const Component kComponents[] = {
    {"Qt 6", "https://www.qt.io",
     QT_TRANSLATE_NOOP("fts::ui::AboutDialog", "the windows, widgets and threads of the app"),
     "LGPL-3.0-only", "The Qt Company Ltd. and other contributors"},
    {"Qt Charts", "https://doc.qt.io/qt-6/qtcharts-index.html",
     QT_TRANSLATE_NOOP("fts::ui::AboutDialog", "the loss and accuracy charts"), "GPL-3.0-only",
     "The Qt Company Ltd."},
    {"LibTorch (PyTorch)", "https://pytorch.org",
     QT_TRANSLATE_NOOP("fts::ui::AboutDialog", "the neural networks and their training"),
     "BSD-3-Clause", "Facebook, Inc. (Meta Platforms) and the PyTorch contributors"},
    {"OpenCV", "https://opencv.org",
     QT_TRANSLATE_NOOP("fts::ui::AboutDialog", "decoding and resizing images"), "Apache-2.0",
     "Intel Corporation, OpenCV Foundation and other contributors"},
    {"nlohmann/json", "https://github.com/nlohmann/json",
     QT_TRANSLATE_NOOP("fts::ui::AboutDialog", "reading and writing JSON files"), "MIT",
     "2013-2022 Niels Lohmann"},
    {"CLI11", "https://github.com/CLIUtils/CLI11",
     QT_TRANSLATE_NOOP("fts::ui::AboutDialog", "the command line of finetune-cli"), "BSD-3-Clause",
     "2017-2022 University of Cincinnati, developed by Henry Schreiner under NSF AWARD 1414736"},
    {"zlib", "https://zlib.net",
     QT_TRANSLATE_NOOP("fts::ui::AboutDialog", "reading gzipped IDX files"), "Zlib",
     "1995-2022 Jean-loup Gailly and Mark Adler"},
    {"Fashion-MNIST", "https://github.com/zalandoresearch/fashion-mnist",
     QT_TRANSLATE_NOOP("fts::ui::AboutDialog", "the images of the bundled demo (a subset)"), "MIT",
     "2017 Zalando SE"},
};

QString spdxUrl(const char* licence) {
    return QStringLiteral("https://spdx.org/licenses/%1.html").arg(QLatin1String(licence));
}

/// Where the packages install LICENSE and THIRD-PARTY-NOTICES.md
/// (cmake/FtsPackaging.cmake); empty for a build that was not installed.
QString installedDocDirectory() {
    const QDir exeDir(QCoreApplication::applicationDirPath());
#ifdef Q_OS_MACOS
    const QString dir = exeDir.filePath(QStringLiteral("../Resources/licences"));
#else
    const QString dir = exeDir.filePath(QStringLiteral("../share/doc/finetune-studio"));
#endif
    return QFileInfo::exists(QDir(dir).filePath(QStringLiteral("THIRD-PARTY-NOTICES.md")))
               ? QDir::cleanPath(dir)
               : QString();
}

QTextBrowser* makeBrowser(QWidget* parent) {
    auto* view = new QTextBrowser(parent);
    view->setReadOnly(true);
    view->setOpenExternalLinks(true);
    view->setMinimumSize(520, 260);
    return view;
}

}  // namespace

AboutDialog::AboutDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("About Finetune Studio"));

    auto* icon = new QLabel(this);
    icon->setPixmap(applicationIcon().pixmap(96, 96));
    icon->setAlignment(Qt::AlignTop);

    auto* title = new QLabel(this);
    title->setTextFormat(Qt::RichText);
    title->setText(tr("<h2>Finetune Studio</h2>"));
    auto* version = new QLabel(tr("Version %1").arg(QCoreApplication::applicationVersion()), this);
    version->setObjectName(QStringLiteral("versionLabel"));
    version->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* summary = new QLabel(
        tr("Interactive fine-tuning of pretrained image classifiers: on your own computer, "
           "offline, with live charts of what the model learns."),
        this);
    summary->setWordWrap(true);
    auto* qtVersion = new QLabel(tr("Built with Qt %1, running on Qt %2.")
                                     .arg(QLatin1String(QT_VERSION_STR), QLatin1String(qVersion())),
                                 this);

    auto* heading = new QVBoxLayout;
    heading->addWidget(title);
    heading->addWidget(version);
    heading->addSpacing(6);
    heading->addWidget(summary);
    heading->addWidget(qtVersion);
    heading->addStretch(1);

    auto* top = new QHBoxLayout;
    top->addWidget(icon);
    top->addSpacing(12);
    top->addLayout(heading, 1);

    m_tabs = new QTabWidget(this);
    m_licenceView = makeBrowser(m_tabs);
    m_licenceView->setHtml(licenceHtml());
    m_tabs->addTab(m_licenceView, tr("Licence"));

    QFile notices(QString::fromLatin1(kNoticesResource));
    const bool haveFullNotices = notices.open(QIODevice::ReadOnly | QIODevice::Text);
    m_noticesView = makeBrowser(m_tabs);
    m_noticesView->setHtml(noticesHtml(haveFullNotices));
    m_tabs->addTab(m_noticesView, tr("Third-party software"));
    if (haveFullNotices) {
        m_fullNoticesView = makeBrowser(m_tabs);
        // Legal text, shown as written (English), not translated.
        m_fullNoticesView->setMarkdown(QString::fromUtf8(notices.readAll()));
        m_tabs->addTab(m_fullNoticesView, tr("Licence texts"));
    }

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    // Close has the reject role.
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addSpacing(8);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(buttons);
    resize(640, 520);
}

QIcon AboutDialog::applicationIcon() {
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256, 512}) {
        const QString file = QString::fromLatin1(kIconPattern).arg(size);
        if (QFile::exists(file)) icon.addFile(file, QSize(size, size));
    }
    return icon;
}

QString AboutDialog::licenceHtml() const {
    QString html;
    html +=
        tr("<p>Finetune Studio is free software: you can redistribute it and/or modify it "
           "under the terms of the GNU General Public License as published by the Free "
           "Software Foundation, either version 3 of the License, or (at your option) any "
           "later version (GPL-3.0-or-later).</p>");
    html +=
        tr("<p>It is distributed in the hope that it will be useful, but WITHOUT ANY "
           "WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS FOR "
           "A PARTICULAR PURPOSE. See the GNU General Public License for more "
           "details.</p>");
    html += tr("<p>The full licence: <a href=\"%1\">%1</a></p>")
                .arg(QStringLiteral("https://www.gnu.org/licenses/gpl-3.0.html"));
    return html;
}

QString AboutDialog::noticesHtml(bool withFullNoticesTab) const {
    QString html =
        tr("<p>Finetune Studio is built on the following software and data. "
           "Thank you to everyone who made them.</p>");
    html += QStringLiteral("<table cellspacing=\"0\" cellpadding=\"4\">");
    for (const Component& c : kComponents) {
        html += QStringLiteral("<tr><td valign=\"top\"><b><a href=\"%1\">%2</a></b></td>")
                    .arg(QLatin1String(c.url), QString::fromLatin1(c.name).toHtmlEscaped());
        html += QStringLiteral("<td>%1<br/>").arg(tr(c.purpose).toHtmlEscaped());
        html += tr("Licence: %1")
                    .arg(QStringLiteral("<a href=\"%1\">%2</a>")
                             .arg(spdxUrl(c.licence), QLatin1String(c.licence)));
        html += QStringLiteral("<br/>");
        html += tr("Copyright © %1").arg(QString::fromUtf8(c.copyright).toHtmlEscaped());
        html += QStringLiteral("</td></tr>");
    }
    html += QStringLiteral("</table>");

    if (withFullNoticesTab)
        html += tr("<p>The Licence texts tab holds the full texts of these licences.</p>");
    const QString docDir = installedDocDirectory();
    if (!docDir.isEmpty()) {
        html += tr("<p>The licence texts are also installed in <a href=\"%1\">%2</a>.</p>")
                    .arg(QUrl::fromLocalFile(docDir).toString(),
                         QDir::toNativeSeparators(docDir).toHtmlEscaped());
    } else {
        html += tr(
            "<p>In the source code the licence texts are in packaging/THIRD-PARTY-NOTICES.md and "
            "packaging/licenses/.</p>");
    }
    return html;
}

}  // namespace fts::ui
