"""Print, as markdown, what the pipeline reads from each real document: items read, undetermined, why.

    .venv/bin/python -m tools.real_document_table [/work/shared/real-documents]

The output is pasted into docs/real-documents.md.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from pipelines.process import process_file

SCORED = ("selection", "checkbox", "flag", "date", "dates", "period")
DEFAULT = Path(__file__).resolve().parents[1] / "data" / "raw"


def _reason_class(reason: str | None) -> str:
    r = reason or ""
    head = r.split(":", 1)[0].strip()
    if head.startswith("not-applicable"):
        return "not-applicable"
    return head or "?"


def table(folder: Path) -> str:
    out = ["| document | form type | organization | fields | read | undetermined | graded/tick items read "
           "| graded/tick items undetermined |", "|---|---|---|---:|---:|---:|---:|---:|"]
    reasons_by_doc = {}
    for path in sorted(folder.glob("*.txt")):
        r = process_file(path)
        ok = [f for f in r.fields if f.ok]
        und = [f for f in r.fields if not f.ok]
        s_ok = [f for f in ok if f.kind in SCORED]
        s_und = [f for f in und if f.kind in SCORED]
        out.append(f"| {path.name[:3]} | {r.identity.form_type} | {r.identity.organization or '—'} | "
                   f"{len(r.fields)} | {len(ok)} | {len(und)} | {len(s_ok)} | {len(s_und)} |")
        reasons_by_doc[path.name[:3]] = Counter(_reason_class(f.reason) for f in und)
    out += ["", "Undetermined fields by reason class:", "",
            "| document | reason class | fields |", "|---|---|---:|"]
    for doc, c in reasons_by_doc.items():
        for cls, n in c.most_common():
            out.append(f"| {doc} | {cls} | {n} |")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    print(table(Path(argv[0]) if argv else DEFAULT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
