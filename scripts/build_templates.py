"""Rebuild the committed templates: workbook_templates/<profile>_<form>_<formulas>.xlsx
(form self, eval or monitor).

Usage: .venv/bin/python scripts/build_templates.py [OUTDIR]

tests/test_template.py checks that a rebuild matches the committed files, so rerun this
after changing perfxl/template or a shipped profile and commit the result.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # runnable from a checkout without installing perfxl
    sys.path.insert(0, str(ROOT))

from perfxl.profiles import available_profiles, load_profile  # noqa: E402
from perfxl.template import FORMS, FORMULA_MODES, build_template  # noqa: E402

DEFAULT_OUTDIR = ROOT / "workbook_templates"

# (profile, form, formulas) of every committed template: every shipped profile in
# every form and formula mode, so a new profile file gets its templates on the next run.
TEMPLATES = tuple(
    (name, form, formulas)
    for name in available_profiles()
    for form in FORMS
    for formulas in FORMULA_MODES
)
# the 绩效目标执行监控表 (perfxl.template.monitor) of every shipped profile, in both modes
MONITOR_TEMPLATES = tuple(
    (name, "monitor", formulas) for name in available_profiles() for formulas in FORMULA_MODES
)


def file_name(profile: str, form: str, formulas: str) -> str:
    return f"{profile}_{form}_{formulas}.xlsx"


def build(outdir: Path = DEFAULT_OUTDIR) -> list[Path]:
    """Write every template of TEMPLATES into `outdir` and return their paths."""
    return [
        build_template(load_profile(name), form, formulas, outdir / file_name(name, form, formulas))
        for name, form, formulas in (*TEMPLATES, *MONITOR_TEMPLATES)
    ]


def main(argv: list[str]) -> int:
    if len(argv) > 2:
        print(__doc__, file=sys.stderr)
        return 2
    outdir = Path(argv[1]) if len(argv) == 2 else DEFAULT_OUTDIR
    for path in build(outdir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
