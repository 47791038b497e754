# part: zoo (sources)
