"""Build one zip that installs perfxl on a PC without internet (issue 10 item 5).

Usage (on any machine that reaches PyPI or its mirror):

    .venv/bin/python scripts/build_offline_bundle.py                  # Windows, Python 3.11–3.13
    .venv/bin/python scripts/build_offline_bundle.py --platform native --python 3.11
    .venv/bin/python scripts/build_offline_bundle.py -o dist/perfxl-offline.zip

The zip holds, under one folder perfxl-offline/:

- wheels/     the perfxl wheel and every dependency as wheels, for each Python version
              asked (`pip download --only-binary=:all: --platform win_amd64
              --python-version 3.11 …`), so pip never needs to build anything there;
- macros/     the add-in files `perfxl addin install` uses (perfxl.bas, customUI14.xml;
              the wheel installs them too, under share/perfxl/macros);
- install.cmd (Windows) and install.sh (Linux, macOS): a virtual environment next to
              them, `pip install --no-index --find-links wheels perfxl`, then
              `perfxl --version` to show it works;
- 安装说明.md  docs/install.md, the steps with and without internet.

`--platform native` builds the variant for this machine (the test of the mechanism,
tests/test_bundle.py, installs it into a fresh venv with the network unused).
Only wheels are taken: a dependency without a wheel for the platform fails the build
here, not the installation in a county office.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = "perfxl-offline"
WINDOWS = "win_amd64"
PYTHONS = ("3.11", "3.12", "3.13")

INSTALL_CMD = r"""@echo off
rem perfxl offline installation: a virtual environment in this folder, from wheels\ only.
chcp 65001 >nul
setlocal
cd /d "%~dp0"
set "PY="
for %%V in (3.13 3.12 3.11) do if not defined PY py -%%V -c "" >nul 2>&1 && set "PY=py -%%V"
if not defined PY python -c "import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))" >nul 2>&1 && set "PY=python"
if not defined PY (
  echo 未找到 Python 3.11、3.12 或 3.13。请先安装 Python（安装时勾选 Add python.exe to PATH），再运行本文件。
  goto :fail
)
echo 使用 %PY% 创建虚拟环境：%~dp0venv
%PY% -m venv "%~dp0venv" || goto :fail
"%~dp0venv\Scripts\python.exe" -m pip install --upgrade --no-index --find-links "%~dp0wheels" perfxl || goto :fail
"%~dp0venv\Scripts\perfxl.exe" --version || goto :fail
echo.
echo 安装完成。之后在任意命令行窗口中运行（无需激活）：
echo   "%~dp0venv\Scripts\perfxl.exe" score 自评表.xlsx
echo 若要直接输入 perfxl，运行 add-to-path.cmd 把上面的文件夹加入当前用户的 PATH（新开的窗口生效）。
exit /b 0
:fail
echo 安装未完成，请把上面的信息发给管理员。
exit /b 1
"""

ADD_TO_PATH_CMD = r"""@echo off
rem Put venv\Scripts on the current user's PATH (HKCU\Environment), once; new windows see it.
chcp 65001 >nul
set "SCRIPTS=%~dp0venv\Scripts"
if not exist "%SCRIPTS%\perfxl.exe" (
  echo 请先运行 install.cmd。
  exit /b 1
)
powershell -NoProfile -ExecutionPolicy Bypass -Command "$p=[Environment]::GetEnvironmentVariable('Path','User'); $d=$env:SCRIPTS; if (-not (($p -split ';') -contains $d)) { if ($p) { $n = $p + ';' + $d } else { $n = $d }; [Environment]::SetEnvironmentVariable('Path', $n, 'User') }" || exit /b 1
echo 已加入用户 PATH：%SCRIPTS%
echo 请关闭并重新打开命令行窗口，然后输入 perfxl --version 检查。
"""

INSTALL_SH = """#!/bin/sh
# perfxl offline installation: a virtual environment in this folder, from wheels/ only.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-python3}
"$python" -m venv "$here/venv"
"$here/venv/bin/python" -m pip install --upgrade --no-index --find-links "$here/wheels" perfxl
"$here/venv/bin/perfxl" --version
echo "安装完成。之后直接运行（无需激活）：$here/venv/bin/perfxl score 自评表.xlsx"
"""


def run(command: list[str]) -> None:
    print("+", " ".join(command), file=sys.stderr)
    subprocess.run(command, check=True)


def build_wheel(into: Path) -> Path:
    """perfxl's own wheel, built from this checkout."""
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(into), str(ROOT)])
    (wheel,) = into.glob("perfxl-*.whl")
    return wheel


def download(wheel: Path, into: Path, platform: str, pythons: list[str]) -> None:
    """Every dependency of `wheel` as wheels, once per Python version.

    pip evaluates environment markers for this machine, not for `--platform`: xlwings'
    `pywin32; platform_system == "Windows"` would be left out of a Windows bundle built
    on Linux. So for a Windows bundle the wheels' own requirements are read back and
    those whose markers hold on Windows are downloaded too, until none is missing.
    """
    for version in pythons:
        command = [sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:"]
        command += ["--dest", str(into), "--python-version", version]
        if platform != "native":
            command += ["--platform", platform, "--implementation", "cp"]
        run([*command, str(wheel)])
        if platform.startswith("win"):
            for _ in range(10):  # a few rounds reach the closure
                missing = windows_requirements(into, version) - wheel_names(into, version)
                if not missing:
                    break
                run([*command, *sorted(missing)])


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def wheel_names(folder: Path, version: str) -> set[str]:
    """The projects with a wheel here that Python `version` can install."""
    cp = "cp" + version.replace(".", "")
    names = set()
    for path in folder.glob("*.whl"):
        parts = path.name[: -len(".whl")].split("-")
        python, abi = parts[-3].split("."), parts[-2]
        fits = cp in python or any(p.startswith("py3") for p in python)
        if abi == "abi3":
            fits = any(p.startswith("cp3") and int(p[3:]) <= int(cp[3:]) for p in python)
        if fits:
            names.add(_canonical(parts[0]))
    return names


def windows_requirements(folder: Path, version: str) -> set[str]:
    """Names required, on 64-bit Windows under Python `version`, by the wheels here."""
    try:
        from packaging.requirements import Requirement
    except ImportError:  # pip's own copy
        from pip._vendor.packaging.requirements import Requirement
    environment = {
        "sys_platform": "win32",
        "platform_system": "Windows",
        "os_name": "nt",
        "platform_machine": "AMD64",
        "python_version": version,
        "python_full_version": f"{version}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "extra": "",
    }
    needed: set[str] = set()
    for path in folder.glob("*.whl"):
        with zipfile.ZipFile(path) as wheel:
            metadata = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
            text = wheel.read(metadata).decode("utf-8", "replace")
        for line in text.splitlines():
            if not line.startswith("Requires-Dist:"):
                continue
            requirement = Requirement(line.split(":", 1)[1].strip())
            if requirement.marker is None or requirement.marker.evaluate(environment):
                needed.add(_canonical(requirement.name))
    return needed


def build(output: Path, platform: str = WINDOWS, pythons: list[str] | None = None) -> Path:
    """Write the bundle zip to `output` (module docstring) and return it."""
    pythons = list(pythons or (PYTHONS if platform == WINDOWS else [_this_python()]))
    with tempfile.TemporaryDirectory(prefix="perfxl-bundle-") as tmp:
        wheels = Path(tmp) / "wheels"
        wheels.mkdir()
        wheel = build_wheel(wheels)
        download(wheel, wheels, platform, pythons)
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".part")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(wheels.iterdir()):
                bundle.write(path, f"{FOLDER}/wheels/{path.name}")
            for path in sorted((ROOT / "macros").iterdir()):
                if path.is_file():
                    bundle.write(path, f"{FOLDER}/macros/{path.name}")
            _text(bundle, "install.cmd", INSTALL_CMD.replace("\n", "\r\n"))
            _text(bundle, "add-to-path.cmd", ADD_TO_PATH_CMD.replace("\n", "\r\n"))
            _text(bundle, "install.sh", INSTALL_SH, executable=True)
            bundle.write(ROOT / "docs" / "install.md", f"{FOLDER}/安装说明.md")
        os.replace(partial, output)
    return output


def _text(bundle: zipfile.ZipFile, name: str, text: str, executable: bool = False) -> None:
    info = zipfile.ZipInfo(f"{FOLDER}/{name}", (2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (0o755 if executable else 0o644) << 16
    bundle.writestr(info, text.encode("utf-8"))


def _this_python() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--platform", default=WINDOWS, help="win_amd64 (default) or native")
    parser.add_argument("--python", action="append", help="3.11, 3.12, 3.13 (repeatable)")
    parser.add_argument("-o", "--output", type=Path, default=None)
    args = parser.parse_args(argv)
    import perfxl

    name = f"perfxl-{perfxl.__version__}-offline-{args.platform}.zip"
    output = args.output or ROOT / "dist" / name
    if shutil.which("pip") is None and not _has_pip():
        print("需要 pip（python -m pip）", file=sys.stderr)
        return 2
    build(output, args.platform, args.python)
    size = output.stat().st_size / (1024 * 1024)
    print(f"{output}（{size:.1f} MB）")
    return 0


def _has_pip() -> bool:
    return (
        subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode
        == 0
    )


if __name__ == "__main__":
    sys.exit(main())
