"""What a reader found wrong in an export, said with file, row, column and a code.

The ``code`` is for programs (tests, an analyst filtering findings): a short English
slug that stays when the Indonesian wording changes; :data:`CODES` lists every one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ERROR, WARNING = "galat", "peringatan"

CODES = {
    # reading the file
    "file_unreadable": "berkas bukan CSV maupun XLSX, atau rusak",
    "file_too_large": "berkas melebihi batas ukuran",
    "too_many_rows": "berkas melebihi batas jumlah baris",
    "too_many_columns": "berkas melebihi batas jumlah kolom",
    "encoding_guessed": "baris bukan UTF-8, dibaca sebagai Windows-1252",
    "header_missing": "baris judul kolom tidak ditemukan",
    "column_missing": "kolom wajib tidak ada",
    "column_repeated": "kolom muncul lebih dari sekali",
    "ragged_row": "jumlah sel berbeda dari judul kolom",
    "no_rows": "tidak ada baris data",
    "findings_capped": "temuan lain dihitung, tidak dicatat",
    # values
    "mixed_decimal_marks": "format angka bercampur",
    "not_a_number": "bukan angka",
    "not_a_duration": "bukan durasi",
    "not_a_date": "bukan tanggal",
    "impossible_date": "tanggal mustahil",
    "not_a_time": "bukan jam",
    "report_date_missing": "tanggal laporan tidak ada",
    "implausible_value": "nilai di atas batas wajar",
    "negative_value": "nilai negatif",
    "duplicate_row": "baris ganda",
    "identity_missing": "identitas agen kosong atau kolomnya tidak ada",
    "unknown_channel": "saluran tidak dikenal",
    "logout_before_login": "logout sebelum login",
    "part_exceeds_whole": "bagian melebihi keseluruhan",
    "vdn_not_a_service": "VDN bukan layanan mana pun",
    # the inputs of ATS
    "end_not_after_start": "selesai tidak setelah mulai",
    "period_overlap": "periode agen bertumpang tindih",
    "activity_not_service": "aktivitas bukan layanan; tidak dihitung dalam ATS",
    "unknown_state": "status agen tidak dikenal",
    "state_open_at_end": "status terakhir tanpa logout; dihitung sampai akhir berkas",
    "unknown_status": "status SIKKA tidak dikenal",
    # matching to the roster
    "login_unknown": "log-in tidak dikenal pada tanggal baris",
    "agent_unknown": "id agen tidak dikenal",
    "matched_by_name": "berkas tanpa id; dicocokkan dengan nama",
    "name_unknown": "nama tidak dikenal atau dipakai beberapa agen",
    "outside_teams": "agen tidak di tim mana pun pada tanggal baris",
    # the roster file
    "table_repeated": "tabel ganda",
    "required_blank": "sel wajib kosong",
    "id_repeated": "id ganda",
    # the complaint template
    "future_date": "tanggal setelah hari ini",
    "steps_out_of_order": "tanggal selesai langkah tidak berurutan",
    "identifier_in_text": "NPWP/NIK tertulis jelas di teks",
    "number_stored": "nomor sudah tersimpan; baris dilewati",
}
"""Every finding code, with what it means."""


@dataclass(frozen=True)
class Finding:
    """One problem: ``row`` is the line as a spreadsheet numbers it (1-based), 0 for the
    file; ``code`` one of :data:`CODES`."""

    level: Literal["galat", "peringatan"]
    file: str
    row: int
    column: str
    code: str
    message: str

    def __post_init__(self):
        if self.code not in CODES:
            raise ValueError(f"kode temuan tidak dikenal: {self.code!r}")

    def __str__(self) -> str:
        where = self.file
        if self.row:
            where += f", baris {self.row}"
        if self.column:
            where += f", kolom {self.column}"
        return f"{self.level.capitalize()}: {where}: {self.message}"


class Collector:
    """Findings of one file as a reader finds them; past :data:`MAX_FINDINGS` they are
    counted, not kept."""

    def __init__(self, file: str):
        self.file = file
        self.findings: list[Finding] = []
        self.dropped = {ERROR: 0, WARNING: 0}

    def error(self, row: int, column: str, code: str, message: str) -> None:
        self._add(ERROR, row, column, code, message)

    def warning(self, row: int, column: str, code: str, message: str) -> None:
        self._add(WARNING, row, column, code, message)

    def _add(self, level: str, row: int, column: str, code: str, message: str) -> None:
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append(Finding(level, self.file, row, column, code, message))
        else:
            self.dropped[level] += 1

    def every(self) -> list[Finding]:
        """The findings kept, and one saying how many more there were: an error when any
        of them was (a file must not pass because its errors came after the cap)."""
        dropped = sum(self.dropped.values())
        if not dropped:
            return self.findings
        level = ERROR if self.dropped[ERROR] else WARNING
        message = f"dan {dropped} temuan lain tidak dicatat ({self.dropped[ERROR]} galat)"
        return [*self.findings, Finding(level, self.file, 0, "", "findings_capped", message)]


MAX_FINDINGS = 50_000
"""Findings kept per file: a file wrong on every line says so without holding millions."""


class Problem(ValueError):
    """A value or file that cannot be read, with its finding code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


class HasFindings:
    """Errors and warnings of anything holding a ``findings`` list."""

    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == WARNING]

    @property
    def codes(self) -> set[str]:
        """The codes of every finding, for a program to test."""
        return {f.code for f in self.findings}


class ExportError(ValueError):
    """An export that cannot be read as it is; ``findings`` lists every error found."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        errors = [f for f in findings if f.level == ERROR]
        shown = "; ".join(str(f) for f in errors[:5])
        more = f" (dan {len(errors) - 5} galat lain)" if len(errors) > 5 else ""
        super().__init__(shown + more)
