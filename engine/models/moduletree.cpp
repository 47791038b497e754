#include "models/moduletree.h"
