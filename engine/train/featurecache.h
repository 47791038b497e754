#pragma once

#include "data/augment.h"
#include "data/datasource.h"

#include <torch/types.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace fts {

class BatchLoader;
class ClassifierImpl;
class FreezePlan;

/// Whether a run may train its head from cached backbone features.
struct FeatureCacheCheck {
    bool applies = false;
    std::string reason;  // when it does not: a sentence for the run's log
};

/// The frozen part of a network can be computed once per image when
/// everything before the head is frozen and deterministic: every parameter
/// outside the head frozen, every BatchNorm outside the head in eval mode,
/// forwardFeatures() free of dropout / stochastic depth, and no random
/// augmentation in front of it. Call after plan.setTrainMode(model), with the
/// model in the state it trains in.
FeatureCacheCheck checkFeatureCache(const ClassifierImpl& model, const FreezePlan& plan,
                                    Augment augment);

/// forwardFeatures() of a fixed list of items, computed once: what the head
/// trains and validates on instead of images. CPU tensors.
struct FeatureSet {
    std::vector<std::size_t> items;  // source indices, in computation order (failed ones left out)
    torch::Tensor features;          // float [items.size(), headInputs]
    torch::Tensor labels;            // int64 [items.size()]
    std::unordered_map<std::size_t, std::int64_t> rowOf;  // item -> row
    std::vector<SkippedFile> skipped;                     // items that could not be loaded, and why

    bool contains(std::size_t item) const { return rowOf.count(item) > 0; }
    /// The rows of `batch` (items of this set) as one batch: gathered
    /// features [n, F] and labels [n], on `device`.
    void gather(const std::vector<std::size_t>& batch, torch::Device device,
                torch::Tensor& features, torch::Tensor& labels) const;
};

/// Computes feature sets and remembers the last ones of this process by a
/// key that changes whenever anything the features depend on changes, so a
/// second run with the same model, weights, freeze plan, transform and data
/// (the GUI's "try another learning rate") reuses them. Thread-safe.
class FeatureCache {
public:
    /// Hash of: the architecture and freeze plan, every parameter and buffer
    /// outside the head (the weights), the transform (crop size,
    /// normalisation, augmentation), the device, and the data (each item's
    /// name and label, plus the size and modification time of the file
    /// behind it, or its decoded pixels when it is not a file).
    static std::uint64_t key(const ClassifierImpl& model, const std::string& architecture,
                             const std::string& freezeSpec, const TransformSpec& transform,
                             const std::string& device, const DataSource& source,
                             const std::vector<std::size_t>& items);

    /// Bytes a set of `items` features of width `width` takes.
    static std::size_t bytesFor(std::size_t items, std::int64_t width);

    /// A set remembered under `key`, or null.
    static std::shared_ptr<const FeatureSet> find(std::uint64_t key);
    /// Remembers `set` under `key`; keeps the two most recent sets (a run's
    /// training and validation sets).
    static void remember(std::uint64_t key, std::shared_ptr<const FeatureSet> set);
    /// Drops every remembered set (tests; freeing memory).
    static void clear();

    /// Runs every batch of `loader` (an evaluation-transform loader over the
    /// items, epoch 0) through model.forwardFeatures() in eval mode without
    /// gradients, and leaves the model in eval mode. Items the loader skips
    /// are left out. Returns null when `stopped` turns true between batches.
    static std::shared_ptr<FeatureSet> compute(ClassifierImpl& model, BatchLoader& loader,
                                               torch::Device device,
                                               const std::function<bool()>& stopped);
};

}  // namespace fts
