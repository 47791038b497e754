#include "models/mobilenetv2.h"
