"""The pages of the workflow's human tasks. Each reads through selectors, writes through
``assessments.services`` and then completes its task."""

from django.db.models import Q

from assessments import services
from assessments.catalogue import (
    ACTIONS_PART,
    parallel_part_codes,
    part_by_code,
    template_screening_questions,
    template_sections,
)
from assessments.exceptions import RuleViolation, StaleEdit
from assessments.forms import (
    ActionFormSet,
    ActionsForm,
    EvidenceForm,
    EvidenceUploadForm,
    ReviewForm,
    ScreeningForm,
    ScreeningReviewForm,
    SectionForm,
    action_formset_data_with_another,
    apply_errors,
)
from assessments.models import PartProgress
from assessments.selectors import assessment_summary, assessments_to_rely_on, evidence_files_of
from assessments.services import ActionInput
from assessments.services.screening import ALREADY_ASSESSED
from assessments.validation import RatingInput

from .. import actions, selectors
from .base import TaskPage


class ScreeningTaskView(TaskPage):
    template_name = "workflows/task_screening.html"

    def screening(self):
        """The process's screening, read once a request (the form and the page both ask)."""
        if "_screening" not in self.__dict__:
            self._screening = selectors.process_screening(self.process)
        return self._screening

    def form(self, data=None):
        screening = self.screening()
        return ScreeningForm(
            data,
            questions=template_screening_questions(screening.template),
            answers=screening.answers,
            initial={"officer_reason": screening.officer_reason},
            earlier=assessments_to_rely_on(board_id=self.process.board_id), relies_on=screening.relies_on_id,
            follows=ALREADY_ASSESSED,
        )

    def get(self, request, **kwargs):
        return self.render({"form": self.form(), "screening": self.screening()})

    def post(self, request, **kwargs):
        form = self.form(request.POST)
        screening = self.screening()
        if form.is_valid():
            complete = request.POST.get("action") == "complete"
            try:
                screening = actions.screening_save(task=self.task, by=request.user, answers=form.answers(),
                                                   officer_reason=form.cleaned_data["officer_reason"],
                                                   relies_on_id=form.cleaned_data.get("relies_on"),
                                                   complete=complete, screening=screening)
                if complete:
                    return self.finish(
                        f"Screening submitted for review. Proposed outcome: {screening.get_proposed_outcome_display()}."
                    )
                return self.stay("Draft saved. You can come back to it from your inbox.")
            except RuleViolation as violation:
                apply_errors(form, violation)
        return self.render({"form": form, "screening": screening})


class ScreeningReviewTaskView(TaskPage):
    template_name = "workflows/task_decision.html"

    def get(self, request, **kwargs):
        screening = selectors.process_screening(self.process)
        return self.render({"form": ScreeningReviewForm(relies_on=screening.relies_on), "screening": screening})

    def post(self, request, **kwargs):
        screening = selectors.process_screening(self.process)
        form = ScreeningReviewForm(request.POST, relies_on=screening.relies_on)
        if form.is_valid():
            try:
                screening = actions.screening_review(
                    task=self.task, by=request.user, decision=form.cleaned_data["decision"],
                    comments=form.cleaned_data["comments"], screening=screening,
                    relies_on_checked=bool(form.cleaned_data.get("relies_on_checked")),
                )
                return self.finish(f"Screening reviewed: {screening.get_state_display()}.")
            except RuleViolation as violation:
                apply_errors(form, violation)
        return self.render({"form": form, "screening": screening})


class PartTaskView(TaskPage):
    """One part of the assessment: a template section, or the evidence and consultation."""

    def part(self, assessment):
        return part_by_code(assessment.template, self.activation.task.data["part"])

    def revision(self, assessment, code):
        progress = PartProgress.objects.filter(assessment=assessment, part=code).first()
        return progress.revision if progress else 0

    def form(self, assessment, part, data=None):
        revision = self.revision(assessment, part.code)
        if part.kind == "evidence":
            return EvidenceForm(
                data,
                initial={"evidence": assessment.evidence, "consultation": assessment.consultation,
                         "revision": revision},
            )
        section = next(s for s in template_sections(assessment.template) if s.code == part.code)
        ratings = {r.row_id: RatingInput.of(r) for r in assessment.ratings.order_by()}
        answers = dict(assessment.answers.values_list("question_id", "value"))
        return SectionForm(data, section=section, ratings=ratings, answers=answers, initial={"revision": revision})

    def page(self, assessment, part, form, status=200, stale=None):
        self.template_name = (
            "workflows/task_evidence.html" if part.kind == "evidence" else "workflows/task_section.html"
        )
        files = {}
        if part.kind == "evidence":
            attached = evidence_files_of(assessment)
            files = {"evidence_files": [f for f in attached if f.part == "evidence"],
                     "consultation_files": [f for f in attached if f.part == "consultation"],
                     "upload_form": EvidenceUploadForm()}
        return self.render(
            {"form": form, "assessment": assessment, "part": part, "stale": stale,
             "summary": assessment_summary(assessment) if stale else None, **files},
            status=status,
        )

    def get(self, request, **kwargs):
        assessment = selectors.process_assessment(self.process)
        part = self.part(assessment)
        return self.page(assessment, part, self.form(assessment, part))

    def post(self, request, **kwargs):
        assessment = selectors.process_assessment(self.process)
        part = self.part(assessment)
        form = self.form(assessment, part, request.POST)
        complete = request.POST.get("action") == "complete"
        if not form.is_valid():
            return self.page(assessment, part, form)
        if part.kind == "evidence":
            inputs = dict(evidence=form.cleaned_data["evidence"], consultation=form.cleaned_data["consultation"])
        else:
            inputs = dict(ratings=form.ratings(), answers=form.answers())
        try:
            actions.part_save(task=self.task, by=request.user, complete=complete, assessment=assessment,
                              expected_revision=form.cleaned_data.get("revision"), **inputs)
        except RuleViolation as violation:
            apply_errors(form, violation)
            return self.page(assessment, part, form)
        except StaleEdit as stale:
            assessment = selectors.process_assessment(self.process)
            data = request.POST.copy()
            data["revision"] = str(self.revision(assessment, part.code))
            return self.page(assessment, part, self.form(assessment, part, data), status=409, stale=stale)
        if complete:
            return self.finish(f"“{part.title}” is complete.")
        return self.stay(f"Draft of “{part.title}” saved. You can come back to it from your inbox.")


class ActionsTaskView(TaskPage):
    template_name = "workflows/task_actions.html"

    def attention(self, assessment):
        return list(
            assessment.ratings.filter(Q(negative=True) | Q(not_known=True))
            .select_related("row__section").order_by("row__section__order", "row__order")
        )

    def row_choices(self, assessment, attention):
        linked = {row for action in assessment.actions.prefetch_related("rows__section") for row in action.rows.all()}
        rows = {r.row for r in attention} | linked
        rows = sorted(rows, key=lambda row: (row.section.order, row.order))
        return [(str(row.pk), f"{row.section.title}: {row.label}") for row in rows]

    def forms(self, assessment, data=None):
        attention = self.attention(assessment)
        progress = PartProgress.objects.filter(assessment=assessment, part=ACTIONS_PART.code).first()
        main = ActionsForm(
            data,
            attention=attention,
            initial={"review_date": assessment.review_date, "revision": progress.revision if progress else 0},
        )
        initial = [
            {"id": a.pk, "kind": a.kind, "description": a.description, "owner": a.owner, "due_date": a.due_date,
             "status": a.status, "rows": [str(r.pk) for r in a.rows.all()]}
            for a in assessment.actions.prefetch_related("rows").order_by("position", "pk")
        ]
        formset = ActionFormSet(
            data, initial=initial, prefix="act",
            form_kwargs={"row_choices": self.row_choices(assessment, attention)},
        )
        return main, formset

    def page(self, assessment, main, formset, status=200, stale=None, replaced=False, added=False):
        if added:  # the new action's first field takes the focus, as the script moves it there
            formset.forms[-1].fields["kind"].widget.attrs["autofocus"] = True
        extra = [(f"field-e{row_id}", message) for row_id, messages in main.row_errors.items() for message in messages]
        for number, form in enumerate(formset.forms, 1):
            for message in form.non_field_errors():
                extra.append((f"action-{number}", f"Action {number}: {message}"))
            for name, messages in form.errors.items():
                if name != "__all__":
                    extra += [(form[name].auto_id, f"Action {number}: {m}") for m in messages]
        return self.render({"form": main, "formset": formset, "assessment": assessment, "stale": stale,
                            "stale_replaced": replaced, "extra_errors": extra, "added": added}, status=status)

    def get(self, request, **kwargs):
        assessment = selectors.process_assessment(self.process)
        return self.page(assessment, *self.forms(assessment))

    def post(self, request, **kwargs):
        assessment = selectors.process_assessment(self.process)
        if request.POST.get("action") == "add":
            # "Add another action" without JavaScript: nothing is saved, what was typed is
            # shown again with one more blank action
            main, formset = self.forms(assessment, action_formset_data_with_another(request.POST))
            return self.page(assessment, main, formset, added=True)
        main, formset = self.forms(assessment, request.POST)
        if not (main.is_valid() and formset.is_valid()):
            return self.page(assessment, main, formset)
        inputs, positions = [], []
        for index, form in enumerate(formset.forms):
            if form.is_blank():
                continue
            data = form.cleaned_data
            inputs.append(ActionInput(
                pk=data.get("id"), kind=data["kind"], description=data.get("description") or "",
                owner=data.get("owner") or "", due_date=data.get("due_date"),
                row_ids=[int(r) for r in data.get("rows") or []], status=data["status"],
                delete=bool(data.get("remove")),
            ))
            positions.append(index)
        complete = request.POST.get("action") == "complete"
        try:
            actions.actions_save(
                task=self.task, by=request.user, actions=inputs, justifications=main.justifications(),
                review_date=main.cleaned_data.get("review_date"), complete=complete,
                expected_revision=main.cleaned_data.get("revision"), assessment=assessment,
            )
        except RuleViolation as violation:
            for key, messages in violation.errors.items():
                if key.startswith("action-"):
                    _, number, name = key.split("-", 2)
                    target = formset.forms[positions[int(number)]]
                    for message in messages:
                        target.add_error(name, message)
                elif key.startswith("e"):
                    main.row_errors.setdefault(int(key[1:]), []).extend(messages)
                else:
                    for message in messages:
                        main.add_error(key if key in main.fields else None, message)
            return self.page(assessment, main, formset)
        except StaleEdit as stale:
            assessment = selectors.process_assessment(self.process)
            main, formset = self.forms(assessment)
            return self.page(assessment, main, formset, status=409, stale=stale, replaced=True)
        if complete:
            return self.finish("Mitigating actions and review date are complete.")
        return self.stay("Draft of the mitigating actions saved. You can come back to it from your inbox.")


class SubmitTaskView(TaskPage):
    template_name = "workflows/task_submit.html"

    def context(self, assessment, errors=None):
        return {"summary": assessment_summary(assessment), "assessment": assessment,
                "errors": errors if errors is not None else services.assessment_errors(assessment)}

    def get(self, request, **kwargs):
        return self.render(self.context(selectors.process_assessment(self.process)))

    def post(self, request, **kwargs):
        assessment = selectors.process_assessment(self.process)
        try:
            actions.assessment_submit(task=self.task, by=request.user, assessment=assessment)
        except RuleViolation as violation:
            return self.render(self.context(assessment, violation.errors))
        return self.finish("The IIA has been submitted for review by an equality lead.")


def _part_choices(assessment):
    parts = [(code, part_by_code(assessment.template, code).title) for code in parallel_part_codes(assessment)]
    return parts + [(ACTIONS_PART.code, f"{ACTIONS_PART.title} only")]


class ReviewTaskView(TaskPage):
    """The equality lead's review (approve or return) and, for the sign-off task, the senior
    officer's sign-off (sign off or return): one page, told apart by the task's node."""

    template_name = "workflows/task_decision.html"

    def form(self, assessment, data=None):
        return ReviewForm(data, part_choices=_part_choices(assessment), sign_off=self.signing)

    @property
    def signing(self) -> bool:
        return self.task.flow_task.name == "sign_off"

    def page(self, assessment, form):
        return self.render({"form": form, "summary": assessment_summary(assessment), "assessment": assessment,
                            "signing": self.signing})

    def get(self, request, **kwargs):
        assessment = selectors.process_assessment(self.process)
        return self.page(assessment, self.form(assessment))

    def post(self, request, **kwargs):
        assessment = selectors.process_assessment(self.process)
        form = self.form(assessment, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == "approve":
                    actions.assessment_approve(task=self.task, by=request.user, risk_level=data["risk_level"],
                                               comments=data["comments"], assessment=assessment)
                    return self.finish("IIA approved. It now goes to a senior officer for sign-off.")
                if data["decision"] == "sign_off":
                    actions.assessment_sign_off(task=self.task, by=request.user, comments=data["comments"],
                                                assessment=assessment)
                    return self.finish("IIA signed off. It is now locked; any change needs a new version.")
                actions.assessment_return(task=self.task, by=request.user, comments=data["comments"],
                                          parts=data["parts"], assessment=assessment)
                return self.finish("IIA returned to the officer with your comments.")
            except RuleViolation as violation:
                apply_errors(form, violation)
        return self.page(assessment, form)
