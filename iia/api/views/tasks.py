"""Tasks: your inbox, the queue, claiming, releasing and completing them. Each calls the
step's action in ``workflows.actions``, as the task pages do (the flow lock, the task's
rules, 409 on a conflict, the service that checks its rule and writes the audit)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from viewflow.workflow.models import Task

from assessments import rules, services
from assessments.catalogue import EVIDENCE_PART, part_by_code
from assessments.validation import RatingInput
from workflows import actions, selectors
from workflows.flows import IIAFlow

from ..permissions import IsBoardMember
from ..serializers import tasks as s


def _record(task, kind):
    process = task.process.coerced
    return selectors.process_screening(process) if kind == "screening" else selectors.process_assessment(process)


@extend_schema(tags=["tasks"])
class TaskViewSet(viewsets.GenericViewSet):
    """Workflow tasks on your boards."""

    permission_classes = [IsBoardMember]
    lookup_value_regex = "[^/]+"
    serializer_class = s.TaskSerializer
    queryset = Task.objects.none()

    def get_queryset(self):
        return Task.objects.filter(
            process__iiaprocess__board_id__in=rules.board_ids(self.request.user)
        ).select_related("process__iiaprocess__board", "process__iiaprocess__plan_change", "owner").order_by("created", "pk")

    def get_object(self):
        task = super().get_object()
        if not hasattr(task.flow_task, "role"):  # gateways and functions are nobody's task
            from django.http import Http404

            raise Http404("No such task.")
        return task

    def _done(self, task):
        return Response(s.TaskSerializer(task, context=self.get_serializer_context()).data)

    def _expect(self, task, *nodes):
        if task.flow_task not in nodes:
            raise serializers.ValidationError(
                {"non_field_errors": [f"This task is “{task.flow_task.task_title}”; this action does not complete it."]})

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(summary="Your inbox: tasks you hold, soonest due first", responses=s.TaskSerializer(many=True))
    @action(detail=False)
    def inbox(self, request):
        # soonest due first, then oldest, as on the inbox page
        number = self.paginator.page_number(request)
        return self._read_page(request, number, selectors.inbox_page(request.user, number),
                               selectors.inbox(request.user).count())

    @extend_schema(summary="The queue: unclaimed tasks you could claim, soonest due first", responses=s.TaskSerializer(many=True))
    @action(detail=False)
    def queue(self, request):
        # read a page at a time, like the queue page (all of it was read to page it: 6 s for a
        # lead at 100,000 plan changes), and counted without reading it all
        number = self.paginator.page_number(request)
        return self._read_page(request, number, selectors.queue_page(request.user, number),
                               selectors.queue_count(request.user))

    def _read_page(self, request, number, page, count):
        """A page a selector read (``selectors.TaskPage``), answered like any paged list."""
        context = {**self.get_serializer_context(), "due_date_policies": dict(page.policies or {})}
        results = s.TaskSerializer(selectors.tasks_primed(page.tasks), many=True, context=context).data
        return self.paginator.read_page(request, number, results, count, page.has_next)

    def retrieve(self, request, pk=None):
        return self._done(self.get_object())

    @extend_schema(request=None, summary="Claim a task from the queue")
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        return self._done(actions.task_claim(task=self.get_object(), by=request.user))

    @extend_schema(request=None, summary="Give a task you hold back to the queue")
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        return self._done(actions.task_release(task=self.get_object(), by=request.user))

    def _checked(self, node, serializer_class=None):
        """The task, if it is one of ``node`` that the user may work on now (409 or 403
        before the input is read), and the input."""
        task = self.get_object()
        self._expect(task, node)
        actions.check_work(task, self.request.user)
        return task, (self._input(serializer_class) if serializer_class else None)

    @extend_schema(request=s.ScreeningInput, summary="Answer the pre-screening: save a draft, or submit it")
    @action(detail=True, methods=["post"])
    def screening(self, request, pk=None):
        task, data = self._checked(IIAFlow.screening, s.ScreeningInput)
        actions.screening_save(task=task, by=request.user, answers=data["answers"],
                               officer_reason=data["officer_reason"], complete=data["complete"],
                               relies_on_id=data["relies_on"])
        return self._done(task)

    @extend_schema(request=s.ScreeningReviewInput, summary="Review a screening: concur, override or return")
    @action(detail=True, methods=["post"], url_path="screening-review")
    def screening_review(self, request, pk=None):
        task, data = self._checked(IIAFlow.review_screening, s.ScreeningReviewInput)
        actions.screening_review(task=task, by=request.user, decision=data["decision"], comments=data["comments"],
                                 relies_on_checked=data["relies_on_checked"])
        return self._done(task)

    @extend_schema(request=s.ReviewInput, summary="Equality-lead review: approve with a risk level, or return")
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        task, data = self._checked(IIAFlow.review, s.ReviewInput)
        if data["decision"] == "approve":
            actions.assessment_approve(task=task, by=request.user, risk_level=data["risk_level"],
                                       comments=data["comments"])
        else:
            actions.assessment_return(task=task, by=request.user, comments=data["comments"], parts=data["parts"])
        return self._done(task)

    @extend_schema(request=s.SignOffInput, summary="Senior sign-off, or return")
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        task, data = self._checked(IIAFlow.sign_off, s.SignOffInput)
        if data["decision"] == "sign_off":
            actions.assessment_sign_off(task=task, by=request.user, comments=data["comments"])
        else:
            actions.assessment_return(task=task, by=request.user, comments=data["comments"], parts=data["parts"])
        return self._done(task)

    @extend_schema(request=s.PartInput, summary="Save or complete a part of the IIA (a section, or the evidence)")
    @action(detail=True, methods=["post"])
    def part(self, request, pk=None):
        task, data = self._checked(IIAFlow.complete_part, s.PartInput)
        assessment = _record(task, "assessment")
        part = part_by_code(assessment.template, task.data["part"])
        if part.code == EVIDENCE_PART.code:
            inputs = dict(evidence=data["evidence"], consultation=data["consultation"])
        else:
            ratings, answers = _section_inputs(assessment, part.code, data)
            inputs = dict(ratings=ratings, answers=answers)
        actions.part_save(task=task, by=request.user, complete=data["complete"], expected_revision=data["revision"],
                          **inputs)
        return self._done(task)

    @extend_schema(request=s.ActionsInput, summary="Save or complete the mitigating actions and review date")
    @action(detail=True, methods=["post"], url_path="actions", url_name="actions")
    def mitigating_actions(self, request, pk=None):
        task, data = self._checked(IIAFlow.actions, s.ActionsInput)
        inputs = [services.ActionInput(
            pk=item["id"], kind=item["kind"], description=item["description"], owner=item["owner"],
            due_date=item["due_date"], row_ids=item["rows"], status=item["status"], delete=item["delete"],
        ) for item in data["actions"]]
        justifications = {item["row"]: item["text"] for item in data["justifications"]}
        actions.actions_save(task=task, by=request.user, actions=inputs, justifications=justifications,
                             review_date=data["review_date"], complete=data["complete"],
                             expected_revision=data["revision"])
        return self._done(task)

    @extend_schema(request=None, summary="Submit the IIA for equality-lead review")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        task = self.get_object()
        self._expect(task, IIAFlow.submit)
        actions.assessment_submit(task=task, by=request.user)
        return self._done(task)


def _section_inputs(assessment, code, data):
    """The section's ratings and answers keyed as the service takes them; rows and
    questions of other sections are refused as input errors."""
    section = assessment.template.sections.prefetch_related("rows", "questions").get(code=code)
    row_ids = {row.pk for row in section.rows.all()}
    question_ids = {question.pk for question in section.questions.all()}
    errors = {}
    ratings, answers = {}, {}
    for item in data["ratings"]:
        if item["row"] not in row_ids or item["row"] in ratings:
            errors.setdefault("ratings", []).append(f"Row {item['row']} is not a row of this section, or is repeated.")
        ratings[item["row"]] = RatingInput(set(item["ratings"]), item["explanation"], item["consulted_group"],
                                           item["consulted_on"])
    for item in data["answers"]:
        if item["question"] not in question_ids or item["question"] in answers:
            errors.setdefault("answers", []).append(
                f"Question {item['question']} is not a question of this section, or is repeated.")
        answers[item["question"]] = item["value"]
    if errors:
        raise serializers.ValidationError(errors)
    return ratings, answers
