"""The debug picture: right size, rules/cells/words/fields actually drawn."""


from conftest import FIXTURES
from PIL import Image

from extract.core.fields import Evidence, FieldValue
from pipelines.devtools.display import CELL, FIELD, RULE, draw_page, main

GRID_PDF = FIXTURES / "grid" / "grid_form.pdf"


def _has_colour(img, colour, box):
    x0, y0, x1, y1 = box
    px = img.load()
    return any(px[x, y] == colour[:3] for x in range(x0, x1) for y in range(y0, y1))


def test_draw_page_size_and_overlays(tmp_path):
    field = FieldValue(key="I.1.3", label="対象人数", kind="selection",
                       evidence=Evidence(source="x", page=1, bbox=(180, 100, 330, 150)))
    out = draw_page(GRID_PDF, 1, tmp_path / "p1.png", fields=[field], dpi=72)
    img = Image.open(out).convert("RGB")
    assert img.size == (595, 842)  # A4 at 72 dpi: one pixel per point
    assert _has_colour(img, RULE, (40, 78, 555, 82))  # the table's top rule at y=80
    assert _has_colour(img, CELL, (40, 100, 180, 150))  # the ③対象人数 cell's box
    assert _has_colour(img, FIELD, (178, 98, 332, 152))  # the field's evidence box
    plain = Image.open(draw_page(GRID_PDF, 1, tmp_path / "plain.png", cells=False, words=False, dpi=72))
    assert not _has_colour(plain.convert("RGB"), CELL, (40, 100, 180, 150))


def test_cli_writes_png_at_dpi(tmp_path, capsys):
    out = tmp_path / "p3.png"
    main([str(GRID_PDF), "3", str(out), "--dpi", "144"])
    assert Image.open(out).size == (1190, 1684)
    assert str(out) in capsys.readouterr().out


def test_a_scans_light_row_rules_are_drawn(tmp_path):
    # scan round 9, r19_b08 p. 6: rows ruled across in hair lines, found by contrast (they part rows, never cells)
    from pipelines.devtools.display import ROW_RULE

    pdf = FIXTURES / "corpus" / "scan9" / "r19_b08_juten_oita_pref_chiho.scan200.pdf"
    img = Image.open(draw_page(pdf, 6, tmp_path / "p6.png", words=False, dpi=72)).convert("RGB")
    assert _has_colour(img, ROW_RULE, (60, 60, 560, 240))  # the rules between 提供・移転の有無, 保管場所 and 備考
