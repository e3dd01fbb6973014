"""Tables as CSV and XLSX downloads: the cumulative impact matrix here, the register in
``reports``. Exported user text can never run as a formula in the reader's spreadsheet: in
CSV a cell starting with =, +, -, @, a tab or a carriage return gets a leading apostrophe;
in XLSX every text cell is stored as text, exactly as written."""

import csv
import io

from .cumulative import Matrix

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def matrix_table(matrix: Matrix) -> list[list]:
    """The matrix as a header row and one row per form row, with the row totals."""
    header = ["Section", "Group", "Row code", "Row"]
    header += [f"{c.plan_change.reference} {c.plan_change.title} (v{c.assessment.version}, "
               f"{c.assessment.get_state_display()})" for c in matrix.columns]
    header += ["Negative", "Positive", "Not known", f"Flagged ({matrix.flag_at}+ negative)"]
    table = [header]
    for section in matrix.sections:
        for row in section.rows:
            table.append([
                section.title, row.group, row.code, row.label, *[cell.label for cell in row.cells],
                row.totals["negative"], row.totals["positive"], row.totals["not_known"], "Yes" if row.flagged else "No",
            ])
    return table


def download(table: list[list], fmt: str, name: str, sheet: str):
    """The table as a CSV or XLSX attachment named ``<name>-<today>.<fmt>``."""
    from django.http import HttpResponse
    from django.utils import timezone

    if fmt == "csv":
        response = HttpResponse(to_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(to_xlsx(table, sheet), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.{fmt}"'
    return response


def to_csv(table: list[list]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens accented names correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in table:
        writer.writerow([safe_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: list[list], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = _sheet_title(title)
    for row in table:
        sheet.append([_xlsx_value(value) for value in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            if cell.data_type == "f":  # openpyxl reads "=..." as a formula: keep it as text
                cell.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_value(value):
    if isinstance(value, str):
        value = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)  # XML 1.0 forbids the rest
    return value


def _sheet_title(title: str) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return cleaned[:31] or "Sheet"
