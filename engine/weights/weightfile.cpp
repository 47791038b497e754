#include "weights/weightfile.h"
