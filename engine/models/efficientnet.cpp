#include "models/efficientnet.h"
