"""Telling the operator what happens: a bar on a terminal, log lines for cron and systemd.

A nightly job's output ends up in a mail or the journal, where a redrawn bar is noise;
there each message is one timestamped line and progress is logged every tenth of the
way. Messages go to stderr so stdout stays for the final result.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

import click

from perfxl.batch.names import display


class Reporter:
    def __init__(
        self, *, stream: TextIO | None = None, tty: bool | None = None, quiet: bool = False
    ):
        self._stream, self._tty, self.quiet = stream, tty, quiet

    @property
    def stream(self) -> TextIO:
        return self._stream if self._stream is not None else sys.stderr  # as it is now

    @property
    def tty(self) -> bool:
        if self._tty is not None:
            return self._tty
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty())

    def log(self, message: str) -> None:
        if self.quiet:
            return
        prefix = "" if self.tty else time.strftime("%Y-%m-%d %H:%M:%S ")
        click.echo(prefix + display(message), file=self.stream)

    def warn(self, message: str) -> None:
        """Warnings are shown even when quiet: they change what the run did."""
        prefix = "" if self.tty else time.strftime("%Y-%m-%d %H:%M:%S ")
        click.echo(f"{prefix}警告：{display(message)}", file=self.stream)

    @contextmanager
    def progress(self, total: int, label: str) -> Iterator[Callable[[int], None]]:
        """Yield `advance(n)`; draws a bar on a terminal, logs each 10 % otherwise."""
        if self.quiet or total == 0:
            yield lambda n: None
            return
        if self.tty:
            with click.progressbar(length=total, label=label, file=self.stream) as bar:
                yield bar.update
            return
        done, next_mark = 0, max(1, total // 10)

        def advance(n: int) -> None:
            nonlocal done, next_mark
            done += n
            if done >= next_mark or done == total:
                self.log(f"{label}：{done}/{total}（{done * 100 // total}%）")
                while next_mark <= done:
                    next_mark += max(1, total // 10)

        yield advance


SILENT = Reporter(quiet=True)
