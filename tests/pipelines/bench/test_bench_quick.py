"""The benchmark's quick mode runs (so `make bench` cannot rot) and its accuracy figures meet the
text-layer targets. No timing is asserted: speed is reported, not tested."""

from __future__ import annotations

import re

from pipelines.bench import suite as bench


def test_quick_bench_prints_the_tables_and_meets_the_accuracy_targets(capsys):
    assert bench.main(["--quick", "--no-ocr"]) == 0
    out = capsys.readouterr().out
    assert "text-layer PDFs" in out and "pages/s" in out and "memory: one worker" in out
    row = re.search(r"sel\+chk\+cnt\+dt\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)", out)
    assert row, out
    units, precision, recall = int(row.group(1)), float(row.group(6)), float(row.group(7))
    assert units > 500
    assert precision >= 99.5 and recall >= 99.0
    assert "normalizers' share" in out
