"""The cumulative impact matrix, its charts, exports and PDF."""

import csv
import datetime
import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from assessments import cumulative, exports, services
from assessments.charts import chart_svg
from assessments.models import AssessmentState, PlanChange
from assessments.selectors import plan_changes_for
from tests import factories as f

pytestmark = pytest.mark.django_db

NEG = ({"negative"}, "Fewer places near home.")
POS = ({"positive"}, "Better access.")
BOTH = ({"positive", "negative"}, "Better for some, worse for others.")


@pytest.fixture
def world(cast):
    """Three plan changes of one plan: two rate age negative, one of them disability
    positive and negative; a third is screened out; a fourth is withdrawn."""
    a = f.screen(cast, f.start(cast, "Close day centre"))
    f.complete_parts(cast, a, {"PC.AGE": NEG, "PC.DISABILITY": BOTH, "GEO.LCPP1": NEG})
    b = f.screen(cast, f.start(cast, "Cut meals =HYPERLINK(\"x\")"))
    f.complete_parts(cast, b, {"PC.AGE": NEG, "PC.RACE": POS})
    c = f.screen(cast, f.start(cast, "Annual report"), full=False)
    d = f.screen(cast, f.start(cast, "Withdrawn idea"))
    f.complete_parts(cast, d, {"PC.AGE": NEG, "PC.SEX": NEG})
    services.assessment_withdraw(assessment=f.current(d), by=cast.officer, reason="No longer needed.")
    return {"a": a, "b": b, "c": c, "d": d}


def _matrix(cast, **filters):
    return cumulative.cumulative_matrix(plan_changes_for(cast.officer), **filters)


def _row(matrix, code):
    return next(row for row in matrix.rows if row.code == code)


def test_rows_are_totalled_and_flagged_across_plan_changes(cast, world):
    matrix = _matrix(cast)
    assert [c.plan_change for c in matrix.columns] == [world["a"], world["b"]]  # withdrawn and screened out left out
    assert matrix.without_assessment == 1
    age = _row(matrix, "PC.AGE")
    assert [cell.label for cell in age.cells] == ["Negative", "Negative"]
    assert age.totals["negative"] == 2 and age.flagged
    disability = _row(matrix, "PC.DISABILITY")
    assert disability.cells[0].label == "Positive and Negative" and disability.cells[0].kind == "mixed"
    assert disability.totals["negative"] == 1 and not disability.flagged
    race = _row(matrix, "PC.RACE")
    assert [cell.kind for cell in race.cells] == ["no_impact", "positive"]
    assert [row.code for row in matrix.flagged_rows] == ["PC.AGE"]
    assert matrix.column_negatives == [3, 1]
    # statutory order of the form, sections in order
    assert [s.code for s in matrix.sections][:2] == ["equality", "fairness"]
    assert [r.code for r in matrix.sections[0].rows][:2] == ["PC.AGE", "PC.DISABILITY"]


def test_filters_by_state_and_section(cast, world):
    withdrawn = _matrix(cast, states=[AssessmentState.WITHDRAWN])
    assert [c.plan_change for c in withdrawn.columns] == [world["d"]]
    everything = _matrix(cast, states=[s.value for s in cumulative.COLUMN_STATES])
    assert len(everything.columns) == 3 and _row(everything, "PC.AGE").totals["negative"] == 3
    fairness = _matrix(cast, sections=["fairness"])
    assert {s.code for s in fairness.sections} == {"fairness"} and _row(fairness, "GEO.LCPP1").totals["negative"] == 1


def test_a_new_version_heads_its_column_and_unrated_rows_say_so(cast, world):
    assessment = f.current(world["a"])
    f.complete_actions(cast, world["a"], justifications={
        f.row(assessment, code).pk: "Justified by the savings." for code in ("PC.AGE", "PC.DISABILITY", "GEO.LCPP1")})
    f.submit(cast, world["a"])
    f.approve(cast, world["a"])
    signed = f.sign_off(cast, world["a"])
    services.assessment_new_version(assessment=signed, by=cast.officer, reason="Review.")
    matrix = _matrix(cast)
    column = matrix.columns[0]
    assert column.assessment.version == 2 and column.assessment.state == AssessmentState.IN_PROGRESS
    assert _row(matrix, "PC.AGE").cells[0].label == "Negative"  # the answers were copied
    fresh = f.screen(cast, f.start(cast, "Not yet rated"))
    matrix = _matrix(cast)
    assert _row(matrix, "PC.AGE").cells[-1].label == "Not rated" and matrix.columns[-1].plan_change == fresh


def test_another_boards_plan_changes_never_appear(cast, borders, world):
    other = f.screen(borders, f.start(borders, "Borders change"))
    f.complete_parts(borders, other, {"PC.AGE": NEG})
    matrix = cumulative.cumulative_matrix(plan_changes_for(cast.officer))
    assert other.pk not in {c.plan_change.pk for c in matrix.columns}
    client = Client()
    client.force_login(cast.officer)
    assert client.get(f"/boards/{borders.board_slug}/dashboard/").status_code == 404
    assert client.get(f"/plans/{other.plan_id}/").status_code == 404
    assert client.get(f"/plans/{other.plan_id}/cumulative-impact.csv").status_code == 404
    assert client.get(f"/plans/{other.plan_id}/cumulative-impact.pdf").status_code == 404


def test_charts_count_states_characteristics_mitigations_and_reviews(cast, world):
    plan_change = f.to_submitted(cast, "Submitted one")
    assessment = f.current(plan_change)
    today = datetime.date.today()
    for days, status in ((-3, "planned"), (-1, "done"), (10, "in_progress"), (100, "planned"), (-5, "dropped")):
        assessment.actions.create(description="x", owner="y", due_date=today + datetime.timedelta(days=days),
                                  status=status)
    scope = plan_changes_for(cast.officer)
    states = dict(cumulative.state_chart(scope).bars)
    assert states["IIA in progress"] == 2 and states["Submitted for review"] == 1 and states["Withdrawn"] == 1
    matrix = cumulative.cumulative_matrix(scope)
    characteristics = dict(cumulative.characteristic_chart(matrix).bars)
    assert characteristics["Age"] == 2 and characteristics["Disability"] == 1 and characteristics["Race"] == 0
    assert len(characteristics) == 9  # the nine protected characteristics, nothing else
    assert dict(cumulative.mitigation_chart(scope, today).bars) == {
        "Overdue": 1, "Due in the next 30 days": 1, "Due later": 1, "Done": 1, "Dropped": 1}
    reviews = dict(cumulative.review_chart(scope, today).bars)
    assert sum(reviews.values()) == 0
    signed = f.sign_off(cast, f.approve(cast, plan_change).plan_change)
    type(signed).objects.filter(pk=signed.pk).update(review_date=today - datetime.timedelta(days=1))
    assert dict(cumulative.review_chart(scope, today).bars)["Review overdue"] == 1


def test_svg_charts_are_titled_described_and_escape_labels():
    chart = cumulative.Chart("t", "A <b>title</b>", "Desc & more.", "things", [("<script>x</script>", 3), ("Zero", 0)])
    svg = str(chart_svg(chart))
    assert 'role="img"' in svg and 'aria-labelledby="chart-t-title chart-t-desc"' in svg
    assert "<title id=\"chart-t-title\">A &lt;b&gt;title&lt;/b&gt;</title>" in svg
    assert "&lt;script&gt;" in svg and "<script>" not in svg
    assert "&lt;script&gt;x&lt;/script&gt;: 3; Zero: 0." in svg  # every figure in the description
    assert svg.count("<rect") == 1  # a zero draws no bar, but its value is written


def test_csv_and_xlsx_exports_hold_the_matrix_and_never_a_formula(cast, world):
    client = Client()
    client.force_login(cast.lead)
    plan_id = world["a"].plan_id
    response = client.get(f"/plans/{plan_id}/cumulative-impact.csv")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Section", "Group", "Row code", "Row"] and header[-4:][0] == "Negative"
    assert header[5].startswith(f"{world['b'].reference} Cut meals =HYPERLINK")
    age = next(r for r in body if r[2] == "PC.AGE")
    assert age[4:6] == ["Negative", "Negative"] and age[-4] == "2" and age[-1] == "Yes"
    assert exports.safe_cell("=1+1") == "'=1+1" and exports.safe_cell("@SUM") == "'@SUM"
    assert exports.safe_cell("-2") == "'-2" and exports.safe_cell("Fine") == "Fine" and exports.safe_cell(3) == 3

    response = client.get(f"/plans/{plan_id}/cumulative-impact.xlsx?section=equality")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:4] == ["Section", "Group", "Row code", "Row"]
    assert {row[0] for row in values[1:]} == {"Equality & Diversity"}
    age = next(r for r in values if r[2] == "PC.AGE")
    assert age[4:6] == ["Negative", "Negative"] and age[-4] == 2
    formula = exports.to_xlsx([["=HYPERLINK(\"http://evil\")", "a\x07b"]], "T")
    cell = load_workbook(io.BytesIO(formula)).active["A1"]
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"http://evil\")"
    assert load_workbook(io.BytesIO(formula)).active["B1"].value == "ab"


def test_plan_page_and_dashboard_show_the_matrix_charts_and_report_bad_filters(cast, world):
    client = Client()
    client.force_login(cast.senior)
    plan_id = world["a"].plan_id
    page = client.get(f"/plans/{plan_id}/").content.decode()
    assert "Cumulative impact" in page and 'class="cell cell-negative">Negative<' in page
    assert "1 row hit negatively by 2 or more changes at once" in page
    # each row in one tag: its heading with the flag, a cell a column, then its totals
    age = re.search(r'<tr id="row-pcage" class="matrix-flagged"><th scope="row">([^<]*)<br><span class="hint">.*?</span>'
                    r'<br><strong class="flag">Negative in 2 changes</strong></th>((?:<td class="cell [^"]+">[^<]+</td>)+)'
                    r'<td class="num">2</td><td class="num">0</td><td class="num">\d+</td></tr>', page)
    assert age and age[1].startswith("Age") and age[2].count("cell-negative") == 2 and age[2].count("<td") == 2
    assert f'href="/plan-changes/{world["a"].pk}/"' in page and f'href="/plan-changes/{world["b"].pk}/"' in page
    dashboard = client.get(f"/boards/{cast.board_slug}/dashboard/?state=bogus").content.decode()
    assert 'role="img"' in dashboard and dashboard.count("<figure") == 4
    assert "Negative ratings per protected characteristic" in dashboard
    # a wrong value is reported and the defaults apply
    response = client.get(f"/boards/{cast.board_slug}/dashboard/?state=bogus&plan=abc")
    assert response.status_code == 200 and b"There is a problem" in response.content
    assert response.context["matrix"].columns  # still shown with the default states
    filtered = client.get(f"/boards/{cast.board_slug}/dashboard/?state=withdrawn")
    assert [c.plan_change for c in filtered.context["matrix"].columns] == [world["d"]]


def test_the_cumulative_pdf_has_charts_as_figures_and_conforms(cast, world, tmp_path):
    from tests.reports.helpers import text_of
    from tests.reports.test_conformance import assert_conforms, structure_roles

    client = Client()
    client.force_login(cast.officer)
    response = client.get(f"/plans/{world['a'].plan_id}/cumulative-impact.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = response.content
    text = text_of(data)
    assert "Negative ratings per protected characteristic" in text and "Age (FLAGGED: negative in 2)" in text
    assert world["a"].reference in text and world["b"].reference in text
    assert structure_roles(data).count("Figure") == 4
    assert_conforms(data, tmp_path, "cumulative")


def test_the_page_reads_in_a_fixed_number_of_queries(cast, world, django_assert_max_num_queries):
    client = Client()
    client.force_login(cast.officer)
    plan_id = world["a"].plan_id
    with django_assert_max_num_queries(40) as few:
        client.get(f"/plans/{plan_id}/")
    for i in range(3):
        f.complete_parts(cast, f.screen(cast, f.start(cast, f"More {i}")), {"PC.AGE": NEG})
    assert PlanChange.objects.count() == 7
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/plans/{plan_id}/")


def test_a_page_of_the_matrix_is_kept_until_the_next_audited_change(cast, world, django_assert_num_queries):
    """A page of columns (what the plan page and dashboard show) is kept in the cache, keyed
    on the newest audit event: a second view reads that one row; a new rating (audited)
    shows at once."""
    first = _matrix(cast, page=1)
    with django_assert_num_queries(1):
        again = _matrix(cast, page=1)
    assert [c.plan_change for c in again.columns] == [c.plan_change for c in first.columns] == [world["b"], world["a"]]
    assert {row.code: row.totals for row in again.rows} == {row.code: row.totals for row in first.rows}
    assert [row.code for row in again.flagged_rows] == ["PC.AGE"]
    more = f.screen(cast, f.start(cast, "Another"))
    f.complete_parts(cast, more, {"PC.AGE": NEG})
    after = _matrix(cast, page=1)
    assert [c.plan_change for c in after.columns][0] == more and _row(after, "PC.AGE").totals["negative"] == 3


def test_a_page_of_columns_keeps_the_totals_and_flags_of_every_plan_change(cast, world):
    full = _matrix(cast)
    first = _matrix(cast, page=1, per_page=1)
    second = _matrix(cast, page=2, per_page=1)
    # newest first, one column a page; the totals and flags still count both columns
    assert [c.plan_change for c in first.columns] == [world["b"]]
    assert [c.plan_change for c in second.columns] == [world["a"]]
    assert (first.pages, first.total_columns, second.page) == (2, 2, 2)
    for paged in (first, second):
        assert [row.code for row in paged.flagged_rows] == ["PC.AGE"]
        assert {row.code: row.totals for row in paged.rows} == {row.code: row.totals for row in full.rows}
        assert paged.without_assessment == full.without_assessment
    assert _matrix(cast, page=99, per_page=1).page == 2  # past the end: the last page


def test_the_plan_page_pages_its_columns(cast, world, monkeypatch):
    monkeypatch.setattr(cumulative, "COLUMNS_PER_PAGE", 1)
    monkeypatch.setattr(cumulative.cumulative_matrix, "__kwdefaults__",
                        {**cumulative.cumulative_matrix.__kwdefaults__, "per_page": 1})
    client = Client()
    client.force_login(cast.officer)
    plan_id = world["a"].plan_id
    page = client.get(f"/plans/{plan_id}/?state=approved&state=in_progress&columns=2")
    matrix = page.context["matrix"]
    assert [c.plan_change for c in matrix.columns] == [world["a"]] and matrix.pages == 2
    html = page.content.decode()
    assert "page 2 of 2" in html and "1 row hit negatively by 2 or more changes at once" in html
    assert "columns=1#matrix-title" in html and "Newer plan changes" in html
    # the downloads take the filters, never the page
    assert "cumulative-impact.csv?state=approved&amp;state=in_progress\"" in html


def test_the_totals_of_every_plan_change_are_kept_until_the_next_audited_change(cast, world):
    """A paged matrix's totals read every plan change in scope; they are kept in the cache,
    keyed on the newest audit event, so the next page does not read them again and an
    audited change (a part saved, a withdrawal) is counted at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        before = _matrix(cast, page=1, per_page=1)
    with CaptureQueriesContext(connection) as again:  # another page: built, on the totals kept
        assert {r.code: r.totals for r in _matrix(cast, page=2, per_page=1).rows} == {r.code: r.totals for r in before.rows}
    # the versions, the count and the totals are not read again
    assert len(again.captured_queries) == len(first.captured_queries) - 3
    assert _row(before, "PC.RACE").totals["negative"] == 0

    f.complete_parts(cast, f.screen(cast, f.start(cast, "Another")), {"PC.RACE": NEG})  # audited saves
    after = _matrix(cast, page=1, per_page=1)
    assert _row(after, "PC.RACE").totals["negative"] == 1 and after.total_columns == 3
    services.assessment_withdraw(assessment=f.current(world["b"]), by=cast.officer, reason="Dropped.")
    assert _matrix(cast, page=1, per_page=1).total_columns == 2
