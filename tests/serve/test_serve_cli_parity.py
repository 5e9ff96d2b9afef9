"""Done when: the API returns the same findings and figures as the CLI for every
workbook in examples/ (issue 11). Whole documents are compared: /api/validate with
`perfxl validate --format json`, /api/score with `perfxl score --format json`, the CLI
run in the workbook's folder on its bare name, which is the path the API reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _serve import EXAMPLES, client, upload
from click.testing import CliRunner

from perfxl.cli import main
from perfxl.discovery import SAVE_AS_SUFFIXES, WORKBOOK_SUFFIXES

WORKBOOKS = sorted(
    p
    for p in EXAMPLES.rglob("*")
    if p.is_file() and p.suffix.lower() in WORKBOOK_SUFFIXES | SAVE_AS_SUFFIXES
)


def test_examples_are_many_and_varied() -> None:
    """The comparison below covers good, unreadable and lock-file workbooks alike."""
    names = [p.name for p in WORKBOOKS]
    assert len(WORKBOOKS) >= 40
    assert any(n.startswith("~$") for n in names)
    assert any(n.endswith(".xls") for n in names) and any(n.endswith(".xlsm") for n in names)


@pytest.fixture(scope="module")
def api():
    return client()


@pytest.mark.parametrize("command", ["validate", "score"])
def test_api_document_equals_the_cli_document(command: str, api, monkeypatch) -> None:
    mismatched = []
    for path in WORKBOOKS:
        monkeypatch.chdir(path.parent)
        cli = CliRunner().invoke(main, [command, path.name, "--format", "json"])
        assert cli.exit_code in (0, 1), cli.output
        response = api.post(f"/api/{command}", files=upload(path))
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/json")
        if json.loads(response.text) != json.loads(cli.stdout):
            mismatched.append(str(path.relative_to(EXAMPLES)))
        # the text too: the same serialiser, byte for byte (click adds the newline)
        assert response.text + "\n" == cli.stdout, path
    assert mismatched == []


def test_a_profile_field_scores_as_the_cli_option(api, monkeypatch) -> None:
    """Seed 003 under xj-60: 95.73 优, deviation 13.44 = 95.26 − 81.82 (the seed report's
    figures, tests/test_golden.py)."""
    seed = EXAMPLES / "seeds" / "seed003.xlsx"
    monkeypatch.chdir(seed.parent)
    cli = CliRunner().invoke(main, ["score", seed.name, "-p", "xj-60", "--format", "json"])
    response = api.post("/api/score", files=upload(seed), data={"profile": "xj-60"})
    assert response.json() == json.loads(cli.stdout)
    (table,) = response.json()["files"][0]["tables"]
    assert (table["total"], table["grade"], table["deviation"]) == (95.73, "优", 13.44)


def test_paths_are_the_upload_names(api) -> None:
    seed = Path(EXAMPLES / "seeds" / "seed002.xlsx")
    response = api.post("/api/validate", files=upload(seed, "单位提交.xlsx"))
    (file,) = response.json()["files"]
    assert file["path"] == "单位提交.xlsx"
    found = [f for t in file["tables"] for f in t["findings"]]
    assert found and all(f["file"] == "单位提交.xlsx" for f in found)
