# part: images (sources)
