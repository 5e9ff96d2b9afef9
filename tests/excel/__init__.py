"""Tests of the Excel side: ribbon, protection, add-in, in-cell functions (a package, so
that its conftest does not shadow tests/conftest.py)."""
