# part: zoo (tests)
