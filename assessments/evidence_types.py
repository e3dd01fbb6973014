"""What an evidence file is, read from its content, never from its name: the first bytes
(the signature of each format), and for the formats that are zip archives (DOCX, XLSX, ODT)
the archive's own listing, checked for the parts that make the format and for a size that
would be a zip bomb once unpacked. Pure Python: no libmagic (docs/adr/0025-evidence-files.md).
A CSV has no signature: it is plain UTF-8 text with no control characters but tabs and line
ends, and the one type whose name must say so (``.csv``).

Every function reads a file object opened in binary, from where it is to at most a few
kilobytes, or through the archive's central directory: never the whole file into memory."""

import codecs
import lzma
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

# an archive that would unpack to more than this, or with more entries, is refused
ZIP_MAX_UNPACKED = 200 * 1024 * 1024
ZIP_MAX_ENTRIES = 5000
ZIP_MAX_RATIO = 200  # unpacked size over packed size, entry by entry
ZIP_MAX_DIRECTORY = ZIP_MAX_ENTRIES * 400  # bytes of the central directory (46 a part, and its name)
NAME_MAX_CHARS = 150
DAMAGED = "The file looks like an Office document but is damaged: it cannot be opened."
CSV_CHUNK = 64 * 1024
# control characters but tab, line feed and carriage return (bytes below 0x80 are never part
# of a longer UTF-8 character, so the bytes are checked, at C speed)
CONTROL_BYTES = bytes(range(0, 9)) + b"\x0b\x0c" + bytes(range(14, 32)) + b"\x7f"


@dataclass(frozen=True)
class EvidenceType:
    code: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = EvidenceType("pdf", "PDF", "application/pdf", (".pdf",))
DOCX = EvidenceType("docx", "Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    (".docx",))
XLSX = EvidenceType("xlsx", "Excel workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    (".xlsx",))
ODT = EvidenceType("odt", "OpenDocument text", "application/vnd.oasis.opendocument.text", (".odt",))
CSV = EvidenceType("csv", "CSV", "text/csv", (".csv",))
PNG = EvidenceType("png", "PNG image", "image/png", (".png",))
JPEG = EvidenceType("jpeg", "JPEG image", "image/jpeg", (".jpg", ".jpeg"))
TYPES = (PDF, DOCX, XLSX, ODT, CSV, PNG, JPEG)
BY_CONTENT_TYPE = {t.content_type: t for t in TYPES}
ACCEPTED = "PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT), CSV, PNG or JPEG"


class Refused(ValueError):
    """The file or its name is not one the product keeps; the message says why, to the person."""


def clean_name(raw: str) -> str:
    """The original name as kept and shown: NFC, runs of spaces made one, trimmed. A name with
    a path in it, a control or format character, no name before its extension, or more than
    ``NAME_MAX_CHARS`` characters is refused, not guessed at."""
    name = unicodedata.normalize("NFC", raw or "")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in name):
        raise Refused("The file's name has control characters in it: rename the file and upload it again.")
    if "/" in name or "\\" in name or name.strip() in (".", ".."):
        raise Refused("Give the file a plain name, without a folder or path.")
    name = " ".join(name.split())
    if len(name) > NAME_MAX_CHARS:
        raise Refused(f"The file's name is {len(name)} characters long: shorten it to {NAME_MAX_CHARS} or fewer.")
    stem = name.rsplit(".", 1)[0].strip(" .")
    if not stem:
        raise Refused("Give the file a name.")
    return name


def _zip_type(fileobj) -> EvidenceType:
    # the end record says how many parts and how large a directory the archive has: refused
    # from it, before the directory is read (250,000 empty parts fit in 25 MB: 3 s, 130 MB).
    # zipfile reads the directory by its size, whatever count it gives, so both are checked.
    try:
        end = zipfile._EndRecData(fileobj)
    except OSError:
        end = None
    if end is None:
        raise Refused(DAMAGED)
    if end[zipfile._ECD_ENTRIES_TOTAL] > ZIP_MAX_ENTRIES or end[zipfile._ECD_SIZE] > ZIP_MAX_DIRECTORY:
        raise Refused("The document holds too many parts to be a real document.")
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError) as error:
        raise Refused(DAMAGED) from error
    with archive:
        entries = archive.infolist()
        if len(entries) > ZIP_MAX_ENTRIES:
            raise Refused("The document holds too many parts to be a real document.")
        unpacked = 0
        for entry in entries:
            if entry.flag_bits & 0x1:
                raise Refused("The document is password-protected: upload it without the password.")
            unpacked += entry.file_size
            if entry.compress_size and entry.file_size / entry.compress_size > ZIP_MAX_RATIO and entry.file_size > 1024 * 1024:
                raise Refused("The document unpacks to far more than its size: it is refused as a zip bomb.")
        if unpacked > ZIP_MAX_UNPACKED:
            raise Refused("The document unpacks to far more than its size: it is refused as a zip bomb.")
        names = {entry.filename for entry in entries}
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return XLSX
        # ODF: the first entry is "mimetype", stored uncompressed, naming the type
        if entries and entries[0].filename == "mimetype" and "content.xml" in names and entries[0].file_size < 100:
            try:
                mimetype = archive.read("mimetype")
            except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, ValueError, RuntimeError,
                    zlib.error, lzma.LZMAError) as error:  # a bad checksum, method or offset
                raise Refused(DAMAGED) from error
            if mimetype == ODT.content_type.encode():
                return ODT
    raise Refused(f"This archive is not a document the product keeps: upload a {ACCEPTED} file.")


def _is_csv(fileobj) -> bool:
    """UTF-8 text (a byte order mark allowed) without NUL or control characters but tab,
    carriage return and line feed, read a chunk at a time; and not markup."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    first = True
    while chunk := fileobj.read(CSV_CHUNK):
        if len(chunk.translate(None, CONTROL_BYTES)) != len(chunk):
            return False
        try:
            text = decoder.decode(chunk)
        except UnicodeDecodeError:
            return False
        if first:  # until the first character that is not blank
            head = text.lstrip("\ufeff \t\r\n")
            if head.startswith("<"):
                return False
            first = not head
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect(fileobj, name: str) -> EvidenceType:
    """The file's type from its content; ``Refused`` (with the reason) for any other file,
    an empty one, or one whose name's extension says another type."""
    fileobj.seek(0)
    head = fileobj.read(8)
    if not head:
        raise Refused("The file is empty.")
    if head.startswith(b"%PDF-"):
        found = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif head.startswith(b"PK\x03\x04"):
        fileobj.seek(0)
        found = _zip_type(fileobj)
    else:
        fileobj.seek(0)
        if not (PurePosixPath(name).suffix.lower() == ".csv" and _is_csv(fileobj)):
            raise Refused(f"This is not a file the product keeps: upload a {ACCEPTED} file.")
        found = CSV
    fileobj.seek(0)
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in found.extensions:
        raise Refused(f"The file is a {found.label} but its name ends “{suffix or '(nothing)'}”: "
                      f"rename it to end “{found.extensions[0]}” if it is what you meant to upload.")
    return found
