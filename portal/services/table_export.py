"""A report table as a CSV or Excel file, safe to open in a spreadsheet.

Labels come from people (setting and social worker names), so a cell that a spreadsheet would run
as a formula (starting with = + - @, a tab or a carriage return) is written with a leading
apostrophe instead (OWASP "CSV injection"). Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Protocol

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from portal.services.report_tables import Value

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class Exportable(Protocol):
    """A report table (:class:`portal.services.report_tables.Table`) or any list of text rows."""

    key: str
    money: bool

    def records(self) -> Sequence[Sequence[str | Value]]: ...


def neutralise(cell: str | Value) -> str | Value:
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def to_csv(table: Exportable) -> bytes:
    """UTF-8 with a byte-order mark, which Excel needs to read the £ sign correctly."""
    text = io.StringIO()
    writer = csv.writer(text)
    for record in table.records():
        writer.writerow([neutralise(cell) for cell in record])
    return text.getvalue().encode("utf-8-sig")


def to_xlsx(table: Exportable) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.key[:31]
    for index, record in enumerate(table.records()):
        sheet.append([_excel_cell(cell) for cell in record])
        if index == 0:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
    if table.money:
        for row in sheet.iter_rows(min_row=2, min_col=2):
            for cell in row:
                cell.number_format = '"£"#,##0.00'
    sheet.column_dimensions["A"].width = max(len(str(c.value or "")) for c in sheet["A"]) + 2
    sheet.freeze_panes = "B2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _excel_cell(cell: str | Value) -> str | Value:
    """Excel refuses control characters in text, and would run a formula: remove and neutralise."""
    if isinstance(cell, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", cell))
    return cell


def export(table: Exportable, file_format: str) -> bytes:
    return to_csv(table) if file_format == "csv" else to_xlsx(table)
