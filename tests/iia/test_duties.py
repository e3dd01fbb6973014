"""The statutory duties, mapped: one source (iia/duties.py) for the public page and the doc, and
every test it names exists."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from iia import duties

ROOT = Path(settings.BASE_DIR)
NAMED = re.compile(r"^tests/[\w/]+\.py::\w+(::\w+)?(\[[^\]]*\])?$")


def defined_tests(path: Path) -> set[str]:
    """The test names a test file defines: ``test_x`` at module level, ``TestY::test_x`` in a class."""
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names |= {f"{node.name}::{item.name}" for item in node.body
                      if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test")}
    return names


def missing(test_ids) -> list[str]:
    """The named tests whose file or function does not exist (a parametrised id's ``[...]`` is ignored)."""
    gone = []
    for test_id in test_ids:
        file, _, name = test_id.partition("::")
        path = ROOT / file
        if not NAMED.match(test_id) or not path.is_file() or name.split("[")[0] not in defined_tests(path):
            gone.append(test_id)
    return gone


def test_every_test_named_exists():
    named = [test for duty in duties.DUTIES for test in duty.tests]
    assert named and missing(named) == []


def test_every_test_named_in_the_doc_exists():
    named = set(re.findall(r"`(tests/[^`]+::[^`]+)`", (ROOT / "docs" / "statutory-duties.md").read_text()))
    assert named == {test for duty in duties.DUTIES for test in duty.tests}
    assert missing(sorted(named)) == []


@pytest.mark.parametrize("test_id", [
    "tests/iia/test_duties.py::test_not_a_test_here",
    "tests/iia/no_such_file.py::test_every_test_named_exists",
    "tests/iia/test_duties.py",
    "tests/../iia/duties.py::DUTIES",
    "tests/iia/test_duties.py::defined_tests",
])
def test_a_test_that_does_not_exist_is_caught(test_id):
    assert missing([test_id]) == [test_id]


def test_parametrised_and_class_based_names_are_found(tmp_path, monkeypatch):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text(
        "import pytest\n@pytest.mark.parametrize('a', [1])\ndef test_p(a): pass\n"
        "class TestC:\n    def test_m(self): pass\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert missing(["tests/test_x.py::test_p[1]", "tests/test_x.py::TestC::test_m"]) == []
    assert missing(["tests/test_x.py::test_m", "tests/test_x.py::TestC::test_p"]) == [
        "tests/test_x.py::test_m", "tests/test_x.py::TestC::test_p"]


def test_every_duty_of_the_issue_is_mapped_with_a_feature_and_a_test():
    laws = " | ".join(duty.law for duty in duties.DUTIES)
    for law in ("Equality Act 2010, s.149", "reg 3", "reg 4", "reg 5", "reg 10", "Fairer Scotland Duty",
                "Islands (Scotland) Act 2018, ss.7–8", "UNCRC (Incorporation) (Scotland) Act 2024",
                "Environmental Assessment (Scotland) Act 2005, s.7", "Joint Working) (Scotland) Act 2014, ss.26–27",
                "Joint Working) (Scotland) Act 2014, s.41"):
        assert law in laws
    slugs = [duty.slug for duty in duties.DUTIES]
    assert len(slugs) == len(set(slugs))
    for duty in duties.DUTIES:
        assert duty.features and duty.tests and duty.requires and duty.remains
        assert duty.extent in (duties.FULLY, duties.PARTLY)


def test_the_committed_doc_is_what_the_data_gives():
    assert (ROOT / "docs" / "statutory-duties.md").read_text() == duties.duties_markdown()
    call_command("write_statutory_duties", "--check")


def test_the_command_writes_the_doc_and_check_fails_when_it_differs(tmp_path, monkeypatch):
    target = tmp_path / "statutory-duties.md"
    monkeypatch.setattr(duties, "duties_doc_path", lambda: target)
    monkeypatch.setattr("iia.management.commands.write_statutory_duties.duties_doc_path", lambda: target)
    with pytest.raises(CommandError, match="out of date"):
        call_command("write_statutory_duties", "--check")
    call_command("write_statutory_duties")
    assert target.read_text() == duties.duties_markdown()
    call_command("write_statutory_duties", "--check")
    target.write_text(target.read_text().replace("Discharged", "Done"))
    with pytest.raises(CommandError, match="out of date"):
        call_command("write_statutory_duties", "--check")


@pytest.mark.django_db
def test_the_page_is_public_and_shows_each_duty_its_extent_features_and_tests(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("statutory_duties"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "<h1>" in text and "<caption" in text and "<script" not in text.split("<main", 1)[-1]
    for duty in duties.DUTIES:
        assert f'<h2 id="{duty.slug}">' in text and f'href="#{duty.slug}"' in text
        for test in duty.tests:
            assert f"<code>{test}</code>" in text
        for feature in duty.features:
            assert feature.where.replace("'", "&#x27;") in text
    assert text.count("Partly discharged") == 2 * sum(duty.extent == duties.PARTLY for duty in duties.DUTIES)
    assert reverse("accessibility") in text


@pytest.mark.django_db
def test_the_page_is_linked_from_every_page_and_the_accessibility_statement(client):
    duties_url = reverse("statutory_duties")
    assert f'href="{duties_url}"' in client.get(reverse("register_index")).content.decode()
    statement = client.get(reverse("accessibility")).content.decode()
    assert statement.count(f'href="{duties_url}"') == 2  # the footer and the reg 10 paragraph


@pytest.mark.django_db
def test_only_get_and_head(client):
    assert client.post(reverse("statutory_duties")).status_code == 405
    assert client.head(reverse("statutory_duties")).status_code == 200


def test_the_readme_links_the_page_and_names_the_duties():
    readme = (ROOT / "README.md").read_text()
    assert "docs/statutory-duties.md" in readme and "/duties/" in readme
    for name in ("s.149", "Fairer Scotland Duty", "Islands", "UNCRC", "s.41"):
        assert name in readme
