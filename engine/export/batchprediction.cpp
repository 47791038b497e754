#include "export/batchprediction.h"

#include "core/error.h"
#include "core/fileio.h"
#include "data/evaltransform.h"
#include "data/imageformat.h"
#include "export/bundle.h"
#include "export/predictor.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <sstream>

namespace fs = std::filesystem;

namespace fts {
namespace {

bool hidden(const fs::path& p) {
    const std::string name = p.filename().string();
    return !name.empty() && name[0] == '.';
}

bool namedLikeImage(const fs::path& file) {
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    static const char* known[] = {".jpg",  ".jpeg", ".jpe", ".png", ".bmp", ".webp", ".tif",
                                  ".tiff", ".pgm",  ".ppm", ".pbm", ".pnm", ".jp2",  ".gif"};
    return std::any_of(std::begin(known), std::end(known), [&](const char* k) { return ext == k; });
}

// The reason a file that looks like an image is not one the app decodes.
std::string notDecodable(const std::string& format) {
    if (format == "gif") return "a GIF image, which this app does not decode; convert it to PNG";
    return "named like an image, but its content is no image format this app decodes "
           "(damaged or renamed file)";
}

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

std::string probabilityText(double p) {
    std::ostringstream s;
    s.precision(6);
    s << std::fixed << p;
    return s.str();
}

// Each file under `root` (recursively), judged by content.
void collectFolder(const fs::path& root, const std::map<std::string, int>& classIndex,
                   ImageCollection& out) {
    std::vector<ImageToPredict> found;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(
             root, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (hidden(it->path())) {
            if (it->is_directory(ec)) it.disable_recursion_pending();
            ++out.ignored;
            continue;
        }
        if (!it->is_regular_file(ec)) continue;
        const fs::path& file = it->path();
        const std::string format = sniffImageFormat(file);
        const bool imageName = namedLikeImage(file);
        if (format.empty() || format == "gif") {
            if (imageName || format == "gif")
                out.skipped.push_back({displayPath(file), notDecodable(format)});
            else
                ++out.ignored;
            continue;
        }
        ImageToPredict item;
        item.file = file;
        // ImageFolder: the first folder below the root names the class.
        const fs::path relative = file.lexically_relative(root);
        if (std::distance(relative.begin(), relative.end()) >= 2) {
            const auto c = classIndex.find(relative.begin()->u8string());
            if (c != classIndex.end()) item.trueIndex = c->second;
        }
        found.push_back(std::move(item));
    }
    if (ec)
        out.skipped.push_back(
            {displayPath(root), "the folder could not be read (" + ec.message() + ")"});
    std::sort(found.begin(), found.end(),
              [](const ImageToPredict& a, const ImageToPredict& b) { return a.file < b.file; });
    out.images.insert(out.images.end(), found.begin(), found.end());
}

}  // namespace

std::string sniffImageFormat(const fs::path& file) {
    // The image policy's own detector (data/imageformat.h), named as this
    // file's callers and CSV expect.
    switch (sniffImageFile(file)) {
        case ImageFormat::Jpeg:
            return "jpeg";
        case ImageFormat::Png:
            return "png";
        case ImageFormat::Bmp:
            return "bmp";
        case ImageFormat::WebP:
            return "webp";
        case ImageFormat::Tiff:
            return "tiff";
        case ImageFormat::Pnm:
            return "pnm";
        case ImageFormat::Gif:
            return "gif";
        case ImageFormat::Jpeg2000:
            return "jpeg2000";
        default:
            return {};
    }
}

ImageCollection collectImagesToPredict(const std::vector<fs::path>& paths,
                                       const std::vector<std::string>& classes) {
    std::map<std::string, int> classIndex;
    for (std::size_t i = 0; i < classes.size(); ++i) classIndex.emplace(classes[i], int(i));
    ImageCollection out;
    for (const auto& p : paths) {
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            collectFolder(p, classIndex, out);
        } else if (fs::exists(p, ec)) {
            out.images.push_back({p, -1});  // an explicit file is always tried
        } else {
            out.skipped.push_back({displayPath(p), "no such file or folder"});
        }
    }
    return out;
}

BatchSummary summarize(const std::vector<BatchItem>& items) {
    BatchSummary s;
    for (const auto& item : items) {
        if (!item.ok()) {
            ++s.failed;
            continue;
        }
        ++s.predicted;
        if (item.trueIndex >= 0) {
            ++s.labelled;
            if (item.top.front().index == item.trueIndex) ++s.correct;
        }
    }
    return s;
}

void writeBatchCsv(const fs::path& file, const std::vector<BatchItem>& items,
                   const std::vector<std::string>& classes) {
    std::string text = "path,true_label,predicted,probability,correct,top_k,error\n";
    for (const auto& item : items) {
        std::string trueLabel;
        if (item.trueIndex >= 0)
            trueLabel = item.trueIndex < int(classes.size())
                            ? classes[item.trueIndex]
                            : "class " + std::to_string(item.trueIndex);
        std::string topk;
        for (const auto& s : item.top)
            topk += (topk.empty() ? "" : "; ") + s.label + ':' + probabilityText(s.probability);
        const bool ok = item.ok();
        text += csvField(item.path) + ',' + csvField(trueLabel) + ',' +
                csvField(ok ? item.top.front().label : std::string()) + ',' +
                (ok ? probabilityText(item.top.front().probability) : std::string()) + ',' +
                (ok && item.trueIndex >= 0
                     ? std::string(item.top.front().index == item.trueIndex ? "1" : "0")
                     : std::string()) +
                ',' + csvField(topk) + ',' + csvField(item.error) + '\n';
    }
    writeFileAtomically(file, text.data(), text.size());
}

struct BatchPredictor::Impl {
    std::optional<Predictor> predictor;
};

BatchPredictor::BatchPredictor(const fs::path& runOrBundle) : m(std::make_unique<Impl>()) {
    std::error_code ec;
    if (!fs::is_directory(runOrBundle, ec))
        throw Error(displayPath(runOrBundle) +
                    ": not a folder; choose a run directory or an export bundle");
    const LoadedModel loaded =
        fs::exists(runOrBundle / "model.json", ec) ? loadBundle(runOrBundle) : loadRun(runOrBundle);
    const auto& d = loaded.description;
    m->predictor.emplace(loaded.model, d.classes, d.inputSize, d.norm);
}

BatchPredictor::BatchPredictor(const Predictor& predictor) : m(std::make_unique<Impl>()) {
    m->predictor.emplace(predictor);
}

BatchPredictor::~BatchPredictor() = default;

const std::vector<std::string>& BatchPredictor::classes() const {
    return m->predictor->labels();
}

BatchItem BatchPredictor::predict(const ImageToPredict& image, int topk, int thumbnailSize) const {
    BatchItem item;
    item.path = displayPath(image.file);
    item.trueIndex = image.trueIndex;
    try {
        const RgbImage rgb = decodeImageFile(image.file);
        item.top = m->predictor->predictImage(rgb, item.path, topk).top;
        if (thumbnailSize > 0) {
            const double scale =
                std::min(1.0, double(thumbnailSize) / std::max(rgb.width, rgb.height));
            item.thumbnail = resizeTo(rgb, std::max(1, int(std::lround(rgb.width * scale))),
                                      std::max(1, int(std::lround(rgb.height * scale))));
        }
    } catch (const std::exception& e) {
        item.top.clear();
        item.error = e.what();
    }
    return item;
}

}  // namespace fts
