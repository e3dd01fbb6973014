"""Tables as CSV and XLSX downloads: the cumulative impact matrix here, the register in
``reports``. Exported user text can never run as a formula in the reader's spreadsheet,
whatever its locale: see ``formula_like`` for the rule, ``safe_cell`` (CSV) and
``to_xlsx`` for what is done about it. Numbers stay numbers."""

import csv
import io
import unicodedata

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from .cumulative import Matrix

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What starts a formula (or a DDE call: "=cmd|..." or "@SUM(...)"), with the full-width and
# small forms some locales' spreadsheets also read as one.
FORMULA_START = frozenset("=+-@\u2212\uff1d\uff0b\uff0d\uff20\ufe62\ufe63\ufe66\ufe6b")
# Where a spreadsheet may start a new cell: the field separators of the locales (comma,
# semicolon, tab) and every line break. A CSV opened with another separator than it was
# written with splits a cell at these, so each piece must be safe on its own.
SEPARATORS = frozenset(",;\t\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# What a spreadsheet skips before it looks for "=": blanks, control and format characters
# (a byte-order mark, zero-width spaces) and the quote a CSV reader takes off.
_SKIPPED_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


def _skipped(ch: str) -> bool:
    return ch == '"' or unicodedata.category(ch) in _SKIPPED_CATEGORIES


def _piece_starts(text: str) -> list[int]:
    """Where each piece a spreadsheet might read as a cell starts: the text's start and
    just after every separator."""
    return [0] + [i + 1 for i, ch in enumerate(text) if ch in SEPARATORS]


def _formula_at(text: str, start: int) -> bool:
    for ch in text[start:]:
        if not _skipped(ch):
            return ch in FORMULA_START
    return False


def formula_like(text: str) -> bool:
    """Whether a spreadsheet in some locale could read ``text`` (or a piece of it) as a
    formula: after any blanks or control characters, the text or a piece after one of the
    ``SEPARATORS`` starts with one of ``FORMULA_START``."""
    return any(_formula_at(text, start) for start in _piece_starts(text))


def safe_cell(value):
    """A CSV cell that no spreadsheet reads as a formula. Text that could be one gets an
    apostrophe (the spreadsheets' "this is text" mark) at the start of every piece that
    could be, so ``Plain;=HYPERLINK(...)`` becomes ``Plain;'=HYPERLINK(...)``; a cell
    starting with a tab or carriage return gets one at its start as well. Anything else,
    and every number, is left as it is."""
    if not isinstance(value, str):
        return value
    marks = {start for start in _piece_starts(value) if _formula_at(value, start)}
    if value.startswith(("\t", "\r")):
        marks.add(0)
    if not marks:
        return value
    return "".join(("'" if i in marks else "") + ch for i, ch in enumerate(value))


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
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = _sheet_title(title)
    for row in table:
        sheet.append([_xlsx_value(value) for value in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                # openpyxl takes "=..." for a formula: store every text as text, and mark
                # what looks like one with the quote prefix (Excel's "typed with a leading
                # apostrophe"), so it stays text when someone edits the cell
                cell.data_type = "s"
                if formula_like(cell.value):
                    cell.quotePrefix = True
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
