#pragma once

#include "data/imagedecode.h"

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace fts {

/// A file or record that could not become a training sample, and why.
struct SkippedFile {
    std::string path;    // file path, or "file#record" for records inside a container
    std::string reason;  // a sentence: "not an image this app can decode, or the file is damaged"
};

/// A labelled collection of images. load() may be called from several worker
/// threads at once; everything else is fixed after construction.
class DataSource {
public:
    virtual ~DataSource() = default;

    /// One line for logs and config.json: "ImageFolder /data/pets: 3 classes, 612 files".
    virtual std::string description() const = 0;
    virtual const std::vector<std::string>& classNames() const = 0;
    virtual std::size_t size() const = 0;
    virtual int label(std::size_t i) const = 0;
    /// The file path ("/data/pets/cat/1.jpg") or "train-images-idx3-ubyte.gz#123".
    virtual std::string itemName(std::size_t i) const = 0;
    /// Decodes item i as 8-bit RGB. Throws fts::Error naming the item when it
    /// cannot be decoded (the loader then skips it and lists it).
    virtual RgbImage load(std::size_t i) const = 0;
    /// Problems found while scanning (unreadable folders, files of no known
    /// image type are not listed: they are not samples).
    virtual std::vector<SkippedFile> scanProblems() const { return {}; }
};

/// Opens --data / --val: an ImageFolder directory (one subfolder per class,
/// class index = sorted folder name), an IDX images file (labels file beside
/// it: "...-images-idx3-ubyte[.gz]" -> "...-labels-idx1-ubyte[.gz]"; class
/// names from a "classes.txt" beside it when present), a CIFAR-10 binary
/// folder (data_batch_*.bin; batches.meta.txt for names) or a single CIFAR-10
/// .bin file. Throws fts::Error naming the path and what is wrong.
std::unique_ptr<DataSource> openDataSource(const std::filesystem::path& path);

/// The lines of a class-names file (classes.txt, batches.meta.txt, --classes):
/// one name per line, UTF-8; a byte-order mark, '\r' and trailing whitespace
/// removed, trailing empty lines dropped. Throws fts::Error naming the file.
std::vector<std::string> readClassNamesFile(const std::filesystem::path& file);

/// Images already in memory (tests, generated data). All images must be
/// non-empty; labels index classNames.
std::unique_ptr<DataSource> makeMemorySource(std::vector<std::string> classNames,
                                             std::vector<RgbImage> images, std::vector<int> labels,
                                             std::string description = "in-memory images");

}  // namespace fts
