"""The notice's own fields of a public-comment pack (extract/forms/pack_fields.py), on small texts."""

from __future__ import annotations

from extract.forms.pack_fields import read_pack_fields
from extract.sources.text.reader import segment_text
from normalize.text import normalize_text


def _read(text: str, org: str | None = "熊本市") -> dict:
    doc = segment_text(text)
    parts = [(s, normalize_text(s.text)) for s in doc.segments]
    return {f.key: f for f in read_pack_fields(parts, "t.txt", org)}


def test_rows_and_inquiry_block():
    got = _read("募集期間\t令和7年2月21日～令和7年3月26日\n公表方法\t・市ホームページ掲載\n"
                "意見の募集方法\t電子メール、郵送\n\n問い合わせ先\n熊本市 地域政策課（096-328-2031）\n"
                "FAX 096-324-1111\nメール chiiki@city.example.jp\nお持ち帰り用\n")
    assert got["pack.publication_method"].value_text == "・市ホームページ掲載"
    assert got["pack.publication_method"].evidence.line == 2
    assert got["pack.comment_methods"].value_text == "電子メール、郵送"
    assert got["pack.inquiry.department"].value_text == "地域政策課"
    assert got["pack.inquiry.phone"].value_text == "096-328-2031"
    assert got["pack.inquiry.fax"].value_text == "096-324-1111"  # never also a phone number
    assert got["pack.inquiry.email"].value_text == "chiiki@city.example.jp"
    assert not got["pack.published_content"].ok and got["pack.published_content"].reason.startswith("not-found")


def test_a_postal_code_is_no_phone_and_two_phones_conflict():
    got = _read("問い合わせ先\n〒860-8601 熊本市中央区手取本町1番1号 市民課\n電話 096-328-2031 / 096-328-2032\n")
    assert got["pack.inquiry.address"].value_text == "〒860-8601 熊本市中央区手取本町1番1号"
    assert not got["pack.inquiry.phone"].ok and got["pack.inquiry.phone"].reason.startswith("conflict")


def test_departments_that_name_one_another_are_one():
    got = _read("問い合わせ先\n旭川市市民生活部市民課（旭川市役所）\n市民課 FAX 0166-24-6967\n", org="旭川市")
    assert got["pack.inquiry.department"].value_text == "市民生活部市民課"


def test_nothing_printed():
    got = _read("住民基本台帳に関する事務の特定個人情報保護評価について\n")
    assert all(not f.ok and f.reason.startswith("not-found") for f in got.values())
