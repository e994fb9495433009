"""The attention list as a spreadsheet: CSV (Swedish Excel: ';' and a BOM) and XLSX via openpyxl."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

HEADERS = ["Prioritet", "Grupp", "Dokument", "Fil", "Typ", "Region", "RUS-område", "Miljö", "Barn", "Jämställdhet",
           "Belopp (kr)", "Andel (%)", "Period", "Flaggor", "Skäl"]


def write_csv(records: list[list[Any]], path: Path) -> None:
    """Semicolon-separated with a BOM, which is what Excel with Swedish settings opens correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADERS)
    writer.writerows(records)
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")


def xlsx_bytes(records: list[list[Any]]) -> bytes:
    """One sheet with a frozen header row, an auto filter and readable column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Uppmärksamhetslista"
    sheet.append(HEADERS)
    for record in records:
        sheet.append(record)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    widths = {"Dokument": 50, "Skäl": 90, "Fil": 24, "RUS-område": 32, "Grupp": 28}
    for column, header in zip(sheet.iter_cols(min_row=1, max_row=1), HEADERS, strict=True):
        sheet.column_dimensions[column[0].column_letter].width = widths.get(header, 14)
    for row in sheet.iter_rows(min_row=2):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsx(records: list[list[Any]], path: Path) -> None:
    path.write_bytes(xlsx_bytes(records))
