from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.exceptions import NotAllowed, RuleViolation
from assessments.management.commands._people import acting_user
from assessments.models.boards import DEFAULT_RESULTS_PUBLICATION_DAYS
from assessments.services.boards import PLANNING_GROUP_NAME, LocalityInput, board_create
from reports.models.meetings import CommitteeKind
from reports.pdf import signing
from reports.services.committees import CommitteeInput, board_committees_create, committees_errors


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = ("Create a board (an IJB) with its localities, their planning groups, its committees and its signing "
            "certificate; then import its form with import_template (docs/new-board.md).")

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="the board's short web name, e.g. invercarron")
        parser.add_argument("--name", required=True, help="formal name, e.g. Invercarron Integration Joint Board")
        parser.add_argument("--short-name", required=True, help="shown in lists, e.g. Invercarron IJB")
        parser.add_argument("--reference-prefix", required=True,
                            help="plan change references, e.g. INV gives INV-0001")
        parser.add_argument("--constituent-authorities", default="",
                            help="the council and the health board, separated by a semicolon")
        parser.add_argument("--locality", action="append", default=[], metavar="CODE=NAME",
                            help="a locality, e.g. BURGH=\"Carron Burgh\"; give each, in order (two at least)")
        parser.add_argument("--planning-group-name", default=PLANNING_GROUP_NAME,
                            help=f"each locality's planning group (default \"{PLANNING_GROUP_NAME}\")")
        parser.add_argument("--committee", action="append", default=[], nargs=3,
                            metavar=("KIND", "REPORT_PREFIX", "NAME"),
                            help=f"a committee: kind ({' or '.join(CommitteeKind.values)}), the prefix of its "
                                 "report numbers and its name; the board itself (ijb) at least")
        parser.add_argument("--agenda-publication-days", type=int, default=7,
                            help="agendas are published this many days before a meeting (4 at least; default 7)")
        parser.add_argument("--results-publication-days", type=int, default=DEFAULT_RESULTS_PUBLICATION_DAYS,
                            help="days after a decision within which the results of its assessment are published "
                                 f"(reg 5 of SSI 2012/162; default {DEFAULT_RESULTS_PUBLICATION_DAYS})")
        certificate = parser.add_mutually_exclusive_group(required=True)
        certificate.add_argument("--signing-certificate", metavar="FILE.p12",
                                 help="the board's PKCS#12 signing key and certificate (passphrase in "
                                      "IIA_SIGNING_PASSPHRASE_<SLUG>)")
        certificate.add_argument("--self-signed", action="store_true",
                                 help="make a self-signed certificate instead (demonstrations and tests only)")
        parser.add_argument("--by", required=True, help="your username (a site administrator)")
        parser.add_argument("--dry-run", action="store_true", help="check everything, create nothing")

    def handle(self, *args, **options):
        by = acting_user(options["by"])
        localities = [self._locality(given) for given in options["locality"]]
        committees = []
        for kind, prefix, name in options["committee"]:
            if kind not in CommitteeKind.values:
                raise CommandError(f"--committee {kind}: the kind is one of {', '.join(CommitteeKind.values)}.")
            committees.append(CommitteeInput(kind=kind, name=name, report_prefix=prefix,
                                             publication_days=options["agenda_publication_days"]))
        slug = options["slug"]
        certificate = options["signing_certificate"]
        if certificate and not Path(certificate).is_file():
            raise CommandError(f"--signing-certificate {certificate}: no such file.")
        if signing.p12_path(slug).exists():
            raise CommandError(f"{signing.p12_path(slug)} exists already: a signing certificate of an earlier board "
                               f"{slug}? Move it away first.")
        problems = committees_errors(committees)  # named with the board's, all at once
        try:
            with transaction.atomic():
                try:
                    board = board_create(
                        by=by, slug=slug, name=options["name"], short_name=options["short_name"],
                        reference_prefix=options["reference_prefix"], localities=localities,
                        constituent_authorities=options["constituent_authorities"],
                        results_publication_days=options["results_publication_days"],
                        planning_group_name=options["planning_group_name"])
                except RuleViolation as violation:
                    raise RuleViolation({"__all__": violation.errors["__all__"] + problems}) from None
                made = board_committees_create(board=board, committees=committees, by=by)
                if options["dry_run"]:
                    raise _DryRun
                # last, inside the transaction: a certificate that will not do leaves no board behind
                path = (signing.install_certificate(slug, Path(certificate)) if certificate
                        else signing.make_self_signed(slug, board.name))
        except _DryRun:
            self.stdout.write(f"Would create {options['name']} ({slug}) with {len(localities)} localities and "
                              f"{len(committees)} committees. Nothing was created (--dry-run).")
            return
        except RuleViolation as violation:
            for message in violation.errors["__all__"]:
                self.stderr.write(f"- {message}")
            raise CommandError(f"{slug}: nothing was created.") from None
        except (NotAllowed, signing.SigningNotConfigured) as error:
            raise CommandError(f"{error} Nothing was created.") from None
        self.stdout.write(f"Created {board.name} ({board.slug}): localities "
                          + ", ".join(f"{g.code} {g.name}" for g in localities) + "; committees "
                          + ", ".join(f"{c.name} ({c.report_prefix})" for c in made)
                          + f"; signing certificate {path}.")
        self.stdout.write(f"Next: import its form, e.g. manage.py import_template FILE --by {by.get_username()} --activate "
                          "(docs/new-board.md).")

    def _locality(self, given: str) -> LocalityInput:
        code, sep, name = given.partition("=")
        if not sep or not code.strip() or not name.strip():
            raise CommandError(f"--locality {given!r}: give CODE=NAME, e.g. BURGH=\"Carron Burgh\".")
        return LocalityInput(code=code.strip(), name=name.strip())
