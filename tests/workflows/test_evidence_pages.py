"""The evidence file pages: an officer uploads through the page (beyond the 5 MB limit of
every other page, streamed to disk), a refused file is named beside the field, downloads go
to the board's members only, as attachments the browser does not sniff."""

import hashlib

import pytest
from django.urls import reverse

from assessments.models import EvidenceFile, EvidencePart
from assessments.services import evidence as ev
from tests import evidence_samples as s
from tests import factories as f
from tests.assessments.test_monitoring import signed_with_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(cast):
    return f.current(f.screen(cast, f.start(cast, "Evening service review")))


def post_file(client, url, name, content, **fields):
    data = {"file": s.upload(name, content), "part": "evidence", "publication": "publish", "withheld_reason": "",
            **fields}
    return client.post(url, data)


def test_an_officer_uploads_a_file_larger_than_other_pages_take(client, cast, written, settings):
    client.force_login(cast.officer)
    url = reverse("assessment_files", args=[written.pk])
    assert client.get(url).status_code == 200
    content = s.PDF + b"%" * (6 * 1024 * 1024)  # more than IIA_MAX_UPLOAD_BYTES (5 MB)
    assert len(content) > settings.IIA_MAX_UPLOAD_BYTES
    task_page = "/somewhere/else/"
    response = post_file(client, url, "Locality profile.pdf", content, next=task_page)
    assert response.status_code == 302 and response["Location"] == task_page
    record = EvidenceFile.objects.get()
    assert record.sha256 == hashlib.sha256(content).hexdigest() and record.size == len(content)
    assert record.part == EvidencePart.EVIDENCE and record.uploaded_by == cast.officer
    page = client.get(url).content.decode()
    assert "Locality profile.pdf" in page and record.sha256 in page


def test_the_same_body_is_refused_on_any_other_page(client, cast):
    client.force_login(cast.officer)
    big = s.PDF + b"%" * (6 * 1024 * 1024)
    response = client.post(reverse("verify"), {"file": s.upload("x.pdf", big)})
    assert response.status_code == 413


def test_a_body_over_the_evidence_limit_is_refused_before_it_is_read(client, cast, written):
    client.force_login(cast.officer)
    response = client.post(reverse("assessment_files", args=[written.pk]), data=b"x", content_type="text/plain",
                           CONTENT_LENGTH=str(26 * 1024 * 1024 + 100 * 1024))
    assert response.status_code == 413 and b"at most 25 MB" in response.content


@pytest.mark.parametrize(("name", "content", "says"), [
    ("setup.pdf", s.EXE, "not a file the product keeps"),
    ("page.pdf", s.HTML, "not a file the product keeps"),
    ("bomb.docx", s.zip_bomb(), "zip bomb"),
    ("empty.pdf", b"", "empty"),
    ("a" * 300 + ".pdf", s.PDF, "characters long"),
])
def test_a_refused_file_is_named_beside_the_field(client, cast, written, name, content, says):
    client.force_login(cast.officer)
    response = post_file(client, reverse("assessment_files", args=[written.pk]), name, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="field-file"' in page and "field-error" in page and says in page.replace("&#x27;", "'")
    assert not EvidenceFile.objects.exists()


def test_too_large_is_said_beside_the_field(client, cast, written, settings):
    settings.IIA_EVIDENCE_MAX_BYTES = 1024 * 1024
    client.force_login(cast.officer)
    response = post_file(client, reverse("assessment_files", args=[written.pk]), "big.pdf",
                         s.PDF + b"%" * (1024 * 1024))
    assert "upload files of 1 MB or less" in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_downloads_are_for_the_boards_members_only(client, cast, borders, written):
    record = ev.evidence_file_upload(by=cast.officer, upload=s.upload("names.csv", s.CSV),
                                     part=EvidencePart.CONSULTATION, assessment=written, published=False,
                                     withheld_reason="Names of the people consulted.")
    url = reverse("evidence_file_download", args=[record.pk])
    client.force_login(cast.clerk)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == s.CSV
    assert response["Content-Disposition"] == 'attachment; filename="names.csv"'
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Type"] == "text/csv"
    assert "sandbox" in response["Content-Security-Policy"]
    client.force_login(borders.lead)
    assert client.get(url).status_code == 404
    assert client.get(reverse("assessment_files", args=[written.pk])).status_code == 404
    assert post_file(client, reverse("assessment_files", args=[written.pk]), "x.pdf", s.PDF).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to sign in


def test_who_may_attach_publish_and_remove(client, cast, written):
    url = reverse("assessment_files", args=[written.pk])
    client.force_login(cast.lead)
    assert post_file(client, url, "x.pdf", s.PDF).status_code == 403
    client.force_login(cast.officer)
    post_file(client, url, "profile.pdf", s.PDF)
    record = EvidenceFile.objects.get()
    client.force_login(cast.lead)
    response = client.post(reverse("evidence_file_publication", args=[record.pk]),
                           {"publication": "withhold", "withheld_reason": "Draft figures."})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.published, record.withheld_reason) == (False, "Draft figures.")
    assert client.post(reverse("evidence_file_remove", args=[record.pk])).status_code == 403
    client.force_login(cast.officer)
    assert client.post(reverse("evidence_file_remove", args=[record.pk])).status_code == 302
    assert not EvidenceFile.objects.exists()


def test_the_evidence_task_page_lists_the_files_and_offers_the_upload(client, cast, written):
    from viewflow.workflow.status import STATUS

    from tests.workflows.http import assign_url, execute_url, part_tasks
    from workflows.flows import IIAFlow

    ev.evidence_file_upload(by=cast.officer, upload=s.upload("profile.pdf", s.PDF), part=EvidencePart.EVIDENCE,
                            assessment=written)
    task = part_tasks(written.plan_change, IIAFlow.complete_part)["evidence"]
    client.force_login(cast.officer)
    if task.status == STATUS.NEW:
        client.post(assign_url(task))
    page = client.get(execute_url(task)).content.decode()
    assert "profile.pdf" in page and 'enctype="multipart/form-data"' in page
    assert reverse("assessment_files", args=[written.pk]) in page


def test_a_file_is_recorded_with_a_mitigating_actions_progress(client, cast):
    _, action = signed_with_action(cast)
    client.force_login(cast.officer)
    url = reverse("action_progress_files", args=[action.pk])
    response = client.post(url, {"file": s.upload("minutes.odt", s.odt()), "publication": "publish",
                                 "withheld_reason": ""})
    assert response.status_code == 302
    record = EvidenceFile.objects.get()
    assert (record.part, record.action_id, record.assessment_id) == (EvidencePart.PROGRESS, action.pk, None)
    page = client.get(reverse("action_progress", args=[action.pk])).content.decode()
    assert "minutes.odt" in page and record.sha256 in page
    response = client.post(url, {"file": s.upload("setup.pdf", s.EXE), "publication": "publish"})
    assert response.status_code == 200 and "not a file the product keeps" in response.content.decode()
    client.force_login(cast.clerk)
    assert client.post(url, {"file": s.upload("m.pdf", s.PDF), "publication": "publish"}).status_code == 403


def test_only_the_upload_pages_stream_to_disk_and_hash(rf):
    from django.http import HttpResponse

    from assessments.evidence_http import HashingUploadHandler
    from iia.middleware import RequestSizeMiddleware

    middleware = RequestSizeMiddleware(lambda request: HttpResponse())
    upload = rf.post(reverse("assessment_files", args=[1]), {})
    progress = rf.post(reverse("action_progress_files", args=[1]), {})
    library = rf.post(reverse("evidence_library", args=["dundee"]), {})
    other = rf.post(reverse("verify"), {})
    for request in (upload, progress, library, other):
        middleware(request)
    for request in (upload, progress, library):
        assert [type(handler) for handler in request.upload_handlers] == [HashingUploadHandler]
    assert HashingUploadHandler not in [type(handler) for handler in other.upload_handlers]
    big = rf.post(reverse("verify"), {}, CONTENT_LENGTH=str(6 * 1024 * 1024 + 100 * 1024))
    assert middleware(big).status_code == 413


def test_a_reason_the_browser_let_through_is_kept_with_its_line_breaks(client, cast, written):
    """The text box takes 1,000 characters counting a line break as one; the browser sends each
    as two (CR LF). A reason of 1,000 characters over 100 lines was refused as "Choose whether to
    publish or withhold the file", and what was typed lost; at upload, it was refused too."""
    reason = "\r\n".join(["Names a carer."[:9]] * 100)  # 100 lines of 9: 999 characters as typed
    assert len(reason.replace("\r\n", "\n")) <= 1000 < len(reason)
    client.force_login(cast.officer)
    url = reverse("assessment_files", args=[written.pk])
    assert post_file(client, url, "minutes.pdf", s.PDF, publication="withhold", withheld_reason=reason).status_code == 302
    record = EvidenceFile.objects.get()
    assert record.withheld_reason == reason.replace("\r\n", "\n")
    ev.evidence_file_publication(by=cast.officer, evidence_file=record, published=True)
    response = client.post(reverse("evidence_file_publication", args=[record.pk]),
                           {"publication": "withhold", "withheld_reason": reason})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.published, record.withheld_reason) == (False, reason.replace("\r\n", "\n"))
    # shown as typed, line by line (a span whose white space is kept), on the files page
    page = client.get(url).content.decode()
    assert f'Withheld: <span class="pre">{reason.replace(chr(13) + chr(10), chr(10))}</span>' in page
    # too long even so: said as too long, not as a missing choice
    response = client.post(reverse("evidence_file_publication", args=[record.pk]),
                           {"publication": "publish", "withheld_reason": "x" * 3000}, follow=True)
    assert "at most 1000 characters (it has 3000)" in response.content.decode()
    response = client.post(reverse("evidence_file_publication", args=[record.pk]), {}, follow=True)
    assert "Choose whether to publish or withhold the file." in response.content.decode()
