"""`python -m pipelines report`: one self-contained HTML comparison report (+ CSV) from the Parquet tables.

Sections: graded items as heatmaps (canonical risks across forms, then every graded item per form type),
distribution of each grade scale by organization and by form type, the しきい値判断 check, and per
document what was read (edition, synthetic fixture or publication, OCR). Heatmaps and distributions use the
latest edition of each assessment only (pipelines.load.mark_editions). Figures are PNG at twice their shown
size, embedded as base64; nothing is fetched when the file is opened. The comparison table (every document)
is also written as CSV (UTF-8 with BOM, opens in Excel).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import struct
from pathlib import Path

import pandas as pd

from pipelines.analysis import report_figures as figs
from pipelines.analysis.report_data import (
    CANONICAL,
    FORM_SHORT,
    GRADED,
    JUTEN,
    KISO,
    NOT_APPLICABLE,
    UNDETERMINED,
    ZEN,
    Tables,
    canonical_key_table,
    canonical_matrix,
    detail_matrix,
    document_quality,
    load_tables,
    scale_distribution,
)
from pipelines.analysis.report_threshold import INCONSISTENT, ThresholdCheck, check_all

DEFAULT_OUT = Path("data/report/report.html")

SCALE_TITLES = {
    "G-JUBUN": "リスクへの対策は十分か", "G-OKONAU": "…を行っているか (点検・監査・教育 等)",
    "G-SAIITAKU": "再委託先の取扱いの確保", "G-JUNSHU": "NISC政府機関統一基準群",
    "G-SEIBI": "安全管理体制・規程の整備", "G-SHUCHI": "安全管理体制・規程の周知",
}
CSV_STATE = {UNDETERMINED: "判定不能", NOT_APPLICABLE: "該当なし", "": ""}

CSS = """
body{font-family:"IPAexGothic","Noto Sans CJK JP",sans-serif;margin:24px;color:#222;max-width:1320px}
h1{font-size:22px;margin-bottom:4px} h2{font-size:18px;border-bottom:2px solid #1b7837;padding-bottom:3px;margin-top:34px}
h3{font-size:15px;margin-top:22px} p.note{color:#555;font-size:13px;max-width:1100px}
table{border-collapse:collapse;font-size:12px;margin:8px 0} th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top}
th{background:#f0f0f0;text-align:left} td.l1{background:#1b7837;color:#fff;text-align:center}
td.l2{background:#a6dba0;text-align:center} td.l3{background:#f4a582;text-align:center}
td.und{background:repeating-linear-gradient(45deg,#bdbdbd 0 4px,#e0e0e0 4px 8px);text-align:center}
td.na{color:#888;text-align:center} tr.bad td{background:#fde0dd} span.bad{color:#b2182b;font-weight:bold}
span.good{color:#1b7837} img{max-width:100%;border:1px solid #eee;margin:6px 0} nav a{margin-right:14px}
details{margin:6px 0} summary{cursor:pointer;color:#1b5e9a}
"""


def _e(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    return html.escape(str(v))


def _img(png: bytes | None, alt: str) -> str:
    """The PNG shown at half its pixel size: sharp on high-density screens and when zoomed or printed."""
    if not png:
        return "<p class='note'>(no data)</p>"
    width = struct.unpack(">I", png[16:20])[0] // figs.SCALE
    return (f"<img alt='{_e(alt)}' width='{width}' "
            f"src='data:image/png;base64,{base64.b64encode(png).decode()}'>")


def _cell_td(v) -> str:
    if v == UNDETERMINED:
        return "<td class='und' title='undetermined'>?</td>"
    if v == NOT_APPLICABLE:
        return "<td class='na' title='not applicable'>–</td>"
    if v == "" or v is None:
        return "<td></td>"
    return f"<td class='l{int(v)}'>{int(v)}</td>"


def _matrix_table(df: pd.DataFrame, cols: list[tuple[str, str]], table_id: str) -> str:
    head = "".join(f"<th title='{_e(k)}'>{_e(label)}</th>" for k, label in cols)
    body = []
    for r in df.to_dict("records"):
        tds = "".join(_cell_td(r[k]) for k, _ in cols)
        body.append(f"<tr data-doc='{_e(r['doc_id'])}' data-org='{_e(r['organization'])}'>"
                    f"<th>{_e(r['label'])}</th>{tds}</tr>")
    return f"<table id='{table_id}'><tr><th>document</th>{head}</tr>{''.join(body)}</table>"


def comparison_frame(t: Tables, checks: list[ThresholdCheck]) -> pd.DataFrame:
    """The comparison table, one row per document (public-comment packs too, without graded items):
    edition status, synthetic, canonical graded items, threshold answers."""
    m = canonical_matrix(t).set_index("doc_id") if len(t.documents) else pd.DataFrame()
    by_doc = {c.doc_id: c for c in checks}
    rows = []
    for d in t.documents.to_dict("records"):
        c = by_doc.get(d["doc_id"])
        published = d["published"]
        row = {"doc_id": d["doc_id"], "organization": d["organization"], "org_code": d["org_code"],
               "prefecture": d["prefecture"], "form_type": d["form_type"], "affair": d["affair"],
               "published": published.date().isoformat() if pd.notna(published) else None,
               "synthetic": bool(d["synthetic"]) if pd.notna(d["synthetic"]) else None,
               "edition_status": d["edition_status"], "latest_doc_id": d["latest_doc_id"],
               "source": Path(str(d["source_path"])).name}
        for name in CANONICAL:
            v = m.loc[d["doc_id"], name] if d["doc_id"] in m.index else ""
            row[name] = CSV_STATE.get(v, v) if isinstance(v, str) else v
        if c is not None:
            row.update({"対象人数": c.band.text, "取扱者数": c.staff.text, "重大事故": c.accident.text,
                        "しきい値判断結果": c.result.text, "threshold_check": c.status,
                        "threshold_reasons": " / ".join(c.reasons)})
        rows.append(row)
    return pd.DataFrame(rows)


def _threshold_section(t: Tables, checks: list[ThresholdCheck]) -> str:
    docs = t.documents.set_index("doc_id")
    bad = [c for c in checks if c.status == INCONSISTENT]
    out = ["<h2 id='threshold'>しきい値判断 (threshold answers and the rule of the 指針)</h2>",
           "<p class='note'>対象人数, 取扱者数 and 重大事故 as answered in each document, next to the form filed and "
           "the stated しきい値判断結果. The rule of the 指針 (対象人数 band × 取扱者数 500人以上 or 重大事故) gives the "
           "obligation; an organization may always file a heavier assessment voluntarily (任意). The 全項目/重点 "
           "forms do not ask 取扱者数 or the 1-year 重大事故, so both outcomes of their band stay allowed; their "
           "3-year 重大事故 item has another scope and is shown for reference only.</p>"]
    if bad:
        out.append(f"<p id='threshold-findings'><span class='bad'>{len(bad)} document(s) whose form type or "
                   "しきい値判断結果 does not follow from their own answers:</span></p><ul>")
        for c in bad:
            d = docs.loc[c.doc_id]
            out.append(f"<li data-doc='{_e(c.doc_id)}'><b>{_e(d['organization'])}</b> "
                       f"{_e(FORM_SHORT.get(c.form_type, c.form_type))} 「{_e(d['affair'])}」 ({_e(d['source_path'])}): "
                       f"{_e(' / '.join(c.reasons))}</li>")
        out.append("</ul>")
    else:
        out.append("<p id='threshold-findings'><span class='good'>Every checked document follows the rule.</span></p>")
    out.append("<table id='threshold-table'><tr><th>organization</th><th>affair</th><th>form filed</th>"
               "<th>対象人数</th><th>取扱者数</th><th>重大事故</th><th>しきい値判断結果</th><th>allowed by the answers</th>"
               "<th>check</th><th>reason</th></tr>")
    for c in checks:
        d = docs.loc[c.doc_id]
        cls = " class='bad'" if c.status == INCONSISTENT else ""
        filed = c.filed.text if c.form_type == KISO else c.form_type
        out.append(f"<tr{cls} data-doc='{_e(c.doc_id)}' data-org='{_e(d['organization'])}' data-status='{c.status}'>"
                   f"<td>{_e(d['organization'])}</td><td>{_e(d['affair'])}</td><td>{_e(filed)}</td>"
                   f"<td>{_e(c.band.text)}</td><td>{_e(c.staff.text)}</td><td>{_e(c.accident.text)}</td>"
                   f"<td>{_e(c.result.text)}</td><td>{_e(c.expected)}</td><td>{_e(c.status)}</td>"
                   f"<td>{_e(' / '.join(c.reasons))}</td></tr>")
    out.append("</table>")
    return "\n".join(out)


def _true(v) -> bool:
    """A nullable boolean cell as a plain bool (null is False)."""
    return bool(v) if v is not None and not pd.isna(v) else False


def _edition_text(r: dict, labels: dict[str, str]) -> str:
    status = r.get("edition_status")
    if status == "duplicate":
        return f"duplicate of {labels.get(r['latest_doc_id'], r['latest_doc_id'])}"
    if status == "superseded":
        return f"superseded by {labels.get(r['latest_doc_id'], r['latest_doc_id'])}"
    return status or ""


def _documents_section(t: Tables, q: pd.DataFrame) -> str:
    docs = t.documents.set_index("doc_id")
    names = {d: Path(str(docs.loc[d, "source_path"])).name for d in docs.index}
    out = ["<h2 id='documents'>Documents: what was read</h2>",
           "<p class='note'>Per document: whether it is a real publication or a <b>synthetic</b> fixture the project "
           "made (stamped in the file; such a document is attributed to a real body but says nothing about it), "
           "its edition (<code>latest</code>; a <code>duplicate</code> is another copy of the latest edition, such "
           "as a scan of the same PDF; <code>superseded</code> an earlier 公表日 — both left out of the heatmaps "
           "and distributions), fields read (status ok) and left undetermined, the most frequent reasons "
           "(<code>not-applicable</code> = a section flag such as 委託しない is ticked, not a reading failure), "
           "how the input was read, and for OCR'd documents how the accepted OCR values are backed "
           "(<code>ocr_check</code>: <code>options</code> = one of the item's printed options, "
           "<code>second-reading</code> = a second reading agrees, <code>single-reading</code> = read once: the "
           "misreads that remain are there — check these against the page) and how many OCR'd values were left "
           "undetermined. Confidence alone does not separate misreads: a misread can carry 0.999.</p>",
           "<table id='documents-table'><tr><th>organization</th><th>code</th><th>prefecture</th><th>form</th>"
           "<th>affair</th><th>source</th><th>synthetic</th><th>edition</th><th>公表日</th><th>input kind</th>"
           "<th>method</th><th>read</th><th>undetermined</th><th>main undetermined reasons</th>"
           "<th>mean confidence</th><th>OCR values: options / second-reading / single-reading</th>"
           "<th>OCR undetermined</th></tr>"]
    for r in q.to_dict("records"):
        d = docs.loc[r["doc_id"]].to_dict()
        d["doc_id"] = r["doc_id"]
        is_syn = _true(d.get("synthetic"))
        syn = "synthetic" if is_syn else "publication"
        pub = d["published"].date().isoformat() if pd.notna(d["published"]) else "not read"
        ocr = (f"{r['ocr_options']} / {r['ocr_second']} / {r['ocr_single']}" if r["ocr_values"] else "")
        out.append(f"<tr data-doc='{_e(r['doc_id'])}' data-org='{_e(r['organization'])}' "
                   f"data-synthetic='{str(is_syn).lower()}' "
                   f"data-edition='{_e(d.get('edition_status'))}'>"
                   f"<td>{_e(r['organization'])}</td><td>{_e(r['org_code'])}</td><td>{_e(r['prefecture'])}</td>"
                   f"<td>{_e(FORM_SHORT.get(r['form_type'], r['form_type']))}</td><td>{_e(r['affair'])}</td>"
                   f"<td>{_e(r['source'])}</td><td>{syn}</td><td>{_e(_edition_text(d, names))}</td>"
                   f"<td>{_e(pub)}</td><td>{_e(r['input_kind'])}</td><td>{_e(r['methods'])}</td>"
                   f"<td class='n'>{r['fields_read']}</td><td class='n'>{r['fields_undetermined']}</td>"
                   f"<td>{_e(r['main_reasons'])}</td><td>{_e(r['mean_confidence'])}</td>"
                   f"<td>{_e(ocr)}</td><td>{_e(r['ocr_undetermined'] if r['ocr_values'] else '')}</td></tr>")
    out.append("</table>")
    packs = t.documents[t.documents["form_type"] == "public-comment"]
    out.append(f"<h3 id='public-comment'>Public-comment documents ({len(packs)})</h3>")
    out.append("<p class='note'>Notices and result packs of a public comment (意見募集) on an assessment: read "
               "for their identity and dates, they hold no graded items and appear in no heatmap.</p>")
    if len(packs):
        out.append("<table id='public-comment-table'><tr><th>organization</th><th>affair</th><th>日付</th>"
                   "<th>source</th><th>read</th><th>undetermined</th></tr>")
        for d in packs.to_dict("records"):
            pub = d["published"].date().isoformat() if pd.notna(d["published"]) else "not read"
            out.append(f"<tr data-doc='{_e(d['doc_id'])}'><td>{_e(d['organization'])}</td><td>{_e(d['affair'])}</td>"
                       f"<td>{_e(pub)}</td><td>{_e(Path(str(d['source_path'])).name)}</td>"
                       f"<td>{d['fields_read']}</td><td>{d['fields_undetermined']}</td></tr>")
        out.append("</table>")
    return "\n".join(out)


def _share(n: int, total: int) -> str:
    return f"{100 * n / total:.1f} %" if total else ""


def _distribution_section(t: Tables) -> str:
    out = ["<h2 id='distribution'>Distribution of each grade scale</h2>",
           "<p class='note'>Every graded answer counted once per item and file (全項目/重点 rate per 特定個人情報ファイル, "
           "基礎 once per affair), by organization and by form type; latest editions only. Each count is followed "
           "by its share of the row.</p>"]
    tables = []
    for by, label in (("organization", "団体"), ("form_type", "様式")):
        dist = scale_distribution(t, by)
        out.append(f"<h3>by {by.replace('_', ' ')}</h3>")
        out.append(_img(figs.distribution(dist, GRADED, label, SCALE_TITLES), f"grade scale distribution by {by}"))
        if dist.empty:
            continue
        pivot = dist.pivot_table(index=["scale", "group"], columns="state", values="n", aggfunc="sum", fill_value=0)
        cols = [c for c in ["1", "2", "3", NOT_APPLICABLE, UNDETERMINED] if c in pivot.columns]
        rows = []
        for sc, g in pivot.index:
            total = int(pivot.loc[(sc, g), cols].sum())
            cells = "".join(f"<td data-state='{_e(c)}'>{int(pivot.loc[(sc, g), c])}</td>"
                            f"<td class='share' data-share='{_e(c)}'>{_share(int(pivot.loc[(sc, g), c]), total)}</td>"
                            for c in cols)
            rows.append(f"<tr data-scale='{_e(sc)}' data-group='{_e(g)}'><td>{_e(sc)}</td><td>{_e(g)}</td>"
                        f"{cells}<td data-total='1'>{total}</td></tr>")
        head = "".join(f"<th>{_e(c)}</th><th>%</th>" for c in cols)
        tables.append(f"<details><summary>counts and shares by {by.replace('_', ' ')}</summary>"
                      f"<table id='distribution-{by}'><tr><th>scale</th><th>{by.replace('_', ' ')}</th>"
                      f"{head}<th>total</th></tr>{''.join(rows)}</table></details>")
    out.extend(tables)
    return "\n".join(out)


def _canonical_keys_table() -> str:
    rows = "".join(f"<tr><td>{_e(code)}</td><td>{_e(name)}</td>"
                   + "".join(f"<td><code>{_e(keys[ft])}</code></td>" for ft in (ZEN, JUTEN, KISO)) + "</tr>"
                   for code, name, keys in canonical_key_table())
    return ("<details><summary>which item of each form is each canonical risk "
            "(<code>ratings.canonical_risk</code>; docs/canonical-risks.md)</summary>"
            "<table id='canonical-keys'><tr><th>canonical_risk</th><th>name</th><th>全項目</th><th>重点</th>"
            f"<th>基礎</th></tr>{rows}</table></details>")


def render_html(t: Tables, parsed: Path, csv_name: str, csv_bytes: bytes, checks: list[ThresholdCheck]) -> str:
    figs.japanese_font()
    cur = t.latest
    canon = canonical_matrix(cur)
    n_orgs = t.documents["organization"].nunique()
    n_syn = int((t.documents["synthetic"] == True).sum())  # noqa: E712 (nullable boolean)
    n_old = int((t.documents["edition_status"] != "latest").sum())
    syn_note = (f" <b>{n_syn} of them are synthetic fixtures</b> the project made (marked [synthetic]): attributed "
                "to real bodies, they say nothing about them; leave them out with "
                "<code>pipelines.load(…, synthetic=False)</code>." if n_syn else "")
    parts = [
        "<!DOCTYPE html><html lang='ja'><head><meta charset='utf-8'>",
        "<title>特定個人情報保護評価書: comparison report</title>", f"<style>{CSS}</style></head><body>",
        "<h1>特定個人情報保護評価書 — comparison report</h1>",
        f"<p class='note' id='summary'>{len(t.documents)} documents of {n_orgs} organizations, read from "
        f"<code>{_e(parsed)}</code> on {dt.date.today().isoformat()}.{syn_note} Heatmaps and distributions show the "
        f"latest edition of each assessment once ({n_old} duplicate or superseded document(s) left out; see "
        "Documents). Level 1 is the strongest answer (特に力を入れている), 3 the weakest "
        "(課題が残されている / 十分に行っていない). <b>Hatched grey = undetermined</b>: the answer could not be read "
        "and is never shown as a level; – = not applicable (委託しない etc. ticked, or 再委託していない / "
        "政府機関ではない).</p>",
        "<nav><a href='#heatmap'>graded items</a><a href='#distribution'>distributions</a>"
        "<a href='#threshold'>しきい値判断</a><a href='#documents'>documents</a>"
        "<a href='#public-comment'>public comment</a><a href='#csv'>CSV</a></nav>",
        "<h2 id='heatmap'>Graded items by organization</h2>",
        "<p class='note'>Canonical risks C1–C8 and 教育・啓発 align the three forms (the column "
        "<code>ratings.canonical_risk</code>; the items are listed below and in docs/canonical-risks.md). A cell is "
        "the weakest level over the document's files; undetermined if any file's answer could not be read.</p>",
        _canonical_keys_table(),
    ]
    ccols = [(name, name) for name in CANONICAL]
    if not canon.empty:
        parts.append(_img(figs.heatmap(canon["label"].tolist(), [c for c, _ in ccols],
                                       canon[[c for c, _ in ccols]].values.tolist(),
                                       "canonical risks — リスクへの対策は十分か (教育・啓発: 行っているか)"),
                          "heatmap of canonical risks"))
        parts.append(f"<details><summary>as a table</summary>{_matrix_table(canon, ccols, 'canonical-table')}"
                     "</details>")
    for form in (ZEN, JUTEN, KISO):
        df, cols = detail_matrix(cur, form)
        if df.empty or not cols:
            continue
        parts.append(f"<h3>{_e(form)}: every graded item ({len(df)} rows = document × file)</h3>")
        parts.append(_img(figs.heatmap(df["label"].tolist(), [c[1] for c in cols], df[[c[0] for c in cols]]
                                       .values.tolist(), f"{form}: graded items"), f"heatmap {form}"))
        parts.append(f"<details><summary>as a table</summary>"
                     f"{_matrix_table(df, cols, 'detail-' + FORM_SHORT[form])}</details>")
    parts.append(_distribution_section(cur))
    parts.append(_threshold_section(t, checks))
    parts.append(_documents_section(t, document_quality(t)))
    b64 = base64.b64encode(csv_bytes).decode()
    parts.append(f"<h2 id='csv'>Comparison table as CSV</h2><p class='note'>One row per document, public-comment "
                 f"packs and earlier editions included (columns <code>synthetic</code>, <code>edition_status</code>): "
                 f"canonical graded items (level, 判定不能 = undetermined, 該当なし = not applicable) and the threshold "
                 f"answers; UTF-8 with BOM, opens in Excel. Written next to this file as <code>{_e(csv_name)}</code>; "
                 f"also <a download='{_e(csv_name)}' href='data:text/csv;charset=utf-8;base64,{b64}'>embedded "
                 f"here</a>.</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def build_report(parsed: Path | str = Path("data/parsed"), out: Path | str = DEFAULT_OUT) -> tuple[Path, Path]:
    """Write the HTML report and its CSV (same name, .csv); returns both paths."""
    parsed, out = Path(parsed), Path(out)
    t = load_tables(parsed)
    checks = check_all(t.documents, t.fields)
    comp = comparison_frame(t, checks)
    csv_path = out.with_suffix(".csv")
    csv_bytes = comp.to_csv(index=False).encode("utf-8-sig")
    out.parent.mkdir(parents=True, exist_ok=True)
    csv_path.write_bytes(csv_bytes)
    out.write_text(render_html(t, parsed, csv_path.name, csv_bytes, checks), encoding="utf-8")
    return out, csv_path
