"""kpis.criteria: a template's criteria as the engine sees them, and the engine's errors in words.

No database: Criteria.of reads plain attributes, so an unsaved KPITemplate will do.
"""

from decimal import Decimal

import pytest
from django.utils.translation import gettext, override

from kpis import scoring
from kpis.criteria import ENGINE_MESSAGES, Criteria, engine_message, threshold_field
from kpis.enums import CriteriaType, FloorRule
from kpis.models import KPITemplate

D = Decimal
T = (D(55), D(60), D(65), D(70), D(75))  # the deck's "65 ± 5"
ONE = D(1)
HYBRID_T = (None, None, D(60), D(70), D(80))


def outcome(*thresholds, higher_is_better=True, floor=ONE) -> Criteria:
    return Criteria(CriteriaType.OUTCOME, higher_is_better, 0, tuple(thresholds or T), floor)


def milestone(floor=ONE) -> Criteria:
    return Criteria(CriteriaType.MILESTONE, True, 0, (None,) * 5, floor)


def hybrid(step_count=2, thresholds=HYBRID_T, floor=ONE) -> Criteria:
    return Criteria(CriteriaType.HYBRID, True, step_count, tuple(thresholds), floor)


# --- Criteria.of -----------------------------------------------------------------------------------


def test_of_reads_the_templates_criteria_fields():
    template = KPITemplate(
        criteria_type=CriteriaType.HYBRID,
        higher_is_better=False,
        step_count=2,
        threshold_3=D(80),
        threshold_4=D(70),
        threshold_5=D(60),
    )

    criteria = Criteria.of(template)

    assert criteria == Criteria(
        CriteriaType.HYBRID, False, 2, (None, None, D(80), D(70), D(60)), D(1)
    )


@pytest.mark.parametrize(("rule", "floor"), [(FloorRule.ONE, D(1)), (FloorRule.ZERO, D(0))])
def test_of_takes_the_floor_from_the_frameworks_rule(rule, floor):
    assert Criteria.of(KPITemplate(), floor_rule=rule).floor == floor


@pytest.mark.parametrize(
    ("criteria", "steps", "thresholds"),
    [
        (outcome(), 0, T),
        (milestone(), 5, ()),
        (hybrid(), 2, (D(60), D(70), D(80))),
        (Criteria(CriteriaType.COMPOSITE, True, 0, T), 0, ()),
    ],
)
def test_steps_and_thresholds_in_use_follow_the_criteria_type(criteria, steps, thresholds):
    assert criteria.steps_in_use == steps
    assert criteria.thresholds_in_use == thresholds


def test_threshold_field_names_the_level():
    assert threshold_field(4) == "threshold_4"


# --- validate ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "criteria",
    [
        outcome(),
        outcome(*reversed(T), higher_is_better=False),
        milestone(),
        hybrid(),
        Criteria(CriteriaType.COMPOSITE, True, 0, (None,) * 5),
    ],
)
def test_complete_criteria_validate(criteria):
    criteria.validate()


def test_validate_refuses_a_missing_threshold_naming_the_outcome_levels():
    with pytest.raises(scoring.InvalidCriteria) as caught:
        outcome(D(55), D(60), None, D(70), D(75)).validate()

    assert caught.value.code == "threshold_count"
    assert caught.value.params == {"first": 1, "last": 5, "expected": 5, "count": 4}


def test_validate_refuses_thresholds_that_do_not_rise_naming_levels_3_and_4():
    with pytest.raises(scoring.InvalidCriteria) as caught:
        outcome(D(40), D(50), D(60), D(60), D(70)).validate()

    assert caught.value.code == "thresholds_not_rising"
    assert caught.value.levels == (3, 4)


def test_validate_refuses_rising_thresholds_when_lower_is_better():
    with pytest.raises(scoring.InvalidCriteria) as caught:
        outcome(*T, higher_is_better=False).validate()

    assert caught.value.code == "thresholds_not_falling"
    assert caught.value.levels == (1, 2)


def test_validate_checks_only_the_outcome_levels_of_hybrid_criteria():
    hybrid(thresholds=(D(99), D(1), D(60), D(70), D(80))).validate()

    with pytest.raises(scoring.InvalidCriteria) as caught:
        hybrid(thresholds=(None, None, D(60), D(60), D(80))).validate()
    assert caught.value.levels == (3, 4)


@pytest.mark.parametrize("step_count", [0, 5])
def test_validate_refuses_hybrid_criteria_without_1_to_4_steps(step_count):
    with pytest.raises(scoring.InvalidCriteria) as caught:
        hybrid(step_count=step_count, thresholds=T).validate()

    assert caught.value.code == "too_many_steps"


# --- score: outcome --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "score"),
    [
        ("67", "3.4000"),  # DOMAIN.md §4
        ("63.3", "2.6600"),  # DOMAIN.md §4
        ("55", "1.0000"),
        ("65", "3.0000"),
        ("74.99", "4.9980"),
        ("75", "5.0000"),
        ("120", "5.0000"),
        ("54.9", "1.0000"),  # below level 1: the OPDC floor
    ],
)
def test_outcome_higher_is_better(result, score):
    assert outcome().score(result=D(result)) == D(score)


@pytest.mark.parametrize(
    ("result", "score"),
    [
        ("63", "3.4000"),
        ("66.7", "2.6600"),
        ("75", "1.0000"),
        ("55", "5.0000"),
        ("40", "5.0000"),
        ("80", "1.0000"),
    ],
)
def test_outcome_lower_is_better_mirrors_it(result, score):
    assert outcome(*reversed(T), higher_is_better=False).score(result=D(result)) == D(score)


def test_outcome_below_level_1_scores_zero_under_the_zero_floor_rule():
    assert outcome(floor=D(0)).score(result=D(54)) == D("0.0000")
    assert outcome(floor=D(0)).score(result=D(55)) == D("1.0000")


def test_outcome_refuses_a_result_that_is_not_a_number():
    with pytest.raises(scoring.InvalidResult) as caught:
        outcome().score(result="abc")

    assert caught.value.code == "not_a_number"


# --- score: milestone and hybrid --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("steps", "score"),
    [
        ((True, True, True, False, False), "3.0000"),
        ((True, True, False, True, False), "2.0000"),  # a step out of order earns nothing
        ((True,) * 5, "5.0000"),
        ((True, True), "2.0000"),  # missing answers are steps not done
        ((), "1.0000"),
    ],
)
def test_milestone_scores_the_highest_level_with_all_lower_steps_done(steps, score):
    assert milestone().score(steps_done=steps) == D(score)


def test_milestone_with_no_step_done_scores_zero_under_the_zero_floor_rule():
    assert milestone(floor=D(0)).score(steps_done=(False,) * 5) == D("0.0000")


@pytest.mark.parametrize(
    ("steps", "result", "score"),
    [
        ((True, True), D(55), "2.0000"),  # all steps done, short of level 3
        ((True, True), D(60), "3.0000"),
        ((True, True), D(75), "4.5000"),
        ((True, True), D(90), "5.0000"),
        ((True, False), D(90), "1.0000"),  # the outcome counts only once every step is done
        ((False, False), None, "1.0000"),
    ],
)
def test_hybrid_scores_steps_then_the_outcome(steps, result, score):
    assert hybrid().score(result=result, steps_done=steps) == D(score)


def test_hybrid_with_no_step_done_scores_the_zero_floor():
    assert hybrid(floor=D(0)).score(result=None, steps_done=(False, False)) == D("0.0000")


def test_hybrid_needs_a_result_once_every_step_is_done():
    with pytest.raises(scoring.InvalidResult) as caught:
        hybrid().score(result=None, steps_done=(True, True))

    assert caught.value.code == "missing_result"


def test_a_composite_kpi_is_not_scored_from_its_own_criteria():
    with pytest.raises(scoring.InvalidCriteria):
        Criteria(CriteriaType.COMPOSITE, True, 0, (None,) * 5).score(result=D(1))


# --- engine_message ----------------------------------------------------------------------------------


def not_rising() -> scoring.InvalidCriteria:
    return scoring.InvalidCriteria(
        "thresholds_not_rising", levels=(3, 4), lower=3, upper=4, lower_value="60", upper_value="60"
    )


def test_engine_message_in_english_names_the_levels_and_values():
    with override("en"):
        assert engine_message(not_rising()) == (
            "Thresholds must rise strictly when higher is better: level 3 (60) and level 4 (60)."
        )


def thai_catalogue_is_compiled() -> bool:
    with override("th"):
        return gettext("KPIs") != "KPIs"


def test_engine_message_in_thai_names_the_levels_and_values():
    if not thai_catalogue_is_compiled():
        pytest.skip("the Thai catalogue is not compiled: run make compilemessages")
    with override("th"):
        assert engine_message(not_rising()) == (
            "เมื่อค่ายิ่งมากยิ่งดี ค่าเกณฑ์ต้องเพิ่มขึ้นทุกระดับโดยไม่มีค่าเท่ากัน: ระดับ 3 (60) และระดับ 4 (60)"
        )


def test_engine_message_is_translated_when_called_not_when_imported():
    msgid = "Levels %(first)s-%(last)s need %(expected)s thresholds; %(count)s are filled in."
    error = scoring.InvalidCriteria(
        "threshold_count", levels=range(1, 6), first=1, last=5, expected=5, count=4
    )
    params = {"first": 1, "last": 5, "expected": 5, "count": 4}
    with override("th"):
        assert engine_message(error) == gettext(msgid) % params
    with override("en"):
        assert engine_message(error) == "Levels 1-5 need 5 thresholds; 4 are filled in."


@pytest.mark.parametrize("language", ["th", "en"])
def test_every_engine_error_code_has_a_translatable_message(language):
    assert set(ENGINE_MESSAGES) == set(scoring.MESSAGES)
    error = scoring.InvalidCriteria(
        "threshold_count", levels=range(3, 6), first=3, last=5, expected=3, count=2
    )
    with override(language):
        text = engine_message(error)
    assert "3" in text
    assert "5" in text
    assert "2" in text


def test_engine_message_falls_back_to_the_engines_english_for_an_unknown_code():
    error = scoring.InvalidCriteria("no_parts")
    error.code = "something_new"

    assert engine_message(error) == "a weighted score needs at least one (weight, score) row"
