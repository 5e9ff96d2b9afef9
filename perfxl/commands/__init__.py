"""One module per `perfxl` sub-command; each exposes a click command named `command`.

perfxl.cli discovers them, so adding a command means adding a module here and touching
nothing else. click's own messages are switched to Chinese here, before any command
module builds its options (perfxl.i18n says why the order matters).
"""

from perfxl import i18n

i18n.install()
