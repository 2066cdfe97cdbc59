"""Render the fixture PDFs and their answer keys: `python -m tools.render_fixtures [name ...]`.

Each PDF is an Excel-like rendering of one assessment (FORMS in extract/forms/model.py is the template);
its `<name>.key.json` is written from the same decisions the renderer drew. Deterministic: the same code
gives byte-identical files. Three small ones (one per form) are also copied to data/raw/fixture_<name>.pdf.
The font is PyMuPDF's built-in CJK font (Droid Sans Fallback), embedded as a subset with ToUnicode: no system
font package is needed to re-render.

Answer-key conventions beyond the agreed shape:
- a field without "status" is determined; "status": "undetermined" comes with "reason" (empty | not-in-options |
  conflict), "raw" for not-in-options, and "not_applicable": true when the blank is explained by a ticked
  section flag (委託しない, 提供・移転しない, 接続しない);
- month-precision dates give the first day of the month with "precision": "month"; a blank date has
  "value_date": null (承認日, 提出日), a blank period ("―") null start and end;
- kind "dates" (第三者点検 ①実施日) lists "value_dates";
- "changes" rows carry the 項目 path on one line as printed.
"""

from __future__ import annotations

import json
import shutil
import sys
from datetime import date
from pathlib import Path

from tools.fixture_build import Coverage, DocBuilder, DocSpec

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "pdf"
RAW = ROOT / "data" / "raw"
TO_RAW = ("zen_kumamoto_pref", "juten_gyokuto_kokuho", "kiso_gyokuto_juki")

ZEN, JUTEN, KISO = "全項目評価書", "重点項目評価書", "基礎項目評価書"
JUKI = "住民基本台帳に関する事務"

SPECS: list[DocSpec] = [
    # ---- small ones first (one per form): the quick set others test against
    DocSpec("zen_kumamoto_pref", ZEN, "平成30年5月 様式4", "熊本県知事", "熊本県",
            "住民基本台帳ネットワークに係る本人確認情報の管理及び提供等に関する事務", "1", date(2025, 1, 31), seed=11,
            files=1, systems=1, itaku=(1,), teikyo=(2,), iten=(1,), nws=False, taisho=5,
            undetermined=(("III.3.R3.rating", 1, "empty"),),
            dates={"VI.1.1": (date(2024, 10, 1), {"weekday": "("})}),
    DocSpec("juten_gyokuto_kokuho", JUTEN, "平成26年4月 様式3", "玉東町長", "玉東町", "国民健康保険に関する事務", "2",
            date(2019, 10, 16), seed=12, files=1, systems=1, itaku=(1,), saiitaku=False, teikyo=(1,), iten=(0,),
            taisho=2, shikii=1,
            style={"fw_brackets": True, "paren": "）", "header": "＜選択肢＞", "fw_num": True, "colon": "：　",
                   "tick": "〇", "aliases": True},
            undetermined=(("III.2.R1.rating", 1, "not-in-options"),),
            dates={"cover.published": (date(2019, 10, 16), {}), "V.1.1": (date(2019, 5, 1), {"gannen": True}),
                   "II.2.5#1": (date(2015, 6, 1), {"precision": "month", "fullwidth": True})}),
    DocSpec("kiso_gyokuto_juki", KISO, "平成29年5月 様式2", "玉東町長", "玉東町", JUKI, "1", date(2024, 6, 3), seed=13,
            taisho=2, itaku=(1,), teikyo=(1,), iten=(0,), style={"tick": "◯"},
            dates={"II.1.2": (date(2024, 4, 1), {"fullwidth": True})}),
    # ---- the rest of the set
    DocSpec("zen_kumamoto_city_juki", ZEN, "平成30年5月 様式4", "熊本市長", "熊本市", JUKI, "3", date(2025, 3, 28), seed=21,
            files=4, systems=5, itaku=(4, 2, 1, 0), teikyo=(3, 2, 1, 0), iten=(2, 1, 0, 0), taisho=5, text_n=(2, 5),
            changes=6, style={"kome": True, "collapsed": True, "as_checkbox": ("II.3.7b",)},
            undetermined=(("II.3.7b", 2, "conflict"), ("III.7.R2.rating", 3, "not-in-options")),
            dates={"cover.published": (date(2025, 3, 28), {}), "VI.1.1": (date(2019, 10, 16), {}),
                   "II.2.5#1": (date(2019, 5, 1), {"gannen": True})}),
    DocSpec("zen_asahikawa_tax", ZEN, "平成28年1月 様式4", "旭川市長", "旭川市", "個人住民税の賦課に関する事務", "5",
            date(2016, 9, 30), seed=22, files=5, systems=4, itaku=(3, 1, 0, 1, 0), teikyo=(2, 1, 1, 0, 0),
            iten=(3, 0, 1, 0, 0), taisho=5, text_n=(2, 4), changes=2, incident=True,
            style={"roman": "ascii", "pack": True, "aliases": True, "fw_dates": True},
            dates={"II.2.5#1": (date(2015, 6, 1), {"precision": "month", "fullwidth": True}),
                   "VI.1.1": (date(2016, 7, 4), {"fullwidth": True})}),
    DocSpec("zen_yatsushiro_kokuho", ZEN, "平成26年4月 様式4", "八代市長", "八代市", "国民健康保険に関する事務", "4",
            date(2015, 6, 4), seed=23, files=2, systems=3, itaku=(2, 0), saiitaku=False, teikyo=(2, 0), iten=(1, 0),
            taisho=4, changes=1, style={"split_tick": False, "fw_brackets": True, "colon": "：　"},
            undetermined=(("IV.1.2", None, "empty"),)),
    DocSpec("zen_koshi_jidou", ZEN, "平成30年5月 様式4", "合志市長", "合志市", "児童手当の支給に関する事務", "7",
            date(2021, 3, 3), seed=24, files=1, systems=1, itaku=(0,), teikyo=(0,), iten=(0,), taisho=3,
            style={"tick": "〇", "header": "＜選択肢＞", "paren": "）"}),
    DocSpec("juten_yatsushiro_juki", JUTEN, "平成26年4月 様式3", "八代市長", "八代市", JUKI, "1", date(2025, 7, 11),
            seed=31, files=3, systems=5, itaku=(2, 1, 1), teikyo=(2, 2, 1), iten=(3, 0, 0), taisho=4, text_n=(2, 5),
            changes=7, style={"fw_num": True, "paren": "）", "header": "＜選択肢＞", "colon": "：　", "collapsed": True},
            dates={"V.1.1": (date(2019, 10, 16), {}), "II.2.5#2": (date(2015, 6, 1), {"precision": "month"})}),
    DocSpec("juten_kumamoto_kyoiku", JUTEN, "平成26年4月 様式3", "熊本市教育委員会", "熊本市", "就学援助に関する事務",
            "12", date(2023, 2, 20), seed=32, files=2, systems=2, itaku=(1, 0), teikyo=(0, 0), iten=(1, 0), nws=False,
            taisho=3, style={"aliases": True, "tick": "◯"},
            undetermined=(("III.9.1", 2, "empty"),)),
    DocSpec("kiso_kumamoto_pref_seiho", KISO, "平成28年1月 様式2", "熊本県知事", "熊本県", "生活保護に関する事務", "8",
            date(2022, 11, 1), seed=41, taisho=3, staff500=True, itaku=(0,), teikyo=(1,), iten=(0,),
            style={"fw_brackets": True, "paren": "）"},
            undetermined=(("IV.3.2", None, "not-in-options"),)),
    DocSpec("kiso_koshi_jidou", KISO, "平成29年5月 様式2", "合志市長", "合志市", "児童手当の支給に関する事務", "6",
            date(2020, 1, 15), seed=42, taisho=3, incident=True, itaku=(1,), teikyo=(0,), iten=(0,), nws=False,
            style={"tick": "〇", "header": "＜選択肢＞"},
            dates={"II.1.2": (date(2019, 5, 1), {"gannen": True}), "II.2.2": (date(2019, 10, 1), {})}),
    DocSpec("kiso_yamae_seiho", KISO, "平成29年5月 様式2", "山江村長", "山江村", "生活保護に関する事務", "3",
            date(2025, 1, 31), seed=43, taisho=1, itaku=(1,), teikyo=(1,), iten=(1,)),
]


def render(spec: DocSpec, cov: Coverage, out: Path = OUT) -> tuple[dict, int]:
    out.mkdir(parents=True, exist_ok=True)
    b = DocBuilder(spec, cov)
    key = b.render(out / f"{spec.name}.pdf")
    (out / f"{spec.name}.key.json").write_text(json.dumps(key, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return key, b.splits


def main(argv: list[str]) -> int:
    names = set(argv)
    cov = Coverage()  # coverage steering depends on order: always walk all specs, write only the asked ones
    for spec in SPECS:
        if names and spec.name not in names:
            DocBuilder(spec, cov).build()
            continue
        key, splits = render(spec, cov)
        if spec.name in TO_RAW:
            RAW.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(OUT / f"{spec.name}.pdf", RAW / f"fixture_{spec.name}.pdf")
        print(f"{spec.name}: {spec.form_type} {spec.org_raw} {key['pages']} pages, {len(key['fields'])} fields, "
              f"{splits} rows continued over a page break")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
