#include "weights/zipreader.h"
