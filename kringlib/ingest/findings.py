"""What a reader found wrong in an export, said with file, row and column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ERROR, WARNING = "galat", "peringatan"


@dataclass(frozen=True)
class Finding:
    """One problem: ``row`` is the line as a spreadsheet numbers it (1-based), 0 for the file."""

    level: Literal["galat", "peringatan"]
    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row:
            where += f", baris {self.row}"
        if self.column:
            where += f", kolom {self.column}"
        return f"{self.level.capitalize()}: {where}: {self.message}"


class HasFindings:
    """Errors and warnings of anything holding a ``findings`` list."""

    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == WARNING]


class ExportError(ValueError):
    """An export that cannot be read as it is; ``findings`` lists every error found."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        errors = [f for f in findings if f.level == ERROR]
        shown = "; ".join(str(f) for f in errors[:5])
        more = f" (dan {len(errors) - 5} galat lain)" if len(errors) > 5 else ""
        super().__init__(shown + more)
