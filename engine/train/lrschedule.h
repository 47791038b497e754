#pragma once

#include <cstdint>

namespace fts {

struct TrainSettings;

/// The learning-rate multiplier for one training iteration (0-based, counted
/// over the whole run), a pure function of the settings:
///   none:   1
///   step:   stepGamma ^ floor(epoch / stepSize)  (stepSize 0: max(1, epochs / 3))
///   cosine: 0.5 * (1 + cos(pi * t)), t going from 0 after the warm-up to 1
///           at the end of the last epoch
/// times a linear warm-up over the first warmupEpochs * itersPerEpoch
/// iterations: (iteration + 1) / warmupIterations. Each parameter group's lr
/// is its base lr times this factor, set before every optimizer step.
double lrFactor(std::int64_t iteration, std::int64_t itersPerEpoch, const TrainSettings& settings);

/// Throws fts::Error for an unknown scheduler name or nonsensical values.
void validateSchedule(const TrainSettings& settings);

/// The step size actually used by the "step" scheduler.
int effectiveStepSize(const TrainSettings& settings);

}  // namespace fts
