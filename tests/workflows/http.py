"""Helpers to drive the workflow through its pages with Django's test client."""

import datetime

from django.test import Client
from viewflow.workflow.status import STATUS

from workflows.engine import active_task, active_tasks
from workflows.selectors import task_url

# a review date the actions step takes: within the three years a review date may be set
REVIEW_BY = (datetime.date.today() + datetime.timedelta(days=365)).isoformat()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def execute_url(task):
    return task_url(task, "execute")


def assign_url(task):
    return task_url(task, "assign")


def claim_and_open(client, plan_change, node):
    """Claim the node's open task if it is in the queue; return its execute URL."""
    task = active_task(plan_change, node)
    assert task is not None, f"no open {node.name} task"
    if task.status == STATUS.NEW:
        response = client.post(assign_url(task))
        assert response.status_code == 302, response.status_code
    return execute_url(task)


def part_tasks(plan_change, node):
    return {t.data["part"]: t for t in active_tasks(plan_change, node)}


def section_post(section, overrides=None, action="complete", revision=0):
    overrides = overrides or {}
    data = {"action": action, "revision": str(revision)}
    for row in section.rows.all():
        ratings, explanation = overrides.get(row.code, (["no_impact"], ""))
        if ratings:
            data[f"r{row.pk}"] = list(ratings)
        data[f"x{row.pk}"] = explanation
    for question in section.questions.all():
        data[f"q{question.pk}"] = question.choices[0] if question.kind == "choice" else "Answer given."
    return data


def screening_post(answers: dict, action="complete"):
    data = {"action": action, "officer_reason": ""}
    for code, value in answers.items():
        data[f"q_{code}"] = value
        data[f"c_{code}"] = ""
    return data


def actions_post(actions=(), justifications=None, review_date=REVIEW_BY, action="complete", revision=0):
    data = {"action": action, "revision": str(revision), "review_date": review_date,
            "act-TOTAL_FORMS": str(len(actions) + 1), "act-INITIAL_FORMS": "0",
            "act-MIN_NUM_FORMS": "0", "act-MAX_NUM_FORMS": "1000"}
    for index, item in enumerate(actions):
        for key, value in item.items():
            data[f"act-{index}-{key}"] = value
    blank = len(actions)
    data.update({f"act-{blank}-kind": "mitigation", f"act-{blank}-status": "planned"})
    for row_id, text in (justifications or {}).items():
        data[f"j{row_id}"] = text
    return data


def revision(plan_change, part: str) -> int:
    """The saved revision of a part, as the form's hidden field would carry it."""
    from workflows.selectors import process_assessment

    assessment = process_assessment(type("P", (), {"plan_change_id": plan_change.pk, "primed_records": None})())
    return assessment.parts.filter(part=part).values_list("revision", flat=True).first() or 0
