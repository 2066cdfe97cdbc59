"""Issue 21: tables partitioned by prefecture (`pref=<key>`) with the organization as the column `org`; an
output written with the older `org=<key>` layout is refused with what to do, never mixed with the new one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import DOC_TABLES, toy_doc, toy_process

import pipelines
from pipelines.cli import main
from pipelines.load import LayoutError, read_table
from pipelines.runner import RunOptions, run_batch
from pipelines.schema import partition_key
from pipelines.status import format_status, read_status
from pipelines.write import FsspecOutputStore, OutputStore


def test_partition_keys():
    assert partition_key("430005") == "p43" and partition_key("432024", "熊本県") == "p43"
    assert partition_key("012041") == "p01" and partition_key("N07") == "national"
    assert partition_key(None, "岡山県") == "p33" and partition_key(None, "沖縄県") == "p47"
    assert partition_key(None, None) == partition_key(None, "架空県") == "unknown"


@pytest.fixture
def new_out(tmp_path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, org in (("a.txt", "熊本県知事"), ("b.txt", "八代市長"), ("c.txt", "旭川市長")):
        (raw / name).write_text(toy_doc(org), encoding="utf-8")
    out = tmp_path / "out"
    run_batch(sorted(raw.iterdir()), RunOptions(out=out, workers=0), process_fn=toy_process)
    return out


def test_documents_land_in_their_prefecture_with_org_a_column(new_out):
    for table in DOC_TABLES:
        assert sorted(p.name for p in (new_out / table).iterdir()) == ["pref=p01", "pref=p43"], table
    p43 = read_table("documents", new_out).to_pydict()
    assert sorted(zip(p43["org"], p43["pref"], p43["organization"])) == [
        ("j012041", "p01", "旭川市"), ("j430005", "p43", "熊本県"), ("j432024", "p43", "八代市")]
    yatsushiro = pipelines.load("ratings", parsed=new_out, orgs=["j432024"])
    assert len(yatsushiro) == 3 and set(yatsushiro["organization"]) == {"八代市"}
    assert set(yatsushiro["pref"]) == {"p43"} and str(yatsushiro["org"].dtype) in ("object", "str", "string")


def _old_layout(out: Path) -> Path:
    """`out` as version 2 wrote it: the same files under org=<key> directories."""
    for table in DOC_TABLES:
        for f in sorted((out / table).rglob("*.parquet")):
            key = pq.read_table(f, columns=["org"]).column("org")[0].as_py()
            (out / table / f"org={key}").mkdir(exist_ok=True)
            os.rename(f, out / table / f"org={key}" / f.name)
        for d in (out / table).glob("pref=*"):
            d.rmdir()
    return out


def _tree(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*"))


def test_an_output_of_the_older_layout_is_refused(new_out, tmp_path, capsys):
    old = _old_layout(new_out)
    before = _tree(old)
    raw = tmp_path / "raw"
    for args in (["extract", str(raw), "--out", str(old), "--workers", "0"], ["extract", str(raw), "--out",
                 str(old), "--workers", "0", "--force"], ["compact", "--parsed", str(old)],
                 ["export", "ratings", "--parsed", str(old), "--out", str(tmp_path / "r.csv")],
                 ["report", "--parsed", str(old), "--out", str(tmp_path / "report.html")]):
        assert main(args, process_fn=toy_process) == 2, args
        err = capsys.readouterr().err
        assert f"{old}: written with an older layout" in err and "org=<key>" in err, args
        assert "Extract into a new directory" in err and "--out NEW_DIR" in err, args
    assert _tree(old) == before  # nothing written, moved or cleaned up
    with pytest.raises(LayoutError, match="older layout"):
        pipelines.load("ratings", parsed=old)
    with pytest.raises(LayoutError), OutputStore(old):
        pass
    st = read_status(old)  # status still reads it, and says why the rest does not
    assert sum(st.documents.values()) == 3 and "layout: " in format_status(st)
    assert main(["status", "--parsed", str(old)]) == 0 and "older layout" in capsys.readouterr().out
    # a new directory takes the same inputs
    assert main(["extract", str(raw), "--out", str(tmp_path / "new"), "--workers", "0"], process_fn=toy_process) == 0
    assert len(read_table("documents", tmp_path / "new")) == 3


def test_an_fsspec_output_of_the_older_layout_is_refused(new_out):
    fsspec = pytest.importorskip("fsspec")
    fs = fsspec.filesystem("memory")
    root = f"/pia-layout-{os.getpid()}"
    old = _old_layout(new_out)
    fs.put(str(old), root, recursive=True)
    try:
        with pytest.raises(LayoutError, match="older layout"), FsspecOutputStore(fs, root):
            pass
    finally:
        fs.rm(root, recursive=True)
        shutil.rmtree(old)
