#pragma once

#include "data/datasource.h"

#include <filesystem>
#include <string>
#include <vector>

namespace fts {

/// An ImageFolder directory: one subfolder per class, class index = subfolder
/// name in byte-wise order of its UTF-8 spelling (the same on every OS). Image
/// files are taken recursively inside each class folder, in byte-wise order of
/// their paths; names starting with '.' are ignored. A file named like an
/// image (hasImageExtension) is a sample until load() refuses it with the
/// reason (the image policy of imagedecode.h: content, pixel limit,
/// truncation); a file with another name is a sample when its first bytes are
/// an allowed image (imageformat.h), is listed in scanProblems() when they are
/// an unsupported image (GIF, SVG, HEIC, ...), and is passed over otherwise
/// (notes.txt). A class folder without images stays a
/// class (indices follow the folder names, as torchvision's ImageFolder) and is
/// listed in scanProblems(); fewer than two classes with images is an error.
class ImageFolderSource : public DataSource {
public:
    /// Scans the folder (no image is decoded). Throws fts::Error naming it.
    explicit ImageFolderSource(const std::filesystem::path& root);

    std::string description() const override;
    const std::vector<std::string>& classNames() const override { return m_classes; }
    std::size_t size() const override { return m_files.size(); }
    int label(std::size_t i) const override { return m_labels.at(i); }
    std::string itemName(std::size_t i) const override;
    RgbImage load(std::size_t i) const override;
    std::vector<SkippedFile> scanProblems() const override { return m_problems; }

    /// True when the file name has an image extension (jpg jpeg png bmp webp
    /// tif tiff pgm ppm pbm pnm, any case).
    static bool hasImageExtension(const std::filesystem::path& file);

private:
    std::filesystem::path m_root;
    std::vector<std::string> m_classes;
    std::vector<std::filesystem::path> m_files;
    std::vector<int> m_labels;
    std::vector<SkippedFile> m_problems;
};

}  // namespace fts
