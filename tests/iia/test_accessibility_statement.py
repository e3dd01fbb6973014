"""The accessibility statement: public, linked from every page, and its figures are the suite's."""

import json

import pytest
from django.urls import reverse

from iia import accessibility

pytestmark = pytest.mark.django_db


def test_statement_is_public_and_shows_what_the_suite_recorded(client):
    recorded = json.loads(accessibility.RESULTS.read_text())
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    text = response.content.decode()
    assert f"axe-core {recorded['axe_core']}" in text
    assert f"{len(recorded['checks'])} checks" in text
    assert f"{len({c['page'] for c in recorded['checks']})} page types" in text
    for tag in ("wcag2a", "wcag21aa", "wcag22aa"):
        assert f"<code>{tag}</code>" in text
    assert "Equality and Human Rights Commission" in text and "Enforcement procedure" in text
    assert "fully compliant" in text  # no known issues recorded
    assert recorded["tested_on"] in text


def test_known_issues_make_it_partially_compliant(client, monkeypatch):
    results = {**accessibility.accessibility_results(), "known_issues": ["The agenda pack PDF is not tagged as a whole."]}
    monkeypatch.setattr(accessibility, "accessibility_results", lambda: results)
    text = client.get(reverse("accessibility")).content.decode()
    assert "partially compliant" in text and "The agenda pack PDF is not tagged as a whole." in text


def test_every_page_links_to_the_statement(client):
    for url in (reverse("login"), reverse("register_index"), reverse("verify")):
        assert f'href="{reverse("accessibility")}"' in client.get(url).content.decode()


def test_contact_comes_from_settings(client, settings):
    settings.IIA_ACCESSIBILITY_CONTACT = "access@board.example"
    assert 'href="mailto:access@board.example"' in client.get(reverse("accessibility")).content.decode()
