"""Excel workbooks written from frames, for downloads and the command line."""

from __future__ import annotations

import io

import pandas as pd


def workbook(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An Excel workbook with a sheet per frame, in order (names cut to Excel's 31)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet, frame in sheets.items():
            frame.to_excel(writer, sheet_name=sheet[:31], index=False)
    return buffer.getvalue()
