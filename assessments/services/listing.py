"""Keeping a plan change's status and searchable text (``listing``) up to date."""

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import TextField, Value

from ..listing import SEARCH_CONFIG, search_text, status_code
from ..models import Assessment, MitigatingAction, PlanChange, Screening


def plan_change_listing_refresh(*, plan_change: PlanChange) -> None:
    """Compute the plan change's status and searchable text from its screenings, versions
    and mitigating actions, and store them when they changed. ``audit_record`` calls it
    for every audit event of a plan change: every change of a state, an answer or an
    action writes one, in the transaction that made it."""
    screenings = list(Screening.objects.filter(plan_change_id=plan_change.pk)
                      .values_list("created_at", "pk", "state", "answers", "officer_reason"))
    versions = list(Assessment.objects.filter(plan_change_id=plan_change.pk).values_list("version", "state"))
    actions = (MitigatingAction.objects.filter(assessment__plan_change_id=plan_change.pk)
               .order_by("assessment__version", "pk").values_list("description", flat=True))
    status = status_code(versions, [s[:3] for s in screenings])
    text = search_text(plan_change.title, plan_change.description, [s[3:] for s in screenings], actions)
    changes = {"status": status, "search_text": text}
    if connection.vendor == "postgresql":
        changes["search_vector"] = SearchVector(Value(text, output_field=TextField()), config=SEARCH_CONFIG)
    # compared in the database, not with this instance, which may have been read before an
    # earlier change of the same transaction
    PlanChange.objects.filter(pk=plan_change.pk).exclude(status=status, search_text=text).update(**changes)
    plan_change.status, plan_change.search_text = status, text
