"""What clean_text keeps and drops, for any string."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from assessments.text import clean_text

BIDI_CONTROLS = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}


@given(st.text())
def test_no_control_or_bidi_override_survives(value):
    cleaned = clean_text(value)
    assert "\x00" not in cleaned and "\r" not in cleaned
    assert not any(unicodedata.category(c) == "Cc" and c not in "\t\n" for c in cleaned)
    assert not BIDI_CONTROLS & set(cleaned)
    assert cleaned == cleaned.strip()
    assert clean_text(cleaned) == cleaned


def test_right_to_left_text_and_marks_are_kept():
    urdu = "\u0688\u0646\u0688\u06cc \u200f(Dundee)"
    assert clean_text(urdu) == urdu
    assert clean_text("Line one\r\nLine two\u202e owt") == "Line one\nLine two owt"


def test_a_text_of_nothing_but_invisible_characters_is_empty():
    assert clean_text("\u200b") == ""
    assert clean_text(" \u200b\ufeff \u2060\u00ad\n\u200c\u200d ") == ""
    assert clean_text("\u200bReason\u200b ") == "Reason"
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # joined inside a text: kept
    assert clean_text(f" {family} ") == family
