"""Signed documents: produced after sign-off, stored once, downloaded byte for byte,
verified by file or code; failures never lose the sign-off."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader, PdfWriter

from reports import services
from reports.models import DocumentStatus, ImmutableDocument, SignedDocument
from tests import factories as f

from .helpers import signed_off, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(cast, committed):
    assessment = committed(signed_off, cast)
    return SignedDocument.objects.get(assessment=assessment)


def test_sign_off_produces_a_signed_document_stored_once(cast, document):
    assert document.status == DocumentStatus.READY
    data = bytes(document.pdf)
    assert document.sha256 == hashlib.sha256(data).hexdigest() and document.size == len(data)
    assert document.signer_name == cast.senior.get_full_name() and document.signer_role == "Chief Officer"
    signature = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    reason = str(signature.sig_object["/Reason"])
    assert cast.senior.get_full_name() in reason and "Chief Officer" in reason
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert document.verification_code in text_of(data)
    again = services.document_issue(document_id=document.pk)  # never re-rendered
    assert bytes(again.pdf) == data
    document.sha256 = "0" * 64
    with pytest.raises(ImmutableDocument):
        document.save()


def test_download_returns_exactly_the_stored_bytes(cast, document):
    client = Client()
    client.force_login(cast.officer)
    response = client.get(f"/documents/{document.verification_code}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == bytes(document.pdf)
    assert response["X-Content-SHA256"] == document.sha256


def test_documents_of_another_board_are_not_found(cast, borders, document):
    client = Client()
    client.force_login(borders.officer)
    assert client.get(f"/documents/{document.verification_code}/pdf/").status_code == 404
    assert client.get(f"/documents/{document.verification_code}/").status_code == 404
    assert Client().get(f"/documents/{document.verification_code}/pdf/").status_code == 302  # sign in first


def test_the_accessible_twin_has_the_same_content(cast, document):
    client = Client()
    client.force_login(cast.lead)
    page = client.get(f"/documents/{document.verification_code}/").content.decode()
    assert '<html lang="en-GB">' in page
    for heading in ("<h1>Integrated Impact Assessment:", '<h2 id="section-equality">Equality &amp; Diversity</h2>',
                    "<h2>Mitigating actions</h2>", "<h2>Approval and sign-off</h2>"):
        assert heading in page
    assert '<th scope="col">Rating</th>' in page and '<th scope="row">Sexual orientation</th>' in page
    assert document.verification_code in page and "Chief Officer" in page
    pdf_text = " ".join(text_of(bytes(document.pdf)).split())
    for fact in ("Sexual orientation", "Fairer Scotland Duty: written assessment summary", "Chief Officer"):
        assert fact in pdf_text


def test_verification_of_genuine_altered_and_unknown_files(cast, document):
    data = bytes(document.pdf)
    assert services.document_verify(data).verdict == "genuine"

    flipped = bytearray(data)
    flipped[len(flipped) // 2] ^= 0x01
    assert services.document_verify(bytes(flipped)).verdict == "altered"

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    writer.root["/Extra"] = generic.TextStringObject("added after signing")
    writer.update_root()
    appended = io.BytesIO()
    writer.write(appended)
    result = services.document_verify(appended.getvalue())
    assert result.verdict == "altered" and result.document == document

    resaved = io.BytesIO()
    PdfWriter(clone_from=PdfReader(io.BytesIO(data))).write(resaved)
    result = services.document_verify(resaved.getvalue())
    assert result.verdict == "altered" and result.document == document

    other = io.BytesIO()
    PdfWriter().write(other)
    assert services.document_verify(other.getvalue()).verdict == "unknown"
    assert services.document_verify(b"hello").verdict == "not_pdf"


def test_each_verdict_looks_different_and_says_what_to_do(cast, document):
    """Genuine shows green with a tick; altered and unknown show red with a cross and what to
    do next; the icon is hidden from screen readers, whose heading says the verdict."""
    client = Client()

    def verdict(**data) -> str:
        text = client.post("/verify/", data).content.decode()
        return text[text.index('<section class="verdict'):text.index("</section>", text.index('<section class="verdict'))]

    genuine = verdict(file=SimpleUploadedFile("x.pdf", bytes(document.pdf), "application/pdf"))
    assert 'class="verdict verdict-ok"' in genuine and "M6.5 12.5" in genuine and "What to do next" not in genuine
    tampered = bytearray(bytes(document.pdf))
    tampered[-200] ^= 0x20
    altered = verdict(file=SimpleUploadedFile("x.pdf", bytes(tampered), "application/pdf"))
    assert 'class="verdict verdict-bad"' in altered and "M7.5 7.5" in altered
    assert "What to do next" in altered and 'href="/register/"' in altered and "Do not rely on this copy" in altered
    unknown = verdict(code="IIA-ZZZZ-ZZZZ-ZZZZ")
    assert 'class="verdict verdict-bad"' in unknown and "What to do next" in unknown
    for shown in (genuine, altered, unknown):
        assert 'aria-hidden="true"' in shown and 'role="status"' in shown


def test_a_signature_is_checked_inside_a_running_event_loop(cast, document):
    """An ASGI worker or a Playwright session runs an asyncio loop in the thread; pyHanko's
    own asyncio.run() would refuse there (the CI failure of 2026-11-25)."""
    import asyncio

    from reports.services.documents import _signature_intact

    data = bytes(document.pdf)
    flipped = bytearray(data)
    flipped[len(flipped) // 2] ^= 0x01

    async def inside_a_loop():
        return _signature_intact(data, document), _signature_intact(bytes(flipped), document)[0]

    assert asyncio.run(inside_a_loop()) == ((True, ""), False)


def test_the_public_verification_page_needs_no_login(cast, document):
    client = Client()
    page = client.get("/verify/")
    assert page.status_code == 200
    response = client.post("/verify/", {"file": SimpleUploadedFile("x.pdf", bytes(document.pdf), "application/pdf")})
    text = response.content.decode()
    assert "Genuine and unaltered" in text and cast.senior.get_full_name() in text and "Chief Officer" in text
    tampered = bytearray(bytes(document.pdf))
    tampered[-200] ^= 0x20
    response = client.post("/verify/", {"file": SimpleUploadedFile("x.pdf", bytes(tampered), "application/pdf")})
    assert "Altered" in response.content.decode()
    response = client.post("/verify/", {"code": document.verification_code.lower()})
    text = response.content.decode()  # not yet published: the public learns nothing more
    assert "Genuine, not yet published" in text and document.plan_change.title not in text
    member = Client()
    member.force_login(cast.lead)
    text = member.post("/verify/", {"code": document.verification_code}).content.decode()
    assert "<h2 id=\"result-title\">Genuine</h2>" in text and document.plan_change.title in text
    response = client.post("/verify/", {"code": "IIA-ZZZZ-ZZZZ-ZZZZ"})
    assert "Unknown" in response.content.decode()
    response = client.post("/verify/", {})
    assert "Choose a PDF file or type a verification code" in response.content.decode()


def test_a_code_typed_with_spaces_other_dashes_or_no_prefix_finds_its_document(cast, document):
    code = document.verification_code  # IIA-XXXX-XXXX-XXXX
    raw = code[4:].replace("-", "")
    for typed in (code, f" {code.lower()} ", code.replace("-", " "), code[4:], f"IIA-{raw}", raw,
                  code.replace("-", "\u2013"), code.replace("-", "\u2014 ")):
        assert services.document_by_code(typed).verdict != "unknown", typed
    for typed in (raw[:-1], raw + "A", "IIA", "", code.replace(code[-1], "0" if code[-1] != "0" else "2")):
        assert services.document_by_code(typed).verdict == "unknown", typed


def test_verify_pdf_command_exits_zero_only_for_genuine_files(cast, document, tmp_path):
    good = tmp_path / "good.pdf"
    good.write_bytes(bytes(document.pdf))
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(bytes(document.pdf) + b"\n%tampered\n")
    call_command("verify_pdf", str(good))
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_pdf", str(bad))
    assert exit_info.value.code == 1


def test_render_assessment_writes_the_stored_pdf_or_a_draft(cast, document, tmp_path):
    out = tmp_path / "out.pdf"
    call_command("render_assessment", str(document.assessment_id), output=str(out))
    assert out.read_bytes() == bytes(document.pdf)
    draft_change = f.screen(cast, f.start(cast, "Draft one"))
    call_command("render_assessment", str(f.current(draft_change).pk), output=str(out))
    assert "DRAFT" in text_of(out.read_bytes())


def test_a_screened_out_plan_change_gets_a_signed_screening_record(cast, committed):
    plan_change = committed(lambda: f.screen(cast, f.start(cast, "Annual performance report"), full=False))
    document = SignedDocument.objects.get(screening__plan_change=plan_change)
    assert document.status == DocumentStatus.READY and document.kind == "screening_record"
    assert "Screening record" in text_of(bytes(document.pdf))
    assert services.document_verify(bytes(document.pdf)).verdict == "genuine"


def test_a_signing_failure_never_loses_the_sign_off_and_is_retried(cast, settings, tmp_path, committed):
    settings.IIA_SIGNING_DIR = str(tmp_path / "no-keys-here")
    from reports.pdf import signing

    signing.signer.cache_clear()
    assessment = committed(signed_off, cast)
    assert assessment.state == "signed_off"
    document = SignedDocument.objects.get(assessment=assessment)
    assert document.status == DocumentStatus.FAILED and "make_signing_cert" in document.last_error
    client = Client()
    client.force_login(cast.officer)
    page = client.get(f"/plan-changes/{assessment.plan_change_id}/").content.decode()
    assert "could not be produced yet" in page and "The sign-off stands" in page
    signing.make_self_signed("dundee", "Dundee City Integration Joint Board")
    response = client.post(f"/documents/{document.verification_code}/retry/")
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY and document.attempts == 2
    signing.signer.cache_clear()


def test_rendering_happens_after_commit_not_inside_the_sign_off(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assessment = signed_off(cast)
        document = SignedDocument.objects.get(assessment=assessment)
        assert document.status == DocumentStatus.PENDING and document.pdf is None
    assert len(callbacks) >= 1


def test_make_signing_cert_command(settings, tmp_path):
    settings.IIA_SIGNING_DIR = str(tmp_path)
    call_command("make_signing_cert", board="scottish-borders")
    assert (tmp_path / "scottish-borders.p12").exists()
    assert oct((tmp_path / "scottish-borders.p12").stat().st_mode)[-3:] == "600"


def test_with_a_broker_documents_go_to_celery(cast, settings, monkeypatch, committed):
    from celery import Celery

    import iia.celery  # noqa: F401  (a process with a broker has its app: iia/__init__.py imports it)
    from reports import tasks
    from workflows import tasks as workflow_tasks

    queued, notifications = [], []
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"

    def send_task(app, name, args=(), *rest, **kwargs):  # what reaches the broker: the task's name and arguments
        if name == tasks.issue_document.name:
            queued.extend(args)

    monkeypatch.setattr(Celery, "send_task", send_task)
    monkeypatch.setattr(workflow_tasks.send_notification, "delay", notifications.append)
    assessment = committed(signed_off, cast)
    document = SignedDocument.objects.get(assessment=assessment)
    assert queued == [document.pk] and document.status == DocumentStatus.PENDING
    assert notifications[-1]["actions"][-1][1] == "assessment.sign_off"  # the emails go to the worker too
    assert tasks.issue_document.run(document.pk) == DocumentStatus.READY  # what the worker runs


def test_a_copy_saved_without_its_metadata_is_still_recognised_as_altered(cast, document):
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(bytes(document.pdf))).pages:
        writer.add_page(page)  # pages only: no metadata, no outline
    copy = io.BytesIO()
    writer.write(copy)
    result = services.document_verify(copy.getvalue())
    assert result.verdict == "altered" and result.document == document


def test_a_signature_whose_update_ends_a_stream_in_cr_is_written_again(cast, document, monkeypatch):
    """About one signature in 256 compresses its cross-reference stream to bytes ending in
    CR, which PDF/A validators misread (the CI failure of 2026-11-25): the signer then
    writes the update again with another reservation, which changes those bytes."""
    from reports.pdf import signing

    assert signing.ambiguous_stream_end(b"xx\r\nendstream") and not signing.ambiguous_stream_end(b"xx\nendstream")
    unsigned, _pages = services.render(document)
    seen = []
    real = signing.ambiguous_stream_end

    def refuse_first(data):
        seen.append(len(data))
        return len(seen) == 1 or real(data)

    monkeypatch.setattr(signing, "ambiguous_stream_end", refuse_first)
    signed = signing.sign(unsigned, board_slug="dundee", reason="test", location="Dundee", signer_name="A Person")
    assert len(seen) >= 2 and seen[1] == seen[0] + 2  # two more bytes reserved for the signature
    assert not real(signed[len(unsigned):])
    copy = SignedDocument(certificate=signing.certificate_der("dundee"))
    from reports.services.documents import _signature_intact

    assert _signature_intact(signed, copy) == (True, "")
