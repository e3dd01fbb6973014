"""The audit table stays append-only, with one narrow exception: the retention command
may replace the actor's name of a person who left (``iia.anonymising`` set for its
transaction), and nothing else. (TRUNCATE is not a row trigger's business: the application's
database role should not hold the TRUNCATE privilege; see docs/security.md.)"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION assessments_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND current_setting('iia.anonymising', true) = 'on'
       AND ROW(NEW.id, NEW.board_id, NEW.plan_change_id, NEW.screening_id, NEW.assessment_id, NEW.actor_id,
               NEW.action, NEW.from_state, NEW.to_state, NEW.message, NEW.data, NEW.at)
           IS NOT DISTINCT FROM
           ROW(OLD.id, OLD.board_id, OLD.plan_change_id, OLD.screening_id, OLD.assessment_id, OLD.actor_id,
               OLD.action, OLD.from_state, OLD.to_state, OLD.message, OLD.data, OLD.at) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""

PREVIOUS = """
CREATE OR REPLACE FUNCTION assessments_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:  # no parameters: '%' stays literal
            cursor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(PREVIOUS)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0005_template_revision")]

    operations = [migrations.RunPython(forwards, backwards)]
