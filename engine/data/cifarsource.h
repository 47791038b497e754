#pragma once

#include "data/datasource.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace fts {

/// CIFAR-10 binary records: 1 label byte, then 32 x 32 red, green and blue planes.
constexpr std::size_t kCifarRecordBytes = 1 + 3 * 32 * 32;

/// True when the folder holds CIFAR-10 training batches (data_batch_*.bin).
bool isCifarFolder(const std::filesystem::path& folder);

/// CIFAR-10 binary data, held in memory: either a folder (all data_batch_*.bin
/// in numeric order; test_batch.bin is not included, pass it as --val) or one
/// .bin file. Class names from batches.meta.txt beside the batches when
/// present, else "0", "1", ...
class CifarSource : public DataSource {
public:
    explicit CifarSource(const std::filesystem::path& folderOrFile);

    std::string description() const override;
    const std::vector<std::string>& classNames() const override { return m_classes; }
    std::size_t size() const override { return m_labels.size(); }
    int label(std::size_t i) const override { return m_labels.at(i); }
    std::string itemName(std::size_t i) const override;
    RgbImage load(std::size_t i) const override;

private:
    struct Batch {
        std::string fileName;   // UTF-8
        std::size_t first = 0;  // index of its first record
        std::size_t count = 0;
    };
    std::filesystem::path m_path;
    std::vector<Batch> m_batches;
    std::vector<std::uint8_t> m_planes;  // count x 3072
    std::vector<std::uint8_t> m_labels;
    std::vector<std::string> m_classes;
};

}  // namespace fts
