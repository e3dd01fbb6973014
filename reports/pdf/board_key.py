"""A board's signing key behind pyHanko's ``Signer`` interface (pyHanko's documented way
to keep a key somewhere other than in its ``SimpleSigner``).

The key is loaded once, when the signer is made: ``SimpleSigner`` loads it from DER again
for every signature, and cryptography's checks of an RSA 3072 key make that cost about
0.3 s a document.
"""

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore


def _asn1(certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


class BoardKeySigner(Signer):
    """Signs with an RSA key (PKCS #1 v1.5, the mechanism pyHanko chooses for an RSA
    certificate) or, for an older board key, ECDSA."""

    def __init__(self, key, certificate, others=()):
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise SigningError(f"A {type(key).__name__} cannot sign here: use an RSA key.")
        signing_cert = _asn1(certificate)
        super().__init__(signing_cert=signing_cert,
                         cert_registry=SimpleCertificateStore.from_certs(map(_asn1, others)))
        self.key = key

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        digest = getattr(hashes, digest_algorithm.upper())()  # "sha256": hashes.SHA256()
        if isinstance(self.key, rsa.RSAPrivateKey):
            return self.key.sign(data, padding.PKCS1v15(), digest)
        return self.key.sign(data, ec.ECDSA(digest))
