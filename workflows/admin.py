"""Admin: each board's due dates for tasks, editable by the board's equality leads (scoped
to their boards like the catalogue, ``assessments.admin``); each board's reminder settings,
editable by superusers only; the record of reminders sent is read-only (it is what stops a
reminder being sent twice)."""

from django.contrib import admin

from assessments.admin import BOARD_PATHS, BoardFixedOnChange, BoardScopedAdmin, ScopedFilter, SuperuserOnly

from .models import DueDatePolicy, ReminderPolicy, SentReminder

BOARD_PATHS.update({DueDatePolicy: "board"})


@admin.register(DueDatePolicy)
class DueDatePolicyAdmin(BoardFixedOnChange, BoardScopedAdmin):
    list_display = ("board", "screening_working_days", "screening_review_working_days", "part_working_days",
                    "submit_working_days", "review_working_days", "sign_off_working_days")
    list_filter = (("board", ScopedFilter),)

    def has_delete_permission(self, request, obj=None):
        return False  # a board without one falls back to the defaults: change the figures instead


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
