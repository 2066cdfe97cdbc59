"""The command line: options, exit status, log lines and summary, errors before any work."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT, read_table, toy_doc, toy_process

from pipelines.cli import build_parser, main


def test_help_explains_every_option_and_table():
    text = build_parser()._subparsers._group_actions[0].choices["extract"].format_help()
    for option in ("--out", "--workers", "--force", "--timeout", "--recycle", "--force-ocr", "--ocr-dpi",
                   "--max-ocr-pages", "--quiet"):
        assert option in text
    for table in ("documents", "fields", "ratings", "checkboxes", "pages", "manifest"):
        assert f"\n  {table} " in text
    assert "data/raw" in text and "data/parsed" in text


def test_module_entry_point_prints_help():
    done = subprocess.run([sys.executable, "-m", "pipelines", "extract", "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "usage: python -m pipelines extract" in done.stdout


def test_extract_logs_each_document_and_a_summary(tmp_path, capsys):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    (raw / "a.txt").write_text(toy_doc(), encoding="utf-8")
    (raw / "sub" / "b.txt").write_text(toy_doc("八代市長"), encoding="utf-8")
    (raw / ".DS_Store").write_bytes(b"\x00\x01")
    out = tmp_path / "out"
    assert main(["extract", str(raw), "--out", str(out), "--workers", "0"], process_fn=toy_process) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "extract: 2 inputs, 2 to process, 0 decided without processing"
    assert err[1].startswith("[1/2] partial ") and err[1].endswith("a.txt 2 pages 0.0s")
    assert err[-1].startswith("done: 0 ok, 2 partial, 0 failed, 0 unchanged documents; 4 pages, 8 fields,")
    assert len(read_table(out, "documents")) == 2

    (raw / "empty.pdf").write_bytes(b"")
    assert main(["extract", str(raw), "--out", str(out), "--workers", "0"], process_fn=toy_process) == 1
    err = capsys.readouterr().err.splitlines()
    failed = [line for line in err if " failed " in line and line.startswith("[")]
    assert len(failed) == 1 and failed[0].endswith("EmptyFile: " + str(raw / "empty.pdf") + ": empty file (0 bytes)")
    assert err[-1].startswith("done: 0 ok, 0 partial, 1 failed, 2 unchanged documents; 0 pages, 0 fields,")

    assert main(["extract", str(raw / "a.txt"), "--out", str(out), "--workers", "0", "--force", "-q"],
                process_fn=toy_process) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("done: 0 ok, 1 partial, 0 failed, 0 unchanged")


def test_usage_errors_exit_2_before_any_work(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["extract", str(tmp_path / "missing"), "--out", str(out)], process_fn=toy_process) == 2
    assert "no such file or directory" in capsys.readouterr().err
    assert main(["extract", str(tmp_path), "--out", str(out), "--workers", "-1"], process_fn=toy_process) == 2
    assert main(["extract", str(tmp_path), "--out", str(out), "--max-ocr-pages", "-1"], process_fn=toy_process) == 2
    assert "--max-ocr-pages must be 0 or more" in capsys.readouterr().err
    assert not out.exists()
    with pytest.raises(SystemExit) as info:
        main(["extract", "--timeout", "soon"])
    assert info.value.code == 2


def test_ocr_options_reach_the_settings(tmp_path):
    (tmp_path / "a.txt").write_text(toy_doc(), encoding="utf-8")
    seen = []

    def process(path, settings=None, sha256=None):
        seen.append(settings)
        return toy_process(path, settings, sha256)

    out = str(tmp_path / "out")
    assert main(["extract", str(tmp_path / "a.txt"), "--out", out, "--workers", "0", "-q"], process_fn=process) == 0
    assert main(["extract", str(tmp_path / "a.txt"), "--out", out, "--workers", "0", "-q", "--force",
                 "--max-ocr-pages", "0", "--ocr-dpi", "200", "--ocr-engine", "tesseract"], process_fn=process) == 0
    assert [(s.max_ocr_pages, s.ocr.dpi, s.ocr.engine) for s in seen] == [(300, 300, "ppocr"), (0, 200, "tesseract")]


def test_progress_bar_counts_documents_and_pages(capsys):
    from pipelines.cli import TqdmReporter

    bar = TqdmReporter()
    bar.start(2, 2)
    bar.document({"status": "ok", "pages": 7, "path": "a.pdf", "error_message": None})
    bar.document({"status": "failed", "pages": None, "path": "b.pdf", "error_message": "b.pdf: empty file"})
    bar.close()
    err = capsys.readouterr().err
    assert "failed: b.pdf: empty file" in err
    assert "2/2" in err and "pages=7" in err
