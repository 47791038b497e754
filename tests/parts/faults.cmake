# part: faults (tests)
