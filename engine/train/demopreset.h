#pragma once

#include "train/settings.h"

#include <string>

namespace fts {

/// The bundled demo's three lessons, as ready-made settings over
/// resources/demo (see DESIGN.md, "The bundled demo"):
///   head    the pretrained backbone frozen, only a new head trains (fastest)
///   full    everything fine-tunes from the pretrained backbone, the backbone
///           with a smaller learning rate than the new head (the default: best)
///   scratch the same network from random weights (the baseline)
/// Throws fts::Error for an unknown mode or when the demo is not found.
TrainSettings demoSettings(const std::string& mode);

/// "full": the mode the app and `finetune-cli demo` start with.
const char* defaultDemoMode();

/// The demo's head recipe applied to `shared` (the settings every strategy of
/// an experiment starts from): a linear head on frozen features learns best
/// with a larger learning rate and no augmentation (demoSettings("head")).
/// keepLearningRate keeps shared.lr (the user chose one for all strategies).
/// Needs no demo files; `finetune-cli experiment --demo` and the GUI's
/// experiment dialog pass it as ExperimentSettings::strategyBase["head"].
TrainSettings demoHeadRecipe(const TrainSettings& shared, bool keepLearningRate = false);

}  // namespace fts
