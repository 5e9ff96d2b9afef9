"""What compiling the worker's Python to C would buy, measured rather than guessed.

    python benchmarks/compiled.py [--files 200] [--corpus DIR] [--answers DIR]

Why: issue 14 asks check_file to cost at most 1.5× what python-calamine alone costs.
About half of a worker's instructions are Python (see benchmarks/instructions.py), so
the question "would a compiler close the gap without rewriting the engine?" has a
number. This script answers it for Cython, the most used Python-to-C compiler: it
clones HEAD into a temporary folder, compiles there every perfxl module a worker
imports while checking a workbook (found by running one, not listed by hand), exactly
as written (no type declarations; `annotation_typing` off, so the annotations keep
their Python meaning), and counts instructions per workbook in both trees with
benchmarks/instructions.py's method.

With `--answers DIR` it first makes sure the compiled tree gives the same answers as
HEAD (benchmarks/answers.py over DIR): a figure from a tree that answers differently
would mean nothing.

Needs valgrind and Cython (`.venv/bin/pip install cython`; not a perfxl dependency)
and a C compiler; about 4 minutes to compile, 2 to measure. The result of the run on
2026-12-01 is in docs/nightly.md ("## 性能").
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from instructions import WARM, measure, report, sample  # noqa: E402

# which perfxl modules a worker has imported once it has checked a workbook
LOADED = r"""
import os, sys
from perfxl.batch.worker import process_file
from perfxl.profiles import load_profile
path = sys.argv[1]
status = os.stat(path)
process_file(path, status.st_size, status.st_mtime_ns, load_profile("mof2020"), frozenset(), 0)
for name, module in sorted(sys.modules.items()):
    where = getattr(module, "__file__", None) or ""
    if name.startswith("perfxl") and where.endswith(".py"):
        print(os.path.relpath(where))
"""

SETUP = r"""
import sys
from setuptools import setup
from Cython.Build import cythonize
modules = [line for line in open(sys.argv[1], encoding="utf-8").read().splitlines() if line]
directives = {"language_level": 3, "binding": True, "annotation_typing": False}
setup(ext_modules=cythonize(modules, compiler_directives=directives, quiet=True),
      script_args=["build_ext", "--inplace"])
"""


def compile_tree(tree: Path, workbook: Path, work: Path) -> list[str]:
    """Compile, inside `tree`, the modules a worker imports; their paths."""
    listed = subprocess.run(
        [sys.executable, "-c", LOADED, str(workbook)],
        cwd=tree,
        env=dict(os.environ, PYTHONPATH=str(tree)),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    modules = [m for m in listed if not m.startswith("..")]
    (work / "modules.txt").write_text("\n".join(modules) + "\n", encoding="utf-8")
    (work / "setup_cython.py").write_text(SETUP, encoding="utf-8")
    subprocess.run(
        [sys.executable, str(work / "setup_cython.py"), str(work / "modules.txt")],
        cwd=tree,
        check=True,
        capture_output=True,
    )
    return modules


def same_answers(head: Path, compiled: Path, corpus: Path, work: Path) -> bool:
    """benchmarks/answers.py over `corpus` in both trees, compared."""
    outputs = []
    for tree in (head, compiled):
        out = work / f"answers.{tree.name}.jsonl"
        subprocess.run(
            [sys.executable, "benchmarks/answers.py", str(out), str(corpus)],
            cwd=tree,
            env=dict(os.environ, PYTHONPATH=str(tree)),
            check=True,
            capture_output=True,
        )
        outputs.append(out)
    compared = subprocess.run(
        [sys.executable, "benchmarks/answers.py", "--compare", *map(str, outputs)],
        cwd=head,
        capture_output=True,
        text=True,
    )
    print(compared.stdout.strip().splitlines()[-1])
    return compared.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200, help="workbooks measured")
    parser.add_argument("--corpus", type=Path, required=True, help="a generated county")
    parser.add_argument("--answers", type=Path, default=None, help="workbooks to compare on")
    opts = parser.parse_args()
    try:
        import Cython  # noqa: F401
    except ImportError:
        print("Cython is not installed: .venv/bin/pip install cython", file=sys.stderr)
        return 2
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: apt-get install -y valgrind", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="perfxl-compiled-"))
    try:
        picked = sample(opts.corpus, opts.files)
        list_file = work / "files.txt"
        list_file.write_text("\n".join(str(p) for p in picked) + "\n", encoding="utf-8")
        trees = {}
        for name in ("head", "compiled"):
            trees[name] = work / name
            subprocess.run(["git", "clone", "-q", "--shared", str(ROOT), str(trees[name])],
                           check=True)  # fmt: skip
        modules = compile_tree(trees["compiled"], picked[0], work)
        print(f"compiled with Cython: {len(modules)} modules")
        if opts.answers is not None and not same_answers(
            trees["head"], trees["compiled"], opts.answers, work
        ):
            print("the compiled tree answers differently: no figure", file=sys.stderr)
            return 1
        compiled = measure(trees["compiled"], list_file, opts.files, work)
        head = measure(trees["head"], list_file, opts.files, work)
        print(f"instructions per workbook (callgrind; {opts.files} files after {WARM} warm-up)")
        report(compiled, head, "not compiled", name="compiled")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
