"""The `perfxl` command: a thin shell over the library.

Sub-commands live one per module in perfxl.commands and are discovered here. Exit
codes follow the shared contract: 0 no errors, 1 errors found in the input, 2 the
command itself could not run (bad arguments, unreadable profile).

Everything printed is Chinese: click's own messages through perfxl.i18n, and the usage
line's placeholders (click writes [OPTIONS], COMMAND [ARGS]..., TEXT) set by `localise`
on every command, so a command added later needs nothing of its own.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

import click

from perfxl import __version__, commands, i18n

i18n.install()  # perfxl.commands did already; here too so the order never matters
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."
TYPE_METAVARS = {
    "text": "文本",
    "integer": "整数",
    "integer range": "整数",
    "float": "数",
    "float range": "数",
    "boolean": "是/否",
}


class _Formatter(click.HelpFormatter):
    """Headings end in a Chinese colon (选项：) and the usage line reads 用法：perfxl …"""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)


class _Context(click.Context):
    formatter_class = _Formatter


def missing_message(exc: click.MissingParameter) -> str:
    """click's "Missing argument 'X'." ends in an English full stop it adds itself."""
    param = exc.param
    if param is None:
        return exc.format_message()
    kind = "参数" if isinstance(param, click.Argument) else "选项"
    hint = exc.param_hint if isinstance(exc.param_hint, str) else None
    name = (hint or param.get_error_hint(exc.ctx)).replace("'", "")
    text = f"缺少{kind}：{name.removesuffix('...')}"
    if isinstance(param.type, click.Choice):
        text += f"，可选：{'、'.join(map(str, param.type.choices))}"
    return text


class _Group(click.Group):
    """A crash inside a command is reported in one Chinese line and exits 2 (the command
    could not run), so a nightly job never mistakes it for exit 1 (summary written,
    some inputs had errors)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.MissingParameter as exc:
            raise click.UsageError(missing_message(exc), exc.ctx) from None
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


@click.group("perfxl", cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="perfxl")
def main() -> None:
    """perfxl：项目支出绩效自评表的计算与校验工具。

    运行“perfxl 命令 -h”查看各命令的用法。
    """


def localise(command: click.Command) -> None:
    """Chinese placeholders in the usage line and help of `command` and its sub-commands:
    [选项] for click's [OPTIONS], 命令 for COMMAND, 文本 for an option's TEXT."""
    command.options_metavar = OPTIONS_METAVAR
    command.context_class = _Context
    for param in command.params:
        if isinstance(param, click.Option) and param.metavar is None and not param.is_flag:
            name = TYPE_METAVARS.get(param.type.name)
            if name and param.type.get_metavar(param=param, ctx=click.Context(command)) is None:
                param.metavar = name
    if isinstance(command, click.Group):
        command.subcommand_metavar = SUBCOMMAND_METAVAR
        for sub in command.commands.values():
            localise(sub)


for _info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
    _module = importlib.import_module(f"{commands.__name__}.{_info.name}")
    if isinstance(getattr(_module, "command", None), click.Command):
        main.add_command(_module.command)
localise(main)


if __name__ == "__main__":  # pragma: no cover
    main()
