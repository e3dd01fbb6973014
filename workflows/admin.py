"""Admin: each board's reminder settings, editable by superusers only; the record of
reminders sent is read-only (it is what stops a reminder being sent twice)."""

from django.contrib import admin

from assessments.admin import SuperuserOnly

from .models import ReminderPolicy, SentReminder


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("board", "review_notice_days", "overdue_actions", "idle_task_working_days")


@admin.register(SentReminder)
class SentReminderAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("kind", "board", "object_id", "about", "recipient", "claimed_at", "sent_at")
    list_filter = ("kind", "board")

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
