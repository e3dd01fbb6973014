"""The mainstreaming evidence: its figures on a small hand-built world (counted by aggregate
queries, a fixed number whatever the board's size), the signed and tagged PDF, the CSV and
XLSX, the period form, and who may produce it."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from assessments import services as assessment_services
from assessments.models import Assessment, AssessmentReview, Board, Screening
from assessments.models.assessment import ActionKind, ActionStatus
from reports import services
from reports.mainstreaming import mainstreaming_figures, mainstreaming_table
from reports.models import SignedDocument
from reports.pdf import signing
from tests import factories as f

from .helpers import text_of
from .test_conformance import assert_conforms, structure_roles

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)


def at(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(day + "T12:00"))


def _signed(cast, title, negatives, actions=()):
    """A plan change taken through the flow to sign-off, rating ``negatives`` negative; its
    mitigating actions are ``actions``: (description, due date, status)."""
    plan_change = f.screen(cast, f.start(cast, title))
    assessment = f.complete_parts(cast, plan_change, {code: ({"negative"}, "Loses out.") for code in negatives})
    inputs = [f.mitigation(assessment, negatives[:1]) for _ in actions]
    inputs.append(f.mitigation(assessment, negatives[:1], kind=ActionKind.EVIDENCE))  # never counted
    justifications = {f.row(assessment, code).pk: "Proportionate." for code in negatives}
    f.complete_actions(cast, plan_change, actions=inputs, justifications=justifications)
    f.submit(cast, plan_change)
    f.approve(cast, plan_change)
    assessment = f.sign_off(cast, plan_change)
    mitigations = assessment.actions.filter(kind=ActionKind.MITIGATION).order_by("position", "pk")
    for action, (description, due, status) in zip(mitigations, actions, strict=True):
        type(action).objects.filter(pk=action.pk).update(description=description, due_date=due, status=status)
    assessment.actions.filter(kind=ActionKind.EVIDENCE).update(due_date=datetime.date(2026, 3, 1))
    return assessment


def _dated(assessment, signed_off: str, published: str | None = None, review_date: str | None = None):
    """Move the record to the past: sign-off (and screening review ten days before), its
    publication and review date."""
    signed = at(signed_off)
    Assessment.objects.filter(pk=assessment.pk).update(
        signed_off_at=signed, review_date=datetime.date.fromisoformat(review_date) if review_date else "2027-12-01")
    Screening.objects.filter(plan_change=assessment.plan_change_id).update(reviewed_at=signed - datetime.timedelta(days=10))
    SignedDocument.objects.filter(assessment=assessment).update(published_at=at(published) if published else None)


@pytest.fixture
def world(cast, borders):
    """Dundee (results within 14 days of sign-off, the default), the period 1 January to 30 June 2026:
    - A, signed off 1 February, negative on age, race and low income, published on 10
      February (on time); mitigations: one done, one due 1 March not done (overdue); its
      review date, 1 June, passed without a review;
    - B, signed off 1 March, negative on age and area deprivation, published 1 May (late);
      a mitigation due 31 December (not yet due);
    - C, signed off 20 June, negative on age, not published;
    - D, signed off 1 December 2025 (before the period), negative on sex: still in force, its
      mitigation due 1 February in progress (overdue); reviewed and confirmed on 1 May;
    - E, signed off 1 August (after the period), negative on disability: not counted;
    - a plan change screened out on 1 April, another on 1 January 2025;
    - Borders: an assessment signed off in the period, negative on age: never counted."""
    a = _signed(cast, "A", ["PC.AGE", "PC.RACE", "SED.LOW_INCOME"],
                [("Interpreters", datetime.date(2026, 2, 20), ActionStatus.DONE),
                 ("Leaflets", datetime.date(2026, 3, 1), ActionStatus.PLANNED)])
    _dated(a, "2026-02-01", "2026-02-10", review_date="2026-06-01")
    b = _signed(cast, "B", ["PC.AGE", "SED.AREA_DEPRIVATION"],
                [("Transport", datetime.date(2026, 12, 31), ActionStatus.IN_PROGRESS)])
    _dated(b, "2026-03-01", "2026-05-01")
    c = _signed(cast, "C", ["PC.AGE"])
    _dated(c, "2026-06-20")
    d = _signed(cast, "D", ["PC.SEX"], [("Outreach", datetime.date(2026, 2, 1), ActionStatus.IN_PROGRESS)])
    _dated(d, "2025-12-01", "2025-12-05")
    review = assessment_services.assessment_review_confirm(
        assessment=d, by=cast.lead, note="Still holds.", next_review_date=datetime.date(2027, 5, 1),
        impacts={r.row_id: assessment_services.ImpactInput("as_predicted", "The complaints log.")
                 for r in assessment_services.negative_ratings(d)})
    AssessmentReview.objects.filter(pk=review.pk).update(reviewed_at=at("2026-05-01"))
    e = _signed(cast, "E", ["PC.DISABILITY"], [("Ramps", datetime.date(2026, 3, 1), ActionStatus.PLANNED)])
    _dated(e, "2026-08-01", "2026-08-02")
    for title, day in (("Out in period", "2026-04-01"), ("Out before", "2025-01-01")):
        screened = f.screen(cast, f.start(cast, title), full=False)
        Screening.objects.filter(plan_change=screened).update(reviewed_at=at(day))
    elsewhere = _signed(borders, "Borders", ["PC.AGE"], [("Theirs", datetime.date(2026, 2, 1), ActionStatus.PLANNED)])
    _dated(elsewhere, "2026-02-01")
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def figures_of(result) -> dict[str, int]:
    values = {figure.label: figure.value for group in result.groups for figure in group.figures}
    values.update({f"negative {x.label}": x.value for x in result.characteristics + result.dimensions})
    return values


def test_the_figures_of_a_hand_built_world(world):
    result = mainstreaming_figures(board=f.board(), start=START, end=END, now=at("2026-09-01"))
    got = figures_of(result)
    assert {k: got[k] for k in ("Assessments completed", "Plan changes assessed", "Screened out", "Screened in")} == {
        "Assessments completed": 3, "Plan changes assessed": 3, "Screened out": 1, "Screened in": 3}
    # by characteristic and by Fairer Scotland dimension: A, B, C only (D before, E after, Borders elsewhere)
    assert got["negative Age"] == 3 and got["negative Race"] == 1
    assert got["negative Sex"] == 0 and got["negative Disability"] == 0
    assert got["negative Low income"] == 1
    assert got["negative Area deprivation (communities of place and of interest)"] == 1
    assert got["negative Low or no wealth"] == 0
    assert [x.label for x in result.characteristics][:2] == ["Age", "Disability"] and len(result.characteristics) == 9
    assert len(result.dimensions) == 5
    # mitigations of A, B and D (in force at the end of June); evidence actions and E's never
    assert (got["Mitigating actions in force"], got["Mitigating actions done"], got["Mitigating actions overdue"],
            got["Mitigating actions not yet due"]) == (4, 1, 2, 1)
    assert (got["Reviews done"], got["Reviews that confirmed the assessment"],
            got["Reviews that started a new version"], got["Review dates missed"]) == (1, 1, 0, 1)
    assert (got["Results published on time"], got["Results published late"],
            got["Results not yet published, overdue"], got["Results not yet published, not yet due"]) == (1, 1, 1, 0)


def test_publication_is_counted_against_the_boards_days_and_the_moment_counted(world):
    early = figures_of(mainstreaming_figures(board=f.board(), start=START, end=END, now=at("2026-07-04")))
    assert (early["Results not yet published, overdue"], early["Results not yet published, not yet due"]) == (0, 1)
    later = figures_of(mainstreaming_figures(board=f.board(), start=START, end=END, now=at("2026-07-05")))
    assert (later["Results not yet published, overdue"], later["Results not yet published, not yet due"]) == (1, 0)
    Board.objects.filter(slug="dundee").update(results_publication_days=90)  # B's 61 days are on time then
    patient = figures_of(mainstreaming_figures(board=f.board(), start=START, end=END, now=at("2026-09-01")))
    assert (patient["Results published on time"], patient["Results published late"]) == (2, 0)
    assert (patient["Results not yet published, overdue"], patient["Results not yet published, not yet due"]) == (0, 1)


def test_a_superseded_version_leaves_the_mitigations_in_force(world):
    Assessment.objects.filter(pk=world["d"].pk).update(state="superseded")
    got = figures_of(mainstreaming_figures(board=f.board(), start=START, end=END, now=at("2026-09-01")))
    assert (got["Mitigating actions in force"], got["Mitigating actions overdue"]) == (3, 1)


def test_the_figures_take_a_fixed_number_of_queries(cast, world, django_assert_num_queries):
    board = f.board()
    with django_assert_num_queries(5):
        small = mainstreaming_figures(board=board, start=START, end=END, now=at("2026-09-01"))
    for title in ("F", "G", "H"):
        _dated(_signed(cast, title, ["PC.AGE", "PC.RACE"], [("More", datetime.date(2026, 3, 1), ActionStatus.PLANNED)]),
               "2026-04-01", "2026-04-02")
    with django_assert_num_queries(5):
        grown = mainstreaming_figures(board=board, start=START, end=END, now=at("2026-09-01"))
    assert figures_of(grown)["Assessments completed"] == figures_of(small)["Assessments completed"] + 3


def test_the_pdf_is_tagged_signed_and_says_what_it_counts(cast, world, tmp_path):
    result = mainstreaming_figures(board=f.board(), start=START, end=END, now=at("2026-09-01"))
    pdf, pages = services.mainstreaming_report_pdf(figures=result, by=cast.lead)
    assert pages >= 1
    assert_conforms(pdf, tmp_path, "mainstreaming")
    assert {"H1", "H2", "Table", "TH", "TD"} <= set(structure_roles(pdf))
    embedded = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[signing.signer("dundee").signing_cert]))
    assert status.intact and status.valid and status.coverage.name == "ENTIRE_FILE"
    assert cast.lead.get_full_name() in str(embedded.sig_object["/Reason"])
    text = " ".join(text_of(pdf).split())
    for words in ("Dundee City Integration Joint Board", "1 January 2026 to 30 June 2026", "Produced by",
                  cast.lead.get_full_name(), "Equality lead", "within the board's set 14 days",
                  "Negative impacts by protected characteristic", "Negative impacts by Fairer Scotland dimension",
                  "Area deprivation", "Mitigating actions overdue", "Review dates missed", "regulations 3 and 4"):
        assert words in text, words


def test_the_csv_and_xlsx_hold_every_figure_with_its_definition(cast, world, client):
    client.force_login(cast.senior)
    query = "?start=2026-01-01&end=2026-06-30"
    response = client.get(reverse("mainstreaming_csv", args=["dundee"]) + query)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="dundee-ijb-mainstreaming-2026-01-01-to-2026-06-30.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Board", "Period start", "Period end", "Group", "Figure", "Number", "Definition"]
    by_label = {(r[3], r[4]): r for r in rows[1:]}
    assert len(rows) == 1 + 16 + 9 + 5
    age = by_label[("Negative impacts by protected characteristic", "Age")]
    assert age[:3] == ["Dundee City Integration Joint Board", "2026-01-01", "2026-06-30"] and age[5] == "3"
    assert by_label[("Assessments and screenings", "Assessments completed")][5] == "3"
    assert "signed off" in by_label[("Assessments and screenings", "Assessments completed")][6]
    response = client.get(reverse("mainstreaming_xlsx", args=["dundee"]) + query)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0] == rows[0] and len(values) == len(rows)
    assert [r for r in values if r[4] == "Age"][0][5] == 3  # a number stays a number


def test_the_exports_neutralise_a_formula_in_the_boards_name(cast, client):
    Board.objects.filter(slug="dundee").update(name="=HYPERLINK(\"http://evil\")")
    client.force_login(cast.lead)
    response = client.get(reverse("mainstreaming_csv", args=["dundee"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0].startswith("'=")
    table = mainstreaming_table(mainstreaming_figures(board=f.board(), start=START, end=END))
    assert table[1][0].startswith("=")  # neutralised on the way out, not in the figures


def test_the_page_shows_the_figures_for_the_last_two_years_by_default(cast, client):
    client.force_login(cast.lead)
    response = client.get(reverse("mainstreaming_report", args=["dundee"]))
    assert response.status_code == 200
    today = timezone.localdate()
    form = response.context["form"]
    assert form.cleaned_data["end"] == today and (today - form.cleaned_data["start"]).days in (729, 730)  # both days included
    page = response.content.decode()
    assert "Negative impacts by Fairer Scotland dimension" in page and "Signed PDF" in page
    assert response.context["figures"].board.slug == "dundee"


@pytest.mark.parametrize("query, field, message", [
    ("start=2026-06-30&end=2026-01-01", "end", "on or after its first day"),
    ("start=2011-01-01&end=2026-01-01", "start", "on or after 27 May 2012"),
    ("start=2026-01-01&end=2999-01-01", "end", "today or earlier"),
    ("start=99999999999999999999&end=2026-01-01", "start", "as a real date"),
    ("start=2026-02-30&end=2026-03-01", "start", "as a real date"),
    ("start=&end=2026-03-01", "start", "Enter the first day of the period."),
    ("start=" + "9" * 5000 + "&end=2026-03-01", "start", "as a real date"),
])
def test_a_period_that_does_not_hold_is_refused_with_a_clear_error(cast, client, query, field, message):
    client.force_login(cast.lead)
    page = client.get(reverse("mainstreaming_report", args=["dundee"]) + "?" + query)
    assert page.status_code == 200 and page.context["figures"] is None
    assert any(message in error for error in page.context["form"].errors[field])
    assert "There is a problem" in page.content.decode()
    for name in ("mainstreaming_pdf", "mainstreaming_csv", "mainstreaming_xlsx"):
        download = client.get(reverse(name, args=["dundee"]) + "?" + query)
        assert download.status_code == 400 and "There is a problem" in download.content.decode()


def test_only_the_boards_equality_leads_and_senior_officers_produce_it(cast, borders, client):
    names = ("mainstreaming_report", "mainstreaming_pdf", "mainstreaming_csv", "mainstreaming_xlsx")
    query = "?start=2026-01-01&end=2026-06-30"
    for person, status in ((cast.lead, 200), (cast.senior, 200), (cast.officer, 403), (cast.clerk, 403),
                           (borders.lead, 404), (borders.senior, 404)):
        client.force_login(person)
        for name in names:
            assert client.get(reverse(name, args=["dundee"]) + query).status_code == status, (person, name)
        assert client.post(reverse("mainstreaming_report", args=["dundee"])).status_code == 405 if status == 200 else True
    client.force_login(cast.lead)
    assert client.get(reverse("mainstreaming_report", args=["no-such-board"])).status_code == 404
    client.logout()
    assert client.get(reverse("mainstreaming_pdf", args=["dundee"]) + query).status_code == 302


def test_the_dashboard_links_to_it_for_those_who_may_produce_it(cast, client):
    link = reverse("mainstreaming_report", args=["dundee"])
    for person, shown in ((cast.lead, True), (cast.senior, True), (cast.officer, False)):
        client.force_login(person)
        assert (link in client.get(reverse("board_dashboard", args=["dundee"])).content.decode()) is shown


def test_the_pdf_download_names_who_produced_it(cast, client):
    client.force_login(cast.senior)
    response = client.get(reverse("mainstreaming_pdf", args=["dundee"]) + "?start=2026-01-01&end=2026-06-30")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(text_of(response.content).split())
    assert f"{cast.senior.get_full_name()}, Chief Officer" in text and "1 January 2026 to 30 June 2026" in text
