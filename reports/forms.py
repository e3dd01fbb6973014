import datetime

from django import forms
from django.conf import settings
from django.utils import timezone

from assessments.forms import NamedErrorsForm
from assessments.models import PlanPriority, Row

from .models import (
    Committee,
    Decision,
    DecisionSought,
    Direction,
    DirectionEffect,
    DirectionStatus,
    DirectionTo,
    MeetingStatus,
    Report,
    ReportStatus,
)
from .models.meetings import FEWEST_CLEAR_DAYS
from .selectors import published_meetings


def max_upload_mb() -> int:
    """The upload limit as the pages say it (``IIA_MAX_UPLOAD_BYTES``, in MB)."""
    return settings.IIA_MAX_UPLOAD_BYTES // (1024 * 1024)


class VerifyForm(NamedErrorsForm):
    file = forms.FileField(required=False, label="A PDF document")
    code = forms.CharField(required=False, max_length=40, label="Or its verification code",
                           help_text="Printed at the foot of every page, for example IIA-ABCD-EFGH-JKLM.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"PDF, at most {max_upload_mb()} MB. The file stays private: it is " \
                                        "checked and not kept."

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > settings.IIA_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The file is larger than {max_upload_mb()} MB.")
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("code") or "").strip():
            raise forms.ValidationError("Choose a PDF file or type a verification code.")
        return data


# as the boards say it: none, the health board (NHS), the council, both
DIRECTION_ORDER = (DirectionTo.NONE, DirectionTo.HEALTH_BOARD, DirectionTo.COUNCIL, DirectionTo.BOTH)


class ReportForm(NamedErrorsForm):
    committee = forms.ModelChoiceField(queryset=None, empty_label=None, label="Report to")
    title = forms.CharField(max_length=300)
    report_by = forms.CharField(max_length=120, label="Report by", help_text="The officer title, e.g. Chief Officer.")
    decision_sought = forms.ChoiceField(choices=DecisionSought.choices, widget=forms.RadioSelect,
                                        label="What the report asks of the board")
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Purpose of report")
    recommendations = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}),
                                      help_text="One recommendation per line; they are numbered (i), (ii), ...")
    financial_implications = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    main_text = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False,
                                help_text="Separate paragraphs with a blank line; they are numbered 4.1, 4.2, ...")
    risk_assessment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    consultations = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    direction_to = forms.ChoiceField(
        choices=[(value, DirectionTo(value).label) for value in DIRECTION_ORDER], widget=forms.RadioSelect,
        label="Direction to", help_text="A direction asks the health board and/or the council to carry out "
                                        "delegated functions (ss.26-28 of the 2014 Act).")
    background_papers = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, initial="None.")

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Committee.objects.filter(board=board)


class DirectionForm(NamedErrorsForm):
    """One direction; who it goes to is the report's ``direction_to``, asked once."""

    functions = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    budget = forms.CharField(max_length=200, required=False)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Direction")
    effect = forms.ChoiceField(choices=DirectionEffect.choices, widget=forms.RadioSelect, initial=DirectionEffect.NEW,
                               required=False,
                               label="What the direction does")
    earlier = forms.ModelChoiceField(
        queryset=Direction.objects.none(), required=False, label="The earlier direction it varies or revokes",
        help_text="Only the board's current directions can be varied or revoked.")
    review_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    remove = forms.BooleanField(required=False, label="Remove this direction")

    def __init__(self, *args, board=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["earlier"].queryset = (
            Direction.objects.filter(report__board=board, status=DirectionStatus.CURRENT).order_by("reference")
            if board is not None else Direction.objects.none())
        self.fields["earlier"].label_from_instance = lambda d: f"{d.reference}: {d.functions[:80]}"

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any((data.get(k) or "") for k in ("functions", "budget", "text")) and not data.get("review_date")


DirectionFormSet = forms.formset_factory(DirectionForm, extra=1)


class MeetingForm(NamedErrorsForm):
    committee = forms.ModelChoiceField(queryset=None, empty_label=None)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), initial="10:00")
    remote = forms.BooleanField(required=False, label="Held remotely")
    venue = forms.CharField(max_length=200, required=False, help_text="Leave empty for a remote meeting.")

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Committee.objects.filter(board__in=boards).select_related("board")
        self.fields["committee"].label_from_instance = lambda c: f"{c.name} ({c.board.short_name})"

    def clean_date(self):
        date = self.cleaned_data["date"]
        today = timezone.localdate()
        if not (today - datetime.timedelta(days=366) <= date <= today + datetime.timedelta(days=3 * 366)):
            raise forms.ValidationError("Enter a meeting date within a year before and three years after today.")
        return date


def _late_hint(meeting) -> str:
    due = meeting.agenda_publication_date
    return (f"The agenda was due by {due:%A %-d %B %Y}, {meeting.committee.publication_days} days before the meeting "
            f"(the committee's publication period; the law asks for at least {FEWEST_CLEAR_DAYS} clear days, Local "
            "Government (Scotland) Act 1973 s.50B). The reason is shown with the agenda on the meeting page and the "
            "public register.")


class AddReportForm(NamedErrorsForm):
    report = forms.ModelChoiceField(queryset=None, label="Report waiting for a meeting")
    late_reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                  label="Why does this report join the published agenda late?")

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = Report.objects.filter(
            committee=meeting.committee, status=ReportStatus.SUBMITTED).order_by("submitted_at")
        self.fields["report"].label_from_instance = lambda r: f"{r.title} ({r.plan_change.reference})"
        # asked for only when the service needs it (a published agenda, later than its period)
        self.asks_late_reason = meeting.status == MeetingStatus.PUBLISHED and meeting.publication_is_late
        self.fields["late_reason"].help_text = _late_hint(meeting)


class PublishForm(NamedErrorsForm):
    """Publishing the agenda: a reason, asked for only later than the committee's period."""

    late_reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                  label="Why is the agenda published late?")

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, prefix="publish", **kwargs)
        self.asks_late_reason = meeting.publication_is_late
        self.fields["late_reason"].help_text = _late_hint(meeting)


class DecisionForm(NamedErrorsForm):
    decision = forms.ChoiceField(choices=Decision.choices, widget=forms.RadioSelect, label="The board's decision")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Minute of the decision",
                           help_text="Required when the board amended or remitted the proposal.")


class RegisterFilterForm(NamedErrorsForm):
    q = forms.CharField(required=False, label="Search", max_length=200)
    priority = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Plan priority")
    characteristic = forms.ChoiceField(required=False, label="Negative impact on")
    meeting = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Meeting")
    date_from = forms.DateField(required=False, label="Published from",
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(required=False, label="Published to",
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].choices = [("", "Any")] + [
            (p.pk, f"{p.plan.title}: {p.number}. {p.title}")
            for p in PlanPriority.objects.filter(plan__board=board).select_related("plan")]
        rows = (Row.objects.filter(section__template__board=board, section__code="equality")
                .values_list("code", "label").distinct().order_by("code"))
        self.fields["characteristic"].choices = [("", "Any")] + sorted(set(rows), key=lambda r: r[1])
        self.fields["meeting"].choices = [("", "Any")] + [(m.pk, m.title) for m in published_meetings(board)]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("The “published from” date is after the “published to” date.")
        return data


# SSI 2012/162 came into force on 27 May 2012: no record of these duties is older
DUTIES_IN_FORCE = datetime.date(2012, 5, 27)


class MainstreamingPeriodForm(NamedErrorsForm):
    """The period of a mainstreaming report: two dates, the start on or before the end,
    neither before the duties came into force nor after today. Empty, the last two years
    (the reports are due every two years)."""

    required_messages = {"start": "Enter the first day of the period.", "end": "Enter the last day of the period."}

    start = forms.DateField(label="First day of the period", help_text="For example, 1 April 2025.",
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label="Last day of the period", help_text="Today at the latest.",
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    @classmethod
    def for_query(cls, query) -> "MainstreamingPeriodForm":
        """The form bound to the query string, or to the last two years when it names no period."""
        if "start" in query or "end" in query:
            return cls(query)
        today = timezone.localdate()
        try:
            two_years_ago = today.replace(year=today.year - 2)
        except ValueError:  # 29 February
            two_years_ago = today.replace(year=today.year - 2, day=28)
        start = two_years_ago + datetime.timedelta(days=1)
        return cls({"start": start.isoformat(), "end": today.isoformat()})

    def _within_bounds(self, name: str):
        value = self.cleaned_data[name]
        if value < DUTIES_IN_FORCE:
            raise forms.ValidationError(f"The {'first' if name == 'start' else 'last'} day of the period must be on or "
                                        f"after 27 May 2012, when the duties came into force.")
        if value > timezone.localdate():
            raise forms.ValidationError(f"The {'first' if name == 'start' else 'last'} day of the period must be "
                                        f"today or earlier.")
        return value

    def clean_start(self):
        return self._within_bounds("start")

    def clean_end(self):
        return self._within_bounds("end")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "The last day of the period must be on or after its first day.")
        return data


class DelegatedDecisionForm(NamedErrorsForm):
    """A decision taken under delegated authority; the service checks the dates and the reason."""

    authority = forms.CharField(
        max_length=300, required=False, label="Delegated authority",
        initial="The Chief Officer's delegated authority under the board's scheme of delegation",
        help_text="The authority the decision was taken under, for example a paragraph of the scheme of delegation.")
    decision = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Decision",
                               help_text="What was decided, as it will be published.")
    decided_on = forms.DateField(required=False, label="Date of the decision",
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    late_reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                  label="Reason for publishing late")

    def __init__(self, *args, publication_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["late_reason"].help_text = (
            f"Only if today is more than {publication_days} days after the decision: the board publishes the "
            f"results within {publication_days} days of it.")
