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
    at::Tensor images;               // float [N, 3, S, S] (channels-last strides if asked)
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
    /// Decoded-image cache, in bytes (0: off, every epoch decodes again).
    /// Images are kept at training resolution: the evaluation crop (S x S
    /// bytes) when there is no augmentation, else the image after
    /// presizeForTraining(). Items beyond the budget are decoded each epoch.
    std::size_t cacheBytes = 0;
    /// Apply presizeForTraining() before augmentation (the trainer does, so
    /// results do not depend on the cache budget). Implied by cacheBytes > 0.
    bool presize = false;
    /// Batch::images in the channels-last layout (models/channelslast.h),
    /// written so by the workers: the same values, no conversion copy.
    bool channelsLast = false;
    /// Linux: run the workers at nice +10, so that they take the cores when
    /// the compute threads leave them and preempt those less (an OpenMP
    /// operation waits for its slowest thread). Results are the same.
    bool lowPriorityWorkers = false;
    /// Batches in page-locked (pinned) host memory, for asynchronous copies
    /// to a CUDA device (`to(device, non_blocking=true)`). Costs one host copy
    /// per batch, made on the consumer thread; needs a CUDA build: set it only
    /// for a run on a GPU.
    bool pinMemory = false;
};

/// What the decoded-image cache holds.
struct ImageCacheStats {
    std::size_t items = 0;       // images kept
    std::size_t bytes = 0;       // their pixels
    std::size_t overBudget = 0;  // images decoded but not kept: the budget was full
};

/// The items of epoch `epoch` in the order a shuffling BatchLoader with
/// `seed` delivers them (before items that failed to load are left out).
std::vector<std::size_t> epochOrder(std::vector<std::size_t> items, std::uint64_t seed, int epoch);

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
    /// Items that failed to load so far (source indices).
    std::vector<std::size_t> failedItems() const;
    ImageCacheStats cacheStats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

}  // namespace fts
