# part: devices (sources)
