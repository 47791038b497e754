#include "models/resnet.h"
