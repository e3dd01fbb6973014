"""Admin: the catalogue is editable by the board's equality leads (a template in use is
frozen; copy it as a new version); workflow records are read-only here, because every
change to them goes through the services and the workflow."""

from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet

from . import rules
from .exceptions import NotAllowed
from .models import (
    Assessment,
    AuditEvent,
    Board,
    Locality,
    Membership,
    PlanAction,
    PlanChange,
    PlanPriority,
    Question,
    Role,
    Row,
    Screening,
    ScreeningQuestion,
    Section,
    StrategicPlan,
    Template,
)
from .services.catalogue import template_activate, template_copy_as_new_version


def lead_board_ids(user) -> set[int]:
    return {b for b in rules.board_ids(user) if rules.has_role(user, b, Role.EQUALITY_LEAD)}


class LabelledInlineFormSet(BaseInlineFormSet):
    """The admin's tabular inlines show each field's label only as a column header, which
    gives the inputs no accessible name: each input is named after its column and row."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = f"{self.model._meta.verbose_name} {index + 1}" if index is not None else f"new {self.model._meta.verbose_name}"
        for name, field in form.fields.items():
            if not field.widget.is_hidden:
                label = "Delete" if name == "DELETE" else str(field.label or name)
                # a foreign key's select sits inside the admin's related-object wrapper
                for widget in (field.widget, getattr(field.widget, "widget", None)):
                    if widget is not None:
                        widget.attrs["aria-label"] = f"{label} ({row})"


class LabelledTabularInline(admin.TabularInline):
    formset = LabelledInlineFormSet


class BoardScopedAdmin(admin.ModelAdmin):
    """Non-superusers see only the boards where they are an equality lead."""

    board_path = "board"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.board_path}__in": lead_board_ids(request.user)})


class FrozenWhenInUse:
    template_path = "template"

    def _template(self, obj):
        for part in self.template_path.split("__"):
            obj = getattr(obj, part)
        return obj

    def has_change_permission(self, request, obj=None):
        if obj is not None and self._template(obj).in_use:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self._template(obj).in_use:
            return False
        return super().has_delete_permission(request, obj)


class ScreeningQuestionInline(LabelledTabularInline):
    model = ScreeningQuestion
    extra = 0


class SectionInline(LabelledTabularInline):
    model = Section
    extra = 0
    show_change_link = True


@admin.register(Template)
class TemplateAdmin(FrozenWhenInUse, BoardScopedAdmin):
    list_display = ("code", "board", "version", "is_active", "in_use")
    list_filter = ("board", "is_active")
    inlines = [ScreeningQuestionInline, SectionInline]
    actions = ["copy_as_new_version", "activate"]
    readonly_fields = ("is_active",)
    template_path = ""

    def _template(self, obj):
        return obj

    @admin.display(boolean=True)
    def in_use(self, obj):
        return obj.in_use

    def get_inlines(self, request, obj):
        return self.inlines

    @admin.action(description="Copy as a new version (to edit)")
    def copy_as_new_version(self, request, queryset):
        for template in queryset:
            try:
                copy = template_copy_as_new_version(template=template, by=request.user)
            except NotAllowed as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, f"Created {copy.code}. Edit it, then make it active.")

    @admin.action(description="Make active for new screenings and assessments")
    def activate(self, request, queryset):
        for template in queryset:
            try:
                template_activate(template=template, by=request.user)
            except NotAllowed as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, f"{template.code} is now active.")


class RowInline(LabelledTabularInline):
    model = Row
    extra = 0
    fields = ("order", "code", "label", "group", "allows_not_applicable", "not_applicable_label", "locality")


class QuestionInline(LabelledTabularInline):
    model = Question
    extra = 0


@admin.register(Section)
class SectionAdmin(FrozenWhenInUse, BoardScopedAdmin):
    list_display = ("title", "template", "order")
    list_filter = ("template",)
    inlines = [RowInline, QuestionInline]
    board_path = "template__board"


@admin.register(Row)
class RowAdmin(FrozenWhenInUse, BoardScopedAdmin):
    list_display = ("code", "label", "section", "group", "order")
    list_filter = ("section__template", "section")
    search_fields = ("code", "label")
    board_path = "section__template__board"
    template_path = "section__template"


class LocalityInline(LabelledTabularInline):
    model = Locality
    extra = 0


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "slug", "reference_prefix")
    inlines = [LocalityInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "board", "role", "job_title")
    list_filter = ("board", "role")
    search_fields = ("user__username", "user__first_name", "user__last_name")


class PriorityInline(admin.StackedInline):
    model = PlanPriority
    extra = 0


@admin.register(StrategicPlan)
class StrategicPlanAdmin(admin.ModelAdmin):
    list_display = ("title", "board", "period_start", "period_end")
    inlines = [PriorityInline]


@admin.register(PlanAction)
class PlanActionAdmin(admin.ModelAdmin):
    list_display = ("code", "text", "priority")
    list_filter = ("priority__plan",)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Workflow records: visible for support, changed only through the product."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PlanChange)
class PlanChangeAdmin(ReadOnlyAdmin):
    list_display = ("reference", "title", "board", "created_by", "created_at")
    list_filter = ("board",)
    search_fields = ("title",)


@admin.register(Screening)
class ScreeningAdmin(ReadOnlyAdmin):
    list_display = ("plan_change", "state", "outcome", "reviewed_by")
    list_filter = ("state",)


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("reference", "state", "approved_by", "signed_off_by")
    list_filter = ("state", "plan_change__board")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_name", "action", "from_state", "to_state", "plan_change")
    list_filter = ("board", "action")
