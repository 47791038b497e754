#include "data/split.h"

#include "core/error.h"
#include "data/datasource.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fts {
namespace {

std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

}  // namespace

std::uint64_t uniformBelow(std::mt19937_64& rng, std::uint64_t n) {
    if (n <= 1) return 0;
    // Accept draws below the largest multiple of n that fits in 64 bits.
    const std::uint64_t limit =
        std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
    std::uint64_t x;
    do {
        x = rng();
    } while (x >= limit);
    return x % n;
}

double uniformUnit(std::mt19937_64& rng) {
    return static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0);  // 2^-53
}

void shuffleItems(std::vector<std::size_t>& items, std::mt19937_64& rng) {
    for (std::size_t i = items.size(); i > 1; --i) {
        const std::size_t j = static_cast<std::size_t>(uniformBelow(rng, i));
        std::swap(items[i - 1], items[j]);
    }
}

std::uint64_t mixSeed(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
    return splitmix64(splitmix64(splitmix64(a) ^ b) ^ c);
}

std::vector<std::size_t> allItems(const DataSource& source) {
    std::vector<std::size_t> items(source.size());
    for (std::size_t i = 0; i < items.size(); ++i) items[i] = i;
    return items;
}

Split stratifiedSplit(const DataSource& source, double valFraction, std::uint64_t seed) {
    if (!(valFraction >= 0.0 && valFraction < 1.0))
        throw Error("the validation fraction must be at least 0 and below 1 (got " +
                    std::to_string(valFraction) + ")");
    const std::size_t classes = source.classNames().size();
    std::vector<std::vector<std::size_t>> perClass(classes);
    for (std::size_t i = 0; i < source.size(); ++i) {
        const int label = source.label(i);
        if (label < 0 || static_cast<std::size_t>(label) >= classes)
            throw Error(source.itemName(i) + ": label " + std::to_string(label) +
                        " is outside the " + std::to_string(classes) + " classes");
        perClass[static_cast<std::size_t>(label)].push_back(i);
    }
    Split split;
    for (std::size_t c = 0; c < classes; ++c) {
        std::vector<std::size_t>& items = perClass[c];
        const std::size_t n = items.size();
        // Each class has its own generator, so one class's size does not move another's split.
        std::mt19937_64 rng(mixSeed(seed, c, /*salt=*/0x5e1175));
        shuffleItems(items, rng);
        auto k = static_cast<std::size_t>(std::llround(static_cast<double>(n) * valFraction));
        if (valFraction > 0.0 && n >= 2 && k == 0) k = 1;
        if (n >= 1 && k > n - 1) k = n - 1;  // at least one image of every class stays for training
        split.val.insert(split.val.end(), items.begin(),
                         items.begin() + static_cast<std::ptrdiff_t>(k));
        split.train.insert(split.train.end(), items.begin() + static_cast<std::ptrdiff_t>(k),
                           items.end());
    }
    std::sort(split.train.begin(), split.train.end());
    std::sort(split.val.begin(), split.val.end());
    return split;
}

}  // namespace fts
