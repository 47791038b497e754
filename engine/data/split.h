#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace fts {

class DataSource;

struct Split {
    std::vector<std::size_t> train;  // item indices into the source, ascending
    std::vector<std::size_t> val;
};

/// Seeded, stratified: each class contributes round(n_c * valFraction) items
/// to validation (at least one when the class has two or more items and
/// valFraction > 0). The same source, fraction and seed give the same split on
/// every OS (std::mt19937_64 plus our own shuffle, no std::shuffle).
Split stratifiedSplit(const DataSource& source, double valFraction, std::uint64_t seed);

/// All items of a source, in order.
std::vector<std::size_t> allItems(const DataSource& source);

// Portable random draws. std::uniform_int_distribution, std::uniform_real_distribution
// and std::shuffle are implementation-defined, so they differ between libstdc++, libc++
// and MSVC; these give the same numbers everywhere for the same mt19937_64 state.

/// Uniform in [0, n) by rejection (no modulo bias); n >= 1.
std::uint64_t uniformBelow(std::mt19937_64& rng, std::uint64_t n);
/// Uniform in [0, 1), 53 bits.
double uniformUnit(std::mt19937_64& rng);
/// Fisher-Yates with uniformBelow.
void shuffleItems(std::vector<std::size_t>& items, std::mt19937_64& rng);
/// Mixes numbers into one well-spread seed (splitmix64 steps), for seeding
/// independent generators from (seed, epoch, item) and the like.
std::uint64_t mixSeed(std::uint64_t a, std::uint64_t b, std::uint64_t c = 0);

}  // namespace fts
