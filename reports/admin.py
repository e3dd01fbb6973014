"""Admin: committees (report prefixes, publication days) and the board's Policy
Implications wording are editable; documents, reports and meetings are read-only here
(they change through the product's pages and services). Every list, choice and list
filter is scoped to the user's boards like the catalogue's (``assessments.admin``)."""

from django.contrib import admin

from assessments.admin import BOARD_PATHS, BoardFixedOnChange, BoardScopedAdmin, ReadOnlyAdmin, ScopedFilter

from .models import AgendaPack, Committee, Meeting, Report, ReportWording, SignedDocument

BOARD_PATHS.update({
    Committee: "board",
    ReportWording: "board",
    SignedDocument: "board",
    Report: "board",
    Meeting: "committee__board",
    AgendaPack: "meeting__committee__board",
})


@admin.register(Committee)
class CommitteeAdmin(BoardFixedOnChange, BoardScopedAdmin):
    list_display = ("name", "board", "kind", "report_prefix", "publication_days")
    list_filter = (("board", ScopedFilter),)


@admin.register(ReportWording)
class ReportWordingAdmin(BoardFixedOnChange, BoardScopedAdmin):
    list_display = ("board",)


@admin.register(SignedDocument)
class SignedDocumentAdmin(ReadOnlyAdmin):
    list_display = ("verification_code", "kind", "board", "status", "signed_at", "published_at")
    list_filter = (("board", ScopedFilter), "kind", "status")
    exclude = ("pdf", "certificate")


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "board", "status")
    list_filter = (("board", ScopedFilter), "status")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("date", "committee", "status")


@admin.register(AgendaPack)
class AgendaPackAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "status", "pages", "built_at")
    exclude = ("pdf",)
