"""The `perfxl` command: a thin shell over the library.

Sub-commands live one per module in perfxl.commands and are discovered here. Exit
codes follow the shared contract: 0 no errors, 1 errors found in the input, 2 the
command itself could not run (bad arguments, unreadable profile).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

import click

from perfxl import __version__, commands


class _Group(click.Group):
    """A crash inside a command is reported in one Chinese line and exits 2 (the command
    could not run), so a nightly job never mistakes it for exit 1 (summary written,
    some inputs had errors)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("已中断", err=True)
            ctx.exit(2)
        except BrokenPipeError:
            # `perfxl validate … | head`: the reader went away; nothing is wrong with the
            # command. Point stdout at devnull so the interpreter's final flush stays quiet.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except Exception as exc:  # the last line of defence: findings should have caught it
            click.echo(f"错误：程序内部出错，命令未完成（{type(exc).__name__}: {exc}）", err=True)
            ctx.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="perfxl")
def main() -> None:
    """perfxl：项目支出绩效自评表的计算与校验工具。"""


for _info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
    _module = importlib.import_module(f"{commands.__name__}.{_info.name}")
    if isinstance(getattr(_module, "command", None), click.Command):
        main.add_command(_module.command)


if __name__ == "__main__":  # pragma: no cover
    main()
