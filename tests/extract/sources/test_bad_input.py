"""Bad inputs: each becomes one manifest row whose reason names the file; the batch goes on."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from conftest import read_table, toy_doc, toy_process

from extract.sources.sniff import (
    EmptyFile,
    EncryptedPdf,
    ImageFile,
    InputError,
    NotAPdf,
    TruncatedPdf,
    UnsupportedInput,
    sniff,
)
from pipelines.runner import RunOptions, run_batch


def make_pdf(path: Path, text: str = "hello world", **save) -> Path:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), text)
    doc.save(path, **save)
    return path


def make_png(path: Path) -> Path:
    pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 8, 8), False).save(path)
    return path


def bad_inputs(d: Path) -> dict[str, type[InputError]]:
    """One file per kind of bad input the sniffer rejects; returns name -> expected exception."""
    d.mkdir(parents=True, exist_ok=True)
    (d / "empty.pdf").write_bytes(b"")
    (d / "blank.txt").write_text("  \n\n", encoding="utf-8")
    (d / "notes.pdf").write_text("<html>a web page saved as .pdf</html>", encoding="utf-8")
    good = make_pdf(d / "whole.pdf").read_bytes()
    (d / "whole.pdf").unlink()
    (d / "truncated.pdf").write_bytes(good[: len(good) // 2])
    (d / "no-pages.pdf").write_bytes(b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    make_pdf(d / "locked.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    make_png(d / "scan.png")
    (d / "scan.pdf").write_bytes(pymupdf.Pixmap(d / "scan.png").tobytes("jpeg"))
    (d / "sheet.xlsx").write_bytes(b"PK\x03\x04" + bytes(100))
    (d / "blob.bin").write_bytes(bytes(range(256)))
    return {"empty.pdf": EmptyFile, "blank.txt": EmptyFile, "notes.pdf": NotAPdf, "truncated.pdf": TruncatedPdf,
            "no-pages.pdf": TruncatedPdf, "locked.pdf": EncryptedPdf, "scan.png": ImageFile,
            "scan.pdf": ImageFile, "sheet.xlsx": UnsupportedInput, "blob.bin": UnsupportedInput}


REASONS = {
    "empty.pdf": "empty file", "blank.txt": "only whitespace", "notes.pdf": "does not start with %PDF",
    "truncated.pdf": "no %%EOF", "no-pages.pdf": "no pages", "locked.pdf": "password",
    "scan.png": "image inputs are not supported; convert to PDF", "scan.pdf": "JPEG image",
    "sheet.xlsx": "ZIP container", "blob.bin": "binary content",
}


def test_sniff_rejects_each_bad_input_with_its_reason(tmp_path):
    for name, exc in bad_inputs(tmp_path).items():
        with pytest.raises(exc) as info:
            sniff(tmp_path / name)
        assert str(info.value).startswith(str(tmp_path / name) + ": ")
        assert REASONS[name] in str(info.value), name


def test_sniff_accepts_pdf_and_text_by_content(tmp_path):
    assert sniff(make_pdf(tmp_path / "a.pdf")) == "pdf"
    assert sniff(make_pdf(tmp_path / "owner-only.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256,
                          owner_pw="owner")) == "pdf"  # no user password: readable
    (tmp_path / "pdf-named.txt").write_bytes((tmp_path / "a.pdf").read_bytes())
    assert sniff(tmp_path / "pdf-named.txt") == "pdf"  # magic bytes win over the name
    for name in ("a.txt", "a.md", "a.html", "a.csv", "a.tsv", "no-suffix"):
        (tmp_path / name).write_bytes("評価実施機関名\t熊本県知事\n".encode("cp932"))
        assert sniff(tmp_path / name) == "text", name
    (tmp_path / "utf16.dat").write_bytes("評価書".encode("utf-16"))
    assert sniff(tmp_path / "utf16.dat") == "text"


def test_bad_inputs_in_a_batch_leave_good_outputs_alone(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "good.txt").write_text(toy_doc(), encoding="utf-8")
    run_batch([raw / "good.txt"], RunOptions(out=out, workers=0), process_fn=toy_process)
    before = {t: read_table(out, t) for t in ("documents", "fields", "ratings", "checkboxes", "pages")}

    expected = bad_inputs(raw)
    paths = sorted(raw.iterdir())
    s = run_batch(paths, RunOptions(out=out, workers=2, timeout=60), process_fn=toy_process)
    rows = {Path(r["path"]).name: r for r in s.rows}
    assert rows["good.txt"]["status"] == "unchanged"
    for name, exc in expected.items():
        r = rows[name]
        assert (r["status"], r["error_class"]) == ("failed", exc.__name__), name
        assert r["error_message"].startswith(r["path"] + ": ") and r["path"].endswith(name)
        assert REASONS[name] in r["error_message"], name
    assert s.failed == len(expected)
    for t, table in before.items():
        assert read_table(out, t).drop_columns(["org"]).equals(table.drop_columns(["org"])), t
    manifest = read_table(out, "manifest")
    assert manifest.num_rows == 1 + len(paths)


# -- end to end through the real process_file (the parser and the readers) -----------------------------

def _real_batch(tmp_path: Path, extra: dict[str, bytes]) -> dict[str, dict]:
    from pipelines.process import process_file

    raw = tmp_path / "raw"
    expected = bad_inputs(raw)
    for name, data in extra.items():
        (raw / name).write_bytes(data)
    s = run_batch(sorted(raw.iterdir()), RunOptions(out=tmp_path / "out", workers=2, timeout=120),
                  process_fn=process_file)
    rows = {Path(r["path"]).name: r for r in s.rows}
    for name, exc in expected.items():
        assert (rows[name]["status"], rows[name]["error_class"]) == ("failed", exc.__name__), name
        assert rows[name]["error_message"].startswith(rows[name]["path"] + ": ")
    return rows


def test_end_to_end_not_an_assessment_and_undecodable_text(tmp_path):
    pdf = make_pdf(tmp_path / "menu.pdf", "Lunch menu: curry, soba, tea").read_bytes()
    undecodable = b"\x85\x40\x86\xa0\xeb\xfd\xfe\xff" * 64  # not CP932, EUC-JP, UTF-8 or UTF-16 text
    rows = _real_batch(tmp_path, {"menu.pdf": pdf, "garbled.txt": undecodable})
    assert rows["menu.pdf"]["error_class"] == "NotAnAssessment"
    assert rows["garbled.txt"]["error_class"] == "UndecodableText"
    for name in ("menu.pdf", "garbled.txt"):
        assert rows[name]["status"] == "failed"
        assert rows[name]["error_message"].startswith(rows[name]["path"] + ": ")
