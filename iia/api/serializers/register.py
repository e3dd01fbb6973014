"""The public register: only what the register pages show without signing in."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.models import Board
from reports.models import AgendaItem, DelegatedDecision, Direction, Meeting, SignedDocument

from .records import LocalTime


class PublicBoardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Board
        fields = ["slug", "name", "short_name"]


class PublishedWithSerializer(serializers.Serializer):
    report_number = serializers.CharField(source="report.number")
    report_title = serializers.CharField(source="report.title")
    meeting = serializers.IntegerField(source="meeting_id")
    meeting_title = serializers.CharField(source="meeting.title")
    meeting_date = serializers.DateField(source="meeting.date")
    published_at = serializers.DateTimeField()


class PublicDelegatedDecisionSerializer(serializers.ModelSerializer):
    """A decision under delegated authority that published the document, as recorded."""

    class Meta:
        model = DelegatedDecision
        fields = ["decision", "authority", "decided_on", "decider_name", "decider_role", "publication_due",
                  "published_at", "late_reason"]


class PublishedDocumentSerializer(serializers.ModelSerializer):
    reference = serializers.SerializerMethodField()
    version = serializers.IntegerField(source="assessment.version", allow_null=True, default=None)
    title = serializers.CharField(source="plan_change.title")
    html = serializers.SerializerMethodField()
    pdf = serializers.SerializerMethodField()
    published_with = PublishedWithSerializer(source="publications", many=True)
    delegated_decision = serializers.SerializerMethodField()

    class Meta:
        model = SignedDocument
        fields = ["kind", "reference", "version", "title", "verification_code", "sha256", "signer_name",
                  "signer_role", "signed_at", "published_at", "html", "pdf", "published_with", "delegated_decision"]

    @extend_schema_field(PublicDelegatedDecisionSerializer(allow_null=True))
    def get_delegated_decision(self, document) -> dict | None:
        """The decision under delegated authority that published it (null: published with an agenda)."""
        decision = getattr(document, "delegated_decision", None)  # read with the document (select_related)
        return PublicDelegatedDecisionSerializer(decision).data if decision is not None else None

    @extend_schema_field(serializers.CharField())
    def get_reference(self, document) -> str:
        return document.assessment.reference if document.assessment_id else document.plan_change.reference

    def _url(self, name, document) -> str:
        return self.context["request"].build_absolute_uri(reverse(name, args=[document.verification_code]))

    @extend_schema_field(serializers.URLField())
    def get_html(self, document) -> str:
        return self._url("document_html", document)

    @extend_schema_field(serializers.URLField())
    def get_pdf(self, document) -> str:
        return self._url("document_pdf", document)


class PublicAgendaItemSerializer(serializers.ModelSerializer):
    report_number = serializers.CharField(source="report.number", allow_null=True, default=None)

    class Meta:
        model = AgendaItem
        fields = ["position", "kind", "title", "report_number", "late_reason", "decision", "decision_text"]


class PublicMeetingSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    committee = serializers.CharField(source="committee.name")
    time = LocalTime()
    items = PublicAgendaItemSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "title", "committee", "date", "time", "venue", "remote", "status", "published_at",
                  "late_reason", "items"]


class PublicDirectionSerializer(serializers.ModelSerializer):
    """An issued direction as the register of directions shows it (2014 Act ss.26-27)."""

    varies_or_revokes = serializers.CharField(source="earlier.reference", allow_null=True, default=None,
                                              help_text="The direction this one varies or revokes (null: a new one).")
    changed_by = serializers.SerializerMethodField(help_text="The later directions that varied or revoked this one.")
    report_number = serializers.CharField(source="report.number")
    report_title = serializers.CharField(source="report.title")
    meeting = serializers.IntegerField(source="decision.meeting_id")
    meeting_title = serializers.CharField(source="decision.meeting.title")
    decision = serializers.CharField(source="decision.decision")

    class Meta:
        model = Direction
        fields = ["reference", "status", "issued_on", "recipients", "effect", "varies_or_revokes", "changed_by",
                  "functions", "budget", "text", "review_date", "report_number", "report_title", "meeting",
                  "meeting_title", "decision"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_changed_by(self, direction) -> list[str]:
        return [later.reference for later in direction.changed_by]  # read with the list (``register_directions``)
