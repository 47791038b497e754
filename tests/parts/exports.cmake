# part: exports (tests)
