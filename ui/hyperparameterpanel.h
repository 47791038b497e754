// placeholder: written with the GUI issue
