# part: exports (sources)
