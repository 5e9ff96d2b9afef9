"""File names as people read them and as the cache stores them.

On Linux a file name is bytes. A zip made on a Chinese Windows and unpacked there with
an unzip that does not convert names leaves GBK bytes that are not UTF-8; Python hands
such a name over as text with lone surrogates (PEP 383). That text opens the file fine
and is kept for that, but SQLite, a workbook's XML and a UTF-8 terminal all refuse it.
So a name is shown as `display(name)` (UTF-8, else GB18030, else UTF-8 with U+FFFD for
what is neither) and stored as `storable(name)` (the name itself, or the hex of its bytes).
"""

from __future__ import annotations

import os

_HEX = "hex:"  # no real path or extension starts with it


def _clean(text: str) -> bool:
    """True when `text` holds no lone surrogate, i.e. can be written as UTF-8."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _raw(text: str) -> bytes:
    """The bytes a name stands for (the bytes on disk, for a name the OS gave us)."""
    try:
        return os.fsencode(text)
    except UnicodeEncodeError:  # a surrogate that is no escaped byte (not from the OS)
        return text.encode("utf-8", "surrogatepass")


def _decode(part: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):  # a county's Windows names are GBK (GB18030 ⊃ GBK)
        try:
            return part.decode(encoding)
        except UnicodeDecodeError:
            continue
    return part.decode("utf-8", "replace")


def display(text: str) -> str:
    """`text` as it can be shown and written anywhere; unchanged when it already can.

    Each "/"-separated part is decoded on its own: a GBK file name inside a UTF-8
    folder name keeps both readable. ("/" is never part of a GBK character.)
    """
    if _clean(text):
        return text
    raw = _raw(text)
    if os.name == "nt":  # names are UTF-16 there; a lone surrogate cannot be repaired
        return raw.decode("utf-8", "replace")
    return "/".join(_decode(part) for part in raw.split(b"/"))


def storable(text: str) -> str:
    """A key for SQLite: the name itself, or "hex:" and its bytes when it is not UTF-8.

    Unlike display() this is one-to-one, so two names that look alike never share a key.
    """
    return text if _clean(text) else _HEX + _raw(text).hex()
