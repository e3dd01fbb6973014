"""Signing with pyHanko (PAdES baseline, RSA 3072 with SHA-256 for new keys) with a board's key.

A board's signing certificate is a PKCS#12 file in ``IIA_SIGNING_DIR`` named
``<board slug>.p12``; its passphrase comes from the environment
(``IIA_SIGNING_PASSPHRASE_<SLUG>`` or ``IIA_SIGNING_PASSPHRASE``).

The key is RSA because the documents are PDF/A-2 and PDF/UA-1, both on PDF 1.7: for an
ECDSA key on the curves of ISO/TS 32002 (P-256 among them) or an EdDSA key, pyHanko
declares that extension, which belongs to PDF 2.0, and raises the document's /Version to
2.0. An older board key of those kinds still signs, with that result (logged), and every
document signed with one still verifies against the certificate stored with it.
"""

import asyncio
import concurrent.futures
import datetime
import functools
import io
import logging
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

from .tagging import SIGNATURE_FIELD

logger = logging.getLogger("iia.signing")

KEY_SIZE = 3072  # RSA: about the strength of P-256 (NIST SP 800-57)


class SigningNotConfigured(RuntimeError):
    pass


def signing_dir() -> Path:
    return Path(settings.IIA_SIGNING_DIR)


def p12_path(board_slug: str) -> Path:
    return signing_dir() / f"{board_slug}.p12"


def passphrase(board_slug: str) -> bytes:
    key = "IIA_SIGNING_PASSPHRASE_" + board_slug.upper().replace("-", "_")
    value = os.environ.get(key) or settings.IIA_SIGNING_PASSPHRASE
    if not value:
        raise SigningNotConfigured(f"Set {key} or IIA_SIGNING_PASSPHRASE to the signing key's passphrase.")
    return value.encode()


def make_self_signed(board_slug: str, board_name: str, *, years: int = 5, overwrite: bool = False) -> Path:
    """Create a local self-signed RSA certificate for demo and tests (an existing one is
    kept unless ``overwrite``)."""
    path = p12_path(board_slug)
    if path.exists() and not overwrite:
        return path
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, board_name[:64]),
        x509.NameAttribute(NameOID.COMMON_NAME, f"{board_name[:40]} document signing"),
    ])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        f"{board_slug} signing".encode(), key, cert, None,
        serialization.BestAvailableEncryption(passphrase(board_slug)),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_private(path, data)
    signer.cache_clear()
    return path


def _write_private(path: Path, data: bytes) -> None:
    """Write a key file readable by its owner only, whole or not at all: a process reading
    it meanwhile (another worker, the other half of the test suite) sees the old file or
    the new one, never half of one."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(data)
    os.replace(partial, path)


def install_certificate(board_slug: str, source: Path, *, overwrite: bool = False) -> Path:
    """Copy a board's PKCS#12 file (its key and certificate, from its certificate
    authority) into the signing directory as ``<slug>.p12``, having checked that it opens
    with the board's passphrase, holds an RSA key (see the module's docstring) and a
    certificate for that key that is valid now. Raises ``SigningNotConfigured`` saying why not."""
    path = p12_path(board_slug)
    if path.exists() and not overwrite:
        raise SigningNotConfigured(f"{path} exists already: the board has a signing certificate.")
    try:
        data = Path(source).read_bytes()
    except OSError as error:
        raise SigningNotConfigured(f"Could not read {source}: {error.strerror}.") from error
    try:
        key, certificate, _others = pkcs12.load_key_and_certificates(data, passphrase(board_slug))
    except ValueError as error:
        raise SigningNotConfigured(f"Could not open {source} as a PKCS#12 file with the board's passphrase "
                                   f"(wrong passphrase, or not a .p12 file?): {error}") from error
    if key is None or certificate is None:
        raise SigningNotConfigured(f"{source} holds no key and certificate.")
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SigningNotConfigured(f"{source} holds a {type(key).__name__.removeprefix('_')}: a new board's key is RSA "
                                   "(3072 bits), so its signed documents stay PDF/A-2.")
    if key.public_key().public_numbers() != certificate.public_key().public_numbers():
        raise SigningNotConfigured(f"{source}: the certificate is not for the key beside it.")
    now = datetime.datetime.now(datetime.UTC)
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        raise SigningNotConfigured(f"{source}: the certificate is valid from {certificate.not_valid_before_utc:%d %B %Y} "
                                   f"to {certificate.not_valid_after_utc:%d %B %Y}, not today.")
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_private(path, data)
    signer.cache_clear()
    return path


@functools.lru_cache(maxsize=16)
def signer(board_slug: str):
    """The board's pyHanko signer (pyHanko is imported only where documents are signed:
    a worker that only builds agenda packs never loads it)."""
    from .board_key import BoardKeySigner

    path = p12_path(board_slug)
    if not path.exists():
        raise SigningNotConfigured(
            f"No signing certificate for {board_slug} at {path}: run `manage.py make_signing_cert --board {board_slug}`."
        )
    try:
        key, certificate, others = pkcs12.load_key_and_certificates(path.read_bytes(), passphrase(board_slug))
    except ValueError as error:
        raise SigningNotConfigured(f"Could not open {path}: wrong passphrase? ({error})") from error
    if key is None or certificate is None:
        raise SigningNotConfigured(f"{path} holds no key and certificate.")
    if not isinstance(key, rsa.RSAPrivateKey):
        logger.warning("The signing key of %s is not RSA: pyHanko will declare PDF 2.0 (ISO/TS 32002) in its "
                       "documents, outside PDF/A-2. Replace it with an RSA key (make_signing_cert --force for a "
                       "demo key).", board_slug)
    return BoardKeySigner(key, certificate, others)


def key_is_rsa(board_slug: str) -> bool:
    """Whether the board's key signs within PDF 1.7 (see the module's docstring)."""
    return isinstance(signer(board_slug).key, rsa.RSAPrivateKey)


def certificate_der(board_slug: str) -> bytes:
    return signer(board_slug).signing_cert.dump()


def sign(pdf: bytes, *, board_slug: str, reason: str, location: str, signer_name: str) -> bytes:
    """Sign the PDF as an incremental update; add an RFC 3161 timestamp when
    ``IIA_TIMESTAMP_URL`` is set."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps

    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD, reason=reason, location=location, name=signer_name,
        md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
    )
    timestamper = None
    if settings.IIA_TIMESTAMP_URL:
        timestamper = timestamps.HTTPTimeStamper(settings.IIA_TIMESTAMP_URL)
    # A reservation worked out here spares pyHanko a trial signature to estimate the size,
    # in hex digits (two a byte): the certificates, then the signature value, signed
    # attributes and signer identifier (under 1.5 KB with RSA 4096), and a timestamp token
    # (under 6 KB).
    board = signer(board_slug)
    certificates = sum(len(c.dump()) for c in (board.signing_cert, *board.cert_registry))
    reserved = 2 * (certificates + 1536 + (6144 if timestamper else 0))
    pdf_signer = signers.PdfSigner(meta, signer=board, timestamper=timestamper)

    def attempt(extra: int) -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        # PDF/A-2 needs this patch of pyHanko 0.38.0 (requirements/base.txt): its metadata
        # sync re-serialises the XMP on every incremental write and turns the PDF/UA
        # extension schema (rdf:parseType="Resource", the form PDF/A validators accept)
        # into invalid RDF (pyHanko issue #755), and it has no public switch (its author
        # points to this override, issue #223). The document's XMP and Info are already
        # conformant and stay as rendered. Without it tests/reports/test_conformance.py
        # fails on every signed document.
        writer._update_meta = lambda: None
        # The tagged documents carry an invisible field for the signature, inside a /Form
        # element with an accessible name; an untagged one gets a new field.
        existing = "/AcroForm" in writer.root
        return outside_event_loop(lambda: pdf_signer.sign_pdf(
            writer, bytes_reserved=reserved + extra, existing_fields_only=existing).getvalue())

    # pyHanko compresses the update's cross-reference stream; when the compressed bytes end
    # in CR, validators read CR LF "endstream" as one end of line and count the stream one
    # byte short (PDF/A-2 rejects it; about one signature in 256). A different reservation
    # moves the offsets the stream lists, so its bytes change.
    for extra in range(0, 64, 2):
        signed = attempt(extra)
        if not ambiguous_stream_end(signed[len(pdf):]):
            return signed
    raise RuntimeError("Could not write a signature whose streams end unambiguously.")


def ambiguous_stream_end(data: bytes) -> bool:
    """A stream whose data ends with CR, before the writer's LF and "endstream"."""
    return b"\r\nendstream" in data


def outside_event_loop(work):
    """pyHanko runs its own asyncio loop, which cannot start inside a running one (an
    async view, or a test driving a browser): run it on a worker thread then."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()
