"""Reading measurement import files (CSV or XLSX) into rows; no database.

Columns (header row, any order, case-insensitive): ``period`` (e.g. 2026-Q2), ``kpi`` (KPI
code), ``value``, and optionally ``measured_on`` (YYYY-MM-DD) and ``comment``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from openpyxl import load_workbook

from core.errors import FieldErrors

REQUIRED_COLUMNS = ("period", "kpi", "value")
OPTIONAL_COLUMNS = ("measured_on", "comment")
MAX_ROWS = 5000


@dataclass(frozen=True, slots=True)
class ImportIssue:
    row: int  # spreadsheet row number, the header being row 1
    column: str
    message: str


class ImportFileError(FieldErrors):
    """The file cannot be read at all (format, header)."""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def read_rows(upload: IO[bytes], filename: str) -> list[tuple[int, dict[str, str]]]:
    """The data rows as ``(row number, {column: text})``; raises ImportFileError when the
    file is not a readable CSV/XLSX or a required column is missing."""
    name = filename.lower()
    raw_rows: list[list[str]]
    if name.endswith(".xlsx"):
        try:
            workbook = load_workbook(upload, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise ImportFileError({"file": ["This is not a readable XLSX file."]}) from exc
        sheet = workbook.worksheets[0]
        raw_rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    elif name.endswith(".csv"):
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFileError({"file": ["Save the CSV file as UTF-8."]}) from exc
        raw_rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    else:
        raise ImportFileError({"file": ["Upload a .csv or .xlsx file."]})
    if not raw_rows:
        raise ImportFileError({"file": ["The file is empty."]})
    header = [h.strip().lower() for h in raw_rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportFileError({"file": [f"Missing column(s): {', '.join(missing)}."]})
    if len(raw_rows) - 1 > MAX_ROWS:
        raise ImportFileError({"file": [f"Import at most {MAX_ROWS} rows at a time."]})
    columns = [c for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in header]
    rows = []
    for number, raw in enumerate(raw_rows[1:], start=2):
        if not any(raw):
            continue
        rows.append(
            (
                number,
                {c: raw[header.index(c)] if header.index(c) < len(raw) else "" for c in columns},
            )
        )
    if not rows:
        raise ImportFileError({"file": ["The file has no data rows."]})
    return rows
