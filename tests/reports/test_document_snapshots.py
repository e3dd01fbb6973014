"""What was signed stays as signed: the HTML version of a signed document is rendered from
the snapshot its PDF was rendered from, kept with it at signing, never from today's form,
record or wording; an altered snapshot is never shown; documents signed before snapshots
were kept get one only where it renders to the signed PDF's very text."""

import html
import json
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from assessments.models import Membership, Question, Row, ScreeningQuestion, SectionAnswer
from reports import services, snapshots
from reports.models import DocumentStatus, SignedDocument
from tests import factories as f

from .helpers import reader, signed_off, text_of

pytestmark = pytest.mark.django_db


def squash(text: str) -> str:
    return " ".join(text.split())


def page_text(page: str) -> str:
    """The words of an HTML page's article, as a reader hears them."""
    article = page[page.index("<article>"):page.index("</article>")]
    return squash(html.unescape(re.sub(r"<[^>]+>", " ", article)))


def leaves(value):
    """Every string and number a snapshot shows (section codes only name the page's anchors)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "code":
                yield from leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item)
    elif value not in ("", None):
        yield str(value)


def published(document: SignedDocument) -> SignedDocument:
    """On the public register (anyone may read it: the page is the same for every reader)."""
    SignedDocument.objects.filter(pk=document.pk).update(published_at=timezone.now())
    document.refresh_from_db()
    return document


def html_of(document: SignedDocument) -> str:
    response = Client().get(f"/documents/{document.verification_code}/")
    assert response.status_code == 200
    return response.content.decode()


def assert_html_matches_pdf(document: SignedDocument, page: str) -> None:
    """Every word of the snapshot is in the HTML version and in the signed PDF's text."""
    snap = json.loads(document.snapshot)
    pdf_text, words = squash(text_of(bytes(document.pdf))), page_text(page)
    for value in leaves({k: v for k, v in snap.items() if k not in ("schema", "kind")}):
        value = squash(value)
        assert value in words, f"{value!r} is not in the HTML version"
        assert value in pdf_text, f"{value!r} is not in the signed PDF"


@pytest.fixture
def signed(cast, committed):
    assessment = committed(_signed_with_actions, cast)
    return published(SignedDocument.objects.get(assessment=assessment))


def _signed_with_actions(cast):
    """Signed off with a mitigated and a justified negative rating, and a positive one."""
    plan_change = f.screen(cast, f.start(cast, "Evening service review"))
    assessment = f.complete_parts(cast, plan_change, {
        "PC.AGE": ({"negative"}, "Older people lose the evening service."),
        "PC.RACE": ({"negative"}, "Fewer interpreters in the evening."),
        "PC.SEX": ({"positive"}, "More women's health clinics."),
    })
    f.complete_actions(cast, plan_change, actions=[f.mitigation(assessment, ["PC.AGE"])],
                       justifications={f.row(assessment, "PC.RACE").pk: "Proportionate to the saving."})
    f.submit(cast, plan_change)
    f.approve(cast, plan_change)
    return f.sign_off(cast, plan_change)


def test_the_snapshot_is_stored_with_its_sha256_and_bound_to_the_signature(signed):
    assert signed.status == DocumentStatus.READY and signed.snapshot_rebuilt_at is None
    assert signed.snapshot_sha256 == snapshots.digest(signed.snapshot)
    assert signed.snapshot == snapshots.canonical(json.loads(signed.snapshot))  # canonical JSON
    keywords = reader(bytes(signed.pdf)).metadata["/Keywords"]
    assert f"content SHA-256 {signed.snapshot_sha256}" in keywords
    assert services.document_verify(bytes(signed.pdf)).genuine


def test_the_html_version_stays_as_signed_when_the_form_and_the_record_change(cast, signed):
    before = html_of(signed)
    assert_html_matches_pdf(signed, before)
    assert "Not rated" not in before and "Older people lose the evening service." in before
    assessment = signed.assessment
    section = assessment.template.sections.get(code="equality")
    # the form changes under it, in the database (the models refuse a row added to a form in use)
    Row.objects.bulk_create([Row(section=section, code="PC.ADDED", label="Added after signing", order=999)])
    Row.objects.filter(section=section, code="PC.AGE").update(label="Age (reworded)")
    Question.objects.filter(section__template=assessment.template).update(label="A reworded question")
    # the record changes under it: an answer, the title, the people's names and titles
    SectionAnswer.objects.filter(assessment=assessment).update(value="An answer changed after signing.")
    type(assessment.plan_change).objects.filter(pk=assessment.plan_change_id).update(title="Retitled")
    Membership.objects.filter(user=cast.lead).update(job_title="Renamed role")
    cast.officer.first_name = "Renamed"
    cast.officer.save()
    from assessments.catalogue import catalogue_cache_clear

    catalogue_cache_clear()
    after = html_of(signed)
    assert after == before  # byte for byte
    for changed in ("Added after signing", "Not rated", "reworded", "changed after signing", "Retitled",
                    "Renamed"):
        assert changed not in after
    # the PDF the page is rendered beside is the very one signed, and says the same
    assert_html_matches_pdf(signed, after)


def test_the_screening_record_stays_as_signed(cast, committed):
    # the equality lead overrode the proposed full IIA: no IIA required, with their reason
    plan_change = committed(lambda: f.screen(cast, f.start(cast, "Annual performance report"), full=True,
                                             decision="override"))
    document = published(SignedDocument.objects.get(screening__plan_change=plan_change))
    before = html_of(document)
    assert_html_matches_pdf(document, before)
    assert "Because." in before and "Annual performance report" in before
    screening = document.screening
    ScreeningQuestion.objects.filter(template=screening.template).update(text="A reworded screening question")
    ScreeningQuestion.objects.bulk_create(
        [ScreeningQuestion(template=screening.template, code="added", text="Added after signing", order=99)]
    )
    type(screening).objects.filter(pk=screening.pk).update(officer_reason="Changed after signing.")
    from assessments.catalogue import catalogue_cache_clear

    catalogue_cache_clear()
    after = html_of(document)
    assert after == before
    assert "reworded" not in after and "Added after signing" not in after and "Changed after signing" not in after


def test_an_altered_snapshot_is_never_shown(signed, caplog):
    snap = json.loads(signed.snapshot)
    snap["plan_change"]["title"] = "Quietly altered"
    altered = snapshots.canonical(snap)
    for update in ({"snapshot": altered},  # the content changed, its hash not
                   {"snapshot": altered, "snapshot_sha256": snapshots.digest(altered)}):  # both: the PDF disagrees
        SignedDocument.objects.filter(pk=signed.pk).update(**update)
        response = Client().get(f"/documents/{signed.verification_code}/")
        page = response.content.decode()
        assert response.status_code == 500 and "Quietly altered" not in page
        assert "does not match what was signed" in page and f"/documents/{signed.verification_code}/pdf/" in page
    assert any("snapshot" in record.getMessage() for record in caplog.records if record.levelname == "ERROR")


def test_the_html_version_never_renders_the_live_record(cast, settings, tmp_path, committed):
    """A document still being prepared has no snapshot: its page says so and shows nothing
    of the record (today's data is never passed off as the signed document)."""
    settings.IIA_SIGNING_DIR = str(tmp_path / "no-keys-here")
    from reports.pdf import signing

    signing.signer.cache_clear()
    try:
        assessment = committed(signed_off, cast)
    finally:
        signing.signer.cache_clear()
    document = SignedDocument.objects.get(assessment=assessment)
    assert document.status == DocumentStatus.FAILED
    client = Client()
    client.force_login(cast.officer)
    page = client.get(f"/documents/{document.verification_code}/").content.decode()
    assert "still being prepared" in page and assessment.plan_change.title not in page


def test_documents_signed_before_snapshots_get_one_only_where_it_gives_the_signed_text(cast, committed):
    kept = published(SignedDocument.objects.get(assessment=committed(signed_off, cast)))
    changed = published(SignedDocument.objects.get(assessment=committed(signed_off, cast)))
    legacy = {"snapshot": "", "snapshot_sha256": "", "snapshot_rebuilt_at": None}
    SignedDocument.objects.filter(pk__in=[kept.pk, changed.pk]).update(**legacy)  # as signed before this change
    for document in (kept, changed):
        document.refresh_from_db()
        page = html_of(document)
        assert "Download the signed PDF" in page and "no HTML version" in page
        assert document.assessment.plan_change.title not in page
    # the second one's record changed since it was signed
    SectionAnswer.objects.filter(assessment=changed.assessment).update(value="An answer changed after signing.")
    call_command("rebuild_document_snapshots")
    kept.refresh_from_db()
    changed.refresh_from_db()
    assert kept.snapshot and kept.snapshot_rebuilt_at is not None and not changed.snapshot
    page = html_of(kept)
    assert "rebuilt from the record" in page
    assert_html_matches_pdf(kept, page)
    assert "no HTML version" in html_of(changed)
    assert kept.assessment.plan_change.audit_events.filter(action="document.snapshot_rebuild").count() == 1
    call_command("rebuild_document_snapshots")  # safe to run again
    assert kept.assessment.plan_change.audit_events.filter(action="document.snapshot_rebuild").count() == 1
