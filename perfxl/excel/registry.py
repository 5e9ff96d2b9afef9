"""Function-wizard metadata for the in-cell functions, kept as data.

xlwings reads a UDF's category, description and argument help from attributes its
decorators set, but on Linux (where perfxl is built and tested) `xlwings.func` and
`xlwings.arg` are no-ops. So each UDF is declared once through `udf()`, which records
the metadata here and hands the same values to the xlwings decorators; the tests feed
this registry through xlwings' own Windows decorator code (with the COM modules
stubbed) to check what Excel's "Import Python UDFs" would see.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import xlwings as xw

CATEGORY = "绩效评价"
EXCEL_TEXT_LIMIT = 255  # Excel's MacroOptions cuts descriptions and argument help here


@dataclass(frozen=True)
class UdfSpec:
    name: str
    description: str
    category: str
    args: tuple[tuple[str, str], ...]  # (parameter name, help shown in the wizard)
    array: bool = False  # returns a 2-D list, which Excel 365 spills into the cells below


REGISTRY: dict[str, UdfSpec] = {}


def udf(
    description: str, args: dict[str, str], *, array: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare an in-cell function: record its wizard text and apply xlwings' decorators."""

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        names = list(inspect.signature(function).parameters)
        if names != list(args):
            raise TypeError(
                f"{function.__name__}: help given for {list(args)}, parameters are {names}"
            )
        function.__doc__ = description
        REGISTRY[function.__name__] = UdfSpec(
            function.__name__, description, CATEGORY, tuple(args.items()), array
        )
        wrapped = function
        for name, doc in reversed(args.items()):
            wrapped = xw.arg(name, doc=doc)(wrapped)
        return xw.func(category=CATEGORY)(wrapped)

    return decorate
