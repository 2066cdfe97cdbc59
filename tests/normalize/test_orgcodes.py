"""The committed table of 全国地方公共団体コード (normalize/data/lg_codes.csv) and the national scheme."""

from __future__ import annotations

from collections import Counter

from normalize import orgcodes
from normalize.orgs import ORG_CODES, PREFECTURES, org_key, org_prefecture


def test_every_code_has_a_valid_check_digit_and_its_prefecture_prefix():
    local = [b for b in orgcodes.bodies() if b.kind != orgcodes.NATIONAL_AGENCY]
    assert all(orgcodes.is_valid(b.code) for b in local)
    pref_code = {b.name: b.code for b in local if b.kind == orgcodes.PREFECTURE}
    assert list(pref_code) == list(PREFECTURES)  # JIS X 0401 order
    assert all(b.code[:2] == pref_code[b.prefecture][:2] for b in local)
    assert len({b.code for b in orgcodes.bodies()}) == len(orgcodes.bodies())


def test_table_size_matches_the_soumu_list():
    kinds = Counter(b.kind for b in orgcodes.bodies())
    # 47 prefectures; 1,741 municipalities incl. the 23 特別区, plus the six 北方領土 villages the list keeps
    assert kinds[orgcodes.PREFECTURE] == 47 and kinds[orgcodes.MUNICIPALITY] == 1747
    assert kinds[orgcodes.WARD] == 175  # 政令市の区 (20 cities)
    tokyo_wards = [b for b in orgcodes.bodies() if b.prefecture == "東京都" and b.code[2] == "1"]
    assert len(tokyo_wards) == 23 and tokyo_wards[0].name == "千代田区" and tokyo_wards[0].code == "131016"


def test_published_codes_and_the_hand_checked_ones_agree():
    # codes from the 総務省 list cited in tests/test_dataset_roundtrip.py, and the earlier hand-made table
    for code, name in [("011002", "札幌市"), ("012041", "旭川市"), ("131041", "新宿区"), ("131130", "渋谷区"),
                       ("141003", "横浜市"), ("242021", "四日市市"), ("401307", "福岡市"), ("431001", "熊本市"),
                       ("432024", "八代市"), ("433641", "玉東町"), ("432164", "合志市"), ("435121", "山江村")]:
        assert orgcodes.by_code(code).name == name
    for (pref, name), code in ORG_CODES.items():
        body = orgcodes.lookup(name, pref)
        assert body is not None and body.code == code, name


def test_lookup_names_prefectures_and_ambiguity():
    assert orgcodes.lookup("赤磐市").code == "332135" and orgcodes.lookup("赤磐市").prefecture == "岡山県"
    assert orgcodes.lookup("府中市") is None  # 東京都 and 広島県
    assert orgcodes.lookup("府中市", "東京都").code == "132063"
    assert orgcodes.lookup("府中市", "広島県").code == "342084"
    assert orgcodes.lookup("伊達市", "北海道").code == "012335"
    assert orgcodes.lookup("北区", "東京都").code == "131172"  # 特別区, not a 政令市の区
    assert orgcodes.lookup_ward("431001", "中央区").code == "431010"
    assert orgcodes.lookup("架空市") is None and orgcodes.lookup(None) is None
    assert orgcodes.prefecture_of("433641") == "熊本県" and orgcodes.prefecture_of("012041") == "北海道"
    assert orgcodes.prefecture_of(None) is None and orgcodes.prefecture_of("N27") is None
    assert org_prefecture("432024") == "熊本県" and org_prefecture(None, "岡山県") == "岡山県"


def test_national_agencies_have_their_own_scheme():
    nat = [b for b in orgcodes.bodies() if b.kind == orgcodes.NATIONAL_AGENCY]
    assert all(b.code[0] == "N" and b.code[1:].isdigit() and not orgcodes.is_valid(b.code) for b in nat)
    assert orgcodes.lookup("厚生労働大臣").name == "厚生労働省"
    assert orgcodes.lookup("国税庁長官").code == orgcodes.lookup("国税庁").code
    assert org_key("厚生労働省", orgcodes.lookup("厚生労働省").code) == "n" + orgcodes.lookup("厚生労働省").code[1:]
    assert org_key("熊本県", "430005") == "j430005"


def test_documents_get_a_prefecture(tmp_path):
    import pandas as pd

    from pipelines.process import process_file
    from pipelines.runner import RunOptions, run_batch

    src = tmp_path / "raw"
    src.mkdir()
    for name in ("kiso_gyokuto_juki_r2.txt",):
        (src / name).write_bytes((orgcodes.DATA.parents[1] / "tests" / "fixtures" / "diff" / name).read_bytes())
    run_batch(sorted(src.iterdir()), RunOptions(out=tmp_path / "out", workers=0), process_fn=process_file)
    d = pd.read_parquet(tmp_path / "out" / "documents")
    assert d[["organization", "org_code", "prefecture"]].values.tolist() == [["玉東町", "433641", "熊本県"]]
