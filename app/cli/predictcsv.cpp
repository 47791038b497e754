// finetune-cli predict --csv FILE: batch prediction over folders (declared in
// clicommands.cpp, which hands over when --csv is given).
#include "clicommands.h"

#include "core/error.h"
#include "core/fileio.h"
#include "export/batchprediction.h"
#include "export/predictor.h"

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace fs = std::filesystem;

namespace fts::cli {

int predictToCsv(const Predictor& predictor, const PredictOptions& options, int classes) {
    try {
        std::vector<fs::path> paths;
        for (const auto& a : options.images) paths.push_back(fs::u8path(a));
        const ImageCollection found = collectImagesToPredict(paths, predictor.labels());
        if (found.images.empty())
            throw Error("no images found in the given paths" +
                        (found.skipped.empty() ? std::string()
                                               : " (" + std::to_string(found.skipped.size()) +
                                                     " files could not be read)"));
        const int topk = std::min(options.topk, classes);
        const BatchPredictor batch(predictor);

        std::vector<BatchItem> items;
        items.reserve(found.images.size() + found.skipped.size());
        for (const auto& image : found.images) {
            items.push_back(batch.predict(image, topk));
            if (!items.back().ok()) std::cerr << "skipped: " << items.back().error << '\n';
        }
        for (const auto& s : found.skipped) {
            BatchItem item;
            item.path = s.path;
            item.error = s.reason;
            std::cerr << "skipped: " << s.path << ": " << s.reason << '\n';
            items.push_back(std::move(item));
        }
        writeBatchCsv(fs::u8path(options.csv), items, predictor.labels());

        const BatchSummary summary = summarize(items);
        std::cout << "wrote " << options.csv << ": " << summary.predicted << " images classified";
        if (summary.failed) std::cout << ", " << summary.failed << " could not be read (listed)";
        std::cout << '\n';
        if (summary.labelled) {
            char line[160];
            std::snprintf(line, sizeof line,
                          "accuracy: %.4f (%zu of %zu images with a known class right)\n",
                          summary.accuracy(), summary.correct, summary.labelled);
            std::cout << line;
        }
        std::cout.flush();
        return summary.predicted > 0 ? 0 : 1;
    } catch (const std::exception& e) {
        std::string message = e.what();
        for (auto& c : message)
            if (c == '\n') c = ' ';
        std::cerr << "error: " << message << std::endl;
        return 1;
    }
}

}  // namespace fts::cli
