"""Cleaning user text before it is stored."""

# C0 controls except tab and newline, DEL, and the C1 controls.
_CONTROLS = {c: None for c in range(0x20) if c not in (0x09, 0x0A)} | {c: None for c in range(0x7F, 0xA0)}
# Explicit bidirectional embeddings, overrides and isolates: they can make published text
# read differently from what was stored ("Trojan Source"). Right-to-left scripts display
# correctly without them; the left-to-right and right-to-left marks (U+200E, U+200F) are kept.
_BIDI_CONTROLS = {c: None for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_DROP = _CONTROLS | _BIDI_CONTROLS
# Characters that show nothing (zero-width space, joiners, word joiner, byte order mark, soft
# hyphen): stripped from the ends like white space, so that a text of nothing else counts as
# empty and a required field is not "answered" by a blank.
_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"


def clean_text(value: str | None) -> str:
    """Strip surrounding space, normalise line endings and drop control characters (NUL
    among them, which PostgreSQL cannot store) and bidirectional overrides; every other
    character is kept, except invisible ones at either end: a text of nothing but white space
    and invisible characters is empty."""
    if not value:
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n").translate(_DROP)
    while text != (stripped := text.strip().strip(_INVISIBLE)):
        text = stripped
    return text


def clean_line(value: str | None) -> str:
    """One line of text (a title, a name, a reference, an email subject): ``clean_text``,
    then every run of white space, line breaks included, becomes one space. A line break
    in a title would otherwise reach an email's subject, which Django refuses to send."""
    return " ".join(clean_text(value).split())


# The largest id a column holds (PostgreSQL's bigint, SQLite's integer).
MAX_ID = 2**63 - 1


def whole_number(value: str | None, *, at_most: int = MAX_ID) -> int | None:
    """``value`` as a whole number from 0 to ``at_most`` written in ASCII digits, or None.
    (``str.isdigit`` also passes "²", which ``int`` refuses, and ``int`` refuses more than
    4,300 digits: both are 500s waiting for a query string.)"""
    if not value or not (value.isascii() and value.isdigit()) or len(value) > len(str(at_most)):
        return None
    number = int(value)
    return number if number <= at_most else None


def long_date(day) -> str:
    """"7 March 2027", on every platform (``%-d`` is glibc's)."""
    return f"{day.day} {day:%B %Y}"
