"""The list of plan changes: every plan change of the user's boards, filtered, searched and
read a page at a time, and its CSV rows.

It costs the same on a board of 100,000 plan changes as on one of 1,000: pages are read by
their place in the order (keyset paging on started date and id: an index range, never an
OFFSET), the count stops at ``COUNT_UP_TO``, the status and searchable text are columns of
the plan change kept by ``services.plan_change_listing_refresh``, and each has an index
(migration 0011)."""

import datetime
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from . import rules
from .forms import PlanChangeFilterForm
from .listing import SEARCH_CONFIG, STATUSES
from .models import Assessment, PlanChange, PlanPriority, Role, Screening, StrategicPlan
from .selectors import Status, attach_people, plan_change_status
from .text import whole_number

PER_PAGE = 25
COUNT_UP_TO = 1000  # the count says "1,000 or more" beyond: counting every match costs as many rows
REFERENCE = re.compile(r"^([A-Za-z]{1,12})-0*(\d{1,18})$")


def plan_change_filter_form(user, data) -> PlanChangeFilterForm:
    """The list's filter form, its choices from the user's boards (three small queries)."""
    boards = rules.board_ids(user)
    several = len(boards) > 1
    plans = list(StrategicPlan.objects.filter(board_id__in=boards).select_related("board")
                 .order_by("board__name", "-period_start", "pk"))
    priorities = {}
    for priority in PlanPriority.objects.filter(plan__board_id__in=boards).order_by("number", "pk"):
        priorities.setdefault(priority.plan_id, []).append((priority.pk, str(priority)))
    officers = {}
    for person in (get_user_model().objects.filter(memberships__board_id__in=boards, memberships__role=Role.OFFICER)
                   .order_by("last_name", "first_name", "pk")):
        officers.setdefault(person.pk, person.get_full_name() or person.get_username())

    def plan_label(plan):
        return f"{plan.title} ({plan.board.short_name})" if several else plan.title

    return PlanChangeFilterForm(
        data or None, states=STATUSES, plans=[(plan.pk, plan_label(plan)) for plan in plans],
        priorities=[(plan_label(plan), priorities[plan.pk]) for plan in plans if plan.pk in priorities],
        officers=list(officers.items()))


def plan_changes_filtered(user, filters: dict) -> QuerySet[PlanChange]:
    """The plan changes of the user's boards that match the filters (``PlanChangeFilterForm
    .filters()``), newest first; never another board's."""
    found = PlanChange.objects.filter(board_id__in=rules.board_ids(user))
    if "state" in filters:
        found = found.filter(status=filters["state"])
    if "plan" in filters:
        found = found.filter(plan_id=filters["plan"])
    if "priority" in filters:
        found = found.filter(pk__in=PlanChange.priorities.through.objects.filter(
            planpriority_id=filters["priority"]).values("planchange_id"))
    if "lead_officer" in filters:
        found = found.filter(lead_officer_id=filters["lead_officer"])
    if "started_from" in filters:
        found = found.filter(created_at__gte=_day_start(filters["started_from"]))
    if "started_to" in filters and filters["started_to"] < datetime.date.max:  # the last day: no bound
        found = found.filter(created_at__lt=_day_start(filters["started_to"] + datetime.timedelta(days=1)))
    if filters.get("mine"):
        found = found.filter(pk__in=_mine(user))
    if "q" in filters:
        found = _search(found, filters["q"])
    return found.order_by("-created_at", "-pk")


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _mine(user) -> QuerySet:
    """The ids of the plan changes the user started or leads, or of which they wrote or saved
    part of a version: a union of four index reads, so the planner can start from them when
    they are few (an OR of the four would test every plan change of the board in turn)."""
    started = PlanChange.objects.filter(created_by=user).order_by().values("pk")
    led = PlanChange.objects.filter(lead_officer=user).order_by().values("pk")
    wrote = Assessment.objects.filter(author=user).order_by().values("plan_change_id")
    saved = Assessment.contributors.through.objects.filter(user=user).order_by().values("assessment__plan_change_id")
    return started.union(led, wrote, saved)


def _search(found: QuerySet[PlanChange], q: str) -> QuerySet[PlanChange]:
    """A reference (``DUN-0007``) finds that plan change; words find the plan changes whose
    searchable text has them all: PostgreSQL's full-text search of ``search_vector``
    (stemmed English words, the GIN index of migration 0011), or a plain "contains" of the
    whole phrase on SQLite."""
    match = REFERENCE.match(q)
    by_reference = Q(pk=int(match[2]), board__reference_prefix__iexact=match[1]) if match else Q(pk__in=[])
    if connection.vendor != "postgresql":
        return found.filter(by_reference | Q(search_text__icontains=q))
    return found.filter(by_reference | Q(search_vector=SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")))


@dataclass(frozen=True)
class Cursor:
    """A place in the list: the started time and id of the row next to it."""

    created_at: datetime.datetime
    pk: int

    @property
    def token(self) -> str:
        micros = (self.created_at - EPOCH) // datetime.timedelta(microseconds=1)
        return f"{micros}-{self.pk}"

    @classmethod
    def parse(cls, token: str | None) -> "Cursor | None":
        """The cursor of a ``token``, or None when it is not one (a link edited by hand)."""
        micros, _, pk = (token or "").partition("-")
        micros, pk = whole_number(micros, at_most=MAX_MICROS), whole_number(pk)
        if micros is None or pk is None:
            return None
        return cls(EPOCH + datetime.timedelta(microseconds=micros), pk)


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
MAX_MICROS = (datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC) - EPOCH) // datetime.timedelta(microseconds=1)


@dataclass
class ListedChange:
    plan_change: PlanChange
    status: Status
    next_step: str = ""
    held_by: str = ""


@dataclass
class PlanChangePage:
    rows: list[ListedChange]
    count: int  # of every match, up to COUNT_UP_TO + 1
    newer: str | None  # the token of the page before (newer plan changes), if any
    older: str | None

    @property
    def count_label(self) -> str:
        if self.count > COUNT_UP_TO:
            return f"{COUNT_UP_TO:,} or more plan changes"
        return f"{self.count:,} plan change{'' if self.count == 1 else 's'}"


def plan_change_page(user, filters: dict, *, older: str | None = None, newer: str | None = None) -> PlanChangePage:
    """One page of the filtered list: the ``PER_PAGE`` plan changes after the ``older``
    cursor (or before the ``newer`` one; the first page without either), with what each
    row shows, in a fixed number of queries whatever the number of plan changes."""
    found = plan_changes_filtered(user, filters)
    after, before = Cursor.parse(older), Cursor.parse(newer)
    if after is not None:
        # ``created_at <= c`` starts the index range at the cursor; the exclusion only breaks ties
        rows = list(_for_rows(found.filter(created_at__lte=after.created_at)
                              .exclude(created_at=after.created_at, pk__gte=after.pk))[:PER_PAGE + 1])
        has_newer, has_older = True, len(rows) > PER_PAGE
    elif before is not None:
        rows = list(_for_rows(found.filter(created_at__gte=before.created_at)
                              .exclude(created_at=before.created_at, pk__lte=before.pk)
                              .order_by("created_at", "pk"))[:PER_PAGE + 1])
        has_newer, has_older = len(rows) > PER_PAGE, True
        rows = rows[:PER_PAGE][::-1]
    else:
        rows = list(_for_rows(found)[:PER_PAGE + 1])
        has_newer, has_older = False, len(rows) > PER_PAGE
    rows = rows[:PER_PAGE]
    count = found.order_by().values("pk")[:COUNT_UP_TO + 1].count()
    attach_people([(pc, ("lead_officer",)) for pc in rows])
    return PlanChangePage(
        rows=[ListedChange(pc, plan_change_status(pc)) for pc in rows], count=count,
        newer=Cursor(rows[0].created_at, rows[0].pk).token if rows and has_newer else None,
        older=Cursor(rows[-1].created_at, rows[-1].pk).token if rows and has_older else None,
    )


def _for_rows(found: QuerySet[PlanChange]) -> QuerySet[PlanChange]:
    """What a row shows: the board (its reference), the plan and priorities, and the
    current screening's and versions' states (for the status in the plan change page's words)."""
    return (found.select_related("board", "plan").defer("description", "search_text", "search_vector", "plan__vision")
            .prefetch_related(
                "priorities",
                Prefetch("screenings", queryset=Screening.objects.only("pk", "plan_change_id", "state", "created_at")),
                Prefetch("assessments", queryset=Assessment.objects.only("pk", "plan_change_id", "version", "state"))))


CSV_HEADER = ["Reference", "Title", "Board", "Plan", "Priorities", "State", "Lead officer", "Started"]
CSV_CHUNK = 1000


def plan_change_csv_chunks(user, filters: dict):
    """The filtered list's CSV rows, in lists of up to ``CSV_CHUNK`` ``(plan change id,
    row)`` pairs, read a chunk at a time (a fixed number of queries per chunk), so a caller
    can add columns of its own for a chunk at once; the header is ``CSV_HEADER``."""
    found = _for_rows(plan_changes_filtered(user, filters)).select_related("lead_officer")
    chunk = []
    for pc in found.iterator(chunk_size=CSV_CHUNK):
        chunk.append((pc.pk, [
            pc.reference, pc.title, pc.board.short_name, pc.plan.title,
            "; ".join(str(p) for p in pc.priorities.all()), plan_change_status(pc).label,
            pc.lead_officer.get_full_name() or pc.lead_officer.get_username(),
            timezone.localtime(pc.created_at).date().isoformat()]))
        if len(chunk) == CSV_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
