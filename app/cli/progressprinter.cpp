#include "progressprinter.h"

#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

#ifdef _WIN32
#include <io.h>
#define FTS_ISATTY _isatty
#define FTS_FILENO _fileno
#else
#include <unistd.h>
#define FTS_ISATTY isatty
#define FTS_FILENO fileno
#endif

namespace fts::cli {

ProgressPrinter::ProgressPrinter() : m_tty(FTS_ISATTY(FTS_FILENO(stderr)) != 0) {}

void ProgressPrinter::clearProgressLine() {
    if (m_progressShown) {
        std::cerr << "\r\033[K" << std::flush;
        m_progressShown = false;
    }
}

void ProgressPrinter::runStarted(const std::vector<std::string>& classNames,
                                 std::size_t trainImages, std::size_t valImages) {
    std::cout << "training on " << trainImages << " images, validating on " << valImages << ", "
              << classNames.size() << " classes:";
    for (std::size_t i = 0; i < classNames.size() && i < 12; ++i)
        std::cout << (i ? ", " : " ") << classNames[i];
    if (classNames.size() > 12) std::cout << ", ...";
    std::cout << std::endl;
}

void ProgressPrinter::batchFinished(const BatchProgress& p) {
    if (!m_tty) return;
    const auto now = std::chrono::steady_clock::now();
    if (p.batch != p.batches && now - m_lastBatchPrint < std::chrono::milliseconds(500)) return;
    m_lastBatchPrint = now;
    std::ostringstream line;
    line << "\repoch " << p.epoch << "/" << p.epochs << "  batch " << p.batch << "/" << p.batches
         << "  loss " << std::fixed << std::setprecision(4) << p.loss << "  "
         << std::setprecision(0) << p.imagesPerSecond << " img/s  " << p.secondsLeft
         << " s left\033[K";
    std::cerr << line.str() << std::flush;
    m_progressShown = true;
}

void ProgressPrinter::epochFinished(const EpochMetrics& m) {
    clearProgressLine();
    std::cout << "epoch " << std::setw(3) << m.epoch << "/" << m.epochs << std::fixed
              << "  train loss " << std::setprecision(4) << m.trainLoss << " acc "
              << std::setprecision(3) << m.trainAccuracy << "  val loss " << std::setprecision(4)
              << m.valLoss << " acc " << std::setprecision(3) << m.valAccuracy << "  lr "
              << std::scientific << std::setprecision(2) << m.learningRate << std::fixed << "  "
              << std::setprecision(1) << m.seconds << " s" << (m.best ? "  *best" : "")
              << std::endl;
}

void ProgressPrinter::filesSkipped(const std::vector<SkippedFile>& files) {
    clearProgressLine();
    for (const auto& f : files) std::cerr << "skipped " << f.path << ": " << f.reason << std::endl;
}

void ProgressPrinter::message(const std::string& text) {
    clearProgressLine();
    std::cout << text << std::endl;
}

void ProgressPrinter::finished(const RunSummary& s) {
    clearProgressLine();
    std::cout << std::fixed << std::setprecision(3) << s.status << ": " << s.epochsCompleted
              << " epochs, best val accuracy " << s.bestValAccuracy << ", final "
              << s.finalValAccuracy << ", " << std::setprecision(1) << s.wallSeconds << " s";
    if (!s.skippedFiles.empty()) std::cout << ", " << s.skippedFiles.size() << " files skipped";
    std::cout << std::endl;
}

}  // namespace fts::cli
