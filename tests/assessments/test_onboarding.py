"""A new board without code (docs/new-board.md): create_board, then import_template from
a file, then an IIA from start to sign-off on the new board, with its signed PDF."""

import io
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from assessments.exceptions import RuleViolation
from assessments.models import AuditEvent, Board, Locality, LocalityPlanningGroup, Role, Template
from reports.models import Committee, ReportWording, SignedDocument
from reports.pdf import signing
from tests import factories as f
from tests.reports.helpers import text_of

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "forms" / "invercarron-ijb-v1.yaml"

INVERCARRON = [
    "--slug", "invercarron", "--name", "Invercarron Integration Joint Board", "--short-name", "Invercarron IJB",
    "--reference-prefix", "INV", "--constituent-authorities", "Invercarron Council; NHS Carron",
    "--locality", "BURGH=Carron Burgh", "--locality", "GLEN=Strathcarron and the Glens",
    "--locality", "ISLES=The Carron Isles",
    "--committee", "ijb", "INVIJB", "Invercarron Health and Social Care Integration Joint Board",
    "--committee", "pac", "INVPAC", "Performance and Audit Committee",
    "--results-publication-days", "21", "--agenda-publication-days", "8",
]


def run(name, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def signing_dir(settings, tmp_path):
    """A signing directory of the test's own: the shared one keeps the demo boards' keys."""
    settings.IIA_SIGNING_DIR = str(tmp_path / "signing")
    signing.signer.cache_clear()
    yield Path(settings.IIA_SIGNING_DIR)
    signing.signer.cache_clear()


@pytest.fixture
def admin():
    return get_user_model().objects.create_superuser("site-admin", "admin@example.org", f.PASSWORD)


def test_a_third_board_onboarded_from_a_file_takes_an_iia_to_sign_off(signing_dir, admin, committed):
    started = time.perf_counter()
    # 1. the site administrator creates the board
    out, _ = run("create_board", *INVERCARRON, "--self-signed", "--by", admin.username)
    assert out.startswith("Created Invercarron Integration Joint Board (invercarron): localities BURGH Carron Burgh,")
    assert (signing_dir / "invercarron.p12").exists()
    board = Board.objects.get(slug="invercarron")
    assert (board.reference_prefix, board.results_publication_days) == ("INV", 21)

    # 2. its equality lead imports the form and makes it active; until then nothing starts
    cast = f.Cast("invercarron")
    with pytest.raises(RuleViolation, match="Invercarron IJB has no assessment form yet"):
        f.start(cast)
    out, _ = run("import_template", str(SAMPLE), "--by", cast.lead.username, "--activate")
    assert "Imported invercarron-ijb-v1 (version 1) for Invercarron IJB" in out and "now the active form" in out

    # 3. an officer takes a plan change through the flow (workflows/actions.py) to sign-off
    isles = "GEO.ISLES"

    def signed():
        plan_change = f.start(cast, "Close the Carron Isles day centre")
        f.screen(cast, plan_change, island_communities="yes")
        f.complete_parts(cast, plan_change, {isles: ({"negative"}, "Fewer days of care on the isles.")})
        assessment = f.current(plan_change)
        f.complete_actions(cast, plan_change, justifications={f.row(assessment, isles).pk: "Proportionate."})
        f.submit(cast, plan_change)
        f.approve(cast, plan_change)
        return f.sign_off(cast, plan_change)

    assessment = committed(signed)
    elapsed = time.perf_counter() - started
    assert assessment.state == "signed_off"
    assert assessment.plan_change.reference == f"INV-{assessment.plan_change.pk:04d}"  # the board's own prefix
    assert assessment.template.code == "invercarron-ijb-v1"
    assert "icia" in assessment.modules  # a module of the file, opened by the screening
    rating = assessment.ratings.get(row__code=isles)
    assert rating.consulted_group.name == "The Carron Isles Locality Planning Group"

    # 4. the signed PDF, signed with the new board's own key
    document = SignedDocument.objects.get(assessment=assessment)
    assert document.status == "ready" and document.board == board
    text = " ".join(text_of(bytes(document.pdf)).split())
    assert "Invercarron" in text and "The Carron Isles" in text and "Island Communities Impact Assessment" in text
    from reports.services import document_verify

    assert document_verify(bytes(document.pdf)).verdict == "genuine"
    assert signing.certificate_der("invercarron") != b""
    print(f"\nonboarding: create_board, import_template and an IIA to a signed PDF in {elapsed:.1f} s")


# --- create_board --------------------------------------------------------------------------

def test_create_board_makes_the_localities_groups_committees_and_audit(signing_dir, admin):
    run("create_board", *INVERCARRON, "--planning-group-name", "{locality} Locality Partnership",
        "--self-signed", "--by", admin.username)
    board = Board.objects.get(slug="invercarron")
    assert list(Locality.objects.filter(board=board).values_list("code", "name", "order")) == [
        ("BURGH", "Carron Burgh", 1), ("GLEN", "Strathcarron and the Glens", 2), ("ISLES", "The Carron Isles", 3)]
    assert list(LocalityPlanningGroup.objects.filter(board=board).values_list("name", "locality__code")) == [
        ("Carron Burgh Locality Partnership", "BURGH"), ("Strathcarron and the Glens Locality Partnership", "GLEN"),
        ("The Carron Isles Locality Partnership", "ISLES")]
    assert list(Committee.objects.filter(board=board).values_list("kind", "report_prefix", "publication_days")) == [
        ("ijb", "INVIJB", 8), ("pac", "INVPAC", 8)]
    assert ReportWording.objects.filter(board=board).exists()
    assert list(AuditEvent.objects.filter(board=board).values_list("action", "actor")) == [
        ("board.create", admin.pk), ("board.committees", admin.pk)]
    assert not Template.objects.filter(board=board).exists()  # its form comes from import_template


def test_a_dry_run_creates_nothing(signing_dir, admin):
    counts = (Board.objects.count(), Locality.objects.count(), Committee.objects.count(), AuditEvent.objects.count())
    out, _ = run("create_board", *INVERCARRON, "--self-signed", "--by", admin.username, "--dry-run")
    assert out == ("Would create Invercarron Integration Joint Board (invercarron) with 3 localities and 2 committees. "
                   "Nothing was created (--dry-run).\n")
    assert (Board.objects.count(), Locality.objects.count(), Committee.objects.count(),
            AuditEvent.objects.count()) == counts
    assert not signing_dir.exists() or not any(signing_dir.iterdir())


def test_every_problem_is_named_and_nothing_is_created(signing_dir, admin):
    err = io.StringIO()
    with pytest.raises(CommandError, match="dundee: nothing was created"):
        call_command("create_board", "--slug", "dundee", "--name", "", "--short-name", "D", "--reference-prefix",
                     "DUN", "--locality", "A=One", "--locality", "A=Again", "--committee", "pac", "X", "Audit",
                     "--agenda-publication-days", "2", "--results-publication-days", "400",
                     "--self-signed", "--by", admin.username, stderr=err, stdout=io.StringIO())
    said = err.getvalue()
    for message in ("the board's slug: Board with this Slug already exists.",
                    "the board's name: This field cannot be blank.",
                    "the board's results_publication_days: Give a period of at most 90 days.",
                    "the reference prefix DUN is Dundee IJB's already: choose another.",
                    "the locality code A is given twice.",
                    "give the board's own committee (the IJB), which its reports go to.",
                    "the pac committee's publication_days: Publish the agenda at least 4 days before the meeting"):
        assert message in said, said
    assert Board.objects.count() == 2


def test_one_locality_is_not_enough_and_codes_are_checked(signing_dir, admin):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("create_board", "--slug", "Bad Slug!", "--name", "N", "--short-name", "N", "--reference-prefix",
                     "inv-1", "--locality", "A=Only", "--committee", "ijb", "I", "N", "--self-signed",
                     "--by", admin.username, stderr=err, stdout=io.StringIO())
    said = err.getvalue()
    assert "a board has 2 localities at least (s.29 of the 2014 Act); 1 given." in said
    assert "the board's slug: Enter a valid “slug”" in said
    assert "the reference prefix 'inv-1': give capital letters and digits" in said
    with pytest.raises(CommandError, match="give CODE=NAME"):
        run("create_board", *INVERCARRON, "--locality", "nameless", "--self-signed", "--by", admin.username)
    with pytest.raises(CommandError, match="--committee board: the kind is one of ijb, pac"):
        run("create_board", *INVERCARRON, "--committee", "board", "B", "Board", "--self-signed", "--by", admin.username)


def test_only_a_site_administrator_creates_a_board(signing_dir):
    lead = f.user(Role.EQUALITY_LEAD, "dundee")
    with pytest.raises(CommandError, match="Only a site administrator can create a board. Nothing was created."):
        run("create_board", *INVERCARRON, "--self-signed", "--by", lead.username)
    assert not Board.objects.filter(slug="invercarron").exists()
    assert not (signing_dir / "invercarron.p12").exists()


def test_a_signing_certificate_from_a_file_is_checked_before_it_is_installed(signing_dir, admin, tmp_path, settings):
    # a certificate made elsewhere, with the passphrase the deployment gives the board
    settings.IIA_SIGNING_DIR = str(tmp_path / "elsewhere")
    made = signing.make_self_signed("invercarron", "Invercarron Integration Joint Board")
    settings.IIA_SIGNING_DIR = str(signing_dir)
    junk = tmp_path / "junk.p12"
    junk.write_bytes(b"not a certificate")
    with pytest.raises(CommandError, match="Could not open .*junk.p12 as a PKCS#12 file"):
        run("create_board", *INVERCARRON, "--signing-certificate", str(junk), "--by", admin.username)
    assert not Board.objects.filter(slug="invercarron").exists()  # the transaction rolled back
    with pytest.raises(CommandError, match="no such file"):
        run("create_board", *INVERCARRON, "--signing-certificate", str(tmp_path / "none.p12"), "--by", admin.username)
    out, _ = run("create_board", *INVERCARRON, "--signing-certificate", str(made), "--by", admin.username)
    assert (signing_dir / "invercarron.p12").read_bytes() == made.read_bytes()
    assert oct((signing_dir / "invercarron.p12").stat().st_mode & 0o777) == "0o600"
    assert signing.key_is_rsa("invercarron")


def test_a_certificate_with_the_wrong_passphrase_is_refused(signing_dir, admin, tmp_path, settings, monkeypatch):
    settings.IIA_SIGNING_DIR = str(tmp_path / "elsewhere")
    made = signing.make_self_signed("invercarron", "Invercarron Integration Joint Board")
    settings.IIA_SIGNING_DIR = str(signing_dir)
    monkeypatch.setenv("IIA_SIGNING_PASSPHRASE_INVERCARRON", "another passphrase")
    with pytest.raises(CommandError, match="wrong passphrase"):
        run("create_board", *INVERCARRON, "--signing-certificate", str(made), "--by", admin.username)
    assert not Board.objects.filter(slug="invercarron").exists()


def test_the_errors_shown_in_the_guide_are_what_the_command_says(signing_dir, admin, tmp_path):
    """docs/new-board.md shows the errors of the sample with two mistakes: the command says them."""
    run("create_board", *INVERCARRON, "--self-signed", "--by", admin.username)
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[129] == "    label: The Carron Isles\n" and lines[131] == "    locality: ISLES\n"
    lines[129], lines[131] = "    lable: The Carron Isles\n", "    locality: ISLE\n"
    path = tmp_path / "invercarron-ijb-v1.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_template", str(path), "--by", admin.username, "--dry-run", stderr=err)
    said = err.getvalue().replace(str(path), path.name) + f"CommandError: {refused.value}".replace(str(path), path.name)
    guide = (Path(__file__).resolve().parents[2] / "docs" / "new-board.md").read_text(encoding="utf-8")
    shown = guide.split("listed with its line, for example:\n\n```\n", 1)[1].split("```", 1)[0]
    assert said.strip() == shown.strip()
