"""The services and pages read the form (sections, rows, questions, pre-screening questions)
from the catalogue's per-process cache, keyed by the template's revision: an edit to the form
must reach the next save and the next page, never a stale copy."""

import pytest

from assessments import services
from assessments.catalogue import template_screening_questions, template_section
from assessments.exceptions import RuleViolation
from assessments.models import Assessment, Screening, ScreeningQuestion
from tests import factories as f

pytestmark = pytest.mark.django_db


def _fresh(assessment):
    return Assessment.objects.select_related("template").get(pk=assessment.pk)


def test_a_row_edited_in_place_is_checked_so_by_the_next_completion(cast):
    """Nothing can be added to a form in use (``test_admin_isolation``); an edit in place
    still can be (from the shell), and must reach the next save, never a stale copy."""
    assessment = f.current(f.screen(cast, f.start(cast)))
    marriage = f.row(assessment, "PC.MARRIAGE")
    code = marriage.section.code
    section = template_section(_fresh(assessment).template, code)  # the cache holds the form as it was
    ratings, given = f.section_inputs(section, {"PC.MARRIAGE": ({"not_applicable"}, "Not a workforce matter.")})
    services.section_save(assessment=assessment, section_code=code, by=cast.officer, ratings=ratings, answers=given)

    marriage.allows_not_applicable = False
    marriage.save()

    with pytest.raises(RuleViolation) as error:
        services.section_save(assessment=assessment, section_code=code, by=cast.officer, ratings=ratings,
                              answers=given, complete=True)
    assert error.value.errors[f"r{marriage.pk}"] == ["“Not applicable” is not an option for “Marriage and civil partnership”."]
    ratings, given = f.section_inputs(template_section(_fresh(assessment).template, code))
    services.section_save(assessment=assessment, section_code=code, by=cast.officer, ratings=ratings,
                          answers=given, complete=True)
    assert assessment.ratings.filter(row=marriage, no_impact=True).exists()
    progress = assessment.parts.get(part=code)
    assert (progress.status, progress.revision) == ("complete", 2)  # one row per part, counted on


def test_an_edited_screening_question_shows_on_the_next_read(cast):
    plan_change = f.start(cast)
    screening = plan_change.screenings.get()
    first = template_screening_questions(screening.template)[0]
    assert screening.answer_rows()[0][0].text == first.text

    question = ScreeningQuestion.objects.get(pk=first.pk)
    question.text = "Does the change reach people in every locality?"
    question.save()

    again = Screening.objects.select_related("template").get(pk=screening.pk)
    assert again.answer_rows()[0][0].text == "Does the change reach people in every locality?"
    assert template_screening_questions(screening.template)[0].text == first.text  # the old revision's entry


def test_the_actions_check_names_rows_in_the_forms_order(cast):
    plan_change = f.screen(cast, f.start(cast))
    f.complete_parts(cast, plan_change, overrides={"PC.AGE": ({"negative"}, "Fewer places."),
                                                   "PC.SEX": ({"not_known"}, "No data yet.")})
    assessment = f.current(plan_change)
    with pytest.raises(RuleViolation) as error:
        services.actions_save(assessment=assessment, by=cast.officer, actions=[], justifications={},
                              review_date=None, complete=True)
    age, sex = f.row(assessment, "PC.AGE"), f.row(assessment, "PC.SEX")
    keys = [key for key in error.value.errors if key[0] in "je"]
    assert keys == [f"j{age.pk}", f"e{sex.pk}"]
    assert f"“{age.label}” is rated negative" in error.value.errors[f"j{age.pk}"][0]
    assert f"“{sex.label}” is rated not known" in error.value.errors[f"e{sex.pk}"][0]


def test_the_form_is_kept_in_djangos_cache_under_its_template_and_revision(cast, django_assert_num_queries):
    """One mechanism for every cache: the catalogue is in Django's cache (shared by every
    process when it is Redis), under an explicit key with the template's revision as version."""
    from django.core.cache import caches

    cache = caches["catalogue"]
    template = f.current(f.screen(cast, f.start(cast))).template
    template_section(template, "equality")
    sections = cache.get(f"iia:catalogue:sections:{template.pk}", version=template.revision)
    assert "equality" in [s.code for s in sections]
    assert cache.get(f"iia:catalogue:sections:{template.pk}", version=template.revision + 1) is None
    with django_assert_num_queries(0):  # the rows and questions come with it, prefetched
        assert template_section(template, "equality").rows.all()
