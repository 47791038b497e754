#include "models/layers.h"
