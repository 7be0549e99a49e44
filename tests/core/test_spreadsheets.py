"""The one spreadsheet reader: row numbers, limits checked before rows are read, clear errors."""

from __future__ import annotations

import csv
import io
import time
from decimal import Decimal

import pytest
from openpyxl import Workbook

from core.spreadsheets import FORMULA_PREFIXES, SpreadsheetError, read_table, write_csv


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_csv_and_xlsx_read_alike_with_spreadsheet_row_numbers() -> None:
    rows = [["Name", "Amount"], ["a", 1], [None, None], ["b", 2.5]]
    csv_text = b"Name,Amount\na,1\n,\nb,2.5\n"
    for name, content in (("t.csv", csv_text), ("t.xlsx", _xlsx(rows))):
        table = read_table(name, content)
        assert table.header == ["name", "amount"]
        assert table.rows == [
            (2, {"name": "a", "amount": "1"}),
            (4, {"name": "b", "amount": "2.5"}),
        ]


def test_a_missing_required_column_is_named() -> None:
    with pytest.raises(SpreadsheetError, match="Missing column"):
        read_table("t.csv", b"name\nx\n", required=["name", "value"])


def test_a_file_over_the_row_limit_is_refused() -> None:
    content = ("v\n" + "1\n" * 11).encode()
    with pytest.raises(SpreadsheetError, match="at most 10 rows"):
        read_table("t.csv", content, max_rows=10)


def test_an_xlsx_claiming_a_million_rows_is_refused_before_reading_them() -> None:
    """A tiny workbook whose sheet claims A1:CV1000000 must not be read row by row."""
    content = _xlsx([["v"], [1]])
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                claimed = b'<dimension ref="A1:CV1000000" />'
                data = data.replace(b'<dimension ref="A1:A2" />', claimed)
                assert b"CV1000000" in data
            target.writestr(item, data)
    started = time.monotonic()
    with pytest.raises(SpreadsheetError, match="at most"):
        read_table("big.xlsx", out.getvalue())
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"a,b\n\xff\xfe,1\n", "UTF-8"),
        (b"a\n" + b"x" * 200_000 + b"\n", "KB"),
        (b"a\nx\x00y\n", "character that cannot be stored"),
    ],
)
def test_unreadable_csv_is_a_clear_error_not_a_crash(content: bytes, message: str) -> None:
    with pytest.raises(SpreadsheetError, match=message):
        read_table("t.csv", content)


def test_other_formats_and_empty_files_are_refused() -> None:
    with pytest.raises(SpreadsheetError, match=r"Upload a \.csv or \.xlsx"):
        read_table("t.txt", b"a")
    with pytest.raises(SpreadsheetError, match="empty"):
        read_table("t.csv", b"")
    with pytest.raises(SpreadsheetError, match=r"readable \.xlsx"):
        read_table("t.xlsx", b"not a zip")


HOSTILE_CELLS = [
    ";=1+1",
    ",=1+1",
    "\t=1+1",
    "|=1+1",
    'a;=HYPERLINK("x")',
    "=1+1",
    "-2+3",
    "@SUM(A1)",
]


@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
def test_csv_cells_never_start_a_formula_whatever_separator_opens_the_file(separator) -> None:
    """German Excel opens a .csv with ``;`` as the separator: a cell must not split there into
    a formula, nor under any other separator a spreadsheet may pick."""
    data = write_csv(["text", "amount"], [[cell, Decimal("-4.5")] for cell in HOSTILE_CELLS])
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=separator))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells, text
    assert [c for c in cells if c.startswith(FORMULA_PREFIXES) and c != "-4.5"] == []


def test_csv_keeps_text_whole_and_numbers_as_numbers() -> None:
    data = write_csv(["text", "amount"], [[";=1+1", Decimal("-4.5")], [None, 3]])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["text", "amount"], [";=1+1", "-4.5"], ["", "3"]]
    # Numbers are written unquoted, so spreadsheets read them as numbers.
    assert data.decode("utf-8-sig").splitlines()[1].endswith(",-4.5")
