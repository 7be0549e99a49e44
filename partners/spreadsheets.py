"""Reading and writing CSV/XLSX tables, safe against spreadsheet formula injection (SPEC 7)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

# A cell starting with one of these is run as a formula by Excel/LibreOffice/Sheets
# (OWASP "CSV injection"); tab and carriage return are included for older parsers.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(ValueError):
    """The file cannot be read as a table at all."""


def neutralise(value: Any) -> Any:
    """A quote before a text cell that would otherwise run as a formula; numbers unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def read_table(name: str, content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows (column → text) of a .csv or .xlsx file; blank rows are skipped."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        rows = _xlsx_rows(content)
    elif lower.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SpreadsheetError("The CSV file is not UTF-8 encoded.") from exc
        rows = list(csv.reader(io.StringIO(text)))
    else:
        raise SpreadsheetError("Upload a .csv or .xlsx file.")
    if not rows:
        raise SpreadsheetError("The file is empty.")
    header = [cell.strip().lower() for cell in rows[0]]
    records: list[dict[str, str]] = []
    for cells in rows[1:]:
        if not any(cell.strip() for cell in cells):
            records.append({})
            continue
        records.append(
            {
                column: (cells[i].strip() if i < len(cells) else "")
                for i, column in enumerate(header)
            }
        )
    return header, records


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a corrupt file
        raise SpreadsheetError("The file is not a readable .xlsx workbook.") from exc
    sheet = workbook.worksheets[0]
    rows = [[_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(_csv_value(v)) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_value(value: Any) -> Any:
    return "" if value is None else value


def _xlsx_value(value: Any) -> Any:
    """Decimals as numbers; control characters XLSX cannot hold are dropped *before* the
    formula check, so removing them can never uncover a leading ``=``."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def write_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append([neutralise(_xlsx_value(v)) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
