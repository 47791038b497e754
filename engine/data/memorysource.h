#pragma once

// makeMemorySource is declared in data/datasource.h.
#include "data/datasource.h"
