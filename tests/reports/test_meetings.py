"""IJB reports, numbering, the agenda gate, publication, packs, decisions and the register."""

import csv
import datetime
import io
import re

import pytest
from django.test import Client
from django.utils.html import escape
from pypdf import PdfReader

from assessments.exceptions import NotAllowed, RuleViolation
from reports import services
from reports.models import (
    AgendaPack,
    Committee,
    Meeting,
    MeetingStatus,
    PackStatus,
    Report,
    ReportStatus,
    ReportWording,
    SignedDocument,
)
from tests import factories as f
from workflows.engine import active_tasks
from workflows.flows import IIAFlow

from .helpers import signed_off

pytestmark = pytest.mark.django_db

NEXT_YEAR = datetime.date.today().year + 1


def committee(kind="ijb", board="dundee") -> Committee:
    return Committee.objects.get(board__slug=board, kind=kind)


def report_for(cast, plan_change, *, decision_sought="agree", kind="ijb", submit=True, **extra) -> Report:
    fields = {"title": f"Report on {plan_change.title}", "report_by": "Chief Officer", "decision_sought": decision_sought,
              "purpose": "To ask the board to agree the change.", "recommendations": "Agree it.\nNote the IIA.",
              "direction_to": "none", **extra}
    report = services.report_create(plan_change=plan_change, by=cast.officer, committee=committee(kind), **fields)
    return services.report_submit(report=report, by=cast.officer) if submit else report


def meeting(cast, date=None, kind="ijb") -> Meeting:
    return services.meeting_create(committee=committee(kind), by=cast.clerk, date=date or datetime.date(NEXT_YEAR, 3, 4),
                                   venue="Council Chamber")


def took_place(m: Meeting) -> Meeting:
    """Time passes: the meeting (its agenda published on time) was held yesterday."""
    Meeting.objects.filter(pk=m.pk).update(date=datetime.date.today() - datetime.timedelta(days=1))
    m.refresh_from_db()
    return m


def test_a_meeting_starts_with_its_standing_items(cast):
    m = meeting(cast)
    assert [i.title for i in m.items.order_by("position")] == [
        "Apologies for absence", "Declarations of interest", "Minute of previous meeting", "Action tracker"]
    assert m.agenda_publication_date == m.date - datetime.timedelta(days=7)
    with pytest.raises(NotAllowed):
        services.meeting_create(committee=committee(), by=cast.officer, date=m.date, venue="x")


def test_report_numbers_run_per_committee_and_year(cast):
    plan_change = f.start(cast)
    numbers = []
    for kind, year in (("ijb", 2025), ("ijb", 2025), ("pac", 2025), ("ijb", 2026), ("ijb", 2025)):
        report = report_for(cast, plan_change, kind=kind)
        numbers.append(services.report_number_allocate(report=report, year=year).number)
    assert numbers == ["DIJB1-2025", "DIJB2-2025", "PAC1-2025", "DIJB1-2026", "DIJB3-2025"]
    assert len(set(Report.objects.values_list("number", flat=True))) == 5


def test_the_agenda_gate(cast, committed):
    blocked_change = f.to_submitted(cast, "Not signed off yet")
    signed = committed(signed_off, cast)
    screened_out = committed(lambda: f.screen(cast, f.start(cast, "Annual report"), full=False))
    m = meeting(cast)
    blocked = report_for(cast, blocked_change)
    noting = report_for(cast, f.to_submitted(cast, "Also not signed off"), decision_sought="note")
    cleared = report_for(cast, signed.plan_change)
    screened = report_for(cast, screened_out)
    for report in (blocked, noting, cleared, screened):
        services.agenda_add_report(meeting=m, report=report, by=cast.clerk)  # a draft agenda takes anything
    gate = services.meeting_gate(m)
    # a report "for noting" on a plan change whose screening requires a full IIA is held back too
    assert list(gate) == [m.items.get(report=blocked).pk, m.items.get(report=noting).pk]
    assert "not signed off" in gate[m.items.get(report=blocked).pk]
    assert gate[m.items.get(report=blocked).pk].startswith(f"Item 5, “{blocked.title}”")
    services.agenda_remove(item=m.items.get(report=noting), by=cast.clerk)
    with pytest.raises(RuleViolation):  # one report per plan change on an agenda
        services.agenda_add_report(meeting=m, report=report_for(cast, blocked_change, decision_sought="note"), by=cast.clerk)
    with pytest.raises(RuleViolation) as error:
        services.meeting_publish(meeting=m, by=cast.clerk)
    assert list(error.value.errors) == [f"item-{m.items.get(report=blocked).pk}"]
    m.refresh_from_db()
    assert m.status == MeetingStatus.DRAFT and not Report.objects.exclude(number=None).exists()
    # once the blocked report is off the agenda, publishing works
    services.agenda_remove(item=m.items.get(report=blocked), by=cast.clerk)
    committed(services.meeting_publish, meeting=m, by=cast.clerk)
    m.refresh_from_db()
    assert m.status == MeetingStatus.PUBLISHED
    # and a report that is not cleared cannot join the published agenda
    blocked.refresh_from_db()
    with pytest.raises(RuleViolation) as error:
        services.agenda_add_report(meeting=m, report=blocked, by=cast.clerk)
    assert "cannot join a published agenda" in str(error.value)


def test_publishing_numbers_reports_publishes_documents_and_builds_the_pack(cast, committed):
    signed = committed(signed_off, cast)
    screened_out = committed(lambda: f.screen(cast, f.start(cast, "Annual report"), full=False))
    m = meeting(cast)
    first = report_for(cast, signed.plan_change)
    second = report_for(cast, screened_out, decision_sought="note")
    services.agenda_add_report(meeting=m, report=first, by=cast.clerk)
    services.agenda_add_report(meeting=m, report=second, by=cast.clerk)
    committed(services.meeting_publish, meeting=m, by=cast.clerk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.number, second.number) == (f"DIJB1-{NEXT_YEAR}", f"DIJB2-{NEXT_YEAR}")
    assert first.status == second.status == ReportStatus.PUBLISHED
    assert SignedDocument.objects.filter(published_at__isnull=False, publications__meeting=m).count() == 2
    assert first.appendix == SignedDocument.objects.get(assessment=signed) and "Appendix 1" in first.published_policy_implications
    pack = AgendaPack.objects.get(meeting=m)
    assert pack.status == PackStatus.READY and pack.progress == 100
    reader = PdfReader(io.BytesIO(bytes(pack.pdf)))
    assert len(reader.pages) == pack.pages
    agenda_text = " ".join(reader.pages[1].extract_text().split())
    for item in m.items.filter(report__isnull=False):
        start = pack.item_pages[str(item.pk)]
        assert f"Pack page {start}" in agenda_text
        page_text = " ".join(reader.pages[start - 1].extract_text().split())
        assert item.report.title in page_text and f"REPORT NO {item.report.number}" in page_text
    outline = [o.title for o in reader.outline if not isinstance(o, list)]
    assert outline[0] == "Cover and agenda" and any(t.startswith(f"Item 5: {first.number}") for t in outline)
    # the appendix of the first report is the signed assessment, whose verification code it carries
    document = SignedDocument.objects.get(assessment=signed)
    appendix_start = pack.item_pages[str(m.items.get(report=first).pk)] + 2
    assert any(document.verification_code in reader.pages[i].extract_text()
               for i in range(appendix_start - 1, len(reader.pages)))


def test_policy_implications_follow_the_record_in_the_boards_wording(cast, committed):
    signed = committed(signed_off, cast)
    screened_out = committed(lambda: f.screen(cast, f.start(cast, "Annual report"), full=False))
    pending = f.to_submitted(cast, "Pending")
    assert "attached as Appendix 1" in services.policy_implications(report_for(cast, signed.plan_change))
    assert "pre-screening tool" in services.policy_implications(report_for(cast, screened_out))
    assert "not yet been signed off" in services.policy_implications(report_for(cast, pending))
    ReportWording.objects.filter(board__slug="dundee").update(full_iia="Our own words; see {appendix}.")
    assert services.policy_implications(report_for(cast, signed.plan_change), "Appendix 2") == "Our own words; see Appendix 2."


def test_directions_are_recorded_and_checked(cast):
    plan_change = f.start(cast)
    with pytest.raises(RuleViolation) as error:
        report_for(cast, plan_change, direction_to="council")
    assert "direction_to" in error.value.errors
    report = services.report_create(
        plan_change=plan_change, by=cast.officer, committee=committee(), title="T", report_by="Chief Officer",
        decision_sought="agree", purpose="P", recommendations="R", direction_to="both",
        directions=[services.DirectionInput(recipients="both", functions="Care at home", budget="£1m",
                                            text="Deliver care at home.", review_date=datetime.date(NEXT_YEAR, 1, 1))])
    direction = report.directions.get()
    assert direction.recipients == "both" and direction.effect == "new" and direction.earlier is None
    assert direction.status == "proposed" and direction.reference is None


def test_an_amended_decision_reopens_the_assessment_as_a_new_version(cast, committed):
    signed = committed(signed_off, cast)
    m = meeting(cast)
    report = report_for(cast, signed.plan_change)
    item = services.agenda_add_report(meeting=m, report=report, by=cast.clerk)
    with pytest.raises(RuleViolation):
        services.item_decide(item=item, by=cast.clerk, decision="agreed")  # not yet published
    committed(services.meeting_publish, meeting=m, by=cast.clerk)
    took_place(m)
    with pytest.raises(RuleViolation):
        services.item_decide(item=item, by=cast.clerk, decision="amended", text="")
    services.item_decide(item=item, by=cast.clerk, decision="amended", text="Phase the reduction over two years.")
    signed.refresh_from_db()
    new = f.current(signed.plan_change)
    assert new.version == 2 and new.supersedes == signed and new.state == "in_progress"
    assert new.author == signed.plan_change.lead_officer
    assert {t.owner for t in active_tasks(signed.plan_change, IIAFlow.complete_part)} == {signed.plan_change.lead_officer}
    m.refresh_from_db()
    assert m.status == MeetingStatus.HELD
    report.refresh_from_db()
    assert report.status == ReportStatus.DECIDED


def _register_texts(client):
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get("/register/dundee/register.xlsx").content)).active
    xlsx = "\n".join(str(cell.value) for row in book.iter_rows() for cell in row)
    return (client.get("/register/dundee/").content.decode(), client.get("/register/dundee/register.json").content.decode(),
            client.get("/register/dundee/feed/").content.decode(),
            client.get("/register/dundee/register.csv").content.decode("utf-8-sig"), xlsx)


def test_the_register_shows_only_published_records_in_every_state(cast, committed):
    from fixtures import demo

    committed(demo.load)  # plan changes in every state, one meeting published
    client = Client()
    published = SignedDocument.objects.filter(published_at__isnull=False)
    unpublished = SignedDocument.objects.filter(published_at__isnull=True)
    assert published.exists() and unpublished.exists()
    pages = _register_texts(client)
    for document in published:
        assert all(document.verification_code in text for text in pages)
        assert client.get(f"/documents/{document.verification_code}/").status_code == 200
        assert client.get(f"/documents/{document.verification_code}/pdf/").content == bytes(document.pdf)
    for document in unpublished:
        assert not any(document.verification_code in text for text in pages)
        assert client.get(f"/documents/{document.verification_code}/").status_code == 302
        assert client.get(f"/documents/{document.verification_code}/pdf/").status_code == 302
    from assessments.models import PlanChange

    listed = " ".join(pages)
    for plan_change in PlanChange.objects.filter(board__slug="dundee"):
        is_published = published.filter(assessment__plan_change=plan_change).exists() or published.filter(
            screening__plan_change=plan_change).exists()
        assert (plan_change.title in listed) == is_published, plan_change.title
    draft_meeting = Meeting.objects.filter(status="draft").first()
    assert client.get(f"/register/dundee/meetings/{draft_meeting.pk}/").status_code == 404
    assert client.get(f"/meetings/{draft_meeting.pk}/pack.pdf").status_code == 302
    unpublished_report = Report.objects.filter(status__in=["draft", "submitted", "on_agenda"]).first()
    assert client.get(f"/register/dundee/reports/{unpublished_report.number or 'DIJB999-2026'}/").status_code == 404


def test_the_register_filters(cast, committed):
    from fixtures import demo

    committed(demo.load)
    client = Client()
    age = client.get("/register/dundee/?characteristic=PC.AGE").content.decode()
    race = client.get("/register/dundee/?characteristic=PC.RACE").content.decode()
    assert "Reduce care home placements" in age and "Reduce care home placements" not in race
    text = client.get("/register/dundee/?q=performance").content.decode()
    assert "Annual Performance Report" in text and "care home" not in text
    meeting_id = Meeting.objects.exclude(status="draft").order_by("date").first().pk  # the demo's first meeting
    assert "1 record" not in client.get(f"/register/dundee/?meeting={meeting_id}").content.decode()
    assert "0 records" in client.get("/register/dundee/?date_from=2099-01-01").content.decode()
    assert "0 records" in client.get("/register/scottish-borders/").content.decode()
    # the exports apply the same filters
    csv_age = client.get("/register/dundee/register.csv?characteristic=PC.AGE").content.decode("utf-8-sig")
    csv_race = client.get("/register/dundee/register.csv?characteristic=PC.RACE").content.decode("utf-8-sig")
    assert "Reduce care home placements" in csv_age and "Reduce care home placements" not in csv_race
    assert csv_race.splitlines()[0].startswith("Record,Reference,Version,Plan change")
    assert client.get("/register/scottish-borders/register.csv").content.decode("utf-8-sig").count("\n") == 1
    # the exports' dates are the board's (London) dates, as on the page: 23:30 UTC in July is the next day
    document = SignedDocument.objects.filter(published_at__isnull=False).first()
    late = datetime.datetime(2026, 7, 9, 23, 30, tzinfo=datetime.UTC)
    SignedDocument.objects.filter(pk=document.pk).update(signed_at=late, published_at=late)
    rows = csv.reader(io.StringIO(client.get("/register/dundee/register.csv").content.decode("utf-8-sig")))
    header, *rows = rows
    row = next(r for r in rows if document.verification_code in r)
    assert (row[header.index("Signed")], row[header.index("Published")]) == ("2026-07-10", "2026-07-10")


def test_clerk_pages_over_http(cast, committed):
    signed = committed(signed_off, cast)
    report = report_for(cast, signed.plan_change)
    clerk = Client()
    clerk.force_login(cast.clerk)
    assert "Reports waiting for a meeting" in clerk.get("/clerk/queue/").content.decode()
    response = clerk.post("/meetings/new/", {"committee": committee().pk, "date": f"{NEXT_YEAR}-03-04", "time": "10:00",
                                            "remote": "on"})
    assert response.status_code == 302
    m = Meeting.objects.get()
    page = clerk.get(f"/meetings/{m.pk}/").content.decode()
    assert report.title in page  # offered to add
    clerk.post(f"/meetings/{m.pk}/", {"action": "add", "report": report.pk})
    with_item = clerk.get(f"/meetings/{m.pk}/").content.decode()
    assert "Cleared" in with_item
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("reports.services.meetings.pack_request", lambda meeting: None)
        assert clerk.post(f"/meetings/{m.pk}/", {"action": "publish"}).status_code == 302
    m.refresh_from_db()
    assert m.status == MeetingStatus.PUBLISHED
    officer = Client()
    officer.force_login(cast.officer)
    assert officer.get("/meetings/new/").status_code == 403
    assert officer.post(f"/meetings/{m.pk}/", {"action": "publish"}).status_code == 403  # not a clerk
    assert clerk.post(f"/meetings/{m.pk}/", {"action": "up", "item": "abc"}).status_code == 404  # a tampered form
    assert re.search(r"Agenda published", officer.get(f"/meetings/{m.pk}/").content.decode())


def test_officer_drafts_and_sends_a_report_over_http(cast):
    plan_change = f.start(cast)
    officer = Client()
    officer.force_login(cast.officer)
    assert officer.get(f"/plan-changes/{plan_change.pk}/reports/new/").status_code == 200
    data = {"committee": committee().pk, "title": "A report", "report_by": "Chief Officer", "decision_sought": "agree",
            "purpose": "Purpose.", "recommendations": "One\nTwo", "direction_to": "council",
            "dir-TOTAL_FORMS": "1", "dir-INITIAL_FORMS": "0", "dir-0-recipients": "council"}
    response = officer.post(f"/plan-changes/{plan_change.pk}/reports/new/", data)
    assert response.status_code == 200 and "Record the direction" in response.content.decode()
    data.update({"dir-0-functions": "Care homes", "dir-0-budget": "£500k", "dir-0-text": "Do it.",
                 "dir-0-review_date": f"{NEXT_YEAR}-06-01"})
    response = officer.post(f"/plan-changes/{plan_change.pk}/reports/new/", data)
    assert response.status_code == 302
    report = Report.objects.get()
    page = officer.get(f"/reports/{report.pk}/").content.decode()
    assert "5.0 Policy implications" in page and "Cannot join a published agenda yet" in page
    assert officer.post(f"/reports/{report.pk}/submit/").status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert officer.get(f"/reports/{report.pk}/pdf/")["Content-Type"] == "application/pdf"


def test_published_text_and_links_stay_as_published(cast, committed):
    """After an "amended" decision reopens the assessment, the published report still
    says what it said, and the register links each document to the reports it went with."""
    signed = committed(signed_off, cast)
    m = meeting(cast)
    report = report_for(cast, signed.plan_change)
    item = services.agenda_add_report(meeting=m, report=report, by=cast.clerk)
    committed(services.meeting_publish, meeting=m, by=cast.clerk)
    report.refresh_from_db()
    published_text = report.published_policy_implications
    assert "Appendix 1" in published_text
    took_place(m)
    services.item_decide(item=item, by=cast.clerk, decision="amended", text="Phase it.")
    report.refresh_from_db()
    assert services.policy_implications(report) == published_text
    client = Client()
    page = client.get(f"/register/dundee/reports/{report.number}/").content.decode()
    assert escape(published_text) in page and report.appendix.verification_code in page
    entry = client.get("/register/dundee/register.json").json()["items"][0]
    assert entry["published_with"][0]["report_number"] == report.number
    assert entry["published_with"][0]["meeting_date"] == m.date.isoformat()
    meeting_page = client.get(f"/register/dundee/meetings/{m.pk}/").content.decode()
    assert report.appendix.verification_code in meeting_page
    # searching by the plan change reference or the report number finds it
    for q in (signed.plan_change.reference, report.number):
        assert report.appendix.verification_code in client.get(f"/register/dundee/?q={q}").content.decode()


def test_pages_that_show_a_signed_document_never_read_its_bytes(cast, committed):
    """The plan change page and the register's pages name a signed document (its code, size,
    pages) without reading the PDF and certificate, ~100 KB a document; the PDF itself still
    goes out whole."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signed = committed(signed_off, cast)
    m = meeting(cast)
    report = report_for(cast, signed.plan_change)
    services.agenda_add_report(meeting=m, report=report, by=cast.clerk)
    committed(services.meeting_publish, meeting=m, by=cast.clerk)
    report.refresh_from_db()
    code = report.appendix.verification_code
    officer, public = Client(), Client()
    officer.force_login(cast.officer)
    for client, path in [(officer, f"/plan-changes/{signed.plan_change_id}/"),
                         (public, f"/register/dundee/reports/{report.number}/"),
                         (public, f"/register/dundee/meetings/{m.pk}/"), (public, f"/register/dundee/?q={code}")]:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(path).content.decode()
        assert code in page, path
        read = [q["sql"] for q in queries.captured_queries if '"reports_signeddocument"."pdf"' in q["sql"]]
        assert not read, (path, read)
    pdf = officer.get(f"/documents/{code}/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content if pdf.streaming else [pdf.content]).startswith(b"%PDF")


def test_register_filters_report_their_errors(committed):
    from fixtures import demo

    committed(demo.load)
    client = Client()
    text = client.get("/register/dundee/?meeting=abc&q=care").content.decode()
    assert "There is a problem" in text and "Reduce care home" in text and "Annual Performance" not in text
    text = client.get("/register/dundee/?date_from=2030-01-02&date_to=2030-01-01").content.decode()
    assert "after the “published to” date" in text


def test_clerk_mistakes_are_reported_where_they_happen(cast, committed):
    clerk = Client()
    clerk.force_login(cast.clerk)
    response = clerk.post("/meetings/new/", {"committee": committee().pk, "date": "0001-01-01", "time": "10:00",
                                            "remote": "on"})
    assert response.status_code == 200 and "within a year before" in response.content.decode()
    m = meeting(cast)
    response = clerk.post(f"/meetings/{m.pk}/", {"action": "publish"})
    assert "Add at least one report" in response.content.decode()
    with pytest.raises(RuleViolation):
        services.pack_rebuild(meeting=m, by=cast.clerk)
    signed = committed(signed_off, cast)
    item = services.agenda_add_report(meeting=m, report=report_for(cast, signed.plan_change), by=cast.clerk)
    committed(services.meeting_publish, meeting=m, by=cast.clerk)
    took_place(m)
    response = clerk.post(f"/agenda-items/{item.pk}/decision/", {f"d{item.pk}-decision": "remitted",
                                                                 f"d{item.pk}-text": ""})
    page = response.content.decode()
    assert response.status_code == 200 and "Say what the board amended or remitted" in page
    assert re.search(rf'value="remitted" id="id_d{item.pk}-decision_2"[^>]* checked', page)  # the choice is kept
    assert f'href="#id_d{item.pk}-text"' in page


def test_the_screening_record_gives_the_leads_reason_when_overridden(cast, committed):
    from reports.pdf.screening import ScreeningRecordPdf

    plan_change = committed(lambda: f.screen(cast, f.start(cast, "Noting paper"), full=True, decision="override"))
    screening = plan_change.screenings.get()
    assert screening.outcome == "no_iia" and screening.outcome_reason.startswith("An equality lead overrode")
    buffer = io.BytesIO()
    ScreeningRecordPdf(screening, verification_code="IIA-AAAA-BBBB-CCCC", html_url="h", verify_url="v").render(buffer)
    text = " ".join(PdfReader(io.BytesIO(buffer.getvalue())).pages[0].extract_text().split())
    assert "An equality lead overrode the proposed outcome (full iia required): Because." in text


def test_the_register_page_is_kept_for_readers_until_the_next_audited_change(cast, committed):
    """The public register search, for readers who are not signed in, is served from the
    cache (keyed on the URL and the newest audit event); signed-in users get it fresh, and
    any audited change (a publication, a decision) makes the next reader's page anew."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.models import Board
    from assessments.services import audit_record
    from fixtures import demo

    committed(demo.load)
    reader = Client()

    def fetch(client):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/register/dundee/?q=care")
        assert response.status_code == 200
        return response.content, len(queries.captured_queries)

    first, built = fetch(reader)
    again, kept = fetch(reader)
    assert again == first and kept == 1 < built  # the newest audit event only
    member = Client()
    member.force_login(cast.officer)
    assert fetch(member)[1] > 1 and fetch(member)[1] > 1  # never cached for a signed-in user
    audit_record(board=Board.objects.get(slug="dundee"), actor=cast.clerk, action="meeting.publish", message="a change")
    assert fetch(reader)[1] == built
