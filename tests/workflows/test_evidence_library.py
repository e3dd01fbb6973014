"""A board's evidence library: its equality leads add files and links, its members read it,
any assessment of the board (never another board's) cites an entry, and the signed record
lists what was cited."""

import pytest
from django.urls import reverse

from assessments.exceptions import NotAllowed, RuleViolation
from assessments.models import AuditEvent, EvidenceCitation, EvidenceSource
from assessments.services import evidence as ev
from tests import evidence_samples as s
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(cast):
    return f.current(f.screen(cast, f.start(cast, "Evening service review")))


def test_equality_leads_add_links_and_files_and_members_read_them(client, cast, borders):
    url = reverse("evidence_library", args=["dundee"])
    client.force_login(cast.officer)
    assert client.post(url, {"title": "SIMD", "url": "https://simd.scot/"}).status_code == 403
    client.force_login(cast.lead)
    response = client.post(url, {"title": "SIMD 2026 profile", "url": "https://simd.scot/", "description": "Deciles."})
    assert response.status_code == 302
    response = client.post(url, {"title": "Carers survey 2026", "file": s.upload("survey.xlsx", s.xlsx())})
    assert response.status_code == 302
    response = client.post(url, {"title": "Both", "url": "https://simd.scot/", "file": s.upload("a.pdf", s.PDF)})
    assert "Give a link or a file, not both." in response.content.decode()
    for bad in ("javascript:alert(1)", "https://", "https://exa mple.org/", "simd.scot", "ftp://simd.scot/"):
        response = client.post(url, {"title": "Not a link", "url": bad})
        assert "Give a whole web address starting https://" in response.content.decode(), bad
    response = client.post(url, {"title": "Too long", "url": "https://simd.scot/" + "a" * 500})
    assert "at most 500 characters" in response.content.decode()
    with pytest.raises(RuleViolation):  # the service alone, as the API or a command would call it
        ev.evidence_source_add(by=cast.lead, board=f.board(), title="Too long", url="https://simd.scot/" + "a" * 500)
    response = client.post(url, {"title": "Older site", "url": "http://example.org/report"})
    assert response.status_code == 302
    response = client.post(url, {"title": "Renamed", "file": s.upload("setup.pdf", s.EXE)})
    assert "not a file the product keeps" in response.content.decode()
    assert EvidenceSource.objects.count() == 3
    client.force_login(cast.clerk)
    page = client.get(url).content.decode()
    assert "SIMD 2026 profile" in page and "survey.xlsx" in page
    library_file = EvidenceSource.objects.get(title="Carers survey 2026").file
    assert client.get(reverse("evidence_file_download", args=[library_file.pk])).status_code == 200
    client.force_login(borders.lead)
    assert client.get(url).status_code == 404
    assert client.get(reverse("evidence_file_download", args=[library_file.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="evidence.library_add").count() == 3


def test_an_assessment_cites_its_own_boards_entries_only(client, cast, borders, written):
    ours = ev.evidence_source_add(by=cast.lead, board=written.plan_change.board, title="SIMD profile",
                                  url="https://simd.scot/")
    theirs = ev.evidence_source_add(by=borders.lead, board=borders.lead.memberships.get().board,
                                    title="Borders survey", url="https://example.org/")
    with pytest.raises(RuleViolation):
        ev.evidence_cite(by=cast.officer, assessment=written, source=theirs)
    with pytest.raises(NotAllowed):
        ev.evidence_cite(by=borders.officer, assessment=written, source=ours)
    client.force_login(cast.officer)
    page = client.get(reverse("assessment_files", args=[written.pk])).content.decode()
    assert "SIMD profile" in page and "Borders survey" not in page
    assert client.post(reverse("assessment_cite", args=[written.pk]), {"source": theirs.pk}).status_code == 302
    assert not EvidenceCitation.objects.exists()
    client.post(reverse("assessment_cite", args=[written.pk]), {"source": ours.pk})
    citation = EvidenceCitation.objects.get()
    assert citation.source == ours and citation.cited_by == cast.officer
    assert "SIMD profile" in client.get(reverse("assessment_files", args=[written.pk])).content.decode()
    client.force_login(borders.officer)
    assert client.post(reverse("citation_remove", args=[citation.pk])).status_code == 404
    client.force_login(cast.officer)
    assert client.post(reverse("citation_remove", args=[citation.pk])).status_code == 302
    assert not EvidenceCitation.objects.exists()


def test_a_retired_entry_is_offered_to_no_new_citation(cast, written):
    source = ev.evidence_source_add(by=cast.lead, board=written.plan_change.board, title="Old profile",
                                    url="https://example.org/old")
    with pytest.raises(NotAllowed):
        ev.evidence_source_retire(by=cast.officer, source=source)
    ev.evidence_source_retire(by=cast.lead, source=source)
    with pytest.raises(RuleViolation):
        ev.evidence_cite(by=cast.officer, assessment=written, source=source)


def test_a_description_the_browser_let_through_is_kept_with_its_line_breaks(client, cast):
    """2,000 characters as the text box counts them (a line break as one) arrive longer (CR LF)."""
    description = "\r\n".join(["Deciles 1-2."] * 153) + "\r\n1"  # 1,990 characters as typed
    client.force_login(cast.lead)
    response = client.post(reverse("evidence_library", args=["dundee"]),
                           {"title": "SIMD 2026 profile", "url": "https://simd.scot/", "description": description})
    assert response.status_code == 302
    assert EvidenceSource.objects.get().description == description.replace("\r\n", "\n")
