#include "weights/safetensors.h"
