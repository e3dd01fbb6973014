"""Signing keeps the documents on PDF 1.7 (PDF/A-2 and PDF/UA-1 are both PDF 1.7
standards): new keys are RSA, and a key of an older kind still signs and verifies."""

import datetime
import io

import pikepdf
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.management import call_command
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from reports import services
from reports.models import SignedDocument
from reports.pdf import signing

from .helpers import signed_off

pytestmark = pytest.mark.django_db


def versions(data: bytes) -> tuple[str, str | None, dict]:
    """The header's version, the catalog's /Version and the /Extensions prefixes with their base versions."""
    pdf = pikepdf.open(io.BytesIO(data))
    version = pdf.Root.get("/Version")
    extensions = {}
    for prefix, value in dict(pdf.Root.get("/Extensions", {})).items():
        entries = value if isinstance(value, pikepdf.Array) else [value]
        extensions[prefix] = [str(entry.BaseVersion) for entry in entries]
    return data[5:8].decode(), None if version is None else str(version), extensions


def test_a_signed_document_stays_on_pdf_1_7_and_verifies(cast, committed, tmp_path):
    document = SignedDocument.objects.get(assessment=committed(signed_off, cast))
    data = bytes(document.pdf)
    header, catalog, extensions = versions(data)
    assert header <= "1.7" and catalog in (None, "/1.7")
    # PAdES on PDF 1.7 declares ETSI's ESIC extension; nothing of PDF 2.0 (ISO/TS 32002)
    assert extensions == {"/ESIC": ["/1.7"]}
    assert signing.signer("dundee").signing_cert.public_key.algorithm == "rsa"
    embedded = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[signing.signer("dundee").signing_cert]))
    assert status.intact and status.valid and status.coverage.name == "ENTIRE_FILE"
    assert status.md_algorithm == "sha256" and status.pkcs7_signature_mechanism == "sha256_rsa"
    assert services.document_verify(data).genuine
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    call_command("verify_pdf", str(path), stdout=io.StringIO())  # exits 0 for a genuine file


def ecdsa_p12(path, passphrase: bytes) -> None:
    """A board key of the kind made before RSA: ECDSA P-256, self-signed."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Dundee document signing")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"dundee", key, cert, None, serialization.BestAvailableEncryption(passphrase)))


def test_an_older_ecdsa_key_still_signs_and_its_documents_verify_after_the_key_is_replaced(
        cast, committed, settings, tmp_path, caplog):
    settings.IIA_SIGNING_DIR = str(tmp_path)
    ecdsa_p12(signing.p12_path("dundee"), signing.passphrase("dundee"))
    signing.signer.cache_clear()
    try:
        assert not signing.key_is_rsa("dundee")
        assert "is not RSA" in caplog.text
        old = SignedDocument.objects.get(assessment=committed(signed_off, cast))
        assert old.status == "ready"
        # pyHanko's choice for ECDSA P-256, and why new keys are RSA
        assert versions(bytes(old.pdf))[1] == "/2.0"
        signing.make_self_signed("dundee", "Dundee City Integration Joint Board", overwrite=True)
        assert signing.key_is_rsa("dundee")
        assert services.document_verify(bytes(old.pdf)).genuine  # checked against the certificate kept with it
    finally:
        signing.signer.cache_clear()


def test_make_signing_cert_names_a_key_of_the_older_kind(settings, tmp_path):
    settings.IIA_SIGNING_DIR = str(tmp_path)
    ecdsa_p12(signing.p12_path("dundee"), signing.passphrase("dundee"))
    signing.signer.cache_clear()
    try:
        out = io.StringIO()
        call_command("make_signing_cert", board="dundee", stdout=out)
        assert "Kept the existing" in out.getvalue() and "not RSA" in out.getvalue()
        out = io.StringIO()
        call_command("make_signing_cert", board="dundee", force=True, stdout=out)
        assert "Created a" in out.getvalue() and "not RSA" not in out.getvalue()
        assert signing.key_is_rsa("dundee")
    finally:
        signing.signer.cache_clear()


def test_a_new_key_file_is_written_whole_and_private(settings, tmp_path):
    """Another process may read the key while it is made: it is written beside and moved
    into place, so no reader sees half a file, and it is the owner's alone from the start."""
    settings.IIA_SIGNING_DIR = str(tmp_path)
    path = signing.p12_path("dundee")
    ecdsa_p12(path, signing.passphrase("dundee"))
    before = path.stat().st_ino
    try:
        signing.make_self_signed("dundee", "Dundee City Integration Joint Board", overwrite=True)
        assert path.stat().st_ino != before  # a new file moved over the old, not the old rewritten
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        assert [p.name for p in tmp_path.iterdir()] == ["dundee.p12"]
        assert signing.key_is_rsa("dundee")
    finally:
        signing.signer.cache_clear()
