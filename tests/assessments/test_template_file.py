"""import_template and export_template: the template file format of docs/new-board.md,
its errors named by line, --dry-run, limits against hostile files, and the round trip."""

import io
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.models import AuditEvent, Question, Role, Row, Section, Template
from assessments.template_file import MOST_BYTES, TemplateFileInvalid, template_file_read, template_file_write
from tests import factories as f

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "forms" / "invercarron-ijb-v1.yaml"


def run(name, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def export(*args) -> str:
    return run("export_template", *args)[0]


def write(tmp_path, text: str, name="form.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def as_version(text: str, board: str, version: int) -> str:
    """The exported file as the board's version ``version``."""
    lines = []
    for line in text.splitlines(keepends=True):
        if line.startswith("code: "):
            line = f"code: {board}-ijb-v{version}\n"
        elif line.startswith("version: "):
            line = f"version: {version}\n"
        lines.append(line)
    return "".join(lines)


def body(text: str) -> str:
    """The file without its opening comment."""
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))


def shape(template: Template) -> list:
    """Everything a template holds, in order, without ids or order numbers."""
    parts = [("template", template.title, template.sign_off_declaration)]
    parts += [(q.code, q.text, q.help_text, q.answer_set) for q in template.screening_questions.order_by("order")]
    for s in template.sections.order_by("order"):
        parts.append((s.code, s.title, s.guidance, s.opened_by, s.opened_by_answers))
        parts += [(r.code, r.label, r.group, r.guidance, r.allows_not_applicable, r.not_applicable_label,
                   r.locality.code if r.locality_id else "") for r in s.rows.order_by("order")]
        parts += [(q.code, q.label, q.help_text, q.kind, q.choices, q.required, q.required_when,
                   q.required_when_answers, q.published) for q in s.questions.order_by("order")]
    return parts


@pytest.fixture
def lead():
    return f.user(Role.EQUALITY_LEAD, "dundee")


# --- the round trip ------------------------------------------------------------------------

def test_the_dundee_form_exports_and_imports_as_the_same_form(tmp_path, lead):
    dundee = Template.objects.get(board__slug="dundee", is_active=True)
    text = export("--board", "dundee")
    assert text.startswith("# The assessment form dundee-ijb-v")
    path = write(tmp_path, as_version(text, "dundee", 9))
    out, _ = run("import_template", path, "--by", lead.username)
    assert "Imported dundee-ijb-v9 (version 9) for Dundee IJB" in out and "not active yet" in out
    copy = Template.objects.get(code="dundee-ijb-v9")
    assert not copy.is_active and copy.board.slug == "dundee"
    assert shape(copy) == shape(dundee)
    assert copy.sections.filter(opened_by="island_communities").get().opened_by_answers == ["yes"]
    # and the copy exports as the same file, but for its code and version
    assert body(export("--code", "dundee-ijb-v9")) == body(as_version(text, "dundee", 9))
    event = AuditEvent.objects.get(action="template.import")
    assert event.actor == lead and event.board.slug == "dundee" and event.data["rows"] == Row.objects.filter(
        section__template=copy).count()


def test_export_to_a_file_and_of_a_template_that_does_not_exist(tmp_path):
    target = tmp_path / "out.yaml"
    _, err = run("export_template", "--board", "scottish-borders", "-o", str(target))
    assert "Wrote scottish-borders-ijb-v" in err
    with pytest.raises(TemplateFileInvalid) as invalid:
        template_file_read(target.read_bytes())
    assert any("exists already" in message for _, message in invalid.value.errors)
    with pytest.raises(CommandError, match="No template 'nope-v1'"):
        export("--code", "nope-v1")
    with pytest.raises(CommandError, match="No board 'atlantis'"):
        export("--board", "atlantis")
    with pytest.raises(CommandError, match="one of them"):
        export()


def test_import_and_activate_makes_it_the_form_new_screenings_use(tmp_path, lead):
    path = write(tmp_path, as_version(export("--board", "dundee"), "dundee", 5))
    out, _ = run("import_template", path, "--by", lead.username, "--activate")
    assert "It is now the active form." in out
    assert Template.objects.get(board__slug="dundee", is_active=True).code == "dundee-ijb-v5"
    assert list(AuditEvent.objects.filter(action__startswith="template.").values_list("action", flat=True)
                .order_by("pk")) == ["template.import", "template.activate"]


# --- --dry-run -----------------------------------------------------------------------------

def test_a_dry_run_checks_the_file_and_writes_nothing(tmp_path, lead):
    path = write(tmp_path, as_version(export("--board", "dundee"), "dundee", 7))
    counts = (Template.objects.count(), Section.objects.count(), Row.objects.count(), Question.objects.count(),
              AuditEvent.objects.count())
    out, _ = run("import_template", path, "--by", lead.username, "--dry-run", "--activate")
    assert "is a valid form. Would create dundee-ijb-v7 (version 7) for Dundee IJB: 10 screening questions" in out
    assert "and make it active. Nothing was written (--dry-run)." in out
    assert (Template.objects.count(), Section.objects.count(), Row.objects.count(), Question.objects.count(),
            AuditEvent.objects.count()) == counts


# --- who may import ------------------------------------------------------------------------

def test_only_an_equality_lead_of_the_files_board_imports_it(tmp_path):
    path = write(tmp_path, as_version(export("--board", "dundee"), "dundee", 4))
    officer = f.user(Role.OFFICER, "dundee")
    borders_lead = f.user(Role.EQUALITY_LEAD, "scottish-borders")
    for person in (officer, borders_lead):
        with pytest.raises(CommandError, match="Only an equality lead of the board"):
            run("import_template", path, "--by", person.username)
    with pytest.raises(CommandError, match="No active account 'ghost'"):
        run("import_template", path, "--by", "ghost")
    assert not Template.objects.filter(code="dundee-ijb-v4").exists()


# --- errors, each named by its line ----------------------------------------------------------

BROKEN = """\
format: iia-template/1
board: dundee
code: dundee-ijb-v8
title: A broken form
version: 8
colour: blue
screening_questions:
- code: asks_agreement
  text: Does it ask for agreement?
- code: asks_agreement
  text: Twice
  answer_set: maybe
- code: Affects People
  text: Bad code
sections:
- code: equality
  title: Equality
  rows:
  - code: PC.AGE
    label: Age
  - code: PC.AGE
    label: Age again
  - code: GEO.X
    label: Nowhere
    locality: ATLANTIS
  - label: No code
  questions:
  - code: q1
    label: One
    kind: essay
  - code: q2
    label: Two
    kind: choice
  - code: q3
    label: Three
    required_when: q9
    required_when_answers: [yes]
- code: evidence
  title: Reserved
  rows: []
- code: icia
  title: Islands
  opened_by: island_communities
  opened_by_answers: [yes]
  questions:
  - code: q
    label: Q
    title: Q
    title: twice
"""


def test_every_error_is_named_by_its_line_and_nothing_is_imported(tmp_path, lead):
    path = write(tmp_path, BROKEN)
    before = Template.objects.count()
    with pytest.raises(CommandError, match=r"form.yaml: \d+ errors; nothing was imported"):
        run("import_template", path, "--by", lead.username)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_template", path, "--by", lead.username, stderr=err)
    said = err.getvalue().splitlines()
    expected = [
        (6, "the file: unknown field 'colour'"),
        (7, "screening_questions: the outcome rule reads asks_agreement, information_only, affects_people; "
            "add information_only, affects_people."),
        (10, "screening question 2: the code asks_agreement is used already (line 8)."),
        (12, "screening question 2: answer_set 'maybe' is not one of yes_no, yes_no_not_known, yes_no_unsure."),
        (13, "screening question 3: code: 'Affects People' is not a code"),
        (21, "section equality, row 2: the code PC.AGE is used already in the section (line 19)."),
        (25, "section equality, row 3: no locality 'ATLANTIS' on Dundee IJB; its localities are LCPP1,"),
        (26, "section equality, row 4: code is missing."),
        (30, "section equality, question 1: kind 'essay' is not one of text, choice, date, past_date, link."),
        (31, "section equality, question 2: a question of kind choice needs choices."),
        (36, "section equality, question 3: required_when 'q9' is not another question of the section."),
        (38, "section 2: evidence is the name of a part every assessment has; choose another code."),
        (38, "section 2: give it rows to rate or questions to answer."),
        (43, "section icia: opened_by 'island_communities' is not a screening question of the file."),
        (48, "section icia, question 1: unknown field 'title'"),
        (49, "title is given twice (first on line 48)."),
    ]
    for line, message in expected:
        assert any(s.startswith(f"{path}:{line}: {message}") for s in said), "\n".join(said)
    assert len(said) == len(expected)
    assert said == sorted(said, key=lambda s: int(s.split(":")[1]))
    assert Template.objects.count() == before


def test_yes_and_no_are_answers_not_booleans():
    """YAML 1.1 reads yes as true: the file's answer codes stay text."""
    text = as_version(export("--board", "dundee"), "dundee", 6)
    assert "opened_by_answers:\n  - 'yes'" in text  # written quoted, for any YAML reader
    text = text.replace("- 'yes'", "- yes").replace("- 'unsure'", "- unsure")
    spec = template_file_read(text)
    assert {tuple(s.opened_by_answers) for s in spec.sections if s.opened_by} == {("yes",), ("yes", "unsure")}


@pytest.mark.parametrize("text, line, message", [
    ("", 1, "the file is empty."),
    ("- just\n- a list\n", 1, "the file: give a set of fields"),
    ("format: [unclosed\n", 2, "not valid YAML"),
    ("a: &x [1]\nb: *x\n", 1, "anchors (&name) are not allowed"),
    ("a: !!python/object:os.system x\n", 1, "tags (tag:yaml.org,2002:python/object:os.system) are not allowed"),
    ("format: iia-template/1\n---\nformat: again\n", 2, "the file holds more than one document"),
    ("format: iia-template/2\nboard: atlantis\ncode: X\ntitle: t\nversion: 0\nscreening_questions: {}\nsections: 3\n",
     2, "board: no board 'atlantis'; create it first (manage.py create_board)."),
])
def test_files_that_are_not_forms(text, line, message):
    with pytest.raises(TemplateFileInvalid) as invalid:
        template_file_read(text.encode())
    assert any(at == line and said.startswith(message) for at, said in invalid.value.errors), invalid.value.errors


def test_the_top_level_errors_of_a_wrong_file_are_all_named():
    text = "format: iia-template/2\nboard: atlantis\ncode: X\ntitle: ''\nversion: 0\nscreening_questions: {}\nsections: 3\n"
    with pytest.raises(TemplateFileInvalid) as invalid:
        template_file_read(text)
    assert [line for line, _ in invalid.value.errors] == [1, 2, 3, 4, 5, 6, 7]
    assert "format: give iia-template/1 (this is 'iia-template/2')." in str(invalid.value)
    assert "version: give a whole number from 1" in str(invalid.value)
    assert "sections: give a list" in str(invalid.value)


def test_a_file_that_is_not_utf8_names_its_line():
    with pytest.raises(TemplateFileInvalid) as invalid:
        template_file_read(b"format: iia-template/1\nboard: \xff\n")
    assert invalid.value.errors == [(2, "the file is not UTF-8 text: save it as UTF-8.")]


# --- hostile files: refused quickly, not parsed to the end ---------------------------------------

def test_a_huge_file_is_refused_before_it_is_read(tmp_path, lead):
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"a: " + b"x" * (MOST_BYTES + 1))
    with pytest.raises(CommandError, match="a form is at most"):
        run("import_template", str(path), "--by", lead.username)
    with pytest.raises(TemplateFileInvalid, match="a form is at most"):
        template_file_read(path.read_bytes())


@pytest.mark.parametrize("text", [
    "[" * 200_000 + "]" * 200_000,  # deeply nested
    "a:\n" + "".join(f"{' ' * n}b:\n" for n in range(1, 2000)),  # deeply indented
    "- 1\n" * 400_000,  # more entries than any form
    # "a billion laughs": each alias would multiply what a naive reader builds
    "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{(('*' + chr(97 + i) + ',') * 9)[:-1]}]\n"
                                            for i in range(8)),
])
def test_deep_huge_or_expanding_files_are_refused_quickly(text):
    started = time.perf_counter()
    with pytest.raises(TemplateFileInvalid) as invalid:
        template_file_read(text)
    assert time.perf_counter() - started < 5
    assert len(invalid.value.errors) == 1
    assert any(word in invalid.value.errors[0][1] for word in ("nested", "nesting", "entries", "anchors", "more than"))


def test_overlong_texts_and_too_many_rows_are_refused(tmp_path):
    text = export("--board", "dundee")
    text = as_version(text, "dundee", 3).replace("title: Equality & Diversity", "title: " + "E" * 121, 1)
    rows = "".join(f"  - code: R{n}\n    label: Row {n}\n" for n in range(401))
    text = text.replace("sections:\n", "sections:\n- code: many\n  title: Many\n  rows:\n" + rows, 1)
    with pytest.raises(TemplateFileInvalid) as invalid:
        template_file_read(text)
    messages = [message for _, message in invalid.value.errors]
    assert "section many: rows: 401 entries; at most 400." in messages
    assert any(m.startswith("section equality: title: 121 characters; at most 120.") for m in messages)


def test_the_sample_file_of_a_third_board_reads_once_its_board_exists():
    with pytest.raises(TemplateFileInvalid, match="no board 'invercarron'"):
        template_file_read(SAMPLE.read_bytes())


def test_the_writer_writes_what_the_reader_reads_for_every_reference_form(lead):
    for template in Template.objects.all():
        text = as_version(template_file_write(template), template.board.slug, 99)
        spec = template_file_read(text)
        assert spec.counts()["rows"] == Row.objects.filter(section__template=template).count()


def test_any_value_in_any_place_is_an_error_by_line_never_a_crash(lead):
    """Every field of the Dundee form given a list, a set of fields, nothing, a number, a
    boolean or null in turn: the reader names an error (or accepts it), it never fails."""
    lines = as_version(export("--board", "dundee"), "dundee", 9).splitlines(keepends=True)
    fields = [n for n, line in enumerate(lines) if ": " in line and not line.lstrip().startswith("#")]
    started, tried = time.perf_counter(), 0
    values = ("[1, [2]]", "{a: {b: c}}", "", "12", "false", "~")
    for number, n in enumerate(fields[::3]):  # every third field, half of the values in turn
        key = lines[n].split(": ", 1)[0]
        for value in values[number % 2::2]:
            changed = lines[:n] + [f"{key}: {value}\n"] + lines[n + 1:]
            tried += 1
            try:
                template_file_read("".join(changed))
            except TemplateFileInvalid as invalid:
                assert invalid.errors and all(1 <= line <= len(lines) for line, _ in invalid.errors)
    assert tried > 150 and time.perf_counter() - started < 30
