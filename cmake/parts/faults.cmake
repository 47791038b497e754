# part: faults (sources)
