"""The statutory duties an Integration Joint Board discharges with iia, each beside the features
that discharge it and the tests that prove it.

This is the one source of the mapping: the public page ``/duties/`` and
``docs/statutory-duties.md`` (written by ``manage.py write_statutory_duties``) are both made from
it, and ``tests/iia/test_duties.py`` checks that every test named here exists.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

FULLY = "Discharged"
PARTLY = "Partly discharged"


@dataclass(frozen=True)
class Feature:
    """What the product does for a duty, and where a user finds it."""

    name: str
    where: str


@dataclass(frozen=True)
class Duty:
    """One duty: the law, what it asks in plain words, how far iia discharges it and what
    remains the board's own work, the features and the tests (``tests/<file>.py::<name>``)."""

    slug: str
    law: str
    title: str
    requires: str
    extent: str
    remains: str
    features: tuple[Feature, ...]
    tests: tuple[str, ...]


DUTIES: tuple[Duty, ...] = (
    Duty(
        slug="psed",
        law="Equality Act 2010, s.149",
        title="Public Sector Equality Duty",
        requires=(
            "When it exercises its functions the board must pay due regard to the need to end "
            "unlawful discrimination, harassment and victimisation, to advance equality of "
            "opportunity, and to foster good relations, for people with each of the nine protected "
            "characteristics."
        ),
        extent=PARTLY,
        remains=(
            "Due regard is paid by the people who decide. iia records the assessment they must read "
            "and will not let its author approve it, but the form rates the impact on each "
            "characteristic rather than asking about each of the three needs one by one, and it "
            "cannot make the board members read it."
        ),
        features=(
            Feature("Equality & Diversity part of every assessment: each of the nine protected "
                    "characteristics rated, with evidence, and a mitigation or justification for "
                    "every negative rating", "the assessment's task pages"),
            Feature("Review and sign-off by an equality lead and a senior officer of the same board, "
                    "never the author", "Queue, then the review and sign-off tasks"),
            Feature("The signed assessment goes with its report to the IJB meeting", "the meeting's agenda pack"),
        ),
        tests=(
            "tests/assessments/test_services.py::test_completing_a_section_needs_every_row_rated_and_explained",
            "tests/assessments/test_services.py::test_negative_needs_mitigation_or_justification_and_not_known_needs_evidence_action",
            "tests/assessments/test_services.py::test_nobody_approves_their_own_work_superusers_included",
            "tests/assessments/test_services.py::test_database_refuses_self_approval_behind_the_service",
            "tests/security/test_self_approval.py::test_the_author_cannot_approve_or_sign_off_on_any_path",
            "tests/security/test_role_matrix.py::test_no_persona_outside_the_board_or_without_a_role_reaches_board_data",
            "tests/reports/test_pdf.py::test_sections_outline_metadata_and_embedded_fonts",
        ),
    ),
    Duty(
        slug="reg-3",
        law="SSI 2012/162, reg 3",
        title="Report on mainstreaming the equality duty",
        requires=(
            "The board must publish, every two years, a report on the progress it has made in "
            "making the equality duty part of how it carries out its functions."
        ),
        extent=PARTLY,
        remains=(
            "iia gives the figures from the board's own assessments (how many, how fast, what "
            "impacts were found and what was done about them); the narrative of the report, and its "
            "publication, are the board's."
        ),
        features=(
            Feature("Mainstreaming figures for any period, as a page, a signed PDF, CSV and XLSX",
                    "the board dashboard, Mainstreaming evidence (equality leads and senior officers)"),
        ),
        tests=(
            "tests/reports/test_mainstreaming.py::test_the_figures_of_a_hand_built_world",
            "tests/reports/test_mainstreaming.py::test_the_pdf_is_tagged_signed_and_says_what_it_counts",
            "tests/reports/test_mainstreaming.py::test_the_csv_and_xlsx_hold_every_figure_with_its_definition",
            "tests/reports/test_mainstreaming.py::test_only_the_boards_equality_leads_and_senior_officers_produce_it",
        ),
    ),
    Duty(
        slug="reg-4",
        law="SSI 2012/162, reg 4",
        title="Equality outcomes and progress on them",
        requires=(
            "The board must set and publish equality outcomes every four years, and report every "
            "two years on its progress towards them."
        ),
        extent=PARTLY,
        remains=(
            "iia does not hold the board's equality outcomes. Its mainstreaming figures (negative "
            "impacts by protected characteristic, mitigating actions done and in force) are evidence "
            "for the progress report; choosing the outcomes and judging progress are the board's work."
        ),
        features=(
            Feature("Negative impacts by protected characteristic and by Fairer Scotland dimension, "
                    "and mitigating actions in force, for a chosen period",
                    "the board dashboard, Mainstreaming evidence"),
        ),
        tests=(
            "tests/reports/test_mainstreaming.py::test_the_figures_of_a_hand_built_world",
            "tests/reports/test_mainstreaming.py::test_a_superseded_version_leaves_the_mitigations_in_force",
            "tests/reports/test_mainstreaming.py::test_the_page_shows_the_figures_for_the_last_two_years_by_default",
        ),
    ),
    Duty(
        slug="reg-5",
        law="SSI 2012/162, reg 5",
        title="Assess, publish and review policies and practices",
        requires=(
            "The board must assess the impact of new or changed policies and practices against the "
            "equality duty, using evidence including what people affected have said, take the "
            "results into account, publish them within a reasonable time, and review and revise its "
            "policies where needed. Deciding whether an assessment is needed is not the assessment."
        ),
        extent=FULLY,
        remains=(
            "Gathering the evidence and speaking to the people affected is the officers' work; iia "
            "asks for it, records it and will not let an assessment through without it."
        ),
        features=(
            Feature("Screening that proposes whether a full assessment is needed, reviewed by an "
                    "equality lead; a screened-out change gets its own short signed screening record, "
                    "never shown as an assessment", "Start an assessment; Plan changes"),
            Feature("The full assessment with evidence and consultation, signed off and signed as a PDF",
                    "the assessment's task pages"),
            Feature("Publication on the public register with the report, or with the delegated decision, "
                    "within the board's period (a late one only with a reason)", "Published impact assessments"),
            Feature("Review dates, reminders, review outcomes and new versions; monitoring of every "
                    "mitigating action", "the plan change's review page; Monitoring"),
        ),
        tests=(
            "tests/assessments/test_services.py::test_screening_proposes_full_iia_with_reasons",
            "tests/assessments/test_services.py::test_screening_review_rules",
            "tests/reports/test_pdf.py::test_a_screened_out_record_is_its_own_short_document",
            "tests/assessments/test_services.py::test_submission_requires_every_part_complete",
            "tests/reports/test_meetings.py::test_publishing_numbers_reports_publishes_documents_and_builds_the_pack",
            "tests/reports/test_meetings.py::test_the_register_shows_only_published_records_in_every_state",
            "tests/reports/test_delegated_decisions.py::test_the_register_shows_the_delegated_decision_to_the_public",
            "tests/reports/test_delegated_decisions.py::test_later_than_the_boards_period_it_is_published_only_with_a_reason",
            "tests/reports/test_publication.py::test_publishing_later_than_the_period_without_a_reason_is_refused",
            "tests/assessments/test_review.py::test_a_review_that_finds_changes_starts_a_new_version_that_supersedes_on_sign_off",
            "tests/workflows/test_reminders.py::test_review_reminder_goes_to_the_author_and_lead_officer_once_and_again_when_the_date_moves",
            "tests/assessments/test_monitoring.py::test_done_is_recorded_with_who_when_note_evidence_and_date_and_audited",
        ),
    ),
    Duty(
        slug="reg-10",
        law="SSI 2012/162, reg 10",
        title="Publish in a manner that is accessible",
        requires=(
            "What the board publishes under these regulations must be accessible to the public, "
            "and available in other formats when people need them."
        ),
        extent=FULLY,
        remains=(
            "Producing a requested format (large print, braille, a translation, audio) is the "
            "equality lead's work; iia records the request, its due date and what was sent."
        ),
        features=(
            Feature("Signed PDFs that conform to PDF/UA-1 and PDF/A-2a, each with a web (HTML) version",
                    "Published impact assessments"),
            Feature("An easy read summary beside the signed PDF", "the register entry of the assessment"),
            Feature("A request for another format from any published document, tracked to done",
                    "the register entry, Ask for this in another format; Other formats (equality leads)"),
            Feature("Public pages checked with axe-core", "Accessibility statement"),
        ),
        tests=(
            "tests/reports/test_conformance.py::test_signed_assessments_conform_before_and_after_signing",
            "tests/reports/test_documents.py::test_the_accessible_twin_has_the_same_content",
            "tests/reports/test_easy_read.py::test_the_officer_writes_it_and_it_is_shown_on_the_register_entry_beside_the_signed_pdf",
            "tests/reports/test_other_formats.py::test_the_register_entry_and_the_document_page_offer_another_format",
            "tests/reports/test_other_formats.py::test_the_lead_marks_it_in_progress_then_done_with_what_was_sent_and_when",
            "tests/reports/test_other_formats.py::test_due_in_working_days_overdue_marked_and_reminded_once_until_done",
        ),
    ),
    Duty(
        slug="fairer-scotland",
        law="Equality Act 2010, Part 1, s.1 (the Fairer Scotland Duty)",
        title="Fairer Scotland Duty",
        requires=(
            "When it makes decisions of a strategic nature, the board must actively consider how it "
            "could reduce inequalities of outcome caused by socio-economic disadvantage, and publish "
            "a written assessment showing how it did."
        ),
        extent=FULLY,
        remains=(
            "Whether a decision is strategic is the board's judgement; the screening asks the "
            "question and the equality lead checks the answer."
        ),
        features=(
            Feature("Fairness & Poverty part of every assessment: the five dimensions of socio-economic "
                    "disadvantage and each locality rated, with a written assessment summary",
                    "the assessment's task pages"),
            Feature("The written assessment published in the signed assessment on the register",
                    "Published impact assessments"),
        ),
        tests=(
            "tests/assessments/test_services.py::test_screening_proposes_full_iia_with_reasons",
            "tests/reports/test_pdf.py::test_sections_outline_metadata_and_embedded_fonts",
            "tests/reports/test_documents.py::test_the_accessible_twin_has_the_same_content",
            "tests/reports/test_mainstreaming.py::test_the_figures_of_a_hand_built_world",
        ),
    ),
    Duty(
        slug="islands",
        law="Islands (Scotland) Act 2018, ss.7–8",
        title="Island communities",
        requires=(
            "The board must have regard to island communities, and prepare an island communities "
            "impact assessment for anything likely to affect an island community significantly "
            "differently from other communities; if it prepares none for something that does "
            "affect one, it must publish why."
        ),
        extent=PARTLY,
        remains=(
            "iia asks the question of every proposal and holds the island communities impact "
            "assessment or the published explanation. The s.7 duty to have regard to island "
            "communities covers everything the board does, not only the proposals assessed in iia; "
            "judging whether an effect is significantly different is the officers' and the lead's."
        ),
        features=(
            Feature("Island Communities Impact Assessment module, opened by the screening question",
                    "the assessment's task pages"),
            Feature("The explanation for not preparing one, published", "the register entry of the assessment"),
        ),
        tests=(
            "tests/assessments/test_modules.py::test_a_module_opens_only_when_the_screening_answer_says_so",
            "tests/assessments/test_modules.py::test_an_icia_not_prepared_needs_the_s84_explanation_and_one_prepared_needs_the_effect",
            "tests/assessments/test_modules.py::test_the_register_entry_publishes_the_s84_explanation",
        ),
    ),
    Duty(
        slug="uncrc",
        law="UNCRC (Incorporation) (Scotland) Act 2024",
        title="Children's rights",
        requires=(
            "The board must not act incompatibly with the children's rights the Act brings into "
            "Scots law. A child rights and wellbeing impact assessment is the recommended way to "
            "show it has considered them."
        ),
        extent=PARTLY,
        remains=(
            "iia holds the children's rights assessment of each proposal. Any children's rights "
            "report the board may have to publish is not produced by iia."
        ),
        features=(
            Feature("Children's Rights and Wellbeing Impact Assessment module: young carers, children in "
                    "affected households and children using the service, and the rights engaged",
                    "the assessment's task pages"),
        ),
        tests=(
            "tests/assessments/test_modules.py::test_a_module_opens_only_when_the_screening_answer_says_so",
            "tests/assessments/test_modules.py::test_the_module_page_asks_the_children_rows_and_questions",
            "tests/assessments/test_modules.py::test_the_signed_pdf_and_its_html_version_show_the_modules",
        ),
    ),
    Duty(
        slug="sea",
        law="Environmental Assessment (Scotland) Act 2005, s.7",
        title="Strategic environmental assessment pre-screening",
        requires=(
            "For a qualifying plan or programme the board may decide that it will have no or minimal "
            "environmental effects, and must then tell the Consultation Authorities as soon as it can."
        ),
        extent=PARTLY,
        remains=(
            "iia records the determination, the date the notice was sent and the link to any "
            "Environmental Report. Sending the notice, and a full assessment where one is needed, "
            "are done outside iia."
        ),
        features=(
            Feature("SEA pre-screening module, opened by the screening question", "the assessment's task pages"),
        ),
        tests=(
            "tests/assessments/test_modules.py::test_the_sea_pre_screening_needs_the_notice_date_and_a_required_sea_the_report_link",
            "tests/assessments/test_modules.py::test_the_sea_date_and_link_are_checked_even_in_a_draft",
        ),
    ),
    Duty(
        slug="directions",
        law="Public Bodies (Joint Working) (Scotland) Act 2014, ss.26–27",
        title="Directions",
        requires=(
            "The board must give its constituent authorities written directions to carry out the "
            "functions delegated to it; a later direction may vary or revoke an earlier one."
        ),
        extent=PARTLY,
        remains=(
            "iia issues a numbered direction when the board agrees a report, and keeps which "
            "direction varies or revokes which. The direction's budget and wording are the board's."
        ),
        features=(
            Feature("A direction issued when a report is agreed, with its reference, review date and "
                    "what it varies or revokes", "the report's page; the clerk's decision page"),
            Feature("The public register of directions", "Published impact assessments, the board's register of directions"),
        ),
        tests=(
            "tests/reports/test_directions.py::test_agreeing_a_report_issues_its_direction_with_the_next_reference_of_the_board_and_year",
            "tests/reports/test_directions.py::test_a_later_direction_varies_or_revokes_the_earlier_one",
            "tests/reports/test_directions.py::test_the_public_register_of_directions",
        ),
    ),
    Duty(
        slug="localities",
        law="Public Bodies (Joint Working) (Scotland) Act 2014, s.41",
        title="Localities",
        requires=(
            "Where a decision might significantly affect services in a locality, the board must "
            "involve and consult the people prescribed for that locality."
        ),
        extent=PARTLY,
        remains=(
            "iia asks, for every locality rated negative, which locality planning group was consulted "
            "and when. Holding the consultation is the board's work."
        ),
        features=(
            Feature("Each locality rated in the Fairness & Poverty part; a negative rating asks for the "
                    "group consulted and the date", "the assessment's task pages"),
        ),
        tests=(
            "tests/assessments/test_locality_consultation.py::test_a_negative_locality_row_asks_for_the_group_consulted",
            "tests/assessments/test_locality_consultation.py::test_a_negative_locality_row_asks_for_the_date_of_the_consultation",
            "tests/assessments/test_locality_consultation.py::test_the_summary_the_pdf_and_the_html_version_show_the_group_and_the_date",
        ),
    ),
)


def duties_doc_path():
    """Where the committed Markdown copy of the mapping lives."""
    return settings.BASE_DIR / "docs" / "statutory-duties.md"


def duties_markdown() -> str:
    """The mapping as Markdown: what ``docs/statutory-duties.md`` must hold."""
    return render_to_string("docs/statutory_duties.md", {"duties": DUTIES}).strip() + "\n"
