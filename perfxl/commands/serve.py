"""`perfxl serve`: the engine behind a local HTTP API and page (perfxl.serve).

The socket is bound here before uvicorn starts, so a port in use is one Chinese line
(exit 2) and the address printed is the one really listened on (--port 0 picks a free
port). Only loopback addresses are served without a token: anyone who can reach the
port could otherwise read the workbooks sent to it and fill the inbox.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import socket
import sys
from pathlib import Path

import click

from perfxl.commands.common import EXIT_USAGE, PROFILE_OPTION, Bounded, profile_or_exit
from perfxl.serve.settings import DEFAULT_HOST, DEFAULT_MAX_UPLOAD, DEFAULT_PORT, ServeSettings

TOKEN_ENV = "PERFXL_TOKEN"


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or a Chinese message and exit 2."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except OSError as exc:
        click.echo(f"错误：无法解析监听地址“{host}”（{exc.strerror or exc}）", err=True)
        sys.exit(EXIT_USAGE)
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        reason = "端口已被占用" if exc.errno in (48, 98, 10048) else (exc.strerror or str(exc))
        click.echo(
            f"错误：无法在 {host}:{port} 上监听（{reason}）；可用 --port 换一个端口", err=True
        )
        sys.exit(EXIT_USAGE)
    return sock


def url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    if host in ("0.0.0.0", "::"):
        shown = "本机IP地址"
    return f"http://{shown}:{port}/"


@click.command("serve")
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="监听地址；默认只允许本机访问，其他地址必须同时设置 --token")  # fmt: skip
@click.option("--port", type=Bounded(0, 65535, integer=True), default=DEFAULT_PORT,
              show_default=True, help="监听端口（0 表示任选一个空闲端口）")  # fmt: skip
@click.option("--inbox", type=click.Path(file_okay=False), default=None, metavar="文件夹",
              help="收件箱文件夹：开启提交，无错误的工作簿存为 文件夹/主管部门/项目名称.xlsx")  # fmt: skip
@PROFILE_OPTION
@click.option("--max-upload", type=Bounded(0.01, 64, unit=" MB"), default=DEFAULT_MAX_UPLOAD // 2**20,
              show_default=True, help="上传文件大小上限（兆字节），超出的上传被拒绝")  # fmt: skip
@click.option("--token", default=None, metavar="令牌",
              help="访问令牌：网页和加载项须带此令牌才能使用接口（也可用环境变量设置，见 docs/serve.md）")  # fmt: skip
def command(
    host: str,
    port: int,
    inbox: str | None,
    profile: str | None,
    max_upload: float,
    token: str | None,
) -> None:
    """启动本机校验服务：网页拖入工作簿校验、WPS 加载项接口与提交收件箱（见 docs/serve.md）。"""
    token = token or os.environ.get(TOKEN_ENV) or None
    if not is_loopback(host) and not token:
        click.echo(
            f"错误：监听非本机地址 {host} 时必须设置访问令牌（--token 或环境变量 {TOKEN_ENV}），"
            "否则局域网内任何人都能使用本服务",
            err=True,
        )
        sys.exit(EXIT_USAGE)
    county = None
    folder = None
    if inbox is not None:
        from perfxl.commands.county import settings_or_exit

        folder = Path(inbox).resolve()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            click.echo(f"错误：无法创建收件箱文件夹 {inbox}（{exc.strerror or exc}）", err=True)
            sys.exit(EXIT_USAGE)
        county = settings_or_exit([str(folder)], None)
    profile_or_exit(profile or (county.default_profile if county else None))
    settings = ServeSettings(host=host, port=port, profile=profile, inbox=folder,
                             max_upload=int(max_upload * 2**20), token=token, county=county)  # fmt: skip
    serve(settings)


def serve(settings: ServeSettings) -> None:
    import uvicorn

    from perfxl.serve.app import create_app

    sock = bind(settings.host, settings.port)
    config = uvicorn.Config(
        create_app(settings), log_level="warning", access_log=False, lifespan="off"
    )
    click.echo(f"perfxl 校验服务已启动：请在浏览器中打开 {url(sock)} （按 Ctrl+C 停止）")
    if settings.inbox is not None:
        click.echo(f"收件箱：{settings.inbox}")
    sys.stdout.flush()
    # uvicorn re-raises Ctrl+C once it has shut down: for a server that is a normal stop
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(config).run(sockets=[sock])
    click.echo("服务已停止")
