"""Reading measurement import files (CSV or XLSX) into rows; no database.

Columns (header row, any order, case-insensitive): ``period`` (e.g. 2026-Q2), ``kpi`` (KPI
code), ``value``, and optionally ``measured_on`` (YYYY-MM-DD) and ``comment``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from core.spreadsheets import MAX_ROWS, SpreadsheetError, read_table

REQUIRED_COLUMNS = ("period", "kpi", "value")
OPTIONAL_COLUMNS = ("measured_on", "comment")
__all__ = ["MAX_ROWS", "ImportFileError", "ImportIssue", "read_rows"]


@dataclass(frozen=True, slots=True)
class ImportIssue:
    row: int  # spreadsheet row number, the header being row 1
    column: str
    message: str


# The file cannot be read at all (format, header, size): the one reader's error.
ImportFileError = SpreadsheetError


def read_rows(upload: IO[bytes], filename: str) -> list[tuple[int, dict[str, str]]]:
    """The data rows as ``(row number, {column: text})``; raises ImportFileError when the
    file is not a readable CSV/XLSX or a required column is missing."""
    table = read_table(filename, upload, required=REQUIRED_COLUMNS)
    columns = [c for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in table.header]
    rows = [(number, {c: cells[c] for c in columns}) for number, cells in table.rows]
    if not rows:
        raise ImportFileError("The file has no data rows.")
    return rows
