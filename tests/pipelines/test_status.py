"""`python -m pipelines status`: documents by status, failures with their reasons, the last runs."""

from __future__ import annotations

from conftest import toy_doc, toy_process

from pipelines.cli import main


def test_status_shows_documents_failures_and_runs(tmp_path, capsys):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "a.txt").write_text(toy_doc(), encoding="utf-8")
    (raw / "b.txt").write_text("org: 旭川市長\npages: 1\nF K1 | 十分か | G-JUBUN | 1 | 特に\n", encoding="utf-8")
    (raw / "bad.txt").write_text(toy_doc(extra="@raise\n"), encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    args = ["extract", str(raw), "--out", str(out), "--workers", "0", "-q"]
    assert main(args, process_fn=toy_process) == 1
    (raw / "bad.txt").write_text(toy_doc("八代市長"), encoding="utf-8")  # fixed: the second run reads it
    assert main(args, process_fn=toy_process) == 1
    capsys.readouterr()

    assert main(["status", "--parsed", str(out)]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[1] == "documents: 3 (1 ok, 2 partial); 5 pages"
    assert lines[2] == "inputs (latest run of each): 4 (1 partial, 1 failed, 2 unchanged)"
    assert lines[3] == "failed inputs: 1 (1 EmptyFile)"
    assert lines[4].endswith("raw/empty.txt  EmptyFile: empty file (0 bytes)")  # the reason, once
    assert lines[5] == "last runs:"
    runs = lines[6:]
    assert len(runs) == 2 and all(r.endswith("complete") for r in runs)
    assert "4 inputs (1 partial, 1 failed, 2 unchanged)" in runs[0]  # newest first
    assert "4 inputs (1 ok, 1 partial, 2 failed)" in runs[1]


def test_status_of_a_missing_directory_is_a_usage_error(tmp_path, capsys):
    assert main(["status", "--parsed", str(tmp_path / "nope")]) == 2
    assert "nope: no such output directory" in capsys.readouterr().err
    assert main(["compact", "--parsed", str(tmp_path / "nope")]) == 2
