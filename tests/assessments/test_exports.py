"""CSV and XLSX exports never hold a formula, in any spreadsheet locale."""

import csv
import io
import re
import zipfile

import pytest
from django.test import Client
from openpyxl import load_workbook

from assessments import exports
from tests import factories as f

# hostile value -> the CSV cell written for it
HOSTILE = {
    'Plain;=HYPERLINK("http://evil","x")': 'Plain;\'=HYPERLINK("http://evil","x")',
    "a,+1": "a,'+1",
    "\t=1": "'\t'=1",
    "  =1": "'  =1",
    "x\n=1": "x\n'=1",
    "x\r\n@SUM(1)": "x\r'\n'@SUM(1)",
    "=cmd|' /C calc'!A0": "'=cmd|' /C calc'!A0",
    "@SUM(A1:A2)": "'@SUM(A1:A2)",
    "-2+3": "'-2+3",
    "+1": "'+1",
    "\r=1": "'\r'=1",
    "a;\t=1": "a;'\t'=1",
    'q";=1': 'q";\'=1',
    'a;"=1"': 'a;\'"=1"',
    "a\t-1": "a\t'-1",
    "\u00a0=1": "'\u00a0=1",  # no-break space
    "\ufeff=1": "'\ufeff=1",  # byte-order mark
    "\u200b@x": "'\u200b@x",  # zero-width space
    "\uff1d1+1": "'\uff1d1+1",  # full-width =
    "\uff20SUM(1)": "'\uff20SUM(1)",  # full-width @
    "\uff0b1": "'\uff0b1",  # full-width +
    "\ufe661": "'\ufe661",  # small =
}
HARMLESS = ["Fine", "Cut meals =HYPERLINK(\"x\")", "a = b", "e-mail", "PC.AGE", "50%", "", "Ein; zwei", "'=1",
            "2026-03-04", "Older people (65+)", "A—B"]
# a cell piece a spreadsheet could read as a formula: after a separator of some locale (or the
# start) and any blanks, control or format characters, a formula character
FORMULA = re.compile(r"(?:^|[,;\t\r\n])[\s\"\u200b\ufeff\x00-\x1f]*[=+\-@\uff1d\uff0b\uff0d\uff20\ufe62\ufe63\ufe66]")


@pytest.mark.parametrize(("value", "cell"), HOSTILE.items())
def test_csv_neutralises_every_piece_that_could_be_a_formula(value, cell):
    assert exports.formula_like(value)
    assert exports.safe_cell(value) == cell
    written = next(csv.reader(io.StringIO(exports.to_csv([[value]]).decode("utf-8-sig"), newline="")))[0]
    assert written == cell and not FORMULA.search(written)
    for separator in ",;\t":  # opened with another locale's separator: no piece is a formula
        for piece in re.split(f"[{separator}\r\n]", written):
            assert not FORMULA.match(piece), (value, separator, piece)


def test_harmless_text_and_numbers_are_left_as_they_are():
    for value in HARMLESS:
        assert not exports.formula_like(value) and exports.safe_cell(value) == value, value
    assert [exports.safe_cell(v) for v in (-2, 3.5, 0, None)] == [-2, 3.5, 0, None]
    assert exports.to_csv([["Total", -2, 3.5]]).decode("utf-8-sig") == "Total,-2,3.5\r\n"


def test_xlsx_stores_hostile_text_as_text_with_the_quote_prefix():
    table = [["Value", "Number"], *[[value, -n] for n, value in enumerate(HOSTILE, start=1)], ["Fine", 0]]
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(table, "T"))).active
    for (value, number), row in zip(table[1:-1], list(sheet.iter_rows())[1:-1], strict=True):
        text, figure = row
        stored = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value)  # XML 1.0 cannot hold the rest
        assert (text.value, text.data_type, text.quotePrefix) == (stored, "s", True), value
        assert (figure.value, figure.data_type, figure.quotePrefix) == (number, "n", False)
    assert (sheet["A1"].quotePrefix, sheet.cell(row=len(table), column=1).quotePrefix) == (False, False)
    xml = exports.to_xlsx([['=HYPERLINK("http://evil")']], "T")
    sheet_xml = zipfile.ZipFile(io.BytesIO(xml)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and 't="inlineStr"' in sheet_xml and "=HYPERLINK" in sheet_xml


@pytest.mark.django_db
def test_the_matrix_exports_carry_a_title_with_a_formula_after_a_semicolon_as_text(cast):
    f.complete_parts(cast, f.screen(cast, f.start(cast, 'Plain;=HYPERLINK("http://evil","Click")')))
    client = Client()
    client.force_login(cast.lead)
    plan_id = f.plan().pk
    content = client.get(f"/plans/{plan_id}/cumulative-impact.csv").content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(content)))
    assert "Plain;'=HYPERLINK(\"http://evil\",\"Click\")" in header[4]
    for separator in ",;\t":
        assert not any(FORMULA.match(piece) for line in content.splitlines() for piece in line.split(separator))
    sheet = load_workbook(io.BytesIO(client.get(f"/plans/{plan_id}/cumulative-impact.xlsx").content)).active
    assert "Plain;=HYPERLINK" in sheet["E1"].value and sheet["E1"].quotePrefix and sheet["E1"].data_type == "s"
