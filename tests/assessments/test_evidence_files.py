"""Evidence files: the type is read from the content, names are cleaned or refused, each file
records who, when, its size and SHA-256; only the board's officers attach files to an
assessment being written, a signed assessment's files are fixed, a withheld file has a reason."""

import hashlib

import pytest
from django.db import IntegrityError, transaction

from assessments.evidence_types import Refused, clean_name, detect
from assessments.exceptions import NotAllowed, RuleViolation
from assessments.models import AuditEvent, EvidenceFile, EvidencePart
from assessments.services import evidence as ev
from tests import evidence_samples as s
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(cast):
    """An assessment being written (its parts open to the officer)."""
    plan_change = f.screen(cast, f.start(cast, "Evening service review"))
    return f.current(plan_change)


def upload(assessment, by, name, content, part=EvidencePart.EVIDENCE, **kwargs):
    return ev.evidence_file_upload(by=by, upload=s.upload(name, content), part=part, assessment=assessment, **kwargs)


@pytest.mark.parametrize(("name", "content", "content_type"), [
    ("profile.pdf", s.PDF, "application/pdf"),
    ("map.png", s.PNG, "image/png"),
    ("photo.JPG", s.JPEG, "image/jpeg"),
    ("survey.csv", s.CSV, "text/csv"),
    ("report.docx", s.docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("figures.xlsx", s.xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("minutes.odt", s.odt(), "application/vnd.oasis.opendocument.text"),
])
def test_each_accepted_type_is_read_from_its_content(name, content, content_type):
    import io
    assert detect(io.BytesIO(content), name).content_type == content_type


@pytest.mark.parametrize(("name", "content", "says"), [
    ("setup.pdf", s.EXE, "not a file the product keeps"),          # a renamed .exe
    ("page.pdf", s.HTML, "not a file the product keeps"),           # HTML called .pdf
    ("page.csv", s.HTML, "not a file the product keeps"),           # HTML called .csv
    ("bomb.docx", s.zip_bomb(), "zip bomb"),
    ("empty.pdf", b"", "empty"),
    ("notes.txt", s.CSV, "not a file the product keeps"),           # text is CSV only when named so
    ("archive.docx", s._zip({"a.txt": b"hello"}), "not a document"),  # just PK is not enough
    ("report.pdf", s.docx(), "rename it to end “.docx”"),           # the name must agree
    ("binary.csv", b"a,b\n\x00\x01,2\n", "not a file the product keeps"),
])
def test_hostile_files_are_refused(name, content, says):
    import io
    with pytest.raises(Refused, match=says):
        detect(io.BytesIO(content), name)


@pytest.mark.parametrize(("raw", "says"), [
    ("../../etc/passwd.pdf", "path"),
    ("..\\..\\boot.pdf", "path"),
    ("evil\x00.pdf", "control"),
    ("line\nbreak.pdf", "control"),
    ("right\u202eto-left.pdf", "control"),   # the right-to-left override that disguises extensions
    ("a" * 496 + ".pdf", "500 characters"),
    (".pdf", "Give the file a name"),
])
def test_strange_names_are_refused(raw, says):
    with pytest.raises(Refused, match=says):
        clean_name(raw)


def test_names_are_cleaned():
    assert clean_name("  Locality   profile.pdf ") == "Locality profile.pdf"
    assert clean_name("Cafe\u0301.pdf") == "Caf\u00e9.pdf"


def test_an_upload_records_who_when_size_and_hash_and_is_audited(cast, written):
    record = upload(written, cast.officer, "SIMD profile.pdf", s.PDF)
    record.refresh_from_db()
    assert (record.name, record.content_type, record.size) == ("SIMD profile.pdf", "application/pdf", len(s.PDF))
    assert record.sha256 == hashlib.sha256(s.PDF).hexdigest()
    assert record.uploaded_by == cast.officer and record.uploaded_at is not None
    assert record.board_id == written.plan_change.board_id and record.published
    # stored under a random key, never the uploader's name
    assert "SIMD" not in record.file.name and record.file.name.endswith(".pdf")
    with record.file.open("rb") as stored:
        assert stored.read() == s.PDF
    event = AuditEvent.objects.get(action="evidence.upload")
    assert event.data["sha256"] == record.sha256 and event.assessment_id == written.pk


def test_a_refused_file_says_why_beside_the_field_and_stores_nothing(cast, written):
    with pytest.raises(RuleViolation) as refused:
        upload(written, cast.officer, "setup.pdf", s.EXE)
    assert list(refused.value.errors) == ["file"]
    assert not EvidenceFile.objects.exists() and not AuditEvent.objects.filter(action="evidence.upload").exists()


def test_too_large_is_refused(cast, written, settings):
    settings.IIA_EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(RuleViolation, match="upload files of 1 kB or less"):
        upload(written, cast.officer, "big.pdf", s.PDF + b"\n" * 2000)


def test_only_the_boards_officers_attach_files(cast, borders, written):
    for outsider in (cast.lead, cast.clerk, cast.senior, borders.officer):
        with pytest.raises(NotAllowed):
            upload(written, outsider, "profile.pdf", s.PDF)
    assert not EvidenceFile.objects.exists()


def test_withheld_needs_a_reason_and_the_database_agrees(cast, written):
    with pytest.raises(RuleViolation, match="withheld"):
        upload(written, cast.officer, "names.csv", s.CSV, published=False, withheld_reason="   ")
    record = upload(written, cast.officer, "names.csv", s.CSV, part=EvidencePart.CONSULTATION,
                    published=False, withheld_reason="Names of people consulted.")
    assert (record.published, record.withheld_reason) == (False, "Names of people consulted.")
    with transaction.atomic(), pytest.raises(IntegrityError):
        EvidenceFile.objects.filter(pk=record.pk).update(withheld_reason="")
    published = ev.evidence_file_publication(by=cast.lead, evidence_file=record, published=True)
    assert published.published and published.withheld_reason == ""


def test_a_signed_assessments_files_are_fixed(cast):
    plan_change = f.screen(cast, f.start(cast))
    assessment = f.complete_parts(cast, plan_change)
    record = upload(assessment, cast.officer, "profile.pdf", s.PDF)
    f.complete_actions(cast, plan_change)
    f.submit(cast, plan_change)
    f.approve(cast, plan_change)
    f.sign_off(cast, plan_change)
    with pytest.raises(NotAllowed, match="signed off"):
        ev.evidence_file_remove(by=cast.officer, evidence_file=record)
    with pytest.raises(NotAllowed, match="signed off"):
        upload(assessment, cast.officer, "another.pdf", s.PDF)
    with pytest.raises(NotAllowed):
        ev.evidence_file_publication(by=cast.lead, evidence_file=record, published=False, reason="Late thought.")
    assert EvidenceFile.objects.get(pk=record.pk).published


def test_removing_a_file_while_writing_deletes_it_after_commit(cast, written, committed):
    record = upload(written, cast.officer, "profile.pdf", s.PDF)
    storage, key = record.file.storage, record.file.name
    assert storage.exists(key)
    with pytest.raises(NotAllowed):
        ev.evidence_file_remove(by=cast.lead, evidence_file=record)
    committed(ev.evidence_file_remove, by=cast.officer2, evidence_file=record)
    assert not EvidenceFile.objects.exists() and not storage.exists(key)
    assert AuditEvent.objects.filter(action="evidence.remove").count() == 1


def test_an_archive_of_too_many_parts_is_refused_from_its_end_record_not_read_whole():
    """A 25 MB upload can hold 250,000 empty parts: reading its whole directory took 3 s and
    130 MB a request. The count and size the archive's end record gives are checked first."""
    import io
    import tracemalloc
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
        for i in range(20000):
            archive.writestr(zipfile.ZipInfo(f"p{i}"), b"")
    upload = io.BytesIO(buffer.getvalue())
    tracemalloc.start()
    try:
        with pytest.raises(Refused, match="too many parts"):
            detect(upload, "many.docx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000, f"{peak} bytes to refuse it"


def test_a_csv_of_the_largest_size_is_checked_in_well_under_a_second():
    """Every character of a CSV is checked for control characters: character by character in
    Python that was 2 s of a worker for a 25 MB upload; a control character at its very end is
    still found."""
    import io
    import time

    rows = b"a,b,c,d,e,f,g,h,i,j\n" * (25 * 1024 * 1024 // 20)
    started = time.perf_counter()
    assert detect(io.BytesIO(rows), "survey.csv").code == "csv"
    assert time.perf_counter() - started < 1.0
    with pytest.raises(Refused):
        detect(io.BytesIO(rows + b"\x1b[2J"), "survey.csv")


def test_a_file_one_byte_over_says_it_is_over():
    """25 MB + 1 byte was refused as "The file is 25.0 MB: upload files of 25 MB or less";
    a limit under 1 MB read "0 MB". The file's size is rounded up, the limit shown as it is."""
    limit = 25 * 1024 * 1024
    assert ev.size_text(limit) == "25 MB" and ev.size_text(limit + 1, up=True) == "25.1 MB"
    assert ev.size_text(1024) == "1 kB" and ev.size_text(2008, up=True) == "2 kB"
    assert ev.size_text(1500) == "1.5 kB" and ev.size_text(100) == "100 bytes"


def test_too_large_names_both_sizes(cast, written, settings):
    settings.IIA_EVIDENCE_MAX_BYTES = 1024 * 1024
    with pytest.raises(RuleViolation, match=r"The file is 1.1 MB: upload files of 1 MB or less"):
        upload(written, cast.officer, "big.pdf", s.PDF + b"\n" * (1024 * 1024 + 1 - len(s.PDF)))


def test_an_html_page_called_csv_is_refused_after_any_amount_of_blank_lines():
    """The check for markup read only the first 64 kB: blank lines to fill them hid a page."""
    import io

    page = b"\r\n" * 40000 + b"<html><script>alert(document.domain)</script></html>\n"
    with pytest.raises(Refused):
        detect(io.BytesIO(page), "survey.csv")
    assert detect(io.BytesIO(b"\n" * 70000 + b"a,b\n1,<2\n"), "survey.csv").code == "csv"


def _odt_altered(at: bytes, offset: int, value: bytes) -> bytes:
    data = bytearray(s.odt())
    where = data.find(at) + offset
    data[where:where + len(value)] = value
    return bytes(data)


@pytest.mark.parametrize("content", [
    _odt_altered(b"application/vnd.oasis", 0, b"A"),             # its checksum does not match
    _odt_altered(b"PK\x01\x02", 10, (99).to_bytes(2, "little")),  # a compression Python does not read
    _odt_altered(b"PK\x01\x02", 42, (10**6).to_bytes(4, "little")),  # a part past the end
    _odt_altered(b"PK\x01\x02", 6, (183).to_bytes(2, "little")),  # a zip version Python does not read
], ids=["crc", "method", "offset", "version"])
def test_a_damaged_document_is_refused_not_an_error(content):
    """An ODT's first part is read to know its type: a damaged one raised BadZipFile or
    NotImplementedError out of the check (a server error for the upload)."""
    import io

    with pytest.raises(Refused, match="damaged"):
        detect(io.BytesIO(content), "report.odt")
