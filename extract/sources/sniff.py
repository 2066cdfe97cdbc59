"""Decide what kind of input a file is ("pdf" or "text") or reject it with a clear reason.

Magic bytes win over the file name: a PDF named .txt is read as a PDF, a PNG named .pdf is rejected as
an image. Undecodable text and PDFs that are not assessments are found later (text reader, parser).
"""

from __future__ import annotations

from pathlib import Path

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".csv", ".tsv"})

_HEAD = 8192
_PDF_MAGIC_WINDOW = 1024  # readers accept %PDF anywhere in the first 1024 bytes
_EOF_WINDOW = 4096  # %%EOF must be near the end (trailing junk after it is common)

_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "JPEG 2000"),
)
_OTHER_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP container (docx/xlsx/zip)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 container (doc/xls)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
)
_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


class InputError(Exception):
    """An input that cannot be read; the message names the file and the reason."""

    def __init__(self, path: Path | str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class EmptyFile(InputError):
    pass


class NotAPdf(InputError):
    pass


class TruncatedPdf(InputError):
    pass


class EncryptedPdf(InputError):
    pass


class ImageFile(InputError):
    pass


class UnsupportedInput(InputError):
    pass


def sniff(path: Path | str) -> str:
    """Return "pdf" or "text" for a readable input; raise an InputError subclass otherwise."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise EmptyFile(path, "empty file (0 bytes)")
    with open(path, "rb") as f:
        head = f.read(_HEAD)
        f.seek(max(0, size - _EOF_WINDOW))
        tail = f.read()
    suffix = path.suffix.lower()

    if b"%PDF" in head[:_PDF_MAGIC_WINDOW]:
        _check_pdf(path, tail)
        return "pdf"
    image = _image_kind(head)
    if image:
        raise ImageFile(path, f"{image} image: image inputs are not supported; convert to PDF")
    if suffix == ".pdf":
        raise NotAPdf(path, f"named .pdf but does not start with %PDF (first bytes: {head[:8]!r})")
    for magic, what in _OTHER_MAGIC:
        if head.startswith(magic):
            raise UnsupportedInput(path, f"{what} is not a supported input; convert to PDF or text")
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise EmptyFile(path, f"contains only whitespace ({size} bytes)")
    if suffix in TEXT_SUFFIXES:
        return "text"
    if head.startswith(_TEXT_BOMS) or b"\x00" not in head:
        return "text"
    raise UnsupportedInput(path, f"binary content with unknown format (suffix {suffix or 'none'!r})")


# The stamp every project-made document carries (tools/render_fixtures.py, tools/scan.py, tools/corpus):
# in a PDF's Creator, Subject or Keywords, or on a line of its own in the first lines of a text input.
SYNTHETIC_STAMPS = ("(test fixture)", "pia-extract synthetic")


def is_synthetic(path: Path | str) -> bool:
    """True when the file is stamped as a project-made fixture (a synthetic document, not a publication)."""
    path = Path(path)
    with open(path, "rb") as f:
        head = f.read(_HEAD)
    if b"%PDF" in head[:_PDF_MAGIC_WINDOW]:
        import pymupdf

        with pymupdf.open(path, filetype="pdf") as doc:
            meta = doc.metadata or {}
        text = " ".join(str(meta.get(k) or "") for k in ("creator", "subject", "keywords")).lower()
    else:
        text = head.decode("utf-8", errors="ignore").lower()
    return any(stamp in text for stamp in SYNTHETIC_STAMPS)


def _image_kind(head: bytes) -> str | None:
    for magic, name in _IMAGE_MAGIC:
        if head.startswith(magic):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head[:2] == b"BM" and len(head) > 14 and head[6:10] == b"\x00\x00\x00\x00":
        return "BMP"
    return None


def _check_pdf(path: Path, tail: bytes) -> None:
    if b"%%EOF" not in tail:
        raise TruncatedPdf(path, "truncated PDF: no %%EOF marker at the end of the file")
    import pymupdf

    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:  # MuPDF raises its own FileDataError/RuntimeError family
        raise TruncatedPdf(path, f"damaged PDF: PyMuPDF cannot open it ({exc})") from exc
    with doc:
        if doc.needs_pass:
            raise EncryptedPdf(path, "encrypted PDF: a password is needed to open it")
        if doc.page_count == 0:
            raise TruncatedPdf(path, "damaged PDF: the page tree has no pages")
        try:
            for page in doc:
                page.bound()
        except Exception as exc:
            raise TruncatedPdf(path, f"damaged PDF: page tree broken ({exc})") from exc
