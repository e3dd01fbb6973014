"""The list of plan changes (/plan-changes/): its board scope, filters, search, pages, CSV
download and hostile queries, and that its cost does not grow with the plan changes."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import PlanChange
from assessments.plan_change_list import PER_PAGE
from tests import factories as f

pytestmark = pytest.mark.django_db
LIST = reverse("plan_change_list")
CSV = reverse("plan_change_list_csv")


def listed(client, query="") -> list[str]:
    """The references the page lists, in order."""
    response = client.get(LIST + query)
    assert response.status_code == 200
    return re.findall(r"<tr>\s*<td>([A-Z]+-\d+)</td>", response.content.decode())


def ref(plan_change) -> str:
    return PlanChange.objects.select_related("board").get(pk=plan_change.pk).reference


def csv_rows(client, query="") -> list[list[str]]:
    response = client.get(CSV + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def started(plan_change, when: datetime.datetime) -> None:
    PlanChange.objects.filter(pk=plan_change.pk).update(created_at=when)


def test_anyone_signed_in_reaches_it_from_the_header(client, cast):
    assert client.get(LIST).status_code == 302  # the sign-in page
    client.force_login(cast.clerk)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{LIST}"' in page
    assert client.get(LIST).status_code == 200


def test_only_the_users_boards_and_every_board_they_belong_to(client, cast, borders):
    ours = f.start(cast, "Dundee change")
    theirs = f.start(borders, "Borders change")
    client.force_login(cast.lead)
    assert listed(client) == [ref(ours)]
    assert ref(theirs) not in listed(client, f"?q={ref(theirs)}")
    assert [row[0] for row in csv_rows(client)[1:]] == [ref(ours)]
    # another board's plan as a filter is not a choice: an error, never its plan changes
    response = client.get(LIST + f"?plan={f.plan('scottish-borders').pk}")
    assert "Choose plan from the list." in response.content.decode()
    assert ref(theirs) not in response.content.decode()

    both = f.add_role(f.user(), "clerk")
    f.add_role(both, "clerk", "scottish-borders")
    client.force_login(both)
    assert set(listed(client)) == {ref(ours), ref(theirs)}


def test_a_user_without_a_board_sees_an_empty_list(client, cast):
    f.start(cast)
    client.force_login(f.user())
    assert listed(client) == []
    assert "Your boards have no plan changes yet." in client.get(LIST).content.decode()


def test_rows_show_state_next_step_and_who_holds_it(client, cast):
    plan_change = f.start(cast, "Respite for carers")
    client.force_login(cast.lead)
    page = client.get(LIST).content.decode()
    assert "Respite for carers" in page and reverse("plan_change_detail", args=[plan_change.pk]) in page
    assert "Screening in progress" in page
    assert cast.officer.get_full_name() in page  # the lead officer, who holds the screening
    assert "Test plan" in page and "1. Priority 1" in page
    assert "0 plan changes" not in page and "1 plan change" in page


def test_filter_by_state(client, cast):
    new = f.start(cast, "Still screening")
    screened = f.screen(cast, f.start(cast, "Being assessed"))
    client.force_login(cast.lead)
    assert listed(client, "?state=screening-draft") == [ref(new)]
    assert listed(client, "?state=assessment-in_progress") == [ref(screened)]
    assert listed(client, "?state=assessment-signed_off") == []
    assert "Choose state from the list." in client.get(LIST + "?state=nonsense").content.decode()


def test_state_follows_every_step(cast):
    plan_change = f.to_submitted(cast)
    assert PlanChange.objects.get(pk=plan_change.pk).status == "assessment-submitted"
    f.approve(cast, plan_change)
    f.sign_off(cast, plan_change)
    assert PlanChange.objects.get(pk=plan_change.pk).status == "assessment-signed_off"
    out = f.screen(cast, f.start(cast), full=False)
    assert PlanChange.objects.get(pk=out.pk).status == "screening-screened_out"


def test_filter_by_plan_priority_and_lead_officer(client, cast):
    first = f.start(cast, "First")
    plan = f.plan()
    second_priority = plan.priorities.get(number=2)
    other = services.plan_change_create(
        board=plan.board, plan=plan, by=cast.officer2, title="Second", description="Other.",
        change_type="policy", is_revision=False, lead_officer=cast.officer2, director=cast.senior,
        priorities=[second_priority])
    client.force_login(cast.senior)
    assert set(listed(client, f"?plan={plan.pk}")) == {ref(first), ref(other)}
    assert listed(client, f"?priority={second_priority.pk}") == [ref(other)]
    assert listed(client, f"?lead_officer={cast.officer2.pk}") == [ref(other)]
    assert listed(client, f"?lead_officer={cast.officer.pk}") == [ref(first)]
    assert "Choose lead officer from the list." in client.get(LIST + f"?lead_officer={cast.lead.pk}").content.decode()


def test_filter_by_dates_started(client, cast):
    old, new = f.start(cast, "Old"), f.start(cast, "New")
    started(old, timezone.make_aware(datetime.datetime(2026, 1, 10, 12)))
    started(new, timezone.make_aware(datetime.datetime(2026, 3, 5, 9)))
    client.force_login(cast.lead)
    assert listed(client, "?started_from=2026-03-05") == [ref(new)]
    assert listed(client, "?started_to=2026-01-10") == [ref(old)]
    assert listed(client, "?started_from=2026-01-01&started_to=2026-02-01") == [ref(old)]
    page = client.get(LIST + "?started_from=2026-03-01&started_to=2026-02-01").content.decode()
    assert "Enter a date on or after the first date." in page
    # the last day a date field takes means no end: the list and its export, not a 500 or an empty file
    assert set(listed(client, "?started_to=9999-12-31")) == {ref(old), ref(new)}
    assert len(csv_rows(client, "?started_from=0001-01-01&started_to=9999-12-31")) == 3


def test_mine_is_what_the_user_started_leads_or_worked_on(client, cast):
    mine = f.start(cast, "Mine")
    plan = f.plan()
    led = services.plan_change_create(
        board=plan.board, plan=plan, by=cast.officer2, title="Led by me", description=".", change_type="policy",
        is_revision=False, lead_officer=cast.officer, director=cast.senior)
    theirs = services.plan_change_create(
        board=plan.board, plan=plan, by=cast.officer2, title="Theirs", description=".", change_type="policy",
        is_revision=False, lead_officer=cast.officer2, director=cast.senior)
    worked = f.screen(cast, f.start(cast, "Worked on"))
    client.force_login(cast.officer)
    assert set(listed(client, "?mine=on")) == {ref(mine), ref(led), ref(worked)}
    client.force_login(cast.officer2)
    assert set(listed(client, "?mine=on")) == {ref(led), ref(theirs)}
    f.complete_parts(cast, worked, by=cast.officer2)  # officer2 saves parts: a contributor
    assert set(listed(client, "?mine=on")) == {ref(led), ref(theirs), ref(worked)}


def test_search_finds_titles_descriptions_answers_actions_and_references(client, cast):
    titled = f.start(cast, "Respite beds for carers")
    plan = f.plan()
    described = services.plan_change_create(
        board=plan.board, plan=plan, by=cast.officer, title="Another", description="Close the Lochee daycentre.",
        change_type="policy", is_revision=False, lead_officer=cast.officer, director=cast.senior)
    answered = f.start(cast, "Answered")
    given = f.answers()
    given["affects_people"]["comment"] = "Wheelchair users travel further."
    services.screening_save(screening=answered.screenings.get(), by=cast.officer, answers=given)
    acted = f.screen(cast, f.start(cast, "Acted"))
    f.complete_parts(cast, acted)
    assessment = f.current(acted)
    f.complete_actions(cast, acted, actions=[services.ActionInput(
        description="Commission minibus transport.", owner="Manager",
        due_date=datetime.date.today() + datetime.timedelta(days=30))])
    assert assessment.actions.count() == 1
    client.force_login(cast.lead)
    assert listed(client, "?q=respite") == [ref(titled)]
    assert listed(client, "?q=daycentre") == [ref(described)]
    assert listed(client, "?q=wheelchair") == [ref(answered)]
    assert listed(client, "?q=minibus") == [ref(acted)]
    assert listed(client, f"?q={ref(described)}") == [ref(described)]
    assert listed(client, f"?q={ref(described).lower()}") == [ref(described)]
    assert listed(client, "?q=BOR-" + ref(described).split("-")[1]) == []  # the reference of no plan change of ours
    assert listed(client, "?q=nothing-like-it") == []
    assert set(listed(client, "?q=respite&state=screening-draft")) == {ref(titled)}


@pytest.mark.postgres
def test_search_on_postgresql_matches_words_by_their_stem_and_uses_its_index(client, cast):
    assert connection.vendor == "postgresql"
    titled = f.start(cast, "Respite beds for carers")
    f.start(cast, "Something else")
    client.force_login(cast.lead)
    assert listed(client, "?q=carer") == [ref(titled)]  # "carers" and "carer" share a stem
    assert listed(client, "?q=bed respite") == [ref(titled)]  # every word, in any order
    assert listed(client, "?q=respite+-beds") == []  # websearch: a minus leaves out
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a table this small is read whole otherwise
        plan = PlanChange.objects.filter(
            search_vector=SearchQuery("carers", config="english", search_type="websearch")).explain()
        cursor.execute("SET enable_seqscan = on")
    assert "plan_change_search" in plan


def test_pages_go_older_and_newer_by_keyset(client, cast):
    made = [f.start(cast, f"Change {n}") for n in range(PER_PAGE + 3)]
    base = timezone.make_aware(datetime.datetime(2026, 6, 1))
    for n, plan_change in enumerate(made):
        started(plan_change, base + datetime.timedelta(hours=n // 2))  # pairs share a time: ties by id
    newest_first = [ref(pc) for pc in sorted(made, key=lambda pc: (-(made.index(pc) // 2), -pc.pk))]
    client.force_login(cast.lead)
    first = client.get(LIST).content.decode()
    assert listed(client) == newest_first[:PER_PAGE]
    assert f"{PER_PAGE + 3} plan changes" in first
    older = re.search(r"older=([0-9-]+)", first)[1]
    assert listed(client, f"?older={older}") == newest_first[PER_PAGE:]
    second = client.get(LIST + f"?older={older}").content.decode()
    assert "older=" not in second
    newer = re.search(r"newer=([0-9-]+)", second)[1]
    assert listed(client, f"?newer={newer}") == newest_first[:PER_PAGE]


@pytest.mark.parametrize("query", [
    "?page=99999999999999999999", "?older=99999999999999999999-1", "?newer=1-99999999999999999999",
    "?older=garbage", "?newer=-5", "?older=1.5-2", "?older=%00", "?plan=99999999999999999999",
    "?priority=-1", "?lead_officer=abc", "?state=%00", "?started_from=garbage", "?started_to=99999-01-01",
    "?mine=maybe", "?q=%00%01", "?q=" + "a" * 10_000, "?q=%22unbalanced", "?q=!%3A*%26%7C()",
])
def test_strange_queries_answer_200_never_500(client, cast, query):
    f.start(cast)
    client.force_login(cast.lead)
    response = client.get(LIST + query)
    assert response.status_code == 200
    assert client.get(CSV + query).status_code == 200


def test_a_search_too_long_or_a_garbage_date_is_named_in_the_error_summary(client, cast):
    f.start(cast)
    client.force_login(cast.lead)
    page = client.get(LIST + "?q=" + "a" * 10_000 + "&started_from=garbage").content.decode()
    assert "There is a problem" in page
    assert "Enter a search of at most 200 characters." in page
    assert "Enter started on or after as a real date" in page
    assert "1 plan change" in page  # the list still shows, without the wrong filters


def test_the_form_keeps_its_values_and_shows_the_count(client, cast):
    f.start(cast, "Respite")
    client.force_login(cast.lead)
    page = client.get(LIST + "?q=respite&state=screening-draft&mine=on&started_from=2026-01-01").content.decode()
    assert 'value="respite"' in page
    assert '<option value="screening-draft" selected>' in page
    assert 'name="mine" id="id_mine" checked' in page
    assert 'value="2026-01-01"' in page
    assert '<label for="id_q">Search:</label>' in page
    assert "0 plan changes</strong> match these filters" in page


def test_csv_has_the_filtered_rows_and_no_formula_runs(client, cast):
    f.start(cast, "=HYPERLINK(\"http://evil\")")
    f.start(cast, "+1 plain")
    f.start(cast, "@SUM(A1)")
    f.start(cast, "-2 minus")
    f.start(cast, "Quiet title")
    client.force_login(cast.lead)
    rows = csv_rows(client)
    assert rows[0] == ["Reference", "Title", "Board", "Plan", "Priorities", "State", "Lead officer", "Started",
                       "Next step", "Held by"]
    titles = [row[1] for row in rows[1:]]
    assert set(titles) == {"'=HYPERLINK(\"http://evil\")", "'+1 plain", "'@SUM(A1)", "'-2 minus", "Quiet title"}
    quiet = next(row for row in rows if row[1] == "Quiet title")
    assert quiet[2:8] == ["Dundee IJB", "Test plan dundee", "1. Priority 1", "Screening in progress",
                          cast.officer.get_full_name(), timezone.localdate().isoformat()]
    assert [row[1] for row in csv_rows(client, "?q=quiet")[1:]] == ["Quiet title"]


def test_csv_has_each_ones_next_step_and_who_holds_it_as_the_page_does(client, cast, monkeypatch):
    """Read in chunks (two plan changes a chunk here, so a chunk boundary falls inside the
    list): every row gets its own step, none another's."""
    monkeypatch.setattr("assessments.plan_change_list.CSV_CHUNK", 2)
    screening = f.start(cast, "Still screening")
    assessing = f.screen(cast, f.start(cast, "Being assessed"))
    third = f.start(cast, "Third one")
    client.force_login(cast.lead)
    rows = {row[1]: row[8:] for row in csv_rows(client)[1:]}
    page = client.get(LIST).content.decode()
    for plan_change in (screening, assessing, third):
        step, held_by = rows[plan_change.title]
        assert step and held_by
        assert step in page and held_by in page
    assert rows["Still screening"] == rows["Third one"] != rows["Being assessed"]
    assert rows["Still screening"][1] == cast.officer.get_full_name()


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(LIST).status_code == 200
    return len(context)


def test_the_page_reads_the_same_number_of_queries_for_5_or_50_plan_changes(client, cast):
    for n in range(5):
        f.screen(cast, f.start(cast, f"Change {n}")) if n % 2 else f.start(cast, f"Change {n}")
    client.force_login(cast.lead)
    client.get(LIST)  # the session and the memberships, read once
    five = _count_queries(client)
    for n in range(45):
        f.start(cast, f"More {n}")
    fifty = _count_queries(client)
    assert PlanChange.objects.count() == 50
    assert fifty == five
