#pragma once

#include "train/observer.h"

#include <chrono>

namespace fts::cli {

/// Prints a training run for a terminal: one line per epoch on stdout, batch
/// progress on stderr at most twice a second (rewritten in place when stderr
/// is a terminal, otherwise not printed), skipped files and messages as they
/// come. Runs on the training thread.
class ProgressPrinter : public TrainObserver {
public:
    ProgressPrinter();
    void runStarted(const std::vector<std::string>& classNames, std::size_t trainImages,
                    std::size_t valImages) override;
    void batchFinished(const BatchProgress& progress) override;
    void epochFinished(const EpochMetrics& metrics) override;
    void filesSkipped(const std::vector<SkippedFile>& files) override;
    void message(const std::string& text) override;
    void finished(const RunSummary& summary) override;

private:
    void clearProgressLine();
    bool m_tty = false;
    bool m_progressShown = false;
    std::chrono::steady_clock::time_point m_lastBatchPrint;
};

}  // namespace fts::cli
