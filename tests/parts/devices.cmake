# part: devices (tests)
