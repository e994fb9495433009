"""The attention list as a spreadsheet: CSV (Swedish Excel: ';' and a BOM) and XLSX via openpyxl."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

LEADING = ["Prioritet", "Grupp", "Dokument", "Fil", "Typ", "Region", "RUS-område"]
TRAILING = ["Belopp (kr)", "Andel (%)", "Period", "Flaggor", "Skäl"]


def headers(perspective_names: list[str]) -> list[str]:
    """Column headings: one column per required perspective (named as in the corpus) between the fixed ones."""
    return LEADING + perspective_names + TRAILING


def swedish_number(value: Any) -> Any:
    """80.0 → '80', 12.5 → '12,5': numbers as Excel with Swedish settings reads them."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value).replace(".", ",")
    return value


def write_csv(table: list[list[Any]], path: Path) -> None:
    """Semicolon-separated with a BOM, which is what Excel with Swedish settings opens correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerows([[swedish_number(cell) for cell in row] for row in table])
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")


def xlsx_bytes(table: list[list[Any]]) -> bytes:
    """One sheet (first row: headings) with a frozen header row, an auto filter and readable column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Uppmärksamhetslista"
    for record in table:
        sheet.append(record)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    widths = {"Dokument": 50, "Skäl": 90, "Fil": 24, "RUS-område": 32, "Grupp": 28}
    for (cell,) in sheet.iter_cols(min_row=1, max_row=1):
        sheet.column_dimensions[cell.column_letter].width = widths.get(cell.value, 14)
    for row in sheet.iter_rows(min_row=2):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsx(table: list[list[Any]], path: Path) -> None:
    path.write_bytes(xlsx_bytes(table))
