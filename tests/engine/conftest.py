"""Under mutmut, every test starts with the engine's parse caches empty (docs/testing.md).

mutmut runs a mutant only against the tests its clean "stats" run saw calling the mutated
function, and it runs them all in one process. The engine remembers what it parsed
(normalize, parse_target, parse_actual, is_not_applicable, lookup_unit, the row-name
cleaner, scoring's row memo), so in that run only the first test to parse a text was
seen calling the parser: later tests with the same text were cache hits, were not
credited, and were never run against the parser's mutants (a mutant of the target reader
met 206 of the 461 tests that read targets). Emptying the caches before each test credits
every test that needs a function; mutants are then judged by all of them.

The plugin is registered from this conftest (tests/engine is in mutmut's test selection)
and applies to every collected test; outside mutmut (MUTANT_UNDER_TEST unset or empty) it
does nothing, so the ordinary suite keeps its caches.
"""

import os

import pytest

from perfxl import quantities, rounding, scoring, text, units

_ENGINE_MODULES = (quantities, rounding, scoring, text, units)


def _engine_caches():
    """Every functools cache held at module level by an engine module."""
    for module in _ENGINE_MODULES:
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)) and hasattr(value, "cache_info"):
                yield value


class _EmptyEngineCaches:
    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item):
        if not os.environ.get("MUTANT_UNDER_TEST"):
            return
        for cache in _engine_caches():
            cache.cache_clear()


def pytest_configure(config):
    if not config.pluginmanager.has_plugin("perfxl-empty-engine-caches"):
        config.pluginmanager.register(_EmptyEngineCaches(), "perfxl-empty-engine-caches")
