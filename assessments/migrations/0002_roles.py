"""Roles are Django groups with the model permissions their admin pages need. Which
board a role applies to is recorded by ``Membership``; the groups only carry permissions."""

from django.db import migrations

ROLE_PERMISSIONS = {
    "Officer": [],
    "Equality lead": [
        "view_template", "change_template", "add_template",
        "view_section", "change_section", "add_section", "delete_section",
        "view_row", "change_row", "add_row", "delete_row",
        "view_question", "change_question", "add_question", "delete_question",
        "view_screeningquestion", "change_screeningquestion", "add_screeningquestion", "delete_screeningquestion",
        "view_locality",
    ],
    "Senior officer": [],
    "IJB clerk": [],
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)  # unset in migration state; create_permissions needs one
        app_config.models_module = original or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label="assessments", codename__in=codenames))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
