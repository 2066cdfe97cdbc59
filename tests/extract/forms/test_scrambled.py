"""Scrambled PDF-text dumps: detection and the binding rules of extract/forms/scrambled.py.

The small dumps below are built line by line in the style of the real 003 (see the module docstring):
each case checks that a value is bound where the text proves it and left undetermined otherwise.
"""

from __future__ import annotations

import pytest
from conftest import ROOT
from conftest import field_of as _field

from extract.core.segments import Segment, SegmentedDocument
from extract.forms.model import FORMS
from extract.forms.scrambled import is_scrambled, parse_scrambled
from extract.sources.text.reader import read_text_document

JUTEN = FORMS["重点項目評価書"]
REAL = ROOT / "data" / "raw"  # the five real documents, committed
NOISE = ["]", "[", "[ ○", "○ ]", "]", "[", "○", "]", "[", "[[", "]", "[", "＜選択肢＞"] + ["＜選択肢＞"] * 4


def _dump(lines: list[str]) -> SegmentedDocument:
    segs = [Segment(t, line=i, method="text") for i, t in enumerate(lines, 1) if t.strip()]
    return SegmentedDocument("dump.txt", "text", segs, 1)


COVER = ["特定個人情報保護評価書（重点項目評価書）", "評価書番号  評価書名", "1 介護保険に関する事務　重点項目評価書",
         "個人のプライバシー等の権利利益の保護の宣言", "　玉名市は、介護保険に関する事務における特定個人情報ファイル",
         "の取扱いに当たり…宣言する。", "特記事項", "項目一覧", "Ⅱ　特定個人情報ファイルの概要", "Ⅲ　リスク対策"]


def _file_block(n: int, name: str, tail: list[str]) -> list[str]:
    return ["Ⅲ　リスク対策　※（７．②を除く。）", " １．特定個人情報ファイル名", f"{n}　{name}", *tail]


def _two_files(tail1: list[str], tail2: list[str], before2: list[str] = ()) -> list[str]:
    return [*COVER, *NOISE,
            "Ⅰ　基本情報", " ③対象人数 [ 10万人以上30万人未満",
            "Ⅱ　特定個人情報ファイルの概要", " １．特定個人情報ファイル名", "1　介護保険ファイル",
            "Ⅱ　特定個人情報ファイルの概要", " １．特定個人情報ファイル名", "2　宛名ファイル",
            *_file_block(1, "介護保険ファイル", tail1), *before2, *_file_block(2, "宛名ファイル", tail2),
            "Ⅴ　評価実施手続", "平成31年1月31日", " ユーザ認証の管理 [ 行っていない ]"]


def test_detection():
    assert is_scrambled(_dump(_two_files([], [])))
    assert not is_scrambled(_dump(COVER))  # no orphan brackets, no detached lists
    doc = _dump(_two_files([], []))
    tabled = SegmentedDocument(doc.source, "markdown/html", [Segment(s.text, line=s.line, method="markdown", row=0, col=0)
                                                            for s in doc.segments], 1)
    assert not is_scrambled(tabled)


def test_identity_and_cover():
    p = parse_scrambled(_dump(_two_files([], [])), JUTEN)
    assert p.identity.form_type == "重点項目評価書"
    assert p.identity.organization == "玉名市"
    assert (p.identity.assessment_no, p.identity.title) == ("1", "介護保険に関する事務 重点項目評価書")
    assert p.identity.affair == "介護保険に関する事務"
    assert p.identity.file_names == ["介護保険ファイル", "宛名ファイル"]
    assert not _field(p, "cover.published").ok and not _field(p, "cover.org").ok


def test_same_line_and_next_line_values():
    tail1 = [" ユーザ認証の管理 [ 行っている ]"]
    tail2 = [" 委託契約書中の特定個人情", "報ファイルの取扱いに関する", "規定", "＜選択肢＞", "1） 定めている 2） 定めていない",
             "[ 定めている ]", " ユーザ認証の管理", "[ 行っている ]"]
    p = parse_scrambled(_dump(_two_files(tail1, tail2)), JUTEN)
    assert _field(p, "I.1.3").value_text == "10万人以上30万人未満"
    assert _field(p, "III.3.R2.1", 1).value_text == "行っている"
    assert _field(p, "III.3.R2.1", 2).value_text == "行っている"
    assert _field(p, "III.4.R1.1", 2).value_text == "定めている"  # wrapped label, own option list skipped
    assert not _field(p, "III.4.R1.1", 1).ok
    # the 変更箇所 after the body (from the first bare date) is not read as the form
    assert all(f.evidence.line is None or f.evidence.line < 60 for f in p.fields if f.ok)


def test_option_list_line_is_not_a_value():
    tail = [" ユーザ認証の管理", "1） 行っている 2） 行っていない", "2） 行っていない"]
    p = parse_scrambled(_dump(_two_files(tail, tail)), JUTEN)
    assert all(not _field(p, "III.3.R2.1", f).ok for f in (1, 2))


def test_value_outside_the_items_list_is_not_bound():
    tail = [" ユーザ認証の管理 [ 十分である ]"]
    p = parse_scrambled(_dump(_two_files(tail, tail)), JUTEN)
    assert not _field(p, "III.3.R2.1", 1).ok


def test_file_matching_decides_only_when_forced():
    # both occurrences lie between the two Ⅲ headings (file 1 or 2) and disagree: neither file is known
    both = [" ユーザ認証の管理 [ 行っている ]", " ユーザ認証の管理 [ 行っていない ]"]
    p = parse_scrambled(_dump(_two_files(both, [])), JUTEN)
    assert not _field(p, "III.3.R2.1", 1).ok and not _field(p, "III.3.R2.1", 2).ok
    # one after the last heading belongs to file 2, so the other is file 1's
    p = parse_scrambled(_dump(_two_files([" ユーザ認証の管理 [ 行っていない ]"], [" ユーザ認証の管理 [ 行っている ]"])),
                        JUTEN)
    assert _field(p, "III.3.R2.1", 1).value_text == "行っていない"
    assert _field(p, "III.3.R2.1", 2).value_text == "行っている"
    # three occurrences for two files: the dump is inconsistent, nothing is bound
    p = parse_scrambled(_dump(_two_files(both, [" ユーザ認証の管理 [ 行っている ]"])), JUTEN)
    assert not _field(p, "III.3.R2.1", 2).ok


def test_shared_rating_label_is_bound_only_by_elimination():
    # 16 identical labels, 16 tokens all 十分である: every binding gives every rating 十分である
    tail = [" リスクへの対策は十分か", "[ 十分である ]"] * 8
    p = parse_scrambled(_dump(_two_files(tail, tail)), JUTEN)
    ratings = [f for f in p.fields if f.key.endswith(".rating")]
    assert len(ratings) == 16 and all(f.ok and f.value_text == "十分である" for f in ratings)
    assert ratings[0].reason.startswith("determined by elimination: 16 tokens (十分である ×16) for 16 items")
    # one value short and nothing makes a rating not applicable: any rating may be the blank one
    short = [" リスクへの対策は十分か", "[ 十分である ]"] * 7 + [" リスクへの対策は十分か", "[ ]"]
    p = parse_scrambled(_dump(_two_files(short, short)), JUTEN)
    ratings = [f for f in p.fields if f.key.endswith(".rating")]
    assert not any(f.ok for f in ratings) and "十分である ×14" in ratings[0].reason
    # two values: no rating is tied to either
    mixed = [" リスクへの対策は十分か", "[ 十分である ]"] * 7 + [" リスクへの対策は十分か", "[ 課題が残されている ]"]
    p = parse_scrambled(_dump(_two_files(mixed, mixed)), JUTEN)
    assert not any(f.ok for f in p.fields if f.key.endswith(".rating"))


def test_flags_need_their_bracket_on_the_line():
    t1 = [" ４．特定個人情報ファイルの取扱いの委託 [ ] 委託しない", "] 接続しない（提供）[ ○ ] 接続しない（入手）"]
    t2 = [" ４．特定個人情報ファイルの取扱いの委託 [ ○ ] 委託しない", "[ ] 接続しない（提供）", "] 接続しない（入手）"]
    p = parse_scrambled(_dump(_two_files(t1, t2)), JUTEN)
    assert _field(p, "III.4.flag", 1).options[0].checked is False
    assert _field(p, "III.4.flag", 2).options[0].checked is True
    assert _field(p, "III.6.flag1", 1).options[0].checked is True
    assert not _field(p, "III.6.flag1", 2).ok
    assert not _field(p, "III.6.flag2", 1).ok
    assert _field(p, "III.6.flag2", 2).options[0].checked is False


def test_type_unique_fragment_for_once_only_items():
    lines = _two_files([], [])
    at = lines.index("Ⅴ　評価実施手続") + 1
    frag = [" ②しきい値判断結果 ＜選択肢＞", "1） 基礎項目評価及び重点項目評価の実施が義務付けられる",
            "][ 基礎項目評価及び重点項目評価の実施が義務付けられる"]
    p = parse_scrambled(_dump(lines[:at] + frag + lines[at:]), JUTEN)
    f = _field(p, "V.1.2")
    assert f.option_no == 1 and f.evidence.confidence < 1
    # two different fragments: no value
    frag2 = frag + ["[ 基礎項目評価の実施が義務付けられる（任意に重点項目評価を実施） ]"]
    p = parse_scrambled(_dump(lines[:at] + frag2 + lines[at:]), JUTEN)
    assert not _field(p, "V.1.2").ok


@pytest.mark.skipif(not REAL.is_dir(), reason="shared/real-documents is not mounted")
def test_real_003_is_scrambled_and_002_is_not():
    assert is_scrambled(read_text_document(next(REAL.glob("003_*.txt"))))
    for prefix in ("000", "001", "002", "004"):
        assert not is_scrambled(read_text_document(next(REAL.glob(prefix + "_*.txt"))))


def _with_systems(block: list[str]) -> list[str]:
    lines = _two_files([], [])
    at = lines.index("Ⅰ　基本情報") + 1
    return lines[:at] + block + lines[at:]


def _system_boxes(p, g):
    return {o.label: o.checked for o in _field(p, "I.2.3", None, g).options if o.checked is not None}


def test_group_boxes_bound_to_instances_by_position():
    # three systems; a box belongs to the system of the heading before it or a neighbour: the box after
    # システム1 may be 1's or 2's, so only システム3 (whose reachable boxes are all "[ ]") is settled
    sys = [" システム1", "[ ○ ] 宛名システム等 [", "] 税務システム",
           " システム2", "[ ] 宛名システム等 [", "] 税務システム",
           " システム3", "[ ] 宛名システム等 [", "[ ○ ] 税務システム 課税", "] 税務システム"]
    p = parse_scrambled(_dump(_with_systems(sys)), JUTEN)
    assert _system_boxes(p, 3) == {"宛名システム等": False}
    assert _system_boxes(p, 1) == {} and _system_boxes(p, 2) == {}
    assert "税務システム" not in _system_boxes(p, 3)  # "] 税務システム": its "[" is lost; "… 課税": not a box
    # every box alike: every system has it, whatever the binding
    alike = [ln.replace("[ ○ ] 宛名", "[ ] 宛名") for ln in sys]
    p = parse_scrambled(_dump(_with_systems(alike)), JUTEN)
    assert all(_system_boxes(p, g) == {"宛名システム等": False} for g in (1, 2, 3))
    f = _field(p, "I.2.3", None, 3)
    assert not f.ok and f.group_no == 3 and "1 of 7 options read" in f.reason
    # one box too many (or a label alone, a lost box) for three systems: nothing is bound
    p = parse_scrambled(_dump(_with_systems(alike + ["宛名システム等"])), JUTEN)
    assert all(_system_boxes(p, g) == {} for g in (1, 2, 3))
    # a heading missing (1, 3): the instances are not known, no system field
    p = parse_scrambled(_dump(_with_systems([ln for ln in alike if ln != " システム2"])), JUTEN)
    assert not [f for f in p.fields if f.key == "I.2.3"]


def _with_rows(block: list[str], rows: list[str]) -> list[str]:
    return _with_systems(block) + ["（別添２）変更箇所", "提出時期に係る説明変更前の記載 変更後の記載 提出時期変更日 項目", *rows]


def _row(path: list[str], before: list[str], after: list[str], timing: str = "事後") -> list[str]:
    return ["平成31年1月31日", *path, *before, *after, timing]


SYS_PATH = ["Ⅰ　基本情報", "２．特定個人情報ファイルを", "取り扱う事務において使用す", "るシステム"]


def test_change_rows_state_options_after_the_change():
    # システム3's boxes are all "[ ]" (settled by position); the row's 変更後 cell (the second) says システム1 その他 is
    # ticked and システム2 税務 unticked: read from the row, with its line
    sys = [" システム1", "[ ] 宛名システム等 [", " システム2", "[ ] 宛名システム等 [", " システム3", "[ ] 宛名システム等 ["]
    rows = (_row(SYS_PATH + ["システム１", "③他のシステムとの接続"], ["[○]その他（Ａ）"], ["[○]その他（Ａ、Ｂ）"])
            + _row(SYS_PATH + ["システム２", "③他のシステムとの接続"], ["[○]税務システム"], ["[　]税務システム"]))
    p = parse_scrambled(_dump(_with_rows(sys, rows)), JUTEN)
    assert _system_boxes(p, 1) == {"宛名システム等": False, "その他": True}
    assert _system_boxes(p, 2) == {"宛名システム等": False, "税務システム": False}
    assert "変更後の記載" in _field(p, "I.2.3", None, 2).reason and "[ ]税務システム" in _field(p, "I.2.3", None, 2).reason
    # one cell only (変更前 or 変更後?), or the cells do not repeat a label: nothing is read from the row
    rows = (_row(SYS_PATH + ["システム１", "③他のシステムとの接続"], [], ["[○]その他（Ａ、Ｂ）"])
            + _row(SYS_PATH + ["システム２", "③他のシステムとの接続"], ["[○]宛名システム等"], ["[　]税務システム"]))
    p = parse_scrambled(_dump(_with_rows(sys, rows)), JUTEN)
    assert "その他" not in _system_boxes(p, 1) and "税務システム" not in _system_boxes(p, 2)
    # a row that names no system but prints a 税務 box of another state may be a later change: not read
    rows = (_row(SYS_PATH + ["システム２", "③他のシステムとの接続"], ["[○]税務システム"], ["[　]税務システム"])
            + _row(SYS_PATH + ["③他のシステムとの接続"], ["[　]税務システム"], ["[○]税務システム"]))
    p = parse_scrambled(_dump(_with_rows(sys, rows)), JUTEN)
    assert "税務システム" not in _system_boxes(p, 2)


def test_change_row_refuting_the_positional_binding():
    # every 宛名 box is after its own heading and "[ ]"; a row says システム2's is ticked: no binding of the boxes
    # agrees, so no system option is read from its boxes, only the row's
    sys = [" システム1", "[ ] 宛名システム等 [", " システム2", "[ ] 宛名システム等 [", " システム3", "[ ] 宛名システム等 ["]
    rows = _row(SYS_PATH + ["システム２", "③他のシステムとの接続"], ["[　]宛名システム等"], ["[○]宛名システム等"])
    p = parse_scrambled(_dump(_with_rows(sys, rows)), JUTEN)
    assert _system_boxes(p, 1) == {} and _system_boxes(p, 3) == {}
    assert _system_boxes(p, 2) == {"宛名システム等": True}
    assert "refuted" in _field(p, "I.2.3", None, 1).reason


def test_change_rows_of_a_per_file_item_need_the_file():
    lines = _two_files([], [])
    kansa = ["〇自己点検", "〇自己点検", "〇内部監査"]
    rows = (["Ⅲ リスク対策（２　宛名", "ファイル）", *kansa, "事後"]
            + ["Ⅲ リスク対策", *kansa, "事後"])  # no file named: skipped
    p = parse_scrambled(_dump(lines + ["（別添２）変更箇所", *rows]), JUTEN)
    f = _field(p, "III.8.1", 2)
    assert {o.label: o.checked for o in f.options} == {"自己点検": True, "内部監査": True, "外部監査": None}
    assert not f.ok and "unknown: 外部監査" in f.reason
    assert not any(o.checked for o in _field(p, "III.8.1", 1).options)


def test_change_row_against_the_body_leaves_the_option_unknown():
    body = [" 実施の有無 [ ○ ] 自己点検 [ ] 内部監査 [ ] 外部監査"]
    lines = _two_files(body, body)
    rows = ["Ⅲ リスク対策（２　宛名ファイル）", "〇自己点検", "〇自己点検", "〇内部監査", "事後"]
    p = parse_scrambled(_dump(lines + ["（別添２）変更箇所", *rows]), JUTEN)
    assert {o.label: o.checked for o in _field(p, "III.8.1", 1).options} == {
        "自己点検": True, "内部監査": False, "外部監査": False}
    f = _field(p, "III.8.1", 2)  # the row says 内部監査 is ticked, the body's box "[ ]": which is wrong is not said
    assert {o.label: o.checked for o in f.options} == {"自己点検": True, "内部監査": None, "外部監査": False}
    assert not f.ok and "conflict" in f.reason
