"""The CMS container of a PAdES signature, assembled from DER parts cached per key.

pyHanko builds every signature's CMS ``SignedData`` through asn1crypto objects: about
17 ms a signature here, most of the time spent re-encoding the certificate and the
constant parts of the ``SignerInfo``. For a PAdES baseline-B signature without a
timestamp, only two values change from one document to the next: the ``messageDigest``
attribute and the signature value. ``PadesSigner`` asks pyHanko for one signature (its
template), checks that it can rebuild that template byte for byte from its parts, and
from then on writes the container from the cached parts. Anything else (a timestamp,
other signed attributes, a dry run) goes through pyHanko's own code.
"""

import functools

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pyhanko.sign.signers.pdf_cms import SimpleSigner

# DER of the OIDs the fast path writes itself
OID_SIGNED_DATA = bytes.fromhex("06092a864886f70d010702")  # 1.2.840.113549.1.7.2
OID_MESSAGE_DIGEST = bytes.fromhex("06092a864886f70d010904")  # 1.2.840.113549.1.9.4
ATTRIBUTES = ("content_type", "message_digest", "signing_certificate_v2")


def der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + der_length(len(content)) + content


class Template:
    """The constant DER parts of one key's signatures, taken from a signature pyHanko made."""

    def __init__(self, der: bytes):
        from asn1crypto import cms

        info = cms.ContentInfo.load(der)
        signed_data = info["content"]
        signer_info = signed_data["signer_infos"][0]
        attrs = signer_info["signed_attrs"]
        if (len(signed_data["signer_infos"]) != 1 or signer_info["unsigned_attrs"].native is not None
                or signed_data["crls"].native is not None
                or tuple(a["type"].native for a in attrs) != ATTRIBUTES):
            raise ValueError("not a plain PAdES baseline-B container")
        self.head = b"".join(signed_data[k].dump() for k in ("version", "digest_algorithms", "encap_content_info",
                                                              "certificates"))
        self.signer_head = b"".join(signer_info[k].dump() for k in ("version", "sid", "digest_algorithm"))
        self.signature_algorithm = signer_info["signature_algorithm"].dump()
        self.fixed_attrs = [attrs[0].dump(), attrs[2].dump()]
        # the template must come back byte for byte from its parts, or the fast path is off
        digest = attrs[1]["values"][0].native
        if self.container(digest, signer_info["signature"].native) != der:
            raise ValueError("the container does not rebuild from its parts")

    def signed_attrs(self, digest: bytes) -> bytes:
        """The content of the signed attributes (a DER SET OF, sorted by encoding)."""
        message_digest = tlv(0x30, OID_MESSAGE_DIGEST + tlv(0x31, tlv(0x04, digest)))
        return b"".join(sorted([*self.fixed_attrs, message_digest]))

    def container(self, digest: bytes, signature: bytes) -> bytes:
        signer_info = tlv(0x30, self.signer_head + tlv(0xA0, self.signed_attrs(digest)) + self.signature_algorithm
                          + tlv(0x04, signature))
        signed_data = tlv(0x30, self.head + tlv(0x31, signer_info))
        return tlv(0x30, OID_SIGNED_DATA + tlv(0xA0, signed_data))


@functools.cache
def container_class():
    from asn1crypto import cms

    class Container(cms.ContentInfo):
        """A parsed container that dumps as the bytes it was read from. asn1crypto takes
        any header ending in 0x80 for an indefinite length and re-encodes the whole
        value: a long-form length such as 0x0480 (a container with a 72-byte ECDSA
        signature: about one in four) cost 160 ms for the same bytes."""

        def dump(self, force=False):
            if force or self._header is None:
                return super().dump(force)
            return self._header + self.contents + self._trailer

    return Container


class PadesSigner(SimpleSigner):
    """pyHanko's SimpleSigner for an ECDSA key, writing plain PAdES containers from cached
    DER parts (see the module's docstring)."""

    template: Template | None = None
    fast = True

    @classmethod
    def from_signer(cls, signer: SimpleSigner) -> "PadesSigner":
        result = cls(signing_cert=signer.signing_cert, signing_key=signer.signing_key, cert_registry=signer.cert_registry)
        key = serialization.load_der_private_key(signer.signing_key.dump(), password=None)
        result.fast = isinstance(key, ec.EllipticCurvePrivateKey)
        result._key = key
        return result

    async def async_sign(self, data_digest: bytes, digest_algorithm: str, dry_run=False, use_pades=False,
                         timestamper=None, signed_attr_settings=None, is_pdf_sig=True, encap_content_info=None):
        plain = (self.fast and not dry_run and use_pades and timestamper is None and is_pdf_sig
                 and encap_content_info is None and digest_algorithm.lower() == "sha256")
        if plain and self.template is not None:
            tbs = tlv(0x31, self.template.signed_attrs(data_digest))
            signature = self._key.sign(tbs, ec.ECDSA(hashes.SHA256()))
            return container_class().load(self.template.container(data_digest, signature))
        result = await super().async_sign(
            data_digest, digest_algorithm, dry_run=dry_run, use_pades=use_pades, timestamper=timestamper,
            signed_attr_settings=signed_attr_settings, is_pdf_sig=is_pdf_sig, encap_content_info=encap_content_info)
        if plain:
            try:
                self.template = Template(result.dump())
            except ValueError:
                self.fast = False
        return result
