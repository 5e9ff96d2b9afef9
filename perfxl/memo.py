"""A bounded memo of scored rows, kept apart from perfxl.scoring so the engine stays small.

perfxl.scoring keys it by everything scoring reads of a row; this only stores and
empties. A county's tables repeat the same indicator rows: of the 2,672 rows in the 334
tables of the benchmark county (a template-made sample), 2,045 are met again after a row
alike was scored, and are taken from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from perfxl.profiles import Profile
    from perfxl.results import RowResult


class RowMemo:
    """Figures of rows scored without findings, by what scoring reads of a row (its cells
    only ever reach findings; level1 and the reason are not read) and the profile's
    identity. Bounded: emptied when full. cache_clear / cache_info as functools caches
    have, so tests under mutmut start with it empty (tests/engine/conftest.py)."""

    LIMIT = 8192  # pragma: no mutate

    def __init__(self) -> None:
        self._rows: dict[tuple, tuple[Profile, dict]] = {}
        # on the instance, not the class: the conftest looks for them on module values
        self.cache_clear = self._rows.clear
        self.cache_info = self._rows.__len__

    def get(self, key: tuple) -> tuple[Profile, dict] | None:
        return self._rows.get(key)

    def put(self, key: tuple, profile: Profile, result: RowResult) -> None:
        if len(self._rows) >= self.LIMIT:  # pragma: no mutate
            self._rows.clear()
        fields = dict(vars(result))
        del fields["indicator"]
        self._rows[key] = (profile, fields)
