#include "data/memorysource.h"

#include "core/error.h"

#include <utility>

namespace fts {
namespace {

class MemorySource : public DataSource {
public:
    MemorySource(std::vector<std::string> classNames, std::vector<RgbImage> images,
                 std::vector<int> labels, std::string description)
        : m_classes(std::move(classNames)),
          m_images(std::move(images)),
          m_labels(std::move(labels)),
          m_description(std::move(description)) {
        if (m_images.size() != m_labels.size())
            throw Error(m_description + ": " + std::to_string(m_images.size()) + " images but " +
                        std::to_string(m_labels.size()) + " labels");
        for (std::size_t i = 0; i < m_images.size(); ++i) {
            const RgbImage& im = m_images[i];
            if (im.empty() ||
                im.pixels.size() != static_cast<std::size_t>(im.width) * im.height * 3)
                throw Error(m_description + ": image " + std::to_string(i) +
                            " is empty or its pixels do not match its size");
            if (m_labels[i] < 0 || m_labels[i] >= static_cast<int>(m_classes.size()))
                throw Error(m_description + ": image " + std::to_string(i) + " has label " +
                            std::to_string(m_labels[i]) + ", outside the " +
                            std::to_string(m_classes.size()) + " classes");
        }
    }

    std::string description() const override {
        return m_description + ": " + std::to_string(m_classes.size()) + " classes, " +
               std::to_string(m_images.size()) + " images";
    }
    const std::vector<std::string>& classNames() const override { return m_classes; }
    std::size_t size() const override { return m_images.size(); }
    int label(std::size_t i) const override { return m_labels.at(i); }
    std::string itemName(std::size_t i) const override { return "memory#" + std::to_string(i); }
    RgbImage load(std::size_t i) const override { return m_images.at(i); }

private:
    std::vector<std::string> m_classes;
    std::vector<RgbImage> m_images;
    std::vector<int> m_labels;
    std::string m_description;
};

}  // namespace

std::unique_ptr<DataSource> makeMemorySource(std::vector<std::string> classNames,
                                             std::vector<RgbImage> images, std::vector<int> labels,
                                             std::string description) {
    return std::make_unique<MemorySource>(std::move(classNames), std::move(images),
                                          std::move(labels), std::move(description));
}

}  // namespace fts
