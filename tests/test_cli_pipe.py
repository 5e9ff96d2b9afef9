"""`perfxl … | head`: a reader that goes away early is not a crash of the command."""

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).parent.parent / "examples" / "county"


def test_output_into_a_closed_pipe_is_not_an_internal_error():
    workbook = sorted(EXAMPLES.rglob("*.xlsx"))[0]
    proc = subprocess.Popen(
        [sys.executable, "-m", "perfxl.cli", "score", str(workbook), "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # the reader is gone before perfxl writes a byte
    stderr = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=60) in (0, 1), stderr
    assert "程序内部出错" not in stderr
    assert "BrokenPipeError" not in stderr
    assert "Traceback" not in stderr
