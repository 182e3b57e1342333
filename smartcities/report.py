"""Validation report: every problem found in input, with file, column, row, value and a fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pandas as pd

from smartcities.i18n import DEFAULT_LANG
from smartcities.issue_text import translate
from smartcities.safe import plain

ERROR = "error"
WARNING = "warning"
# Row issues of one kind reported per file and column; the rest are counted in one issue (the
# loader, its normaliser and the GMIS reader all cap at this size).
MAX_ISSUES_PER_KIND = 50


@dataclass(frozen=True)
class Issue:
    """One problem in the input.

    ``row`` is the row as a spreadsheet shows the file: the header is row 1, so the first data
    row is row 2 (for Parquet, the same numbering as if the file were opened as a sheet).
    ``None`` when the issue is about the whole file or a column.
    """

    severity: str  # "error" | "warning"
    file: str
    message: str
    fix: str = ""
    table: str = ""
    column: str = ""
    row: int | None = None
    value: str = ""

    # The issue is stored in English; these are for showing it (smartcities.issue_text).
    def text(self, lang: str = DEFAULT_LANG) -> str:
        """What is wrong, in ``lang``."""
        return translate(self.message, lang)

    def fix_text(self, lang: str = DEFAULT_LANG) -> str:
        """How to fix it, in ``lang``."""
        return translate(self.fix, lang)


@dataclass
class Report:
    """All issues from one load. Errors stop a file (or a row) from being used; warnings don't."""

    issues: list[Issue] = field(default_factory=list)

    def add(self, severity: str, file: str, message: str, **kw: object) -> None:
        value = kw.pop("value", "")
        text = "" if value is None else str(value)
        # Show values as text, trimmed: they may be huge or hostile. Controls and bidi
        # overrides are removed from everything echoed (a right-to-left override in a name
        # would reverse the rest of the message); line breaks and tabs show as spaces.
        text = plain(text)
        if len(text) > 120:
            text = text[:117] + "..."
        message = plain(message)  # the file name stays as given: it keys the tables found
        self.issues.append(Issue(severity, file, message, value=text, **kw))  # type: ignore[arg-type]

    def error(self, file: str, message: str, **kw: object) -> None:
        self.add(ERROR, file, message, **kw)

    def warning(self, file: str, message: str, **kw: object) -> None:
        self.add(WARNING, file, message, **kw)

    def extend(self, other: Report) -> None:
        self.issues.extend(other.issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_frame(self) -> pd.DataFrame:
        cols = ["severity", "file", "table", "column", "row", "value", "message", "fix"]
        if not self.issues:
            return pd.DataFrame(columns=cols)
        frame = pd.DataFrame([asdict(i) for i in self.issues])[cols]
        frame["row"] = frame["row"].astype("Int64")
        return frame

    def summary(self) -> str:
        return f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)"
