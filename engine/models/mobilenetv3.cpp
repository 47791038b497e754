#include "models/mobilenetv3.h"
