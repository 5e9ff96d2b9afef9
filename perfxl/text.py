"""One spelling for every cell text before any pattern looks at it.

Tables are typed on different keyboards, copied from PDFs and written in both scripts:
`＞＝95%`, `﹦100%`, `≥10萬元`, `產出指標`. Folding full-width forms, odd signs, stray
spaces and traditional characters once here lets every later pattern be written for
a single spelling.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from functools import lru_cache


# pragma: no mutate start
# (runs once, when perfxl.text is imported, before any test: a mutant here changes only
# how zhconv is loaded, and a broken load fails every test at import; docs/testing.md)
def _import_zhconv():
    """zhconv, without the pkg_resources it imports only to open its dictionary (about
    100 ms at every start, more than the rest of perfxl): that import is refused, and
    the dictionary is read from beside the module (zhconv's own fallback opened it
    relative to the working folder and left the file open)."""
    if "zhconv" in sys.modules or "pkg_resources" in sys.modules:
        import zhconv as module

        return module
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # ImportError inside
    try:
        import zhconv as module
    finally:
        del sys.modules["pkg_resources"]
    inner = sys.modules.get("zhconv.zhconv")
    if inner is not None and hasattr(inner, "get_module_res"):
        folder = os.path.dirname(os.path.abspath(inner.__file__))

        def resource(*parts: str):
            import io

            with open(os.path.join(folder, *parts), "rb") as handle:
                return io.BytesIO(handle.read())

        inner.get_module_res = resource
    return module


# pragma: no mutate end


zhconv = _import_zhconv()

# Signs NFKC leaves alone although tables use them interchangeably with ASCII ones.
_SIGNS = str.maketrans(
    {
        "≧": "≥",
        "⩾": "≥",
        "≮": "≥",
        "≦": "≤",
        "⩽": "≤",
        "≯": "≤",
        "═": "=",  # U+2550 box drawing, typed for = on some input methods (`═100%`)
        "・": "·",
        "•": "·",
        "‧": "·",
        "∙": "·",
        "〜": "~",
    }
)

# Angle brackets stand for > and < right before = or a digit (`〉=95%`, `〉90%`), title
# marks only right before = (`》=95%`); elsewhere they quote a title (`《2023年方案》`).
_ANGLE = re.compile(r"[〉〈](?=[=\d])|[》《](?==)")
_ANGLE_SIGN = {"〉": ">", "》": ">", "〈": "<", "《": "<"}

# \s covers NBSP and the ideographic space; the rest are invisible PDF leftovers.
_SPACE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


# Longer texts are normalized afresh each time: remembered, 8,192 cells of 32,767
# characters (NFKC expands some characters 18-fold) would hold gigabytes.
_CACHED_CHARS = 256


def normalize(text: str) -> str:
    """Half-width, space-free, simplified form of a cell text.

    NFKC already folds full-width digits, letters and signs (`０`, `％`, `＞＝`, `﹦`,
    `（）`, `，`); look-alikes it leaves (`═`, `≧`, `≦`, `〉=`) are mapped here, so that
    `═100%` reads as `=100%`. zhconv is slow, hence the cache (for short texts).
    """
    if len(text) <= _SHORT_CHARS:  # pragma: no mutate
        return _remembered_short(text)
    if len(text) > _CACHED_CHARS:
        return _normalize(text)
    return _remembered(text)


def _normalize(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).translate(_SIGNS)
    folded = _SPACE.sub("", folded)
    folded = _ANGLE.sub(lambda m: _ANGLE_SIGN[m[0]], folded)
    if folded.isascii():
        return folded
    return zhconv.convert(folded, "zh-cn")


# pragma: no mutate start
# (cache sizes: a mutant changes how much is remembered, never an answer)
# A county's run meets tens of thousands of distinct short cell texts (labels, targets,
# actuals, level names): those get a larger cache, the longer ones (up to _CACHED_CHARS)
# the 8,192 entries they had; together about 15 MB when full (see perfxl.quantities).
_SHORT_CHARS = 64
_remembered_short = lru_cache(maxsize=16_384)(_normalize)
_remembered = lru_cache(maxsize=8192)(_normalize)
# pragma: no mutate end
