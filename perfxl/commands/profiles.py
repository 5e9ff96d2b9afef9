"""`perfxl profiles`: list the shipped scoring profiles."""

from __future__ import annotations

import click

from perfxl.profiles import available_profiles, load_profile


@click.command("profiles")
def command() -> None:
    """列出内置的评分规则。"""
    for name in available_profiles():
        click.echo(f"{name:10s} {load_profile(name).title}")
