#pragma once

#include "data/datasource.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fts {

constexpr std::uint32_t kIdxImagesMagic = 0x00000803;  // unsigned bytes, 3 dimensions
constexpr std::uint32_t kIdxLabelsMagic = 0x00000801;  // unsigned bytes, 1 dimension

/// The first four bytes of a file as a big-endian number, looking through gzip
/// compression; nullopt when the file is shorter or cannot be read.
std::optional<std::uint32_t> peekIdxMagic(const std::filesystem::path& file);

/// The labels file that belongs to an IDX images file:
/// "...images-idx3-ubyte[.gz]" -> "...labels-idx1-ubyte[.gz]" (also
/// "images.idx3" -> "labels.idx1"); with or without ".gz", whichever exists.
/// Throws fts::Error naming the images file when there is none.
std::filesystem::path idxLabelsFileFor(const std::filesystem::path& imagesFile);

/// MNIST-style IDX data (grayscale, replicated to RGB), plain or gzipped,
/// held in memory (60 000 x 28 x 28 is 47 MB). Class names come from a
/// "classes.txt" beside the images file (one per line), else "0", "1", ...
class IdxSource : public DataSource {
public:
    /// Reads and validates both files. Throws fts::Error naming the file and the problem.
    explicit IdxSource(const std::filesystem::path& imagesFile);

    std::string description() const override;
    const std::vector<std::string>& classNames() const override { return m_classes; }
    std::size_t size() const override { return m_labels.size(); }
    int label(std::size_t i) const override { return m_labels.at(i); }
    std::string itemName(std::size_t i) const override;
    RgbImage load(std::size_t i) const override;

private:
    std::filesystem::path m_file;
    std::string m_fileName;  // UTF-8, for item names
    int m_width = 0;
    int m_height = 0;
    std::vector<std::uint8_t> m_pixels;  // count x height x width
    std::vector<std::uint8_t> m_labels;
    std::vector<std::string> m_classes;
};

/// The whole content of a file, gunzipped when it starts with the gzip magic.
/// At most maxBytes are produced (more is an error naming the file); memory
/// grows with the data actually present, never with a size a header claims.
std::vector<std::uint8_t> readMaybeGzipped(const std::filesystem::path& file,
                                           std::uint64_t maxBytes);

}  // namespace fts
