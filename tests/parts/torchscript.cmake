# part: torchscript (tests)
