"""One module per `perfxl` sub-command; each exposes a click command named `command`.

perfxl.cli discovers them, so adding a command means adding a module here and touching
nothing else.
"""
