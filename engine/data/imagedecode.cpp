#include "data/imagedecode.h"
