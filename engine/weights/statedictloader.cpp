#include "weights/statedictloader.h"
