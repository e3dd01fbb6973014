"""The catalogue is board-editable data; templates in use are frozen; workflow records are read-only."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from assessments.models import Row, Template
from tests import factories as f

pytestmark = pytest.mark.django_db


def admin_client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def lead(cast):
    cast.lead.is_staff = True
    cast.lead.save()
    cast.lead.groups.add(Group.objects.get(name="Equality lead"))
    return cast.lead


def test_equality_lead_sees_only_their_boards_templates(lead):
    page = admin_client(lead).get("/admin/assessments/template/").content.decode()
    assert "dundee-ijb-v1" in page and "scottish-borders-ijb-v1" not in page


def test_a_template_in_use_is_frozen_and_copied_as_a_new_version(cast, lead):
    f.start(cast)  # its screening uses dundee-ijb-v1
    template = Template.objects.get(code="dundee-ijb-v1")
    client = admin_client(lead)
    page = client.get(f"/admin/assessments/template/{template.pk}/change/").content.decode()
    assert "Save" not in page or 'name="_save"' not in page
    response = client.post(f"/admin/assessments/template/{template.pk}/change/", {"title": "Changed"})
    assert response.status_code == 403
    response = client.post("/admin/assessments/template/", {"action": "copy_as_new_version",
                                                            "_selected_action": [template.pk]})
    assert response.status_code == 302
    copy = Template.objects.get(code="dundee-ijb-v2")
    assert not copy.is_active and copy.version == 2
    assert Row.objects.filter(section__template=copy).count() == Row.objects.filter(section__template=template).count()
    assert copy.screening_questions.count() == template.screening_questions.count()
    client.post("/admin/assessments/template/", {"action": "activate", "_selected_action": [copy.pk]})
    copy.refresh_from_db()
    template.refresh_from_db()
    assert copy.is_active and not template.is_active
    # a new plan change now uses v2; the earlier one keeps v1
    assert f.start(cast, "Second").screenings.get().template == copy


def test_workflow_records_are_read_only_in_the_admin_even_for_superusers(cast):
    plan_change = f.to_submitted(cast)
    admin = f.user(None, is_superuser=True, is_staff=True)
    client = admin_client(admin)
    assessment = f.current(plan_change)
    assert client.get(f"/admin/assessments/assessment/{assessment.pk}/change/").status_code == 200
    response = client.post(f"/admin/assessments/assessment/{assessment.pk}/change/",
                           {"state": "approved", "approved_by": admin.pk})
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.state == "submitted" and assessment.approved_by is None


def test_the_catalogue_cache_follows_edits(cast):
    from assessments.catalogue import template_sections

    template = Template.objects.get(code="dundee-ijb-v1")
    before = [r.label for s in template_sections(template) for r in s.rows.all()]
    row = Row.objects.get(section__template=template, code="PC.AGE")
    row.label = "Age (all ages)"
    row.save()
    template.refresh_from_db()
    after = [r.label for s in template_sections(template) for r in s.rows.all()]
    assert "Age" in before and "Age (all ages)" in after and "Age" not in after
