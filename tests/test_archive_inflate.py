"""A deflated member is inflated by isal where it is installed (perfxl.reader.archive.
inflate): the answer for every member, sound or damaged, must be the one zlib gives —
the same bytes, or the same reason for refusing the file."""

from __future__ import annotations

import io
import random
import zipfile
import zlib
from pathlib import Path

import pytest

from perfxl.reader import archive

isal_zlib = pytest.importorskip("isal.isal_zlib")
SEED = Path(__file__).resolve().parents[1] / "examples" / "seeds" / "seed003.xlsx"


def _outcome(monkeypatch, library, data: bytes, info: zipfile.ZipInfo) -> bytes | str:
    monkeypatch.setattr(archive, "_FAST", library)
    try:
        return archive.inflate(data, info, archive.Budget(), keep=True)
    except archive.ArchiveProblem as exc:
        return str(exc)


def test_isal_is_the_inflater_here() -> None:
    assert archive._FAST is isal_zlib  # a test run without it would not test it


def _alone(library, raw: memoryview, info: zipfile.ZipInfo) -> bytes | str:
    """What one library alone answers, without inflate's second look."""
    try:
        return archive._inflated(library, raw, info, archive.Budget(), keep=True)
    except archive.ArchiveProblem as exc:
        return str(exc)


def test_sound_and_damaged_members_get_zlibs_answer(monkeypatch) -> None:
    data = SEED.read_bytes()
    rng = random.Random(14)
    refused = differently = 0
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        infos = book.infolist()
    for info in infos:
        assert _outcome(monkeypatch, isal_zlib, data, info) == _outcome(
            monkeypatch, zlib, data, info
        )
        begin, end = archive._span(data, info)
        for _ in range(400):  # one to five compressed bytes changed
            damaged = bytearray(data)
            for _ in range(rng.choice((1, 2, 5))):
                damaged[rng.randrange(begin, end)] = rng.randrange(256)
            fast = _outcome(monkeypatch, isal_zlib, bytes(damaged), info)
            assert fast == _outcome(monkeypatch, zlib, bytes(damaged), info)
            refused += isinstance(fast, str)
            raw = memoryview(bytes(damaged))[begin:end]
            differently += _alone(isal_zlib, raw, info) != _alone(zlib, raw, info)
    assert refused > 1000  # the damage was seen, not only passed over
    # isal alone gives another reason for some of them (a size, not a broken stream):
    # the answers above are zlib's only because inflate asks zlib again
    assert differently > 0


def test_a_stream_that_stops_early_is_refused_with_zlibs_reason(monkeypatch) -> None:
    data = SEED.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        info = max(book.infolist(), key=lambda i: i.compress_size)
    begin, end = archive._span(data, info)
    cut = bytearray(data)
    cut[begin + (end - begin) // 2 : end] = b"\0" * (end - begin - (end - begin) // 2)
    got = _outcome(monkeypatch, isal_zlib, bytes(cut), info)
    assert isinstance(got, str)
    assert got == _outcome(monkeypatch, zlib, bytes(cut), info)
