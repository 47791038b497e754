#include "export/predictor.h"
