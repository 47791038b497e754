# part: images (tests)
