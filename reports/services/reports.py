"""Drafting IJB reports, their Policy Implications, numbering and the agenda gate."""

import dataclasses
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from assessments import rules
from assessments.exceptions import NotAllowed, RuleViolation
from assessments.models import AssessmentState, Outcome, PlanChange, Role, ScreeningState
from assessments.selectors import current_assessment, current_screening, signed_off_assessment
from assessments.services import audit_record
from assessments.text import clean_text
from assessments.validation import review_date_problem

from ..models import (
    Committee,
    DecisionSought,
    Direction,
    DirectionEffect,
    DirectionTo,
    Report,
    ReportNumberCounter,
    ReportStatus,
    ReportWording,
    SignedDocument,
)
from ..signals import report_sent
from .directions import earlier_direction_problem

ASKS_AGREEMENT = "asks_agreement"  # the screening question "Does the report ask the IJB to agree something?"

REPORT_FIELDS = ("title", "report_by", "decision_sought", "purpose", "recommendations", "financial_implications",
                 "main_text", "risk_assessment", "consultations", "direction_to", "background_papers")


@dataclass
class DirectionInput:
    functions: str
    budget: str
    text: str
    review_date: datetime.date | None
    effect: str = DirectionEffect.NEW
    earlier_id: int | None = None  # the earlier direction of the board it varies or revokes
    recipients: str = ""  # the report's ``direction_to`` decides who every direction goes to


def _directions_for(fields: dict, directions) -> list[DirectionInput]:
    """The directions to keep: none when the report needs no direction (whatever was typed in
    their fields), else each going to the report's ``direction_to``: one control decides."""
    direction_to = fields.get("direction_to", DirectionTo.NONE)
    if direction_to == DirectionTo.NONE or direction_to not in DirectionTo.values:
        return []
    return [dataclasses.replace(d, recipients=direction_to) for d in directions]


def _check(fields: dict, directions: list[DirectionInput], board_id: int, committee: Committee) -> None:
    errors: dict[str, list[str]] = {}
    if committee.board_id != board_id:
        errors["committee"] = ["Choose a committee of this board."]
    for name in ("title", "report_by", "purpose", "recommendations"):
        if not clean_text(fields.get(name)):
            errors[name] = [f"Enter the {name.replace('_', ' ')}."]
    direction_to = fields.get("direction_to", DirectionTo.NONE)
    if direction_to not in DirectionTo.values:
        errors["direction_to"] = ["Choose who the direction goes to, or no direction."]
    elif direction_to != DirectionTo.NONE and not directions:
        errors["direction_to"] = ["Record the direction: its functions, budget, text and review date."]
    for index, d in enumerate(directions):
        # keyed "direction-<index>-<field>", so that each error shows beside its field
        problems = [(label, f"Enter the direction's {label}.") for label, value in
                    (("functions", d.functions), ("budget", d.budget), ("text", d.text)) if not clean_text(value)]
        problem = review_date_problem(d.review_date, what="The direction's review date")
        if problem:
            problems.append(("review_date", problem))
        earlier = (Direction.objects.select_related("report").filter(pk=d.earlier_id).first()
                   if d.earlier_id is not None else None)
        if d.earlier_id is not None and earlier is None:
            problems.append(("earlier", "Choose the earlier direction it varies or revokes from the list."))
        else:
            problem = earlier_direction_problem(board_id=board_id, effect=d.effect, earlier=earlier)
            if problem:
                problems.append(("earlier", problem))
        for field, problem in problems:
            errors.setdefault(f"direction-{index}-{field}", []).append(problem)
    if errors:
        raise RuleViolation(errors)


def _save_directions(report: Report, directions: list[DirectionInput]) -> None:
    report.directions.all().delete()
    for d in directions:
        Direction.objects.create(report=report, recipients=d.recipients, functions=clean_text(d.functions),
                                 budget=clean_text(d.budget), text=clean_text(d.text), review_date=d.review_date,
                                 effect=d.effect, earlier_id=d.earlier_id if d.effect != DirectionEffect.NEW else None)


def report_create(*, plan_change: PlanChange, by, committee: Committee, directions=(), **fields) -> Report:
    """An officer of the board drafts an IJB report on a plan change."""
    if not rules.has_role(by, plan_change.board_id, Role.OFFICER):
        raise NotAllowed("Only an officer of the board can draft its reports.")
    directions = _directions_for(fields, directions)
    _check(fields, directions, plan_change.board_id, committee)
    with transaction.atomic():
        report = Report.objects.create(
            board_id=plan_change.board_id, plan_change=plan_change, committee=committee, author=by,
            **{name: clean_text(fields[name]) if isinstance(fields.get(name), str) else fields[name]
               for name in REPORT_FIELDS if name in fields},
        )
        _save_directions(report, directions)
        audit_record(board=plan_change.board_id, actor=by, action="report.create", plan_change=plan_change,
                     to_state=report.status, message=f"Drafted the IJB report “{report.title}”.")
    return report


def report_update(*, report: Report, by, committee: Committee, directions=(), **fields) -> Report:
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if not rules.has_role(by, report.board_id, Role.OFFICER):
            raise NotAllowed("Only an officer of the board can edit its reports.")
        if not report.is_editable:
            raise RuleViolation("The report is on a published agenda and can no longer be changed.")
        directions = _directions_for({"direction_to": report.direction_to, **fields}, directions)
        _check(fields, directions, report.board_id, committee)
        for name in REPORT_FIELDS:
            if name in fields:
                setattr(report, name, clean_text(fields[name]) if isinstance(fields[name], str) else fields[name])
        report.committee = committee
        report.save()
        _save_directions(report, directions)
        audit_record(board=report.board_id, actor=by, action="report.update", plan_change=report.plan_change,
                     from_state=report.status, to_state=report.status, message=f"Edited the report “{report.title}”.")
    return report


def report_submit(*, report: Report, by) -> Report:
    """Send the report to the clerk, ready for a meeting; the board's clerks are emailed
    once it commits."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if not rules.has_role(by, report.board_id, Role.OFFICER):
            raise NotAllowed("Only an officer of the board can send its reports to the clerk.")
        if report.status != ReportStatus.DRAFT:
            raise RuleViolation("The report has already been sent to the clerk.")
        report.submit()
        report.submitted_at = timezone.now()
        report.save()
        audit_record(board=report.board_id, actor=by, action="report.submit", plan_change=report.plan_change,
                     from_state=ReportStatus.DRAFT, to_state=report.status,
                     message=f"Sent the report “{report.title}” to the clerk.")
        transaction.on_commit(lambda: report_sent.send(sender=Report, report_id=report.pk, actor_id=by.pk))
    return report


def report_appendix(report: Report):
    """The signed document that goes with the report as Appendix 1: the assessment in
    force (the newest signed-off version) or, for a screened-out plan change, its
    screening record. Fixed once the report is published."""
    if report.appendix_id:
        return report.appendix
    assessment = signed_off_assessment(report.plan_change)
    if assessment is not None:
        return SignedDocument.objects.filter(assessment=assessment).first()
    screening = current_screening(report.plan_change)
    if screening is not None and screening.state == ScreeningState.SCREENED_OUT:
        return SignedDocument.objects.filter(screening=screening).first()
    return None


def policy_implications(report: Report, appendix: str = "Appendix 1") -> str:
    """The Policy Implications section in the board's own wording, matching the appendix:
    the assessment in force, the screening-out record, or neither yet. Once the report is
    published, the published text."""
    if report.published_policy_implications:
        return report.published_policy_implications
    wording, _ = ReportWording.objects.get_or_create(board_id=report.board_id)
    document = report_appendix(report)
    if document is None:
        return wording.pending.replace("{appendix}", appendix)
    template = wording.full_iia if document.kind == "assessment" else wording.screened_out
    return template.replace("{appendix}", appendix)


def asks_agreement(plan_change: PlanChange) -> str:
    """Why the plan change's own record says a report on it asks the board to agree
    something ("" when it does not), whatever the report says of itself: a full IIA was
    opened, or its screening's outcome (or, before review, its proposed outcome) is a full
    IIA, or the officer answered that it asks the board to agree something."""
    if current_assessment(plan_change) is not None:
        return "its screening requires a full Integrated Impact Assessment"
    screening = current_screening(plan_change)
    if screening is None:
        return ""
    if screening.outcome == Outcome.FULL_IIA or (not screening.outcome and screening.proposed_outcome == Outcome.FULL_IIA):
        return "its screening requires a full Integrated Impact Assessment"
    if ((screening.answers or {}).get(ASKS_AGREEMENT) or {}).get("answer") == "yes":
        return "its screening says it asks the board to agree something"
    return ""


def agenda_gate(report: Report) -> str:
    """Why the report cannot join a published agenda ("" when it can). A report that asks
    the board to agree something needs a signed-off assessment, or a screening record
    that screened it out and was approved by an equality lead. A report "for noting"
    needs the same when its plan change's screening says it asks for agreement or
    requires a full IIA (``asks_agreement``): the report's own label is no way round."""
    noting = ""
    if report.decision_sought != DecisionSought.AGREE:
        why = asks_agreement(report.plan_change)
        if not why:
            return ""
        noting = f"It is marked for noting, but {why}. "
    assessment = current_assessment(report.plan_change)
    if assessment is not None:
        if assessment.state == AssessmentState.SIGNED_OFF:
            return ""
        return f"{noting}Its Integrated Impact Assessment is “{assessment.get_state_display()}”, not signed off."
    screening = current_screening(report.plan_change)
    if screening is not None and screening.state == ScreeningState.SCREENED_OUT:
        return ""
    state = screening.get_state_display() if screening else "not started"
    return (f"{noting}Its screening is “{state}”: neither a signed-off assessment nor an approved "
            "screening-out record.")


def report_number_allocate(*, report: Report, year: int) -> Report:
    """Give the report the next number of its committee and year (e.g. DIJB12-2025).
    The counter row is locked, so concurrent allocations never share a number."""
    if report.number:
        return report
    with transaction.atomic():
        ReportNumberCounter.objects.get_or_create(committee=report.committee, year=year)
        counter = ReportNumberCounter.objects.select_for_update().get(committee=report.committee, year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        report.number_year = year
        report.number_sequence = counter.last
        report.number = f"{report.committee.report_prefix}{counter.last}-{year}"
        Report.objects.filter(pk=report.pk).update(number=report.number, number_year=year,
                                                   number_sequence=counter.last)
    return report
