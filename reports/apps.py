from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports and signed documents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from assessments.models.audit import register_state_words

        from .models import MeetingStatus, ReportStatus

        # the history shows a report's, an agenda item's and a meeting's states in their own words
        register_state_words("report", ReportStatus, noun="Report")
        register_state_words("agenda", ReportStatus, noun="Report")
        register_state_words("meeting", MeetingStatus)
