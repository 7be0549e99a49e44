"""Reading and writing CSV/XLSX tables, safe against spreadsheet formula injection (SPEC 7)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.functions import iterparse

from core.errors import FieldErrors

# A cell starting with one of these is run as a formula by Excel/LibreOffice/Sheets
# (OWASP "CSV injection"); tab and carriage return are included for older parsers.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(FieldErrors):
    """The file cannot be read as a table at all (format, encoding, size, header)."""

    def __init__(self, message: str) -> None:
        super().__init__({"file": [message]})
        self.message = message


def neutralise(value: Any) -> Any:
    """A quote before a text cell that would otherwise run as a formula; numbers unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


# Rows a file may hold. Both readers stop reading at this row (an XLSX file is refused first
# by the size its sheet claims), so a hostile file never costs more than this many rows.
MAX_ROWS = 5000
# A CSV field longer than this is refused rather than read (Python's csv module's own limit).
MAX_FIELD_CHARS = csv.field_size_limit()


@dataclass(frozen=True)
class Table:
    """A spreadsheet's header (lower-cased) and its non-blank data rows as
    ``(row number as the spreadsheet shows it, {column: text})``; the header is row 1."""

    header: list[str]
    rows: list[tuple[int, dict[str, str]]]


def read_table(
    name: str,
    file: IO[bytes] | bytes,
    *,
    required: Sequence[str] = (),
    max_rows: int = MAX_ROWS,
) -> Table:
    """Read a .csv (UTF-8) or .xlsx upload into a :class:`Table`; raise SpreadsheetError
    when it is not a readable table, lacks a ``required`` column or has over ``max_rows``."""
    lower = name.lower()
    stream = io.BytesIO(file) if isinstance(file, bytes) else file
    if lower.endswith(".xlsx"):
        raw_rows = _xlsx_rows(stream, max_rows)
    elif lower.endswith(".csv"):
        raw_rows = _csv_rows(stream, max_rows)
    else:
        raise SpreadsheetError(_("Upload a .csv or .xlsx file."))
    try:
        header_cells = next(raw_rows)
    except StopIteration:
        raise SpreadsheetError(_("The file is empty.")) from None
    header = [cell.strip().lower() for cell in header_cells]
    missing = [column for column in required if column not in header]
    if missing:
        raise SpreadsheetError(
            _("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)}
        )
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(raw_rows, start=2):
        if number - 1 > max_rows:
            raise SpreadsheetError(
                _("Import at most %(rows)d rows at a time.") % {"rows": max_rows}
            )
        if not any(cell.strip() for cell in cells):
            continue
        rows.append(
            (
                number,
                {
                    column: (cells[i].strip() if i < len(cells) else "")
                    for i, column in enumerate(header)
                },
            )
        )
    return Table(header=header, rows=rows)


def _csv_rows(stream: IO[bytes], max_rows: int) -> Iterator[list[str]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    try:
        for cells in reader:
            if any("\x00" in cell for cell in cells):
                raise SpreadsheetError(
                    f"Row {reader.line_num} holds a character that cannot be stored (NUL)."
                )
            yield cells
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(_("The CSV file is not UTF-8 encoded.")) from exc
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise SpreadsheetError(
                f"Row {reader.line_num} has a cell over {MAX_FIELD_CHARS // 1024} KB."
            ) from exc
        raise SpreadsheetError(f"Row {reader.line_num} cannot be read as CSV: {exc}.") from exc
    finally:
        text.detach()


def _size_from_dimension(sheet: Any) -> None:
    """The size a read-only sheet declares in its ``<dimension>``, read from the start of the
    sheet. openpyxl's own look-up reads on until ``</sheetData>`` (its parser sees end
    events), so a sheet without a ``<dimension>`` (any written with ``write_only``) was parsed
    once in full just to open it; without one the readers' row cap still applies."""
    source = sheet._get_source()
    try:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == DIMENSION_TAG:
                dimension = SheetDimension.from_tree(element)
                if dimension is None:
                    break
                bounds = dimension.boundaries
                sheet._min_column, sheet._min_row, sheet._max_column, sheet._max_row = bounds
                break
            if element.tag == DATA_TAG:
                break
    finally:
        source.close()


ReadOnlyWorksheet._get_size = _size_from_dimension  # type: ignore[attr-defined]


def _xlsx_rows(stream: IO[bytes], max_rows: int) -> Iterator[list[str]]:

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many types for a corrupt file
        raise SpreadsheetError(_("The file is not a readable .xlsx workbook.")) from exc
    try:
        # The size the sheet claims, before any row is read: a tiny file can claim a
        # million rows, and reading them all would tie up the worker.
        claimed = sheet.max_row
        if isinstance(claimed, int) and claimed - 1 > max_rows:
            raise SpreadsheetError(
                _("Import at most %(rows)d rows at a time.") % {"rows": max_rows}
            )
        try:
            for row in sheet.iter_rows(values_only=True):
                yield [_text(cell) for cell in row]
        except SpreadsheetError:
            raise
        except Exception as exc:
            raise SpreadsheetError(_("The file is not a readable .xlsx workbook.")) from exc
    finally:
        workbook.close()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV (with BOM, for Excel) that no spreadsheet runs as formulas.

    Every text cell is quoted, not only those holding a comma: Excel in many locales (German,
    French, …) splits on ``;`` instead, and would cut an unquoted ``;=1+1`` into an empty cell
    and the formula ``=1+1``. Quoted, the cell stays whole whatever the separator, and
    :func:`neutralise` guards its start. Numbers stay unquoted, so they remain numbers.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(_csv_value(v)) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_value(value: Any) -> Any:
    return "" if value is None else value


def _xlsx_value(value: Any) -> Any:
    """Decimals as numbers; control characters XLSX cannot hold are dropped *before* the
    formula check, so removing them can never uncover a leading ``=``."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def write_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append([neutralise(_xlsx_value(v)) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
