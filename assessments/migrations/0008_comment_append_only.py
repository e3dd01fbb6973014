"""On PostgreSQL the database itself refuses UPDATE and DELETE on posted comments."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION assessments_comment_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'comments are kept as posted (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER assessments_comment_no_update_delete
    BEFORE UPDATE OR DELETE ON assessments_comment
    FOR EACH ROW EXECUTE FUNCTION assessments_comment_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS assessments_comment_no_update_delete ON assessments_comment;
DROP FUNCTION IF EXISTS assessments_comment_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:  # no parameters: '%' stays literal
            cursor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0007_reviews_delegations_comments")]

    operations = [migrations.RunPython(forwards, backwards)]
