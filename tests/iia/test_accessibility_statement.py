"""The accessibility statement: public, linked from every page, and its figures are the suite's."""

import datetime
import html
import json
import re

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
    assert ("partially compliant" if recorded["known_issues"] else "fully compliant") in text
    for journey in recorded["keyboard"]["journeys"]:
        assert html.escape(journey, quote=True) in text or journey in html.unescape(text)
    tested = datetime.date.fromisoformat(recorded["tested_on"])
    assert f"last tested on {tested.day} {tested:%B %Y}" in text and recorded["tested_on"] not in text  # one date format


def test_known_issues_make_it_partially_compliant(client, monkeypatch):
    issue = {"summary": "A summary of the problem.", "detail": "What is not accessible.",
             "criteria": "1.3.1 (info and relationships)", "status": "Being fixed."}
    results = {**accessibility.accessibility_results(), "known_issues": [issue]}
    monkeypatch.setattr(accessibility, "accessibility_results", lambda: results)
    text = client.get(reverse("accessibility")).content.decode()
    assert "partially compliant" in text and "fully compliant" not in text
    assert "<li>A summary of the problem.</li>" in text
    assert "What is not accessible. This fails WCAG 2.2 success criteria 1.3.1 (info and relationships)." in text
    assert "Being fixed." in text


def test_no_known_issues_make_it_fully_compliant(client, monkeypatch):
    results = {**accessibility.accessibility_results(), "known_issues": []}
    monkeypatch.setattr(accessibility, "accessibility_results", lambda: results)
    text = client.get(reverse("accessibility")).content.decode()
    assert "fully compliant" in text and "We know of no content that fails the accessibility regulations." in text


def test_statement_has_the_model_statements_sections(client, monkeypatch):
    issue = {"summary": "S.", "detail": "D.", "criteria": "1.3.1", "status": "Being fixed."}
    results = {**accessibility.accessibility_results(), "known_issues": [issue]}
    monkeypatch.setattr(accessibility, "accessibility_results", lambda: results)
    text = client.get(reverse("accessibility")).content.decode()
    headings = re.findall(r"<h[23][^>]*>(.*?)</h[23]>", text)
    for heading in ("How accessible this service is", "Feedback and contact information",
                    "Reporting accessibility problems with this service", "Enforcement procedure", "Compliance status",
                    "Non-accessible content", "Non-compliance with the accessibility regulations",
                    "Disproportionate burden", "How we tested this service", "Preparation of this statement"):
        assert heading in headings or heading.replace("’", "&#x27;") in headings, (heading, headings)
    assert "equality lead of your" not in text


def test_known_issues_recorded_are_whole_and_the_fixed_ones_are_gone(client):
    """Each recorded issue has its summary, detail, criteria and status; the ones the outside
    audit found (the untagged pack, the withdraw and new-version errors, the PDF's plain-text
    address) are fixed and tested, so no longer recorded."""
    recorded = accessibility.accessibility_results()["known_issues"]
    assert all(set(issue) == {"summary", "detail", "criteria", "status"} and issue["status"] for issue in recorded)
    assert not [issue for issue in recorded if "agenda pack" in issue["summary"] or "Withdraw" in issue["summary"]]
    text = client.get(reverse("accessibility")).content.decode()
    assert ("partially compliant" if recorded else "fully compliant") in text
    assert accessibility.accessibility_results()["manual_testing"] in html.unescape(text)


def test_every_page_links_to_the_statement(client):
    for url in (reverse("login"), reverse("register_index"), reverse("verify")):
        assert f'href="{reverse("accessibility")}"' in client.get(url).content.decode()


def test_contact_and_organisation_come_from_settings(client, settings):
    settings.IIA_ACCESSIBILITY_EMAIL = "access@board.example"
    settings.IIA_ACCESSIBILITY_PHONE = "01632 960123"
    settings.IIA_ORGANISATION = "Tayside Health and Social Care Partnership"
    text = client.get(reverse("accessibility")).content.decode()
    assert text.count('href="mailto:access@board.example"') == 2  # to ask for a format, and to report a problem
    assert text.count('href="tel:01632960123">01632 960123</a>') == 2
    assert "run by Tayside Health and Social Care Partnership:" in text


def test_demo_contact_and_the_boards_as_the_organisation_by_default(client, settings):
    """Without IIA_ORGANISATION, the boards the service holds; the demo's contact reaches nobody."""
    settings.IIA_ORGANISATION = ""
    text = client.get(reverse("accessibility")).content.decode()
    assert ("run by Dundee City Integration Joint Board and Scottish Borders Health and Social Care Integration Joint "
            "Board:") in text
    assert 'href="mailto:accessibility@iia.example"' in text and 'href="tel:01632960000"' in text


def test_without_a_contact_it_says_so(client, settings):
    settings.IIA_ACCESSIBILITY_EMAIL = settings.IIA_ACCESSIBILITY_PHONE = ""
    text = client.get(reverse("accessibility")).content.decode()
    assert "mailto:" not in text and "tel:" not in text
    assert "No email address or telephone number has been set for this yet" in text
