"""Admin: the catalogue is editable by the board's equality leads (a template in use is
frozen; copy it as a new version); workflow records are read-only here, because every
change to them goes through the services and the workflow.

Board isolation: a non-superuser sees, chooses and filters by only the boards where they
are an equality lead (the one role the admin gives permissions to). Every list, every
foreign-key choice of an add or change form (inlines included) and every list filter is
scoped so (``BOARD_PATHS`` says how each model reaches its board), and a save checks the
board again. A superuser, the site administrator, has no role on any board and sees every
board; the freeze holds for them too. Boards and memberships are theirs alone.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet

from . import rules
from .exceptions import NotAllowed
from .models import (
    Assessment,
    AuditEvent,
    Board,
    Locality,
    LocalityPlanningGroup,
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
    SignOnGroupRole,
    StrategicPlan,
    Template,
)
from .models.catalogue import TemplatePart
from .services.catalogue import row_removable, row_remove, template_activate, template_copy_as_new_version

# How each model reaches its board, as a lookup path. The reports app adds its models.
BOARD_PATHS: dict[type, str] = {
    Board: "pk",
    Locality: "board",
    LocalityPlanningGroup: "board",
    Membership: "board",
    SignOnGroupRole: "board",
    Template: "board",
    ScreeningQuestion: "template__board",
    Section: "template__board",
    Row: "section__template__board",
    Question: "section__template__board",
    StrategicPlan: "board",
    PlanPriority: "plan__board",
    PlanAction: "priority__plan__board",
    PlanChange: "board",
    Screening: "plan_change__board",
    Assessment: "plan_change__board",
    AuditEvent: "board",
}

# The admin's list filter for a relation: it names only what the user's own list holds.
ScopedFilter = admin.RelatedOnlyFieldListFilter


def lead_board_ids(user) -> set[int]:
    return {b for b in rules.board_ids(user) if rules.has_role(user, b, Role.EQUALITY_LEAD)}


def board_scoped(queryset, user):
    """The records of ``queryset`` on the boards where ``user`` is an equality lead (all
    of them for a superuser; none for a model of no board)."""
    if user.is_superuser:
        return queryset
    path = BOARD_PATHS.get(queryset.model)
    if path is None:
        return queryset.none()
    return queryset.filter(**{f"{path}__in": lead_board_ids(user)})


def board_id_of(obj) -> int | None:
    """The id of the board the object belongs to (read along its ``BOARD_PATHS`` entry)."""
    *parts, last = BOARD_PATHS[type(obj)].split("__")
    for part in parts:
        obj = getattr(obj, part)
    return obj.pk if last == "pk" else getattr(obj, f"{last}_id")


def template_of(obj) -> Template:
    """The template a catalogue record is, or belongs to."""
    if isinstance(obj, Template):
        return obj
    if isinstance(obj, (Row, Question)):
        return obj.section.template
    return obj.template


class BoardScopedChoices:
    """Every relation of the form offers only the user's boards' records; the parent of a
    template's part (its template, or its section) only those of templates not in use."""

    def _scoped_choices(self, db_field, request, using):
        queryset = self.get_field_queryset(using, db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(using)
        queryset = board_scoped(queryset, request.user)
        if issubclass(self.model, TemplatePart) and db_field.name == self.model.parent_field:
            editable = Template.objects.editable()
            queryset = queryset.filter(**({"pk__in": editable} if db_field.name == "template" else
                                          {"template__in": editable}))
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", self._scoped_choices(db_field, request, kwargs.get("using")))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", self._scoped_choices(db_field, request, kwargs.get("using")))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class BoardScopedAdmin(BoardScopedChoices, admin.ModelAdmin):
    """Non-superusers see, choose and save only the boards where they are an equality lead."""

    def get_queryset(self, request):
        return board_scoped(super().get_queryset(request), request.user)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and (
            request.user.is_superuser or bool(lead_board_ids(request.user))
        )

    def history_view(self, request, object_id, extra_context=None):
        # Django looks the record up before it checks the permission: without this, someone
        # with no permission on the model would tell another board's records (not found)
        # from their own (refused) by the answer
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def save_model(self, request, obj, form, change):
        # the form's choices are scoped already; this is the last word, whatever the form
        if not request.user.is_superuser and board_id_of(obj) not in lead_board_ids(request.user):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class BoardFixedOnChange:
    """A record stays on the board it was made for."""

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if obj is None else (*fields, "board")


class SuperuserOnly:
    """Site administration (boards, who holds which role, reminder settings): superusers only."""

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


class FrozenWhenInUse:
    """A template in use, and everything in it, cannot be changed or deleted here (by
    anyone) and nothing can be added to it: copy it as a new version."""

    def has_change_permission(self, request, obj=None):
        if obj is not None and template_of(obj).in_use:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and template_of(obj).in_use:
            return False
        return super().has_delete_permission(request, obj)


class CatalogueInline(BoardScopedChoices, LabelledTabularInline):
    """A part of a template edited on its parent's page: ``obj`` is the parent, and nothing
    is added to, changed in or deleted from a parent whose template is in use."""

    def _frozen(self, obj) -> bool:
        return obj is not None and template_of(obj).in_use

    def has_add_permission(self, request, obj):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class ScreeningQuestionInline(CatalogueInline):
    model = ScreeningQuestion
    extra = 0


class SectionInline(CatalogueInline):
    model = Section
    extra = 0
    show_change_link = True


@admin.register(Template)
class TemplateAdmin(FrozenWhenInUse, BoardFixedOnChange, BoardScopedAdmin):
    list_display = ("code", "board", "version", "is_active", "in_use")
    list_filter = (("board", ScopedFilter), "is_active")
    inlines = [ScreeningQuestionInline, SectionInline]
    actions = ["copy_as_new_version", "activate"]
    readonly_fields = ("is_active",)

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


class RowInline(CatalogueInline):
    model = Row
    extra = 0
    fields = ("order", "code", "label", "group", "allows_not_applicable", "not_applicable_label", "locality")


class QuestionInline(CatalogueInline):
    model = Question
    extra = 0


@admin.register(Section)
class SectionAdmin(FrozenWhenInUse, BoardScopedAdmin):
    list_display = ("title", "template", "order", "opened_by")
    list_filter = (("template", ScopedFilter),)
    inlines = [RowInline, QuestionInline]


@admin.register(Row)
class RowAdmin(FrozenWhenInUse, BoardScopedAdmin):
    list_display = ("code", "label", "section", "group", "order")
    list_filter = (("section__template", ScopedFilter), ("section", ScopedFilter))
    search_fields = ("code", "label")

    def has_delete_permission(self, request, obj=None):
        # the freeze, with its one repair (a superuser removing a row nobody rated): ``row_removable``
        allowed = admin.ModelAdmin.has_delete_permission(self, request, obj)
        return allowed and (obj is None or row_removable(row=obj, by=request.user))

    def delete_model(self, request, obj):
        row_remove(row=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for row in queryset.select_related("section__template"):
            row_remove(row=row, by=request.user)


class LocalityInline(LabelledTabularInline):
    model = Locality
    extra = 0


class LocalityPlanningGroupInline(LabelledTabularInline):
    """The groups a locality row rated negative names as consulted (s.41 of the 2014 Act)."""

    model = LocalityPlanningGroup
    extra = 0


@admin.register(Board)
class BoardAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("short_name", "name", "slug", "reference_prefix", "results_publication_days")
    inlines = [LocalityInline, LocalityPlanningGroupInline]


@admin.register(Membership)
class MembershipAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("user", "board", "role", "job_title", "source")
    list_filter = ("board", "role", "source")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    readonly_fields = ("source",)  # granted here, or by single sign-on, which alone removes its own


@admin.register(SignOnGroupRole)
class SignOnGroupRoleAdmin(SuperuserOnly, admin.ModelAdmin):
    """Which group at the organisation's identity provider gives which role on which board
    (docs/single-sign-on.md). Applied at each person's next single sign-on."""

    list_display = ("group", "board", "role")
    list_filter = ("board", "role")
    search_fields = ("group",)


class PriorityInline(admin.StackedInline):
    model = PlanPriority
    extra = 0


@admin.register(StrategicPlan)
class StrategicPlanAdmin(BoardFixedOnChange, BoardScopedAdmin):
    list_display = ("title", "board", "period_start", "period_end")
    list_filter = (("board", ScopedFilter),)
    inlines = [PriorityInline]


@admin.register(PlanAction)
class PlanActionAdmin(BoardScopedAdmin):
    list_display = ("code", "text", "priority")
    list_filter = (("priority__plan", ScopedFilter),)


class ReadOnlyAdmin(BoardScopedAdmin):
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
    list_filter = (("board", ScopedFilter),)
    search_fields = ("title",)


@admin.register(Screening)
class ScreeningAdmin(ReadOnlyAdmin):
    list_display = ("plan_change", "state", "outcome", "reviewed_by")
    list_filter = ("state",)


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("reference", "state", "approved_by", "signed_off_by")
    list_filter = ("state", ("plan_change__board", ScopedFilter))


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_name", "action", "from_state", "to_state", "plan_change")
    list_filter = (("board", ScopedFilter), "action")
