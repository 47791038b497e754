#pragma once

#include "data/augment.h"
#include "data/datasource.h"

#include <ATen/core/Tensor.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace fts {

struct Batch {
    at::Tensor images;               // float [N, 3, S, S]
    at::Tensor labels;               // int64 [N]
    std::vector<std::size_t> items;  // source indices, same order
};

struct LoaderOptions {
    int batchSize = 32;
    bool shuffle = true;
    bool dropLast = false;
    std::uint64_t seed = 0;
    int workers = 2;          // decoding/transform threads
    int prefetchBatches = 4;  // batches prepared ahead of the consumer
    bool train = true;        // false: evaluation transform, no randomness
};

/// Decodes and transforms on worker threads while the caller computes.
/// Items that fail to decode are dropped from their batch, reported once
/// through takeSkipped(), and left out of later epochs. Belongs to one
/// consumer thread; workers are joined in the destructor and when an epoch is
/// abandoned (startEpoch again, or destruction).
class BatchLoader {
public:
    BatchLoader(const DataSource& source, std::vector<std::size_t> items, TransformSpec spec,
                LoaderOptions options);
    ~BatchLoader();
    BatchLoader(const BatchLoader&) = delete;
    BatchLoader& operator=(const BatchLoader&) = delete;

    /// Begins epoch `epoch` (0-based). The order is a function of (seed, epoch) only.
    void startEpoch(int epoch);
    /// Next batch of the epoch; false when the epoch is done.
    bool next(Batch& out);
    std::size_t batchesPerEpoch() const;
    std::size_t itemCount() const;
    /// Newly skipped items since the last call.
    std::vector<SkippedFile> takeSkipped();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

}  // namespace fts
