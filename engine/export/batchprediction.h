#pragma once

// Torch-free: batch prediction over folders, for the CLI's `predict --csv`
// and the GUI's "Predict on a folder…".

#include "data/datasource.h"
#include "data/imagedecode.h"
#include "export/classscore.h"

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace fts {

class Predictor;

/// An image to classify, with its true class when the folder tells it.
struct ImageToPredict {
    std::filesystem::path file;
    int trueIndex = -1;  // into the model's classes; -1: unknown ("unlabelled")
};

struct ImageCollection {
    std::vector<ImageToPredict> images;
    /// Files that look like images by name or content but cannot be read,
    /// or whose content is no image format the app decodes (GIF, a damaged
    /// header). Not fatal.
    std::vector<SkippedFile> skipped;
    std::size_t ignored = 0;  // other files (notes.txt, hidden files), not listed
};

/// The image format of a file from its first bytes ("jpeg", "png", "bmp",
/// "webp", "tiff", "pnm", "jpeg2000", "gif"); empty when none. Throws nothing.
std::string sniffImageFormat(const std::filesystem::path& file);

/// Files as given; folders recursively, in byte-wise order of their paths,
/// images decided by content (magic bytes), not by name. When a folder's
/// subfolders are named after classes of the model (an ImageFolder), images
/// under such a subfolder get that class as true label. Never throws for a
/// single file; a missing path is listed in `skipped`.
ImageCollection collectImagesToPredict(const std::vector<std::filesystem::path>& paths,
                                       const std::vector<std::string>& classes);

/// One image's result: the top-k, or the reason it could not be classified.
struct BatchItem {
    std::string path;  // as displayPath() spells it
    int trueIndex = -1;
    std::vector<ClassScore> top;  // empty when `error` is set
    std::string error;
    RgbImage thumbnail;  // when asked for: longer side <= thumbnailSize

    bool ok() const { return error.empty() && !top.empty(); }
};

struct BatchSummary {
    std::size_t predicted = 0;
    std::size_t failed = 0;
    std::size_t labelled = 0;  // predicted images with a true label
    std::size_t correct = 0;   // of those, top-1 right
    double accuracy() const { return labelled ? double(correct) / double(labelled) : 0.0; }
};
BatchSummary summarize(const std::vector<BatchItem>& items);

/// CSV with header path,true_label,predicted,probability,correct,top_k,error;
/// top_k is "label:probability" pairs joined by "; ". true_label and correct
/// are empty for an image without a known class. Written atomically; throws
/// fts::Error naming the file.
void writeBatchCsv(const std::filesystem::path& file, const std::vector<BatchItem>& items,
                   const std::vector<std::string>& classes);

/// A fine-tuned model ready to classify image files: the best weights of a run
/// directory, or an export bundle (a folder with model.json). Lives on the
/// thread that uses it; one thread at a time.
class BatchPredictor {
public:
    /// Throws fts::Error naming the folder when it is neither, or its weights
    /// do not load.
    explicit BatchPredictor(const std::filesystem::path& runOrBundle);
    /// The CLI's --model/--weights route: wraps an existing Predictor.
    explicit BatchPredictor(const Predictor& predictor);
    ~BatchPredictor();
    BatchPredictor(const BatchPredictor&) = delete;
    BatchPredictor& operator=(const BatchPredictor&) = delete;

    const std::vector<std::string>& classes() const;

    /// Never throws for a bad image: the result carries the reason.
    /// thumbnailSize > 0 also fills BatchItem::thumbnail.
    BatchItem predict(const ImageToPredict& image, int topk, int thumbnailSize = 0) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

}  // namespace fts
