"""Where the walk is in the form: part, file, section, risk, group, and which items it has read.

The matchers read the scope (which labels are in reach, which item of a shared label is still unread);
the walk moves it as headings arrive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from extract.forms.model import Form, Item, Section, iter_sections
from normalize.text import fold_label

_ROMAN = ["", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ"]


@dataclass(frozen=True, slots=True)
class Label:
    folded: str
    item: Item


@lru_cache(maxsize=512)
def label_index(items: tuple[Item, ...]) -> tuple[Label, ...]:
    """The labels and aliases of `items`, folded, longest first."""
    out = []
    for it in items:
        for text in (it.label, *it.aliases):
            out.append(Label(fold_label(text), it))
    # longest first so "その他の措置の内容" never shadows a longer label
    return tuple(sorted(out, key=lambda lb: -len(lb.folded)))


@dataclass(slots=True)
class Scope:
    form: Form
    part: Section | None = None
    file_no: dict[str, int] = field(default_factory=dict)  # part key -> current file number
    section: Section | None = None
    risk: Section | None = None
    group: Section | None = None
    group_no: int | None = None
    filled: set[tuple] = field(default_factory=set)
    # OCR: "8 .息杜" read where 8. 監査 is due: the next section by number, its title unreadable; the
    # next label confirms it (ocr_recovery.OcrMatcher.label). `numbered_before`: the previous segment's.
    numbered_only: Section | None = None
    numbered_before: Section | None = None

    @property
    def current_file(self) -> int | None:
        if self.part is None or self.part.repeat != "file":
            return None
        return self.file_no.get(self.part.key, 1)

    def path(self) -> str:
        bits = []
        if self.part:
            bits.append(_ROMAN[self.part.number or 0])
            if self.current_file:
                bits.append(f"(file {self.current_file})")
        if self.section and self.section.level == "section":
            bits.append(str(self.section.number))
        if self.risk:
            bits.append(f"リスク{self.risk.number}")
        if self.group and self.group_no:
            bits.append(f"{self.group.title}{self.group_no}")
        return " ".join(bits)

    # ------------------------------------------------------------ moves
    def enter_part(self, part: Section | None) -> None:
        self.part, self.section, self.risk, self.group, self.group_no = part, None, None, None, None

    def enter_section(self, section: Section | None) -> None:
        self.section, self.risk, self.group, self.group_no = section, None, None, None

    def mark_read(self, item: Item, file_no: int | None, group_no: int | None) -> None:
        self.filled.add((item.key, file_no, group_no))

    # ------------------------------------------------------------ questions
    def unread(self, item: Item) -> bool:
        """`item` not read yet in the current file and group."""
        return (item.key, self.current_file, self.group_no) not in self.filled

    def items(self) -> tuple[Item, ...]:
        """The items in reach: the group's, the risk's, the section's, the part's."""
        items: list[Item] = []
        for sec in (self.group, self.risk, self.section, self.part):
            if sec is not None:
                items.extend(sec.items)
        return tuple(items)

    def labels(self) -> tuple[Label, ...]:
        """The labels in reach (the cover's before any part)."""
        return label_index(self.items()) if self.part is not None else label_index(self.form.cover)

    def next_section(self) -> Section | None:
        """The section after the current one in the current part, section 1 before any; None before any
        section of a per-file part (its first section counts the files: its heading must be read)."""
        if self.part is None or (self.section is None and self.part.repeat == "file"):
            return None
        after = 0 if self.section is None else self.section.number
        if not after and self.section is not None:
            return None
        return next((sec for sec in self.part.children if sec.number == after + 1), None)

    def find_group(self, prefix: str) -> tuple[Section | None, Section | None]:
        """The group with this header prefix, in the current section first, then anywhere in the part."""
        sections = ([self.section] if self.section else []) + [c for c in self.part.children if c is not self.section]
        for sec in sections:
            for child in iter_sections(sec):
                if child.level == "group" and child.title == prefix:
                    return sec, child
        return None, None
