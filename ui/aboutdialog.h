#pragma once

#include <QDialog>
#include <QIcon>

class QTabWidget;
class QTextBrowser;

namespace fts::ui {

/// Help > About: the app's name, version (QCoreApplication::applicationVersion,
/// set from the project() version), its licence (GPL-3.0-or-later) and the
/// third-party software it is built on, with their licences. The texts are
/// read-only browsers whose links open in the system browser. GUI thread only.
class AboutDialog : public QDialog {
    Q_OBJECT

public:
    explicit AboutDialog(QWidget* parent);

    /// The app icon at every size packaging/icons holds (16 to 512 px), from the
    /// resources linked into fts_ui; for QApplication::setWindowIcon.
    static QIcon applicationIcon();

    QTabWidget* tabs() const { return m_tabs; }
    QTextBrowser* licenceView() const { return m_licenceView; }
    QTextBrowser* noticesView() const { return m_noticesView; }
    /// The full THIRD-PARTY-NOTICES.md (licence texts); null when the resource is missing.
    QTextBrowser* fullNoticesView() const { return m_fullNoticesView; }

private:
    QString licenceHtml() const;
    QString noticesHtml(bool withFullNoticesTab) const;

    QTabWidget* m_tabs = nullptr;
    QTextBrowser* m_licenceView = nullptr;
    QTextBrowser* m_noticesView = nullptr;
    QTextBrowser* m_fullNoticesView = nullptr;
};

}  // namespace fts::ui
