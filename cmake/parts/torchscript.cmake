# part: torchscript (sources)
