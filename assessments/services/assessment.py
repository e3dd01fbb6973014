"""The full IIA: open, complete its parts, submit, approve or return, sign off, new version."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_fsm import TransitionNotAllowed, can_proceed

from .. import rules
from ..catalogue import (
    ACTIONS_PART,
    EVIDENCE_PART,
    active_template,
    assessment_parts,
    assessment_sections,
    part_by_code,
    screening_opened_modules,
    template_rows,
    template_section,
)
from ..exceptions import NotAllowed, RuleViolation, StaleEdit
from ..models import (
    Assessment,
    AssessmentState,
    ImpactRating,
    LocalityPlanningGroup,
    MitigatingAction,
    PartProgress,
    PlanChange,
    RiskLevel,
    Role,
    Row,
    ScreeningState,
    SectionAnswer,
    Template,
)
from ..models.assessment import OPEN_STATES, ActionKind, ActionStatus, PartStatus, Rating
from ..signals import assessment_changed, assessment_version_opened
from ..text import clean_text
from ..validation import (
    Coverage,
    RatingInput,
    action_input_errors,
    actions_errors,
    answer_error,
    evidence_errors,
    section_errors,
)
from .audit import audit_record


@dataclass
class ActionInput:
    description: str
    owner: str
    due_date: datetime.date | None
    kind: str = ActionKind.MITIGATION
    row_ids: list[int] = field(default_factory=list)
    status: str = ActionStatus.PLANNED
    pk: int | None = None
    delete: bool = False


RATING_FIELDS = [*Rating.values, "explanation", "consulted_group", "consulted_on"]


def _locked(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("plan_change__board", "template")
        .get(pk=assessment.pk)
    )


def _require_editable(assessment: Assessment, by) -> None:
    if not assessment.is_editable:
        raise TransitionNotAllowed(f"The assessment is {assessment.get_state_display().lower()}: it cannot be edited.")
    if not rules.can_edit_assessment(by, assessment):
        raise NotAllowed("Only an officer of the board can edit this assessment.")


def _require(allowed: bool, assessment: Assessment, transition, refusal: str) -> None:
    """Go on only if ``allowed`` (the step's predicate in ``rules``, states included). When
    it is not, say why: a step the assessment's state no longer allows is a conflict (409:
    someone else moved it on first), anything else is not this person's to take (403)."""
    if allowed:
        return
    if not can_proceed(transition):
        raise TransitionNotAllowed(f"The assessment is {assessment.get_state_display().lower()}: this step is closed.")
    raise NotAllowed(refusal)


def _record_part(assessment: Assessment, part: str, by, *, complete: bool, expected_revision: int | None):
    """Bump the part's revision; refuse a save made from a stale form."""
    # the caller holds the assessment's lock, so nobody else creates this row meanwhile: a
    # plain INSERT when it is missing (get_or_create would wrap it in a savepoint)
    progress = PartProgress.objects.select_for_update().filter(assessment=assessment, part=part).first()
    if progress is None:
        progress = PartProgress(assessment=assessment, part=part)
    if expected_revision is not None and progress.revision != expected_revision:
        who = progress.updated_by.get_full_name() if progress.updated_by else "someone else"
        raise StaleEdit(
            f"{who} saved this part while you were editing it. Nothing of yours was saved.",
            current_by=who,
            current_at=progress.updated_at,
        )
    progress.revision += 1
    progress.status = PartStatus.COMPLETE if complete else PartStatus.DRAFT
    progress.updated_by = by
    progress.updated_at = timezone.now()
    progress.save()
    if by.pk != assessment.author_id:
        assessment.contributors.add(by)
    return progress


def _audit(assessment: Assessment, by, action: str, message: str, *, from_state: str = "", data=None):
    audit_record(
        board=assessment.plan_change.board_id,
        actor=by,
        action=action,
        plan_change=assessment.plan_change,
        assessment=assessment,
        from_state=from_state or assessment.state,
        to_state=assessment.state,
        message=message,
        data=data,
    )
    assessment_changed.send(sender=Assessment, assessment=assessment, action=action, by=by)


def assessment_open(
    *, plan_change: PlanChange, template: Template, by, author=None, supersedes: Assessment | None = None
) -> Assessment:
    """Open the next version of the plan change's full IIA (called by the screening review
    and by ``assessment_new_version``; both already hold the transaction). The author is
    the plan change's creator unless given."""
    latest = plan_change.assessments.aggregate(v=Max("version"))["v"] or 0
    screening = plan_change.screenings.filter(state=ScreeningState.SCREENED_IN).order_by("-created_at", "-pk").first()
    modules = screening_opened_modules(template, screening.answers if screening else {})
    assessment = Assessment.objects.create(
        plan_change=plan_change,
        version=latest + 1,
        template=template,
        author=author or plan_change.created_by,
        supersedes=supersedes,
        modules=modules,
    )
    opened = f"Opened version {assessment.version} of the full IIA"
    if assessment.author_id != by.pk:
        opened += f" for {assessment.author.get_full_name() or assessment.author.get_username()}, its author"
    if modules:
        titles = [part_by_code(template, code).title for code in modules]
        opened += ", with the modules the screening opened: " + "; ".join(titles)
    _audit(assessment, by, "assessment.open", f"{opened}.", data={"modules": modules} if modules else None)
    return assessment


def section_save(
    *,
    assessment: Assessment,
    section_code: str,
    by,
    ratings: dict[int, RatingInput],
    answers: dict[int, str],
    complete: bool = False,
    expected_revision: int | None = None,
) -> Assessment:
    """Save a section's ratings and answers; ``complete`` also checks them."""
    with transaction.atomic():
        assessment = _locked(assessment)
        _require_editable(assessment, by)
        section = template_section(assessment.template, section_code)  # the catalogue's cache (read only)
        if section.opened_by and section.code not in assessment.modules:
            raise NotAllowed(f"The screening did not open “{section.title}” for this assessment.")
        rows = list(section.rows.all())
        groups = None
        for row in rows:
            given = ratings.get(row.pk)
            if given and set(given.ratings) - set(Rating.values):
                raise RuleViolation({f"r{row.pk}": ["Choose ratings from the list."]})
            if given and given.consulted_group and row.locality_id and given.asks_consultation:
                if groups is None:
                    groups = set(LocalityPlanningGroup.objects.filter(board_id=assessment.plan_change.board_id)
                                 .values_list("pk", flat=True))
                if given.consulted_group not in groups:
                    raise RuleViolation({f"g{row.pk}": ["Choose a locality planning group of this board."]})
        errors = {f"q{q.pk}": [problem] for q in section.questions.all()
                  if (problem := answer_error(q, clean_text(answers.get(q.pk)).strip()))}
        if complete:
            errors = section_errors(section, ratings, answers)
        if errors:
            raise RuleViolation(errors)
        # One INSERT for the new rows and one UPDATE for the changed ones: the assessment row
        # is locked above, so nobody else creates these rows meanwhile.
        existing = {r.row_id: r for r in ImpactRating.objects.filter(assessment=assessment, row__in=rows).order_by()}
        created, changed = [], []
        for row in rows:
            given = ratings.get(row.pk, RatingInput())
            rating = existing.get(row.pk) or ImpactRating(assessment=assessment, row=row)
            before = [getattr(rating, name) for name in RATING_FIELDS]
            for value in Rating.values:
                setattr(rating, value, value in given.ratings)
            rating.explanation = clean_text(given.explanation)
            # kept only where it is asked for: a locality row rated negative
            consulted = bool(row.locality_id and given.asks_consultation)
            rating.consulted_group_id = given.consulted_group if consulted else None
            rating.consulted_on = given.consulted_on if consulted else None
            if rating.pk is None:
                created.append(rating)
            elif before != [getattr(rating, name) for name in RATING_FIELDS]:
                changed.append(rating)
        ImpactRating.objects.bulk_create(created)
        ImpactRating.objects.bulk_update(changed, RATING_FIELDS)
        questions = list(section.questions.all())
        stored = {a.question_id: a for a in SectionAnswer.objects.filter(
            assessment=assessment, question_id__in=[q.pk for q in questions]).order_by()}
        new_answers, changed_answers = [], []
        for question in questions:
            value = clean_text(answers.get(question.pk))
            answer = stored.get(question.pk)
            if answer is None:
                new_answers.append(SectionAnswer(assessment=assessment, question=question, value=value))
            elif answer.value != value:
                answer.value = value
                changed_answers.append(answer)
        SectionAnswer.objects.bulk_create(new_answers)
        SectionAnswer.objects.bulk_update(changed_answers, ["value"])
        _record_part(assessment, section_code, by, complete=complete, expected_revision=expected_revision)
        verb = "Completed" if complete else "Saved a draft of"
        _audit(assessment, by, "assessment.section_complete" if complete else "assessment.section_save",
               f"{verb} {section.title}.", data={"part": section_code})
    return assessment


def evidence_save(
    *,
    assessment: Assessment,
    by,
    evidence: str,
    consultation: str,
    complete: bool = False,
    expected_revision: int | None = None,
) -> Assessment:
    """Save the evidence and consultation; ``complete`` also checks both are given."""
    with transaction.atomic():
        assessment = _locked(assessment)
        _require_editable(assessment, by)
        if complete:
            errors = evidence_errors(evidence, consultation)
            if errors:
                raise RuleViolation(errors)
        assessment.evidence = clean_text(evidence)
        assessment.consultation = clean_text(consultation)
        assessment.save()
        _record_part(assessment, EVIDENCE_PART.code, by, complete=complete, expected_revision=expected_revision)
        verb = "Completed" if complete else "Saved a draft of"
        _audit(assessment, by, "assessment.section_complete" if complete else "assessment.section_save",
               f"{verb} {EVIDENCE_PART.title.lower()}.", data={"part": EVIDENCE_PART.code})
    return assessment


def actions_save(
    *,
    assessment: Assessment,
    by,
    actions: list[ActionInput],
    justifications: dict[int, str],
    review_date: datetime.date | None,
    complete: bool = False,
    expected_revision: int | None = None,
) -> Assessment:
    """Save the mitigating actions, the justifications of negative ratings and the review
    date; ``complete`` also checks every negative and not-known rating is covered."""
    with transaction.atomic():
        assessment = _locked(assessment)
        _require_editable(assessment, by)
        template_row_ids = {row.pk for row in template_rows(assessment.template)}
        errors: dict[str, list[str]] = {}
        kept = {a.pk: a for a in assessment.actions.prefetch_related("rows")}
        for index, item in enumerate(actions):
            if item.delete:
                continue
            existing = kept.get(item.pk)
            unchanged_date = existing is not None and existing.due_date == item.due_date
            problems = action_input_errors(item.description, item.owner, item.due_date,
                                           "done" if unchanged_date else item.status)
            if item.kind not in ActionKind.values:
                problems.append(("kind", "Choose the kind of action."))
            if item.status not in ActionStatus.values:
                problems.append(("status", "Choose a status from the list."))
            elif item.status == ActionStatus.DROPPED and not (existing and existing.status == ActionStatus.DROPPED):
                problems.append(("status", "An action is dropped only after sign-off, with a reason (record its "
                                           "progress); remove it instead."))
            if set(item.row_ids) - template_row_ids:
                problems.append(("rows", "Link rows of this assessment only."))
            # keyed "action-<index>-<field>", so that each error shows beside its field
            for field, problem in problems:
                errors.setdefault(f"action-{index}-{field}", []).append(problem)
        if complete:
            # checked against what is about to be saved, so every problem shows at once
            errors.update(actions_errors(assessment, _coverage(actions, justifications, review_date, kept)))
        if errors:
            raise RuleViolation(errors)

        owned = {a.pk: a for a in assessment.actions.all()}
        # a new action goes after every other: the actions keep the order they were entered in
        last = max((a.position for a in owned.values()), default=0)
        for item in actions:
            if item.pk is not None and item.pk not in owned:
                raise NotAllowed("That action belongs to another assessment.")
            if item.delete:
                if item.pk is not None:
                    owned[item.pk].delete()
                continue
            action = owned.get(item.pk)
            if action is None:
                last += 1
                action = MitigatingAction(assessment=assessment, position=last)
            action.kind = item.kind
            action.description = clean_text(item.description)
            action.owner = clean_text(item.owner)
            action.due_date = item.due_date
            action.status = item.status
            if item.status != ActionStatus.DONE:
                action.done_on = None
            action.save()
            action.rows.set(item.row_ids)
        for rating in assessment.ratings.filter(row_id__in=list(justifications)):
            rating.justification = clean_text(justifications[rating.row_id])
            rating.save(update_fields=["justification"])
        assessment.review_date = review_date
        assessment.save()
        _record_part(assessment, ACTIONS_PART.code, by, complete=complete, expected_revision=expected_revision)
        verb = "Completed" if complete else "Saved a draft of"
        _audit(assessment, by, "assessment.section_complete" if complete else "assessment.section_save",
               f"{verb} {ACTIONS_PART.title.lower()}.", data={"part": ACTIONS_PART.code})
    return assessment


def _coverage(actions: list[ActionInput], justifications: dict[int, str], review_date, kept) -> Coverage:
    """What the submitted actions will cover once saved (actions not in the form stay)."""
    linked: dict[str, set[int]] = {ActionKind.MITIGATION: set(), ActionKind.EVIDENCE: set()}
    evidence_actions: dict[int, str] = {}
    submitted = {item.pk for item in actions if item.pk is not None}
    covering = [(a.kind, [r.pk for r in a.rows.all()], a.description) for pk, a in kept.items() if pk not in submitted]
    covering += [(item.kind, item.row_ids, item.description) for item in actions if not item.delete]
    for kind, row_ids, description in covering:
        if kind not in linked:
            continue
        linked[kind].update(row_ids)
        if kind == ActionKind.EVIDENCE:
            for row_id in row_ids:
                evidence_actions.setdefault(row_id, clean_text(description))
    return Coverage(linked, justifications, review_date, evidence_actions)


def assessment_errors(assessment: Assessment) -> dict[str, list[str]]:
    """Everything that stops the assessment from being submitted, keyed by part code."""
    errors: dict[str, list[str]] = {}
    progress = dict(assessment.parts.values_list("part", "status"))
    for part in assessment_parts(assessment):
        if progress.get(part.code) != PartStatus.COMPLETE:
            errors.setdefault(part.code, []).append(f"Complete “{part.title}”.")
    rated = list(assessment.ratings.order_by())  # read once for the sections' and the actions' checks
    ratings = {r.row_id: RatingInput.of(r) for r in rated}
    answers = dict(assessment.answers.values_list("question_id", "value"))
    for section in assessment_sections(assessment):
        for messages in section_errors(section, ratings, answers).values():
            errors.setdefault(section.code, []).extend(messages)
    for messages in evidence_errors(assessment.evidence, assessment.consultation).values():
        errors.setdefault(EVIDENCE_PART.code, []).extend(messages)
    for messages in actions_errors(assessment, ratings=rated).values():
        errors.setdefault(ACTIONS_PART.code, []).extend(messages)
    return errors


def assessment_submit(*, assessment: Assessment, by) -> Assessment:
    """Submit the assessment for equality-lead review; every rule must hold."""
    with transaction.atomic():
        assessment = _locked(assessment)
        _require(rules.can_submit(by, assessment), assessment, assessment.submit,
                 "Only an officer of the board can submit this assessment.")
        errors = assessment_errors(assessment)
        if errors:
            raise RuleViolation(errors)
        from_state = assessment.state
        assessment.submit()
        assessment.submitted_at = timezone.now()
        assessment.rework_parts = []
        assessment.save()
        _audit(assessment, by, "assessment.submit", "Submitted for equality-lead review.", from_state=from_state)
    return assessment


def assessment_approve(*, assessment: Assessment, by, risk_level: str, comments: str = "") -> Assessment:
    """An equality lead who took no part in it approves the assessment and records a risk level."""
    with transaction.atomic():
        assessment = _locked(assessment)
        _require(rules.can_approve(by, assessment), assessment, assessment.approve,
                 "Only an equality lead of the board who did not author or contribute to it can approve.")
        if risk_level not in RiskLevel.values:
            raise RuleViolation({"risk_level": ["Choose a risk level."]})
        from_state = assessment.state
        assessment.approve()
        assessment.risk_level = risk_level
        assessment.approval_comments = clean_text(comments)
        assessment.approved_by = by
        assessment.approved_at = timezone.now()
        assessment.save()
        said = f" Comments: {assessment.approval_comments}" if assessment.approval_comments else ""
        _audit(assessment, by, "assessment.approve",
               f"Approved; risk level {assessment.get_risk_level_display().lower()}.{said}", from_state=from_state)
    return assessment


def assessment_return(*, assessment: Assessment, by, comments: str, parts: list[str]) -> Assessment:
    """The reviewer (or the senior officer) returns the assessment with comments, reopening
    the chosen parts. The mitigating actions are always reopened."""
    with transaction.atomic():
        assessment = _locked(assessment)
        if not rules.can_return(by, assessment):  # a closed step is not a conflict here: nobody may return it
            raise NotAllowed("You cannot return this assessment.")
        if not clean_text(comments):
            raise RuleViolation({"comments": ["Say what needs to change."]})
        if not parts:
            raise RuleViolation({"parts": ["Choose the parts the officer must change."]})
        known = {p.code for p in assessment_parts(assessment)}
        if set(parts) - known:
            raise RuleViolation({"parts": ["Choose parts of this assessment."]})
        reopened = [code for code in (p.code for p in assessment_parts(assessment))
                    if code in parts or code == ACTIONS_PART.code]
        from_state = assessment.state
        assessment.return_to_officer()
        assessment.return_comments = clean_text(comments)
        assessment.rework_parts = reopened
        assessment.approved_by = None
        assessment.approved_at = None
        assessment.save()
        assessment.parts.filter(part__in=reopened).update(status=PartStatus.DRAFT)
        names = ", ".join(part_by_code(assessment.template, code).title for code in reopened)
        _audit(assessment, by, "assessment.return", f"Returned for changes to {names}: {clean_text(comments)}",
               from_state=from_state, data={"parts": reopened})
    return assessment


def assessment_sign_off(*, assessment: Assessment, by, comments: str = "") -> Assessment:
    """A senior officer who took no part in it signs the assessment off, with any comments
    (kept on the assessment, in its history and on the signed document); it is then
    locked. A version that supersedes an earlier one retires that one now."""
    with transaction.atomic():
        assessment = _locked(assessment)
        _require(rules.can_sign_off(by, assessment), assessment, assessment.sign_off,
                 "Only a senior officer of the board who did not author or contribute to it can sign off.")
        from_state = assessment.state
        assessment.sign_off()
        membership = by.memberships.filter(board_id=assessment.plan_change.board_id, role=Role.SENIOR_OFFICER).first()
        assessment.signed_off_by = by
        assessment.signed_off_at = timezone.now()
        assessment.signed_off_role = membership.job_title if membership and membership.job_title else "Senior officer"
        assessment.sign_off_declaration = assessment.template.sign_off_declaration
        assessment.sign_off_comments = clean_text(comments)
        assessment.save()
        said = f" Comments: {assessment.sign_off_comments}" if assessment.sign_off_comments else ""
        _audit(assessment, by, "assessment.sign_off", f"Signed off as {assessment.signed_off_role}.{said}",
               from_state=from_state)
        if assessment.supersedes_id:
            previous = _locked(assessment.supersedes)
            previous.supersede()
            previous.save()
            _audit(previous, by, "assessment.supersede",
                   f"Superseded by version {assessment.version}.", from_state=AssessmentState.SIGNED_OFF)
    return assessment


def assessment_withdraw(*, assessment: Assessment, by, reason: str) -> Assessment:
    """Withdraw an assessment that is not signed off: the plan change is not going ahead.
    The workflow ends its open tasks in the same transaction (``workflows.engine.withdraw``)."""
    with transaction.atomic():
        assessment = _locked(assessment)
        _require(rules.can_withdraw(by, assessment), assessment, assessment.withdraw,
                 "Only the plan change's author or lead officer, or an equality lead, can withdraw it.")
        reason = clean_text(reason).strip()
        if not reason:
            raise RuleViolation({"reason": ["Say why the assessment is withdrawn."]})
        from_state = assessment.state
        assessment.withdraw()
        assessment.save()
        _audit(assessment, by, "assessment.withdraw", f"Withdrawn: {reason}", from_state=from_state)
    return assessment


def assessment_new_version(*, assessment: Assessment, by, reason: str, board_decision: bool = False) -> Assessment:
    """Start a new version of a signed-off assessment, copying its answers for editing.
    It supersedes the signed-off version when it is signed off in turn. An officer
    starts one and becomes its author; a board decision ("agreed as amended", recorded
    by the clerk) starts one for the plan change's officer (``_reopened_author``), never
    in the clerk's name."""
    with transaction.atomic():
        assessment = _locked(assessment)
        if board_decision:
            if not (assessment.state == AssessmentState.SIGNED_OFF
                    and rules.has_role(by, assessment.plan_change.board_id, Role.CLERK)):
                raise NotAllowed("Only the board's clerk records a decision that reopens an assessment.")
        elif not rules.can_start_new_version(by, assessment):
            raise NotAllowed("Only an officer of the board can start a new version of a signed-off assessment.")
        if not clean_text(reason):
            raise RuleViolation({"reason": ["Say why a new version is needed."]})
        if assessment.plan_change.assessments.filter(state__in=OPEN_STATES).exists():
            raise RuleViolation("A newer version of this assessment is already open.")
        template = active_template(assessment.plan_change.board)
        author = _reopened_author(assessment) if board_decision else by
        new = assessment_open(
            plan_change=assessment.plan_change, template=template, by=by, author=author, supersedes=assessment
        )
        _copy_answers(assessment, new)
        assessment_version_opened.send(sender=Assessment, assessment=new, by=by)
        _audit(assessment, by, "assessment.new_version", f"Version {new.version} started: {clean_text(reason)}",
               data={"new_version": new.version, "author": new.author_id, "reason": clean_text(reason)})
    return new


def _reopened_author(assessment: Assessment):
    """Who writes the version a board decision reopens: the plan change's lead officer,
    who answers for the proposal; if they are no longer an active officer of the board,
    the author of the version the board decided on; failing both, the lead officer still
    (their tasks can be delegated or reassigned)."""
    plan_change = assessment.plan_change
    for person in (plan_change.lead_officer, assessment.author):
        if person.is_active and rules.has_role(person, plan_change.board_id, Role.OFFICER):
            return person
    return plan_change.lead_officer


def _copy_answers(old: Assessment, new: Assessment) -> None:
    """Copy ratings, answers and actions, matching rows and questions by code so a newer
    template version keeps whatever still applies."""
    new_rows = {(r.section.code, r.code): r for r in Row.objects.filter(section__template=new.template)
                .select_related("section")}
    row_map = {}
    for rating in old.ratings.select_related("row__section"):
        target = new_rows.get((rating.row.section.code, rating.row.code))
        if target is None:
            continue
        row_map[rating.row_id] = target.pk
        rating.pk = None
        rating.assessment = new
        rating.row = target
        rating.save()
    new_questions = {
        (section.code, q.code): q
        for section in new.template.sections.prefetch_related("questions")
        for q in section.questions.all()
    }
    for answer in old.answers.select_related("question__section"):
        target = new_questions.get((answer.question.section.code, answer.question.code))
        if target is not None:
            SectionAnswer.objects.create(assessment=new, question=target, value=answer.value)
    for action in old.actions.prefetch_related("rows"):
        rows = [row_map[r.pk] for r in action.rows.all() if r.pk in row_map]
        copy = MitigatingAction.objects.create(
            assessment=new, kind=action.kind, description=action.description, owner=action.owner,
            due_date=action.due_date, status=action.status, done_on=action.done_on, position=action.position,
        )
        copy.rows.set(rows)
    new.evidence = old.evidence
    new.consultation = old.consultation
    new.review_date = old.review_date
    new.save()
    PartProgress.objects.bulk_create(
        PartProgress(assessment=new, part=part.code, status=PartStatus.DRAFT)
        for part in assessment_parts(new)
    )
