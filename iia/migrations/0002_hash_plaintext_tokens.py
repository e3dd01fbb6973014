"""API tokens made before hashing were kept in plain text by ``rest_framework.authtoken``.
Each is hashed into ``ApiToken`` (so it keeps working), then the plain-text table is
dropped with that app's migration records and content types: no copy of a working token
stays in the database, nor in a backup taken from it."""

import hashlib

from django.db import migrations


def hash_plaintext_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute("SELECT key, user_id, created FROM authtoken_token")
            rows = cursor.fetchall()
        ApiToken = apps.get_model("iia", "ApiToken")
        ApiToken.objects.bulk_create([
            ApiToken(user_id=user_id, prefix=key[:8], digest=hashlib.sha256(key.encode()).hexdigest(), created=created)
            for key, user_id, created in rows
        ])
        schema_editor.execute(schema_editor.sql_delete_table % {"table": schema_editor.quote_name("authtoken_token")})
    # re-adding the app later would then make its table afresh
    schema_editor.execute("DELETE FROM django_migrations WHERE app = 'authtoken'")
    apps.get_model("contenttypes", "ContentType").objects.filter(app_label="authtoken").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("iia", "0001_api_token"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    # hashing cannot be undone: going back leaves the hashed tokens where they are
    operations = [migrations.RunPython(hash_plaintext_tokens, migrations.RunPython.noop)]
