#include "train/demopreset.h"

#include "core/error.h"
#include "core/fileio.h"
#include "core/resources.h"

namespace fts {

const char* defaultDemoMode()
{
    return "full";
}

TrainSettings demoSettings(const std::string& mode)
{
    const auto dir = demoDirectory();
    TrainSettings s;
    s.model = "demo_cnn";
    s.dataPath = displayPath(dir / "train-images-idx3-ubyte.gz");
    s.valPath = displayPath(dir / "val-images-idx3-ubyte.gz");
    s.weightsFile = displayPath(dir / "backbone.safetensors");
    s.imageSize = 28;
    s.batchSize = 25;
    s.optimizer = "adamw";
    s.weightDecay = 1e-4;
    s.scheduler = "cosine";
    s.augment = "light";
    s.seed = 1;
    if (mode == "head") {
        s.freeze = "backbone";
        s.epochs = 15;
        s.lr = 1e-2;
    } else if (mode == "full") {
        s.freeze = "none";
        s.epochs = 15;
        s.lr = 1e-2;
        s.backboneLrScale = 0.1;
    } else if (mode == "scratch") {
        s.weightsFile.clear();
        s.freeze = "none";
        s.epochs = 15;
        s.lr = 1e-2;
        s.backboneLrScale = 1.0;
    } else {
        throw Error("unknown demo mode '" + mode + "' (choose head, full or scratch)");
    }
    return s;
}

}  // namespace fts
