#include "train/lrschedule.h"

#include "core/error.h"
#include "train/settings.h"

#include <algorithm>
#include <cmath>

namespace fts {

namespace {
constexpr double kPi = 3.14159265358979323846;
}  // namespace

int effectiveStepSize(const TrainSettings& settings) {
    return settings.stepSize > 0 ? settings.stepSize : std::max(1, settings.epochs / 3);
}

void validateSchedule(const TrainSettings& s) {
    if (s.scheduler != "none" && s.scheduler != "step" && s.scheduler != "cosine")
        throw Error("--scheduler: unknown schedule '" + s.scheduler +
                    "'; use none, step or cosine");
    if (s.warmupEpochs < 0)
        throw Error("--warmup-epochs must be 0 or more (it is " + std::to_string(s.warmupEpochs) +
                    ")");
    if (s.stepSize < 0) throw Error("the step size of the step schedule must be 0 or more");
    if (!(s.stepGamma > 0.0) || !std::isfinite(s.stepGamma))
        throw Error("the decay factor (gamma) of the step schedule must be a positive number");
}

double lrFactor(std::int64_t iteration, std::int64_t itersPerEpoch, const TrainSettings& s) {
    itersPerEpoch = std::max<std::int64_t>(1, itersPerEpoch);
    iteration = std::max<std::int64_t>(0, iteration);
    const std::int64_t total = std::max<std::int64_t>(1, std::int64_t(s.epochs) * itersPerEpoch);
    const std::int64_t warmup = std::int64_t(std::max(0, s.warmupEpochs)) * itersPerEpoch;

    double factor = 1.0;
    if (s.scheduler == "step") {
        const std::int64_t epoch = iteration / itersPerEpoch;
        factor = std::pow(s.stepGamma, double(epoch / effectiveStepSize(s)));
    } else if (s.scheduler == "cosine") {
        if (iteration >= warmup) {
            const double span = double(std::max<std::int64_t>(1, total - warmup));
            const double t = std::min(1.0, double(iteration - warmup) / span);
            factor = 0.5 * (1.0 + std::cos(kPi * t));
        }
    }
    if (iteration < warmup) factor *= double(iteration + 1) / double(warmup);
    return factor;
}

}  // namespace fts
