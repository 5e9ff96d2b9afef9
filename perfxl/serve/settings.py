"""What a running `perfxl serve` was started with (the command's options)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_MAX_UPLOAD = 20 * 1024 * 1024  # bytes; a unit's workbook is a few hundred KB


@dataclass
class ServeSettings:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    profile: str | None = None  # a profile name or .toml path; None: the county's, else default
    inbox: Path | None = None  # where /api/submit stores workbooks; None: no submissions
    max_upload: int = DEFAULT_MAX_UPLOAD
    token: str | None = None  # with a token every /api/* request needs it as Bearer
    county: Any = None  # perfxl.county settings read from inbox/perfxl-county.toml, if any
