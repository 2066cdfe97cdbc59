"""Figures of the report (matplotlib, Agg backend, PNG bytes) with a real Japanese font.

matplotlib is used because it works offline, renders static PNGs that embed in one HTML file without
JavaScript, and gives full control over undetermined cells (hatched grey, never a level colour).
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure  # no pyplot: no GUI backend, no global figure state
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator

from pipelines.analysis.report_data import ABSENT, NOT_APPLICABLE, UNDETERMINED

# Debian fonts-ipaexfont-gothic first (small, complete for JIS X 0208 + ①Ⅲ), then Noto CJK.
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKjp-Regular.otf",
)
FONT_PACKAGE = "fonts-ipaexfont-gothic"

LEVEL_COLORS = {1: "#1b7837", 2: "#a6dba0", 3: "#f4a582", 4: "#d6604d"}
UNDETERMINED_COLOR, NA_COLOR, ABSENT_COLOR = "#bdbdbd", "#ffffff", "#f7f7f7"
STATE_ORDER = ["1", "2", "3", NOT_APPLICABLE, UNDETERMINED]


class FontMissing(RuntimeError):
    pass


def japanese_font(candidates=FONT_CANDIDATES) -> str:
    """Register the first installed Japanese font with matplotlib and make it the default; its family name."""
    for path in candidates:
        if Path(path).is_file():
            font_manager.fontManager.addfont(path)
            name = font_manager.FontProperties(fname=path).get_name()
            matplotlib.rcParams["font.family"] = [name]
            matplotlib.rcParams["axes.unicode_minus"] = False
            return name
    raise FontMissing(f"no Japanese font found (looked for {', '.join(candidates)}); "
                      f"install it: apt-get install -y {FONT_PACKAGE}")


SCALE = 2  # figures are drawn at SCALE x their shown size (report.py sets the <img> width)
DPI = 90


def png_bytes(fig, dpi: int = DPI * SCALE) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()


def _draw_cell(ax, x: int, y: int, value) -> None:
    if value == UNDETERMINED:
        ax.add_patch(Rectangle((x, y), 1, 1, facecolor=UNDETERMINED_COLOR, hatch="///", edgecolor="#6e6e6e",
                               linewidth=0))
        ax.text(x + 0.5, y + 0.5, "?", ha="center", va="center", fontsize=8, color="#222222")
    elif value == NOT_APPLICABLE:
        ax.add_patch(Rectangle((x, y), 1, 1, facecolor=NA_COLOR, linewidth=0))
        ax.text(x + 0.5, y + 0.5, "–", ha="center", va="center", fontsize=8, color="#888888")
    elif value == ABSENT or value is None:
        ax.add_patch(Rectangle((x, y), 1, 1, facecolor=ABSENT_COLOR, linewidth=0))
    else:
        level = int(value)
        ax.add_patch(Rectangle((x, y), 1, 1, facecolor=LEVEL_COLORS.get(level, "#762a83"), linewidth=0))
        ax.text(x + 0.5, y + 0.5, str(level), ha="center", va="center", fontsize=8,
                color="white" if level == 1 else "#222222")


def heatmap(rows: list[str], columns: list[str], cells: list[list], title: str, col_rotation: int = 60):
    """Rows × columns of levels / states; returns PNG bytes."""
    w = max(6.0, 2.6 + 0.42 * len(columns))
    h = max(2.2, 1.6 + 0.32 * len(rows))
    fig = Figure(figsize=(w, h))
    ax = fig.subplots()
    for y, row in enumerate(cells):
        for x, value in enumerate(row):
            _draw_cell(ax, x, y, value)
    ax.set_xlim(0, len(columns))
    ax.set_ylim(len(rows), 0)
    ax.set_xticks([i + 0.5 for i in range(len(columns))])
    ax.set_xticklabels(columns, rotation=col_rotation, ha="left", fontsize=8)
    ax.xaxis.tick_top()
    ax.set_yticks([i + 0.5 for i in range(len(rows))])
    ax.set_yticklabels(rows, fontsize=8)
    for x in range(len(columns) + 1):
        ax.axvline(x, color="white", linewidth=1)
    for y in range(len(rows) + 1):
        ax.axhline(y, color="white", linewidth=1)
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    ax.set_title(title, fontsize=10, pad=8, loc="left")
    legend = [Patch(facecolor=LEVEL_COLORS[1], label="1 特に力を入れている"),
              Patch(facecolor=LEVEL_COLORS[2], label="2 十分である / 十分に行っている"),
              Patch(facecolor=LEVEL_COLORS[3], label="3 課題が残されている / 十分でない"),
              Patch(facecolor=UNDETERMINED_COLOR, hatch="///", edgecolor="#6e6e6e", label="? 判定不能 (undetermined)"),
              Patch(facecolor=NA_COLOR, edgecolor="#bbbbbb", label="– 該当なし (n/a)")]
    ax.legend(handles=legend, loc="upper left", bbox_to_anchor=(0, -0.02), ncol=3, fontsize=7, frameon=False)
    return png_bytes(fig)


def distribution(dist, scales: list[str], by_label: str, scale_titles: dict[str, str]):
    """Stacked horizontal bars per scale: counts of level 1/2/3, n/a, undetermined per group."""
    scales = [s for s in scales if (dist["scale"] == s).any()]
    if not scales:
        return None
    groups_per = {s: sorted(dist[dist["scale"] == s]["group"].unique()) for s in scales}
    heights = [max(1.0, 0.28 * len(groups_per[s]) + 0.6) for s in scales]
    fig = Figure(figsize=(6.2, sum(heights) + 0.8))
    axes = fig.subplots(len(scales), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)
    colors = {"1": LEVEL_COLORS[1], "2": LEVEL_COLORS[2], "3": LEVEL_COLORS[3], NOT_APPLICABLE: "#f0f0f0",
              UNDETERMINED: UNDETERMINED_COLOR}
    for ax, scale in zip(axes[:, 0], scales):
        d = dist[dist["scale"] == scale]
        groups = groups_per[scale]
        left = [0] * len(groups)
        for state in STATE_ORDER:
            vals = [int(d[(d["group"] == g) & (d["state"] == state)]["n"].sum()) for g in groups]
            ax.barh(range(len(groups)), vals, left=left, color=colors[state], edgecolor="#6e6e6e" if
                    state == UNDETERMINED else "white", hatch="///" if state == UNDETERMINED else None,
                    linewidth=0.3, label=state)
            left = [a + b for a, b in zip(left, vals)]
        ax.set_yticks(range(len(groups)))
        ax.set_yticklabels(groups, fontsize=8)
        ax.invert_yaxis()
        ax.set_title(f"{scale} {scale_titles.get(scale, '')}", fontsize=9, loc="left")
        ax.tick_params(axis="x", labelsize=7)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        for s in ("top", "right"):
            ax.spines[s].set_visible(False)
    axes[-1, 0].set_xlabel(f"評価項目の数 (項目×ファイル), {by_label}別", fontsize=8)
    legend = [Patch(facecolor=colors["1"], label="1"), Patch(facecolor=colors["2"], label="2"),
              Patch(facecolor=colors["3"], label="3"),
              Patch(facecolor=colors[NOT_APPLICABLE], edgecolor="#bbbbbb", label="該当なし"),
              Patch(facecolor=UNDETERMINED_COLOR, hatch="///", edgecolor="#6e6e6e", label="判定不能")]
    axes[0, 0].legend(handles=legend, loc="lower right", bbox_to_anchor=(1, 1.15), ncol=5, fontsize=7,
                      frameon=False)
    fig.tight_layout()
    return png_bytes(fig)
