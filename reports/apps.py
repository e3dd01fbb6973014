from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports and signed documents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from assessments.models.audit import register_state_words

        from . import background  # noqa: F401  (receives the signals that ask for background work)
        from .models import DirectionStatus, FormatRequestStatus, MeetingStatus, ReportStatus

        # the history shows a report's, an agenda item's and a meeting's states in their own words
        register_state_words("report", ReportStatus, noun="Report")
        register_state_words("agenda", ReportStatus, noun="Report")
        register_state_words("meeting", MeetingStatus)
        register_state_words("direction", DirectionStatus, noun="Direction")
        register_state_words("format_request", FormatRequestStatus, noun="Request for another format")
