// finetune-studio: parse arguments, install translators, build the window.

#include "aboutdialog.h"
#include "chartpanel.h"
#include "confusionpanel.h"
#include "eventloopmonitor.h"
#include "experimentdialog.h"
#include "galleryfilterproxy.h"
#include "gallerymodel.h"
#include "gallerypanel.h"
#include "hyperparameterpanel.h"
#include "imageinspector.h"
#include "mainwindow.h"
#include "runhistorypanel.h"
#include "trainingcontroller.h"

#include "core/version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTabWidget>
#include <QTimer>
#include <QTranslator>

#include <cstdio>
#include <functional>
#include <memory>

namespace {

/// Installs Qt's own translations (standard dialogs) and the app's, for
/// `language` ("en", "zh_CN"; empty: the system locale).
void installTranslators(QApplication& app, const QString& language) {
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    QLocale::setDefault(locale);
    // English has a translation too: the plural forms of "%n image(s)".
    const bool english = locale.language() == QLocale::English || locale.language() == QLocale::C;
    const QLocale ownLocale = english ? QLocale(QLocale::English) : locale;
    auto* own = new QTranslator(&app);
    if (own->load(ownLocale, QStringLiteral("finetune-studio"), QStringLiteral("_"),
                  QStringLiteral(":/i18n")))
        QApplication::installTranslator(own);
    if (english) return;
    auto* qt = new QTranslator(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(qt);
}

void saveShot(QWidget* window, const QString& dir, const QString& name) {
    if (dir.isEmpty()) return;
    QDir().mkpath(dir);
    const QString file = QDir(dir).filePath(name + QStringLiteral(".png"));
    // Let pending layout and paint requests run first (a label whose text just
    // changed is otherwise grabbed at its old height).
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    if (!window->grab().save(file))
        std::fprintf(stderr, "warning: could not write %s\n", qPrintable(file));
}

/// Opens the image inspector on the first mistake of the gallery (else its
/// first image), saves it once its Grad-CAM overlay is shown, closes it and
/// calls `next` (also when Grad-CAM fails or takes over a minute).
void shootInspector(fts::ui::MainWindow& window, const QString& dir,
                    const std::function<void()>& next) {
    fts::ui::GalleryPanel* gallery = window.galleryPanel();
    window.resultTabs()->setCurrentWidget(gallery);
    gallery->showAll();
    QModelIndex index;
    for (int row = 0; row < gallery->proxy()->rowCount() && !index.isValid(); ++row) {
        const QModelIndex candidate = gallery->proxy()->index(row, 0);
        if (!candidate.data(fts::ui::GalleryModel::CorrectRole).toBool()) index = candidate;
    }
    if (!index.isValid()) index = gallery->proxy()->index(0, 0);
    fts::ui::ImageInspector* inspector = index.isValid() ? gallery->openInspector(index) : nullptr;
    if (!inspector) {
        next();
        return;
    }
    auto done = std::make_shared<bool>(false);
    const auto finish = [inspector, done, next](bool shot, const QString& dir) {
        if (*done) return;
        *done = true;
        if (shot) saveShot(inspector, dir, QStringLiteral("inspector-gradcam"));
        inspector->close();
        next();
    };
    QObject::connect(inspector, &fts::ui::ImageInspector::gradCamShown, inspector,
                     [finish, dir] { finish(true, dir); });
    QObject::connect(inspector, &fts::ui::ImageInspector::gradCamFailed, inspector,
                     [finish, dir](const QString& message) {
                         std::fprintf(stderr, "warning: Grad-CAM: %s\n", qPrintable(message));
                         finish(false, dir);
                     });
    QTimer::singleShot(60000, inspector, [finish, dir] { finish(false, dir); });
    inspector->setView(fts::ui::ImageInspector::View::GradCamPredicted);
}

/// Shows the Runs tab with `runDirs` overlaid, saves it as `name`, then
/// calls `next`.
void shootRuns(fts::ui::MainWindow& window, const QString& dir, const QString& name,
               const QStringList& runDirs, const std::function<void()>& next) {
    fts::ui::RunHistoryPanel* runs = window.runHistoryPanel();
    auto connection = std::make_shared<QMetaObject::Connection>();
    // Connected after showRuns()' own handler, which checks the runs first.
    window.showRuns(runDirs);
    *connection = QObject::connect(runs, &fts::ui::RunHistoryPanel::refreshed, &window,
                                   [&window, dir, name, next, connection] {
                                       QObject::disconnect(*connection);
                                       saveShot(&window, dir, name);
                                       next();
                                   });
}

}  // namespace

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("FinetuneStudio"));
    QApplication::setApplicationName(QStringLiteral("finetune-studio"));
    QApplication::setApplicationDisplayName(QStringLiteral("Finetune Studio"));
    QApplication::setApplicationVersion(QStringLiteral(FTS_VERSION_STRING));
    // Wayland matches windows to the .desktop file (and its icon) by this id.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.finetunestudio.FinetuneStudio"));
    QApplication::setWindowIcon(fts::ui::AboutDialog::applicationIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Finetune Studio: interactive fine-tuning of pretrained image classifiers."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QStringLiteral("Select the bundled demo model and dataset."));
    const QCommandLineOption autostart(
        QStringLiteral("autostart"),
        QStringLiteral("Start training as soon as the setup is ready."));
    const QCommandLineOption quitWhenDone(
        QStringLiteral("quit-when-done"),
        QStringLiteral("Quit when the run ends; exit status 0 only if it completed."));
    const QCommandLineOption epochs(QStringLiteral("epochs"),
                                    QStringLiteral("Override the number of epochs."),
                                    QStringLiteral("N"));
    const QCommandLineOption language(
        QStringLiteral("lang"),
        QStringLiteral("Interface language: en or zh_CN (default: system)."),
        QStringLiteral("CODE"));
    const QCommandLineOption screenshots(
        QStringLiteral("screenshots"),
        QStringLiteral("Save window screenshots before, during and after the run into DIR."),
        QStringLiteral("DIR"));
    const QCommandLineOption experiment(
        QStringLiteral("experiment"),
        QStringLiteral("With --autostart or --quit-when-done: run the transfer-learning experiment "
                       "(head only, last block + head, everything, from scratch) instead of one "
                       "run; with --screenshots also save the dialog, the Runs tab and the "
                       "experiment's class report (report-experiment.html)."));
    parser.addOptions({demo, autostart, quitWhenDone, epochs, language, screenshots, experiment});
    parser.addPositionalArgument(QStringLiteral("project"),
                                 QStringLiteral("A project file (.ftsproj) to open."),
                                 QStringLiteral("[project]"));
    parser.process(app);

    const QString lang = parser.isSet(language)
                             ? parser.value(language)
                             : QSettings().value(QStringLiteral("language")).toString();
    installTranslators(app, lang);

    fts::ui::MainWindow window;
    const QStringList positional = parser.positionalArguments();
    if (!positional.isEmpty() && !parser.isSet(demo)) {
        if (!window.openProject(positional.first(), /*quiet=*/true)) {
            std::fprintf(stderr, "error: could not open the project %s (see the Log tab)\n",
                         qPrintable(positional.first()));
            window.selectDemo();
        }
    } else {
        window.selectDemo();  // a newcomer can press Start at once
    }
    window.show();

    const QString shotDir = parser.value(screenshots);
    const int epochOverride = parser.value(epochs).toInt();
    bool started = false;
    const auto startWhenReady = [&](bool ready) {
        if (!ready || started) return;
        if (epochOverride > 0) {
            // The hyperparameter panel owns epochs: change it there.
            fts::TrainSettings s = window.currentSettings();
            s.epochs = epochOverride;
            window.hyperparameterPanel()->setSettings(s);
        }
        if (!shotDir.isEmpty()) {
            QTabWidget* setup = window.setupTabs();
            for (int i = setup->count() - 1; i >= 0; --i) {
                setup->setCurrentIndex(i);
                saveShot(&window, shotDir, QStringLiteral("before-%1").arg(i + 1));
            }
        }
        if ((parser.isSet(autostart) || parser.isSet(quitWhenDone)) && parser.isSet(experiment)) {
            fts::ui::ExperimentDialog* dialog = window.openExperimentDialog();
            started = dialog && dialog->start();
            if (!started) {
                std::fprintf(stderr, "error: the experiment could not start (see the Log tab)\n");
                if (parser.isSet(quitWhenDone)) QApplication::exit(1);
                return;
            }
            QObject::connect(
                dialog, &fts::ui::ExperimentDialog::experimentFinished, &window,
                [&, dialog](const QString& experimentDir, const QString& status) {
                    std::printf("experiment %s: %s\n", qPrintable(status),
                                qPrintable(experimentDir));
                    std::fflush(stdout);
                    const int code = status == QStringLiteral("completed") ? 0 : 1;
                    const auto quit = [&, code] {
                        if (parser.isSet(quitWhenDone)) QApplication::exit(code);
                    };
                    if (shotDir.isEmpty()) {
                        quit();
                        return;
                    }
                    saveShot(dialog, shotDir, QStringLiteral("experiment"));
                    const QStringList runDirs = dialog->runDirectories();
                    dialog->close();
                    shootRuns(window, shotDir, QStringLiteral("runs-comparison"), runDirs,
                              [&, experimentDir, quit] {
                                  QObject::connect(&window, &fts::ui::MainWindow::reportWritten,
                                                   &window, [quit](const QString&) { quit(); });
                                  window.writeReport(experimentDir, true,
                                                     QDir(shotDir).filePath(
                                                         QStringLiteral("report-experiment.html")));
                              });
                });
            return;
        }
        if (parser.isSet(autostart) || parser.isSet(quitWhenDone)) {
            started = window.startTraining();
            if (!started && parser.isSet(quitWhenDone)) {
                std::fprintf(stderr, "error: training could not start (see the Log tab)\n");
                QApplication::exit(1);
            }
        }
    };
    QObject::connect(&window, &fts::ui::MainWindow::readinessChanged, &window, startWhenReady);
    if (window.isReadyToStart()) QTimer::singleShot(0, &window, [&] { startWhenReady(true); });

    // A screenshot mid-run, once half the epochs are done.
    QObject::connect(window.controller(), &fts::ui::TrainingController::epochFinished, &window,
                     [&](const fts::EpochMetrics& m) {
                         if (shotDir.isEmpty() || m.epoch != (m.epochs + 1) / 2) return;
                         window.chartPanel()->flush();
                         saveShot(&window, shotDir, QStringLiteral("during"));
                     });
    QObject::connect(
        &window, &fts::ui::MainWindow::trainingFinished, &window,
        [&](const fts::RunSummary& summary) {
            std::printf(
                "%s: best validation accuracy %.3f, %d epochs, %.1f s; longest GUI "
                "stall %.1f ms (%d over 50 ms)\n",
                summary.status.c_str(), summary.bestValAccuracy, summary.epochsCompleted,
                summary.wallSeconds, window.eventLoopMonitor()->longestStallMs(),
                window.eventLoopMonitor()->stallsOver50Ms());
            std::fflush(stdout);
            const int code = summary.status == "completed" ? 0 : 1;
            const auto quit = [&, code] {
                if (parser.isSet(quitWhenDone)) QApplication::exit(code);
            };
            if (shotDir.isEmpty()) {
                quit();
                return;
            }
            QTabWidget* tabs = window.resultTabs();
            tabs->setCurrentWidget(window.chartPanel());
            saveShot(&window, shotDir, QStringLiteral("after-charts"));
            tabs->setCurrentWidget(window.galleryPanel());
            saveShot(&window, shotDir, QStringLiteral("after-gallery"));
            tabs->setCurrentWidget(window.confusionPanel());
            saveShot(&window, shotDir, QStringLiteral("after-confusion"));
            // Then the inspector's Grad-CAM and the run in the Runs tab.
            const QString runDir = window.runDirectory();
            shootInspector(window, shotDir, [&, runDir, quit] {
                shootRuns(window, shotDir, QStringLiteral("after-runs"), {runDir}, quit);
            });
        });
    return QApplication::exec();
}
