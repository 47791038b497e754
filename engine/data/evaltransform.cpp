#include "data/evaltransform.h"
