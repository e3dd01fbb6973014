"""Cleaning user text before it is stored."""

_CONTROLS = {c: None for c in range(0x20) if c not in (0x09, 0x0A)} | {0x7F: None}


def clean_text(value: str | None) -> str:
    """Strip surrounding space, normalise line endings and drop control characters (NUL
    among them, which PostgreSQL cannot store); every other character is kept."""
    if not value:
        return ""
    return value.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROLS).strip()
