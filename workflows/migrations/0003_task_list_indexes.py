"""Indexes for the task lists on viewflow's task table, so an inbox or a queue costs what its
page shows, not what the table holds.

- ``iia_task_unclaimed``: the queue's candidates (unclaimed tasks of a node), oldest first;
  with their process, so the queue is counted from the index alone.
- ``iia_task_open_owner``: an inbox (the open tasks of a person, or of those who delegated to them).
- PostgreSQL only, ``iia_task_node_status``: statistics of which nodes' tasks are in which
  status. Without them the planner assumes a node's tasks are spread over the statuses like
  all tasks, guesses hundreds of unclaimed tasks where an officer has none, and walks the
  whole table in date order to find them (an officer's queue took 3 s at 100,000 plan changes).

The table is viewflow's, so these are written as SQL (SQLite takes the same partial indexes).
"""

from django.db import migrations

INDEXES = [
    ("iia_task_unclaimed", "(flow_task, created, id, process_id) WHERE status = 'NEW' AND owner_id IS NULL"),
    ("iia_task_open_owner", "(owner_id, created, id) WHERE status IN ('ASSIGNED', 'STARTED')"),
]


def create(apps, schema_editor):
    for name, how in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON viewflow_task {how}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE STATISTICS IF NOT EXISTS iia_task_node_status (mcv) ON flow_task, status FROM viewflow_task")
        schema_editor.execute("ANALYZE viewflow_task")


def drop(apps, schema_editor):
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP STATISTICS IF EXISTS iia_task_node_status")


class Migration(migrations.Migration):

    dependencies = [
        ("viewflow", "0015_task_scheduled"),
        ("workflows", "0002_reminders"),
    ]

    operations = [migrations.RunPython(create, drop)]
