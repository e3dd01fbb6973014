"""Runs that were doing their parts when the mitigating actions moved beside them.

Until this migration's release the actions task followed the parts' join; now the parts split
opens it beside the parts and the join leads straight to the submission. A run whose split
was taken under the old flow has part tasks open and no actions task among them: when its
last part was done it would reach the submission with no page to record the actions on.
This migration gives each such run the actions task its split would open today: a sibling
of its open parts (the next token of that split), assigned to the run's author.

Runs already past the join are fine as they are: their actions task (old flow) now leads
to the join, which passes straight on to the submission.
"""

from django.db import migrations
from django.utils import timezone
from viewflow.workflow.token import Token

PART = "workflows/flows.IIAFlow.complete_part"
ACTIONS = "workflows/flows.IIAFlow.actions"
OPEN = ("NEW", "ASSIGNED", "STARTED")  # workflows.models.ACTIVE_STATUSES, as of this migration


def open_actions_beside_parts(apps, schema_editor):
    Task = apps.get_model("viewflow", "Task")
    IIAProcess = apps.get_model("workflows", "IIAProcess")
    open_parts = Task.objects.filter(flow_task=PART, status__in=OPEN).order_by("process_id", "pk")
    split_of = {}  # process -> the split prefix of its open parts, e.g. "start/120_"
    for process_id, token in open_parts.values_list("process_id", "token"):
        split_of.setdefault(process_id, str(token).rsplit("_", 1)[0] + "_")
    authors = dict(IIAProcess.objects.filter(pk__in=split_of).values_list("pk", "author_id"))
    now = timezone.now()
    for process_id, prefix in split_of.items():
        siblings = Task.objects.filter(process_id=process_id, token__startswith=prefix)
        if siblings.filter(flow_task=ACTIONS).exists():
            continue
        part = siblings.filter(flow_task=PART).order_by("pk").first()
        last = max(int(str(token).rsplit("_", 1)[1]) for token in siblings.values_list("token", flat=True))
        owner_id = authors.get(process_id) or part.owner_id
        actions = Task.objects.create(
            process_id=process_id,
            flow_task=ACTIONS,
            flow_task_type="HUMAN",
            status="ASSIGNED" if owner_id else "NEW",
            owner_id=owner_id,
            assigned=now if owner_id else None,
            token=Token(f"{prefix}{last + 1}"),
            data={},
        )
        actions.previous.set(part.previous.all())


class Migration(migrations.Migration):

    dependencies = [
        ("workflows", "0005_due_dates"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        migrations.RunPython(open_actions_beside_parts, migrations.RunPython.noop),
    ]
