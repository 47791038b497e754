#include "data/imagefoldersource.h"

#include "core/error.h"
#include "core/fileio.h"
#include "data/imageformat.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <system_error>

namespace fs = std::filesystem;

namespace fts {
namespace {

std::string utf8(const fs::path& p) {
    return displayPath(p);
}

bool isHidden(const fs::path& p) {
    const std::string name = utf8(p.filename());
    return !name.empty() && name[0] == '.';
}

// Byte-wise comparison of UTF-8 spellings: the same order on every OS
// (fs::path's own operator< compares native strings, UTF-16 on Windows).
bool utf8Less(const fs::path& a, const fs::path& b) {
    return utf8(a) < utf8(b);
}

}  // namespace

bool ImageFolderSource::hasImageExtension(const fs::path& file) {
    static const std::array<const char*, 11> kExtensions{{".jpg", ".jpeg", ".png", ".bmp", ".webp",
                                                          ".tif", ".tiff", ".pgm", ".ppm", ".pbm",
                                                          ".pnm"}};
    std::string ext = utf8(file.extension());
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return std::find_if(kExtensions.begin(), kExtensions.end(),
                        [&](const char* e) { return ext == e; }) != kExtensions.end();
}

ImageFolderSource::ImageFolderSource(const fs::path& root) : m_root(root) {
    const std::string rootText = utf8(root);
    std::error_code ec;
    if (!fs::is_directory(root, ec)) throw Error(rootText + ": no such folder");

    std::vector<fs::path> classDirs;
    fs::directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
    if (ec) throw Error(rootText + ": the folder cannot be read (" + ec.message() + ")");
    for (const fs::directory_iterator end; it != end; it.increment(ec)) {
        if (ec) break;
        std::error_code typeEc;
        if (!isHidden(it->path()) && it->is_directory(typeEc)) classDirs.push_back(it->path());
    }
    if (ec) throw Error(rootText + ": the folder cannot be read (" + ec.message() + ")");
    std::sort(classDirs.begin(), classDirs.end(), utf8Less);

    int classesWithImages = 0;
    for (std::size_t c = 0; c < classDirs.size(); ++c) {
        const fs::path& dir = classDirs[c];
        m_classes.push_back(utf8(dir.filename()));
        std::vector<fs::path> files;
        std::error_code walkEc;
        fs::recursive_directory_iterator walk(dir, fs::directory_options::skip_permission_denied,
                                              walkEc);
        for (const fs::recursive_directory_iterator end; !walkEc && walk != end;
             walk.increment(walkEc)) {
            std::error_code typeEc;
            if (isHidden(walk->path())) {
                if (walk->is_directory(typeEc)) walk.disable_recursion_pending();
                continue;
            }
            if (!walk->is_regular_file(typeEc)) continue;
            // Named like an image: a sample until it fails to decode (load()
            // says why). Otherwise the content decides, from its first bytes.
            if (hasImageExtension(walk->path())) {
                files.push_back(walk->path());
                continue;
            }
            std::string problem;
            const ImageFormat format = sniffImageFile(walk->path(), &problem);
            if (isDecodableFormat(format))
                files.push_back(walk->path());
            else if (isUnsupportedImageFormat(format))
                m_problems.push_back({utf8(walk->path()), problem});
        }
        if (walkEc)
            m_problems.push_back({utf8(dir), "the folder could not be read to its end (" +
                                                 walkEc.message() +
                                                 "); the images found before that are used"});
        if (files.empty()) {
            m_problems.push_back({utf8(dir),
                                  "the class folder holds no images; the class is kept "
                                  "but has nothing to train on"});
            continue;
        }
        ++classesWithImages;
        std::sort(files.begin(), files.end(), utf8Less);
        for (auto& f : files) {
            m_files.push_back(std::move(f));
            m_labels.push_back(static_cast<int>(c));
        }
    }
    if (classesWithImages < 2)
        throw Error(rootText +
                    ": an ImageFolder needs at least two class subfolders with images (found " +
                    std::to_string(classesWithImages) +
                    "); put the images of each class in a subfolder named after the class");
}

std::string ImageFolderSource::description() const {
    return "ImageFolder " + utf8(m_root) + ": " + std::to_string(m_classes.size()) + " classes, " +
           std::to_string(m_files.size()) + " files";
}

std::string ImageFolderSource::itemName(std::size_t i) const {
    return utf8(m_files.at(i));
}

RgbImage ImageFolderSource::load(std::size_t i) const {
    return decodeImageFile(m_files.at(i));
}

}  // namespace fts
