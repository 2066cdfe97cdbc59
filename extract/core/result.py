"""Per-document result: status, identity, fields, errors as data and per-stage timings.

The manifest row and the `documents` row are projections of this object (Docling's ConversionResult
is the model: success / partial / failure, errors kept, timings per stage).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.core.enums import InputKind, Severity, Status
from extract.core.fields import FieldValue
from extract.core.problems import Problem
from extract.core.segments import PageInfo

SUCCESS, PARTIAL, FAILED, UNCHANGED = Status.OK, Status.PARTIAL, Status.FAILED, Status.UNCHANGED


@dataclass(slots=True)
class Identity:
    form_type: str = "unknown"  # 基礎項目評価書 | 重点項目評価書 | 全項目評価書 | public-comment | unknown
    form_revision: str | None = None  # version stamp, e.g. "平成30年5月 様式4"
    organization_raw: str | None = None  # 評価実施機関名 as printed, e.g. 熊本県知事
    organization: str | None = None  # normalized body, e.g. 熊本県
    affair: str | None = None  # 事務の名称
    title: str | None = None  # 評価書名
    assessment_no: str | None = None  # 評価書番号
    published: str | None = None  # 公表日, ISO
    file_names: list[str | None] = field(default_factory=list)  # 特定個人情報ファイル names; None: unread name


@dataclass(slots=True)
class ParsedDocument:
    identity: Identity
    fields: list[FieldValue]
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class DocumentResult:
    source: str
    sha256: str
    kind: InputKind = InputKind.UNKNOWN
    status: Status = Status.OK
    problems: list[Problem] = field(default_factory=list)
    encoding: str | None = None
    page_count: int = 0
    pages: list[PageInfo] = field(default_factory=list)
    identity: Identity = field(default_factory=Identity)
    fields: list[FieldValue] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    synthetic: bool = False  # a project-made fixture (its file says so), not a real publication

    @property
    def doc_id(self) -> str:
        """Stable document id: the first 16 hex digits of the content hash."""
        return self.sha256[:16]

    @property
    def error(self) -> Problem | None:
        """The problem that failed the document, if any."""
        return next((p for p in self.problems if p.severity == Severity.ERROR), None)

    @property
    def error_class(self) -> str | None:
        return self.error.error_class if self.error else None

    @property
    def error_message(self) -> str | None:
        return self.error.message if self.error else None

    @property
    def warnings(self) -> list[str]:
        """The non-fatal problems as text (the `documents.warnings` column)."""
        return [p.text() for p in self.problems if p.severity == Severity.WARNING]

    def fail(self, stage: str, exc: BaseException, message: str) -> None:
        """Record a fatal problem: status failed, no fields."""
        self.problems.append(Problem(stage, type(exc).__name__, message, severity=Severity.ERROR))
        self.status = Status.FAILED
        self.fields = []
