"""A board's assessment form as a YAML file (docs/new-board.md describes the format).

``template_file_read`` checks a file against a board and returns what it describes, or
raises ``TemplateFileInvalid`` with every error it found, each named by its line;
``template_file_write`` writes a template in the same format, so an export imports again
as the same form. Writing the form into the database is ``services.catalogue.template_import``.

The file is read with PyYAML's safe parser, event by event, within limits (its size, its
depth, the number of its nodes), so a huge or deeply nested file is refused early rather
than hanging the command. Anchors, aliases and tags are refused: a form needs none, and an
alias is how a small file expands into a huge one. Only ``true`` and ``false`` are
booleans and nothing is a date: YAML 1.1 would read an answer code ``yes`` as ``True``.
"""

import re
from dataclasses import dataclass, field

import yaml

from .models.boards import Board
from .models.catalogue import (
    ANSWER_CHOICES,
    RESERVED_PART_CODES,
    AnswerSet,
    Question,
    QuestionKind,
    Row,
    ScreeningQuestion,
    Section,
    Template,
)

FORMAT = "iia-template/1"
MOST_BYTES = 2 * 1024 * 1024
MOST_DEPTH = 12  # the format needs 6: file, sections, a section, its questions, a question, its choices
MOST_NODES = 100_000
MOST_SCREENING_QUESTIONS = 100
MOST_SECTIONS = 60
MOST_ROWS = 400  # in a section
MOST_QUESTIONS = 100  # in a section
MOST_CHOICES = 50
LONGEST_TEXT = 20_000  # guidance, help text, the declaration
LONGEST_CHOICE = 300

# The pre-screening questions the outcome rule reads (services.screening.screening_propose).
RULE_QUESTIONS = ("asks_agreement", "information_only", "affects_people")
SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
ROW_CODE = re.compile(r"^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$")


class TemplateFileInvalid(Exception):
    """The file's errors, each ``(line, message)``, in the order of the file."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = sorted(errors)
        super().__init__("\n".join(f"line {line}: {message}" for line, message in self.errors))


@dataclass
class RowSpec:
    code: str
    label: str
    group: str = ""
    guidance: str = ""
    allows_not_applicable: bool = False
    not_applicable_label: str = ""
    locality: str = ""  # a locality code of the board


@dataclass
class QuestionSpec:
    code: str
    label: str
    kind: str = QuestionKind.TEXT
    help_text: str = ""
    choices: list[str] = field(default_factory=list)
    required: bool = True
    required_when: str = ""
    required_when_answers: list[str] = field(default_factory=list)
    published: bool = False


@dataclass
class SectionSpec:
    code: str
    title: str
    guidance: str = ""
    opened_by: str = ""
    opened_by_answers: list[str] = field(default_factory=list)
    rows: list[RowSpec] = field(default_factory=list)
    questions: list[QuestionSpec] = field(default_factory=list)


@dataclass
class ScreeningQuestionSpec:
    code: str
    text: str
    answer_set: str = AnswerSet.YES_NO
    help_text: str = ""


@dataclass
class TemplateSpec:
    board: Board
    code: str
    title: str
    version: int
    sign_off_declaration: str
    screening_questions: list[ScreeningQuestionSpec]
    sections: list[SectionSpec]

    def counts(self) -> dict[str, int]:
        return {"screening questions": len(self.screening_questions), "sections": len(self.sections),
                "modules": sum(1 for s in self.sections if s.opened_by),
                "rows": sum(len(s.rows) for s in self.sections),
                "questions": sum(len(s.questions) for s in self.sections)}


# --- reading YAML with lines --------------------------------------------------------------

class _Resolver(yaml.resolver.Resolver):
    """YAML 1.2's plain scalars: only true/false are booleans, no dates, no ``=``."""


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value")]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_Resolver.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))

_Base = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


class _Loader(_Base, _Resolver):
    pass


class Located:
    """A mapping or list of the file, with the line it starts on and, for a mapping, the
    line of each key."""

    def __init__(self, value, line: int, key_lines: dict | None = None):
        self.value, self.line, self.key_lines = value, line, key_lines or {}

    def __repr__(self) -> str:  # in messages: what was given where a word was expected
        return "a set of fields" if isinstance(self.value, dict) else "a list"


def _line(node) -> int:
    return node.start_mark.line + 1


def _check_events(text: str, errors: list) -> bool:
    """Stream the file's events: refuse aliases, anchors and tags, and stop at the limits."""
    depth = nodes = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            line = event.start_mark.line + 1 if event.start_mark else 0
            if isinstance(event, yaml.AliasEvent):
                errors.append((line, "aliases (*name) are not allowed: write the text out in full."))
                return False
            if getattr(event, "anchor", None):
                errors.append((line, "anchors (&name) are not allowed: write the text out in full."))
                return False
            tag = getattr(event, "tag", None)
            if tag not in (None, "!"):
                errors.append((line, f"tags ({tag}) are not allowed: put text in quotes instead."))
                return False
            if isinstance(event, yaml.DocumentStartEvent) and nodes:
                errors.append((line, "the file holds more than one document (---): give one form a file."))
                return False
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MOST_DEPTH:
                    errors.append((line, f"nested more than {MOST_DEPTH} levels deep: this is not a form."))
                    return False
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if isinstance(event, yaml.NodeEvent):
                nodes += 1
                if nodes > MOST_NODES:
                    errors.append((line, f"more than {MOST_NODES} entries: split the form or shorten it."))
                    return False
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        errors.append((mark.line + 1 if mark else 0, f"not valid YAML: {problem}."))
        return False
    return True


def _convert(node, loader, errors: list):
    """The node as Python values: mappings and lists as ``Located``, duplicate keys refused."""
    if isinstance(node, yaml.MappingNode):
        value, key_lines = {}, {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                errors.append((_line(key_node), "a key must be a plain word."))
                continue
            key = loader.construct_object(key_node)
            if key in value:
                errors.append((_line(key_node), f"{key} is given twice (first on line {key_lines[key]})."))
                continue
            key_lines[key] = _line(key_node)
            value[key] = _convert(value_node, loader, errors)
        return Located(value, _line(node), key_lines)
    if isinstance(node, yaml.SequenceNode):
        return Located([_convert(item, loader, errors) for item in node.value], _line(node))
    return loader.construct_object(node)


def _load(text: str, errors: list) -> Located | None:
    if not _check_events(text, errors):
        return None
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        errors.append((mark.line + 1 if mark else 0, f"not valid YAML: {getattr(error, 'problem', error)}."))
        return None
    finally:
        loader.dispose()
    if root is None:
        errors.append((1, "the file is empty."))
        return None
    return _convert(root, loader, errors)


# --- checking the form ---------------------------------------------------------------------

class _Checker:
    def __init__(self, errors: list):
        self.errors = errors

    def error(self, line: int, message: str) -> None:
        self.errors.append((line, message))

    def mapping(self, item, where: str, line: int, fields: dict[str, bool]) -> dict | None:
        """The mapping's values, having refused unknown keys and named missing ones
        (``fields``: name to whether it is required)."""
        if not isinstance(item, Located) or not isinstance(item.value, dict):
            self.error(line, f"{where}: give a set of fields (name: value).")
            return None
        for key in item.value:
            if key not in fields:
                known = ", ".join(fields)
                self.error(item.key_lines[key], f"{where}: unknown field {key!r} (the fields are: {known}).")
        for name, required in fields.items():
            if required and name not in item.value:
                self.error(item.line, f"{where}: {name} is missing.")
        return item.value

    def items(self, item, where: str, line: int, most: int, *, at_least: int = 0) -> list:
        if item is None:
            return []
        if not isinstance(item, Located) or not isinstance(item.value, list):
            self.error(line, f"{where}: give a list (each entry on a line starting with -).")
            return []
        if len(item.value) > most:
            self.error(line, f"{where}: {len(item.value)} entries; at most {most}.")
            return []
        if len(item.value) < at_least:
            self.error(line, f"{where}: give at least {at_least}.")
        return item.value

    def text(self, value, where: str, line: int, *, longest: int, required=False) -> str:
        if value is None:
            return ""  # missing: a required one is said once, by ``mapping``
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(line, f"{where}: give text.")
            return ""
        value = str(value).strip()
        if required and not value:
            self.error(line, f"{where}: give some text.")
        if len(value) > longest:
            self.error(line, f"{where}: {len(value)} characters; at most {longest}.")
        return value

    def code(self, value, where: str, line: int, *, pattern, longest: int, hint: str) -> str:
        if value is None:
            return ""  # missing: said once, by ``mapping``
        if not isinstance(value, str) or not pattern.match(value) or len(value) > longest:
            self.error(line, f"{where}: {value!r} is not a code: {hint}, at most {longest} characters.")
            return ""
        return value

    def flag(self, value, where: str, line: int, default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(line, f"{where}: give true or false.")
            return default
        return value

    def words(self, value, where: str, line: int) -> list[str]:
        values = self.items(value, where, line, MOST_CHOICES)
        found = []
        for item in values:
            if not isinstance(item, str | int) or isinstance(item, bool):
                self.error(line, f"{where}: give each entry as text.")
                continue
            item = str(item).strip()
            if not item or len(item) > LONGEST_CHOICE:
                self.error(line, f"{where}: each entry is 1 to {LONGEST_CHOICE} characters.")
            elif item in found:
                self.error(line, f"{where}: {item!r} is given twice.")
            else:
                found.append(item)
        return found


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def template_file_read(text: str | bytes, *, board: Board | None = None) -> TemplateSpec:
    """The form the file describes, checked against its board (``board``: the board the
    file must be for). Raises ``TemplateFileInvalid`` with every error found."""
    errors: list[tuple[int, str]] = []
    if isinstance(text, bytes):
        if len(text) > MOST_BYTES:
            raise TemplateFileInvalid([(0, f"the file is {len(text)} bytes; a form is at most {MOST_BYTES}.")])
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            line = text[:error.start].count(b"\n") + 1
            raise TemplateFileInvalid([(line, "the file is not UTF-8 text: save it as UTF-8.")]) from None
    if len(text.encode("utf-8")) > MOST_BYTES:
        raise TemplateFileInvalid([(0, f"the file is larger than {MOST_BYTES} bytes: a form is smaller.")])
    root = _load(text, errors)
    if root is None:
        raise TemplateFileInvalid(errors)
    check = _Checker(errors)
    top = check.mapping(root, "the file", 1, {
        "format": True, "board": True, "code": True, "title": True, "version": True,
        "sign_off_declaration": False, "screening_questions": True, "sections": True})
    if top is None:
        raise TemplateFileInvalid(errors)
    lines = root.key_lines

    if "format" in top and top["format"] != FORMAT:
        check.error(lines["format"], f"format: give {FORMAT} (this is {top['format']!r}).")
    found_board = _board(check, top, lines, board)
    version = top.get("version")
    if "version" in top and (isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= 9999):
        check.error(lines["version"], "version: give a whole number from 1, e.g. 1.")
        version = None
    code = ""
    if "code" in top:
        code = check.code(top["code"], "code", lines["code"], pattern=SLUG, longest=_max(Template, "code"),
                          hint="lower-case letters, digits and hyphens, e.g. fife-ijb-v1")
        if code and version and not code.endswith(f"-v{version}"):
            check.error(lines["code"], f"code: end it with -v{version}, the version (e.g. {code.rsplit('-v', 1)[0]}-v{version}).")
        elif code and Template.objects.filter(code=code).exists():
            check.error(lines["code"], f"code: a template {code} exists already; give the next version a new code.")
    if found_board and version and Template.objects.filter(board=found_board, version=version).exists():
        check.error(lines["version"], f"version: {found_board} has a version {version} already; give the next one.")
    title = check.text(top.get("title"), "title", lines.get("title", 1), longest=_max(Template, "title"),
                       required=True)
    declaration = check.text(top.get("sign_off_declaration"), "sign_off_declaration",
                             lines.get("sign_off_declaration", 1), longest=LONGEST_TEXT)

    screening = _screening_questions(check, top.get("screening_questions"), lines.get("screening_questions", 1))
    answers_of = {q.code: dict(ANSWER_CHOICES.get(q.answer_set, [])) for q in screening}
    localities = {}
    if found_board:
        localities = dict(found_board.localities.values_list("code", "name"))
    sections = _sections(check, top.get("sections"), lines.get("sections", 1), answers_of, localities,
                         found_board)
    if errors:
        raise TemplateFileInvalid(errors)
    return TemplateSpec(board=found_board, code=code, title=title, version=version,
                        sign_off_declaration=declaration or Template._meta.get_field("sign_off_declaration").default,
                        screening_questions=screening, sections=sections)


def _board(check: _Checker, top: dict, lines: dict, board: Board | None) -> Board | None:
    if "board" not in top:
        return None
    slug = top["board"]
    found = Board.objects.filter(slug=slug).first() if isinstance(slug, str) else None
    if found is None:
        check.error(lines["board"], f"board: no board {slug!r}; create it first (manage.py create_board).")
    elif board is not None and found.pk != board.pk:
        check.error(lines["board"], f"board: the file is for {slug}, not {board.slug}.")
        return None
    return found


def _screening_questions(check: _Checker, value, line: int) -> list[ScreeningQuestionSpec]:
    found: list[ScreeningQuestionSpec] = []
    codes: dict[str, int] = {}
    entries = check.items(value, "screening_questions", line, MOST_SCREENING_QUESTIONS, at_least=1)
    for number, item in enumerate(entries, start=1):
        where = f"screening question {number}"
        at = item.line if isinstance(item, Located) else line
        fields = check.mapping(item, where, at, {"code": True, "text": True, "answer_set": False, "help_text": False})
        if fields is None:
            continue
        key = item.key_lines
        code = check.code(fields.get("code"), f"{where}: code", key.get("code", at), pattern=SLUG,
                          longest=_max(ScreeningQuestion, "code"), hint="lower-case letters, digits and _, e.g. affects_people")
        if code in codes:
            check.error(key["code"], f"{where}: the code {code} is used already (line {codes[code]}).")
        elif code:
            codes[code] = key["code"]
        answer_set = fields.get("answer_set", AnswerSet.YES_NO)
        if answer_set not in AnswerSet.values:
            check.error(key.get("answer_set", at), f"{where}: answer_set {answer_set!r} is not one of "
                                                   f"{', '.join(AnswerSet.values)}.")
            answer_set = AnswerSet.YES_NO
        found.append(ScreeningQuestionSpec(
            code=code, answer_set=answer_set,
            text=check.text(fields.get("text"), f"{where}: text", key.get("text", at),
                            longest=_max(ScreeningQuestion, "text"), required=True),
            help_text=check.text(fields.get("help_text"), f"{where}: help_text", key.get("help_text", at),
                                 longest=LONGEST_TEXT)))
    if isinstance(value, Located) and isinstance(value.value, list):
        missing = [code for code in RULE_QUESTIONS if code not in codes]
        if missing:
            check.error(line, f"screening_questions: the outcome rule reads {', '.join(RULE_QUESTIONS)}; "
                              f"add {', '.join(missing)}.")
    return found


def _sections(check: _Checker, value, line: int, answers_of: dict, localities: dict,
              board: Board | None) -> list[SectionSpec]:
    found: list[SectionSpec] = []
    codes: dict[str, int] = {}
    for number, item in enumerate(check.items(value, "sections", line, MOST_SECTIONS, at_least=1), start=1):
        where = f"section {number}"
        at = item.line if isinstance(item, Located) else line
        fields = check.mapping(item, where, at, {
            "code": True, "title": True, "guidance": False, "opened_by": False, "opened_by_answers": False,
            "rows": False, "questions": False})
        if fields is None:
            continue
        key = item.key_lines
        code = check.code(fields.get("code"), f"{where}: code", key.get("code", at), pattern=SLUG,
                          longest=_max(Section, "code"), hint="lower-case letters, digits and _, e.g. equality")
        if code in RESERVED_PART_CODES:
            check.error(key["code"], f"{where}: {code} is the name of a part every assessment has; choose another code.")
        elif code in codes:
            check.error(key["code"], f"{where}: the code {code} is used already (line {codes[code]}).")
        elif code:
            codes[code] = key["code"]
            where = f"section {code}"
        section = SectionSpec(
            code=code,
            title=check.text(fields.get("title"), f"{where}: title", key.get("title", at),
                             longest=_max(Section, "title"), required=True),
            guidance=check.text(fields.get("guidance"), f"{where}: guidance", key.get("guidance", at),
                                longest=LONGEST_TEXT))
        opened_by = fields.get("opened_by")
        answers = fields.get("opened_by_answers")
        if opened_by is not None:
            if opened_by not in answers_of:
                check.error(key["opened_by"], f"{where}: opened_by {opened_by!r} is not a screening question of the file.")
            else:
                section.opened_by = opened_by
            if answers is None:
                check.error(key["opened_by"], f"{where}: a module needs opened_by_answers, e.g. [yes].")
            else:
                section.opened_by_answers = check.words(answers, f"{where}: opened_by_answers", key["opened_by_answers"])
                choices = answers_of.get(opened_by)
                for answer in section.opened_by_answers:
                    if choices is not None and answer not in choices:
                        check.error(key["opened_by_answers"], f"{where}: {answer!r} is not an answer of {opened_by} "
                                                              f"({', '.join(choices)}).")
                if not section.opened_by_answers:
                    check.error(key["opened_by_answers"], f"{where}: give the answers that open the module.")
        elif answers is not None:
            check.error(key["opened_by_answers"], f"{where}: opened_by_answers needs opened_by, the question it reads.")
        section.rows = _rows(check, fields.get("rows"), key.get("rows", at), where, localities, board)
        section.questions = _questions(check, fields.get("questions"), key.get("questions", at), where)
        if not section.rows and not section.questions:
            check.error(at, f"{where}: give it rows to rate or questions to answer.")
        found.append(section)
    return found


def _rows(check: _Checker, value, line: int, section: str, localities: dict, board: Board | None) -> list[RowSpec]:
    found: list[RowSpec] = []
    codes: dict[str, int] = {}
    for number, item in enumerate(check.items(value, f"{section}: rows", line, MOST_ROWS), start=1):
        where = f"{section}, row {number}"
        at = item.line if isinstance(item, Located) else line
        fields = check.mapping(item, where, at, {
            "code": True, "label": True, "group": False, "guidance": False, "allows_not_applicable": False,
            "not_applicable_label": False, "locality": False})
        if fields is None:
            continue
        key = item.key_lines
        code = check.code(fields.get("code"), f"{where}: code", key.get("code", at), pattern=ROW_CODE,
                          longest=_max(Row, "code"), hint="letters, digits, dots and hyphens, e.g. PC.AGE")
        if code in codes:
            check.error(key["code"], f"{where}: the code {code} is used already in the section (line {codes[code]}).")
        elif code:
            codes[code] = key["code"]
        locality = fields.get("locality") or ""
        if locality and board is not None and str(locality) not in localities:
            check.error(key["locality"], f"{where}: no locality {locality!r} on {board}; its localities are "
                                         f"{', '.join(localities) or 'none'} "
                                         "(a site administrator adds one in the admin, Boards).")
        found.append(RowSpec(
            code=code, locality=str(locality),
            label=check.text(fields.get("label"), f"{where}: label", key.get("label", at),
                             longest=_max(Row, "label"), required=True),
            group=check.text(fields.get("group"), f"{where}: group", key.get("group", at), longest=_max(Row, "group")),
            guidance=check.text(fields.get("guidance"), f"{where}: guidance", key.get("guidance", at),
                                longest=LONGEST_TEXT),
            allows_not_applicable=check.flag(fields.get("allows_not_applicable"), f"{where}: allows_not_applicable",
                                             key.get("allows_not_applicable", at), False),
            not_applicable_label=check.text(fields.get("not_applicable_label"), f"{where}: not_applicable_label",
                                            key.get("not_applicable_label", at),
                                            longest=_max(Row, "not_applicable_label"))))
    return found


def _questions(check: _Checker, value, line: int, section: str) -> list[QuestionSpec]:
    found: list[QuestionSpec] = []
    codes: dict[str, int] = {}
    pending: list[tuple[QuestionSpec, int, str]] = []
    for number, item in enumerate(check.items(value, f"{section}: questions", line, MOST_QUESTIONS), start=1):
        where = f"{section}, question {number}"
        at = item.line if isinstance(item, Located) else line
        fields = check.mapping(item, where, at, {
            "code": True, "label": True, "kind": False, "help_text": False, "choices": False, "required": False,
            "required_when": False, "required_when_answers": False, "published": False})
        if fields is None:
            continue
        key = item.key_lines
        code = check.code(fields.get("code"), f"{where}: code", key.get("code", at), pattern=SLUG,
                          longest=_max(Question, "code"), hint="lower-case letters, digits and _, e.g. fsd_summary")
        if code in codes:
            check.error(key["code"], f"{where}: the code {code} is used already in the section (line {codes[code]}).")
        elif code:
            codes[code] = key["code"]
        kind = fields.get("kind", QuestionKind.TEXT)
        if kind not in QuestionKind.values:
            check.error(key.get("kind", at), f"{where}: kind {kind!r} is not one of {', '.join(QuestionKind.values)}.")
            kind = QuestionKind.TEXT
        question = QuestionSpec(
            code=code, kind=kind,
            label=check.text(fields.get("label"), f"{where}: label", key.get("label", at),
                             longest=_max(Question, "label"), required=True),
            help_text=check.text(fields.get("help_text"), f"{where}: help_text", key.get("help_text", at),
                                 longest=LONGEST_TEXT),
            required=check.flag(fields.get("required"), f"{where}: required", key.get("required", at), True),
            published=check.flag(fields.get("published"), f"{where}: published", key.get("published", at), False))
        if "choices" in fields:
            question.choices = check.words(fields["choices"], f"{where}: choices", key["choices"])
            if kind != QuestionKind.CHOICE:
                check.error(key["choices"], f"{where}: only a question of kind choice has choices.")
        if kind == QuestionKind.CHOICE and len(question.choices) < 2 and "choices" not in fields:
            check.error(at, f"{where}: a question of kind choice needs choices.")
        elif kind == QuestionKind.CHOICE and len(question.choices) < 2:
            check.error(key["choices"], f"{where}: give two choices at least.")
        if "required_when" in fields:
            question.required_when = str(fields["required_when"])
            if "required_when_answers" not in fields:
                check.error(key["required_when"], f"{where}: required_when needs required_when_answers.")
            pending.append((question, key["required_when"], where))
        if "required_when_answers" in fields:
            question.required_when_answers = check.words(fields["required_when_answers"],
                                                         f"{where}: required_when_answers",
                                                         key["required_when_answers"])
            if "required_when" not in fields:
                check.error(key["required_when_answers"], f"{where}: required_when_answers needs required_when.")
        found.append(question)
    by_code = {q.code: q for q in found}
    for question, at, where in pending:
        other = by_code.get(question.required_when)
        if other is None or other is question:
            check.error(at, f"{where}: required_when {question.required_when!r} is not another question of the section.")
        elif other.kind == QuestionKind.CHOICE:
            for answer in question.required_when_answers:
                if answer not in other.choices:
                    check.error(at, f"{where}: {answer!r} is not a choice of {other.code}.")
    return found


# --- writing -------------------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)
# SafeDumper quotes what YAML 1.1 would read as something else (yes, no, 2025-04-01), which
# this reader takes as text either way.


def template_file_write(template: Template) -> str:
    """The template in the file format, with its board's slug."""
    data = {
        "format": FORMAT,
        "board": template.board.slug,
        "code": template.code,
        "title": template.title,
        "version": template.version,
        "sign_off_declaration": template.sign_off_declaration,
        "screening_questions": [
            _without_defaults({"code": q.code, "text": q.text, "answer_set": q.answer_set, "help_text": q.help_text},
                              {"help_text": ""})
            for q in template.screening_questions.order_by("order", "pk")],
        "sections": [],
    }
    for section in template.sections.order_by("order", "pk"):
        entry = {"code": section.code, "title": section.title, "guidance": section.guidance}
        if section.opened_by:
            entry |= {"opened_by": section.opened_by, "opened_by_answers": list(section.opened_by_answers)}
        entry["rows"] = [
            _without_defaults({"code": r.code, "label": r.label, "group": r.group, "guidance": r.guidance,
                               "allows_not_applicable": r.allows_not_applicable,
                               "not_applicable_label": r.not_applicable_label,
                               "locality": r.locality.code if r.locality_id else ""},
                              {"group": "", "guidance": "", "allows_not_applicable": False,
                               "not_applicable_label": "", "locality": ""})
            for r in section.rows.select_related("locality").order_by("order", "pk")]
        entry["questions"] = [
            _without_defaults({"code": q.code, "label": q.label, "kind": q.kind, "help_text": q.help_text,
                               "choices": list(q.choices or []), "required": q.required,
                               "required_when": q.required_when,
                               "required_when_answers": list(q.required_when_answers or []),
                               "published": q.published},
                              {"kind": QuestionKind.TEXT, "help_text": "", "choices": [], "required": True,
                               "required_when": "", "required_when_answers": [], "published": False})
            for q in section.questions.order_by("order", "pk")]
        data["sections"].append(_without_defaults(entry, {"guidance": "", "rows": [], "questions": []})
                                if entry["rows"] or entry["questions"] else entry)
    header = (f"# The assessment form {template.code} of {template.board.name}, in the format of\n"
              "# docs/new-board.md. Import it with: manage.py import_template FILE --by USERNAME\n")
    return header + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _without_defaults(entry: dict, defaults: dict) -> dict:
    return {k: v for k, v in entry.items() if k not in defaults or v != defaults[k]}
