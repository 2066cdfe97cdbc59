"""Issue 22, items 6, 9 and 10: exports for Excel, version and console script, JSON log lines; usage errors
exit 2 with the reason; `make extract` installs the runtime packages only."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

import pipelines
from pipelines.cli import main
from pipelines.schema import SCHEMA_VERSION

RAW = ROOT / "data" / "raw"
TWO = ("000_0ed831b2d6b038b6.txt", "002_c2635bd3da7e0273.txt")  # a public-comment pack and a 全項目評価書


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


@pytest.fixture(scope="module")
def parsed(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("two")
    (tmp / "raw").mkdir()
    for name in TWO:
        shutil.copy(RAW / name, tmp / "raw" / name)
    proc = _cli("extract", str(tmp / "raw"), "--out", str(tmp / "parsed"), "--workers", "0",
                "--log-format", "json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    (tmp / "log.jsonl").write_text(proc.stderr, encoding="utf-8")
    return tmp / "parsed"


# -- 6. exports, version, console script, JSON log lines ------------------------------------------------------
def test_json_log_lines(parsed):
    lines = (parsed.parent / "log.jsonl").read_text(encoding="utf-8").splitlines()
    events = [json.loads(ln) for ln in lines]  # every line is one JSON object
    assert [e["event"] for e in events] == ["start", "document", "document", "summary"]
    assert events[0]["inputs"] == 2
    docs = {Path(e["path"]).name: e for e in events[1:3]}
    assert set(docs) == set(TWO) and docs[TWO[1]]["status"] in ("ok", "partial") and docs[TWO[1]]["fields"] > 100
    assert sum(events[-1]["counts"].values()) == 2


def test_export_csv_has_a_bom_and_whole_integers(parsed, tmp_path):
    out = tmp_path / "ratings.csv"
    assert main(["export", "ratings", "--parsed", str(parsed), "--out", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str)
    ratings = pipelines.load("ratings", parsed)
    assert len(df) == len(ratings) > 30
    row = df[(df["key"] == "III.2.R1.rating") & (df["file_no"] == "1")].iloc[0]
    assert row["grade_level"] == "1" and row["value_text"] == "特に力を入れている"  # not "1.0"
    docs = tmp_path / "documents.csv"
    assert main(["export", "documents", "--parsed", str(parsed), "--out", str(docs)]) == 0
    d = pd.read_csv(docs, encoding="utf-8-sig", dtype=str).set_index("form_type")
    assert d.loc["全項目評価書", "published"] == "2015-06-04"
    assert json.loads(d.loc["全項目評価書", "methods"]) == ["markdown/html"]  # a list, as JSON


def test_export_xlsx(parsed, tmp_path):
    import openpyxl

    out = tmp_path / "documents.xlsx"
    assert main(["export", "documents", "--parsed", str(parsed), "--format", "xlsx", "--out", str(out)]) == 0
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert ws.title == "documents" and ws.max_row == 3 and "edition" in header
    orgs = {ws.cell(row=r, column=header.index("organization") + 1).value for r in (2, 3)}
    assert orgs == {"熊本県", "熊本市"}


def test_export_usage_errors(parsed, tmp_path, capsys):
    assert main(["export", "ratings", "--parsed", str(tmp_path / "none"), "--out", str(tmp_path / "r.csv")]) == 2
    assert "no ratings table" in capsys.readouterr().err
    assert main(["export", "manifest", "--parsed", str(parsed), "--latest", "--out", str(tmp_path / "m.csv")]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["export", "rating", "--parsed", str(parsed)])
    assert exc.value.code == 2


def test_version_and_console_script():
    proc = _cli("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("pia-extract ")
    assert f"(table schema {SCHEMA_VERSION})" in proc.stdout
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"pia-extract": "pipelines.cli:run"}
    run = subprocess.run([sys.executable, "-c", "import sys; sys.argv = ['pia-extract', '--version']; "
                          "from pipelines.cli import run; run()"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0 and run.stdout == proc.stdout
    script = Path(sys.executable).parent / "pia-extract"
    if script.exists():  # installed by `pip install -e .` (make extract)
        assert subprocess.run([str(script), "--version"], capture_output=True, text=True).stdout == proc.stdout


# -- 9. usage errors exit 2 and say why ----------------------------------------------------------------------
def test_usage_errors_exit_2_with_the_reason(tmp_path):
    a_file = tmp_path / "a.txt"
    a_file.write_text("x", encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / ".hidden").write_text("x", encoding="utf-8")
    cases = [
        (["extract", str(RAW / TWO[0]), "--out", str(a_file)], "is a file; give a directory"),
        (["extract", str(RAW / TWO[0]), "--out", str(a_file / "sub")], f"{a_file} is a file, not a directory"),
        (["extract", str(RAW / TWO[0]), "--out", str(tmp_path / "o"), "--ocr-dpi", "0"], "--ocr-dpi 0:"),
        (["extract", str(RAW / TWO[0]), "--out", str(tmp_path / "o"), "--ocr-dpi", "-5"], "--ocr-dpi -5:"),
        (["extract", str(empty), "--out", str(tmp_path / "o")], f"no input files in {empty}"),
        (["report", "--parsed", str(tmp_path), "--out", str(a_file / "r.html")], f"{a_file} is a file"),
        (["diff", str(RAW / TWO[0]), str(RAW / TWO[0]), "--out", str(a_file / "c.parquet")], "cannot write"),
    ]
    for args, message in cases:
        proc = _cli(*args)
        assert proc.returncode == 2, (args, proc.stderr[-500:])
        assert message in proc.stderr and "Traceback" not in proc.stderr, (args, proc.stderr[-500:])
    assert not (tmp_path / "o").exists()  # nothing was written


# -- 10. make extract: runtime packages only, and it says so ---------------------------------------------------
def test_make_extract_installs_runtime_only_and_make_test_the_dev_extra(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    venv = tmp_path / "venv"
    extract = subprocess.run(["make", "-n", "extract", f"VENV={venv}"], capture_output=True, text=True, cwd=ROOT)
    test = subprocess.run(["make", "-n", "test", f"VENV={venv}"], capture_output=True, text=True, cwd=ROOT)
    installs = [ln for ln in extract.stdout.splitlines() if "pip install" in ln and "--upgrade pip" not in ln]
    assert installs == [f"{venv}/bin/pip install -q -e ."]
    assert "setting up" in extract.stdout and "runtime packages" in extract.stdout
    assert f"{venv}/bin/pip install -q -e '.[dev]'" in test.stdout and "installing the dev extra" in test.stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install jupyterlab" in readme and "with `jupyter lab notebooks" not in readme
