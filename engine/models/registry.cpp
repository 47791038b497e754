#include "models/registry.h"
