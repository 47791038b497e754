#include "weights/torchcheckpoint.h"
