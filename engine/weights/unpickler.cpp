#include "weights/unpickler.h"
