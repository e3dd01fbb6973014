"""Admin: each board's reminder settings, editable by superusers only; the record of
reminders sent is read-only (it is what stops a reminder being sent twice)."""

from django.contrib import admin

from .models import ReminderPolicy, SentReminder


class SuperuserOnly:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


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
