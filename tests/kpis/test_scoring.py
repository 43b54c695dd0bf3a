"""The pure scoring engine (DOMAIN.md §4): worked examples, invalid criteria, and properties.

Plain functions without the ``db`` fixture: nothing here touches Django's database.
"""

import ast
import math
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpis import scoring
from kpis.scoring import (
    FIVE_LEVEL_SCALE,
    InvalidCriteria,
    InvalidResult,
    Level,
    Scale,
    ScoringError,
    apply_adjustments,
    renormalised_weights,
    score_composite,
    score_hybrid,
    score_milestone,
    score_on_scale,
    score_outcome,
    score_outcome_from_zero,
    thresholds_from_target,
    weighted_contribution,
    weighted_score,
)

D = Decimal
T_RISING = (D(55), D(60), D(65), D(70), D(75))  # "65 +/- 5"
T_FALLING = tuple(reversed(T_RISING))
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)


def test_scoring_module_imports_no_django():
    tree = ast.parse(Path(scoring.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.split(".")[0] == "django" for name in imported)


# --- thresholds_from_target ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "step", "higher_is_better", "target_level", "expected"),
    [
        (65, 5, True, 3, (55, 60, 65, 70, 75)),
        (65, 5, False, 3, (75, 70, 65, 60, 55)),
        (6, 1, True, 4, (3, 4, 5, 6, 7)),
        (6, 1, False, 4, (9, 8, 7, 6, 5)),
        ("178", "10", True, 3, (158, 168, 178, 188, 198)),
        (D("15.5"), D("2.5"), True, 3, (D("10.5"), 13, D("15.5"), 18, D("20.5"))),
        (80, 5, True, 5, (60, 65, 70, 75, 80)),
        (80, 5, True, 1, (80, 85, 90, 95, 100)),
    ],
)
def test_thresholds_from_target_puts_target_on_its_level(
    target, step, higher_is_better, target_level, expected
):
    thresholds = thresholds_from_target(
        target, step, higher_is_better=higher_is_better, target_level=target_level
    )

    assert thresholds == tuple(D(value) for value in expected)
    assert all(isinstance(value, Decimal) for value in thresholds)
    assert thresholds[target_level - 1] == D(target)


def test_thresholds_from_target_default_level_is_three():
    assert thresholds_from_target(65, 5) == thresholds_from_target(65, 5, target_level=3)


@pytest.mark.parametrize("step", [0, -5, "0", D("-0.1")])
def test_thresholds_from_target_rejects_non_positive_step(step):
    with pytest.raises(InvalidCriteria) as excinfo:
        thresholds_from_target(65, step)

    assert excinfo.value.code == "step_not_positive"
    assert "step between levels must be positive" in str(excinfo.value)


@pytest.mark.parametrize("target_level", [0, 6, True, 2.5])
def test_thresholds_from_target_rejects_target_level_outside_one_to_five(target_level):
    with pytest.raises(InvalidCriteria) as excinfo:
        thresholds_from_target(65, 5, target_level=target_level)

    assert excinfo.value.code == "target_level"


# --- outcome ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (67, "3.4000"),  # the DOMAIN's worked example
        ("63.3", "2.6600"),  # the DOMAIN's worked example
        (55, "1.0000"),
        (60, "2.0000"),
        (65, "3.0000"),
        (70, "4.0000"),
        (75, "5.0000"),
        (1000, "5.0000"),
        ("74.99", "4.9980"),
        (54, "1.0000"),
    ],
)
def test_outcome_higher_is_better(result, expected):
    assert score_outcome(result, T_RISING) == D(expected)


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (63, "3.4000"),
        ("66.7", "2.6600"),
        (75, "1.0000"),
        (70, "2.0000"),
        (55, "5.0000"),
        (0, "5.0000"),
        (76, "1.0000"),
    ],
)
def test_outcome_lower_is_better_mirrors(result, expected):
    assert score_outcome(result, T_FALLING, higher_is_better=False) == D(expected)


@pytest.mark.parametrize("result", [67, "67", D(67), D("67.000"), 67.0, " 67 "])
def test_outcome_accepts_int_str_decimal_and_float_results(result):
    assert score_outcome(result, T_RISING) == D("3.4000")


@pytest.mark.parametrize(
    "thresholds",
    [(55, 60, 65, 70, 75), ("55", "60", "65", "70", "75"), T_RISING, [55.0, "60", 65, D(70), 75]],
)
def test_outcome_accepts_int_str_decimal_and_float_thresholds(thresholds):
    assert score_outcome("63.3", thresholds) == D("2.6600")


def test_outcome_reads_floats_through_their_shortest_repr():
    # Decimal(63.3) would be 63.29999999999999715782905696; the engine means 63.3.
    assert score_outcome(63.3, T_RISING) == D("2.6600")


def test_outcome_returns_a_decimal_with_four_places():
    score = score_outcome(67, T_RISING)

    assert isinstance(score, Decimal)
    assert score.as_tuple().exponent == -4


@pytest.mark.parametrize(
    ("floor", "expected"), [(1, "1.0000"), (0, "0.0000"), ("0.5", "0.5000"), (D(0), "0.0000")]
)
def test_outcome_below_level_one_scores_the_floor(floor, expected):
    assert score_outcome(54, T_RISING, floor=floor) == D(expected)
    assert score_outcome(76, T_FALLING, higher_is_better=False, floor=floor) == D(expected)


def test_outcome_at_level_one_scores_one_whatever_the_floor():
    assert score_outcome(55, T_RISING, floor=0) == D("1.0000")


@pytest.mark.parametrize("floor", [-1, 2, "1.01"])
def test_floor_outside_zero_to_one_is_rejected(floor):
    with pytest.raises(InvalidCriteria) as excinfo:
        score_outcome(60, T_RISING, floor=floor)

    assert excinfo.value.code == "floor_out_of_range"
    assert excinfo.value.levels == (1,)


def test_rounding_is_half_up_not_half_even():
    # 1 + 0.0005/10 = 1.00005 exactly: half-even would give 1.0000, the OPDC method 1.0001.
    assert D("1.00005").quantize(D("0.0001"), rounding=ROUND_HALF_EVEN) == D("1.0000")

    assert score_outcome("10.0005", (10, 20, 30, 40, 50)) == D("1.0001")
    assert score_outcome("29.9995", (50, 40, 30, 20, 10), higher_is_better=False) == D("3.0001")


def test_rounding_of_a_non_terminating_quotient():
    # 2 + 1/3 = 2.3333...; 2 + 2/3 = 2.6666... rounds up to 2.6667.
    assert score_outcome(1, (0, 3, 6, 9, 12)) == D("1.3333")
    assert score_outcome(2, (0, 3, 6, 9, 12)) == D("1.6667")


def test_no_double_rounding_of_a_quotient_just_below_a_half():
    # X / 3 = 0.00005 - 3.3e-41: rounded to 28 digits first it would become 0.00005 and then 1.0001.
    result = "0.0001" + "4" + "9" * 35

    assert score_outcome(result, (0, 3, 6, 9, 12)) == D("1.0000")


# --- outcome from a level-0 threshold, and scales -----------------------------------------------


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (52, "0.4000"),
        (50, "0.0000"),
        (49, "0.0000"),
        (55, "1.0000"),
        (67, "3.4000"),
        (80, "5.0000"),
    ],
)
def test_outcome_from_zero_interpolates_from_zero_at_level_zero(result, expected):
    assert score_outcome_from_zero(result, 50, T_RISING) == D(expected)


def test_outcome_from_zero_lower_is_better():
    assert score_outcome_from_zero(78, 80, T_FALLING, higher_is_better=False) == D("0.4000")
    assert score_outcome_from_zero(81, 80, T_FALLING, higher_is_better=False) == D("0.0000")


def test_outcome_from_zero_rejects_a_level_zero_threshold_out_of_order():
    with pytest.raises(InvalidCriteria) as excinfo:
        score_outcome_from_zero(60, 55, T_RISING)

    assert excinfo.value.levels == (0, 1)
    assert str(excinfo.value) == "thresholds must rise strictly: level 0 (55) and level 1 (55)"


OPDC_THREE_LEVELS = Scale(
    (Level("basic", 50), Level("standard", 70), Level("advanced", 100)), floor=D(0)
)


@pytest.mark.parametrize(
    ("result", "expected"),
    [(59, "0.0000"), (60, "50.0000"), (65, "60.0000"), (75, "85.0000"), (80, "100.0000")],
)
def test_three_level_scale_scores_points(result, expected):
    assert score_on_scale(result, (60, 70, 80), OPDC_THREE_LEVELS) == D(expected)


def test_scale_without_interpolation_scores_the_level_reached():
    stepwise = Scale(OPDC_THREE_LEVELS.levels, floor=0, interpolate=False)

    assert score_on_scale(79, (60, 70, 80), stepwise) == D("70.0000")
    assert score_on_scale(59, (60, 70, 80), stepwise) == D("0.0000")


def test_five_level_scale_is_the_outcome_method():
    assert [level.value for level in FIVE_LEVEL_SCALE.levels] == [1, 2, 3, 4, 5]
    assert score_on_scale("63.3", T_RISING, FIVE_LEVEL_SCALE) == score_outcome("63.3", T_RISING)


def test_scale_needs_a_threshold_per_level():
    with pytest.raises(InvalidCriteria) as excinfo:
        score_on_scale(70, T_RISING, OPDC_THREE_LEVELS)

    assert excinfo.value.levels == (1, 2, 3)


def test_scale_values_must_rise():
    with pytest.raises(InvalidCriteria) as excinfo:
        Scale((Level("a", 50), Level("b", 70), Level("c", 70)))

    assert excinfo.value.levels == (2, 3)
    assert str(excinfo.value) == "scale values must rise strictly: level 2 (70) and level 3 (70)"


def test_scale_rejects_no_levels_and_a_floor_above_level_one():
    with pytest.raises(InvalidCriteria):
        Scale(())
    with pytest.raises(InvalidCriteria):
        Scale(OPDC_THREE_LEVELS.levels, floor=60)


# --- milestone ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("steps_done", "expected"),
    [
        ((True, True, True, True, True), "5.0000"),
        ((True, True, True, False, False), "3.0000"),
        ((True, True, False, True, True), "2.0000"),  # a later step does not count without level 3
        ((True, False, False, False, False), "1.0000"),
        ([1, 1, 1, 1, 0], "4.0000"),
    ],
)
def test_milestone_is_the_highest_level_with_all_lower_steps_done(steps_done, expected):
    assert score_milestone(steps_done) == D(expected)


@pytest.mark.parametrize(("floor", "expected"), [(1, "1.0000"), (0, "0.0000")])
def test_milestone_with_no_step_done_scores_the_floor(floor, expected):
    assert score_milestone([False] * 5, floor=floor) == D(expected)
    assert score_milestone([False, True, True, True, True], floor=floor) == D(expected)


@pytest.mark.parametrize("count", [0, 4, 6])
def test_milestone_needs_five_steps(count):
    with pytest.raises(InvalidCriteria) as excinfo:
        score_milestone([True] * count)

    assert excinfo.value.code == "step_count"
    assert "levels 1-5" in str(excinfo.value)


@pytest.mark.parametrize("answer", [2, "yes", None, 0.5])
def test_milestone_rejects_an_answer_that_is_not_done_or_not_done(answer):
    with pytest.raises(InvalidResult) as excinfo:
        score_milestone([True, True, answer, False, False])

    assert excinfo.value.levels == (3,)
    assert "step 3" in str(excinfo.value)


# --- hybrid -------------------------------------------------------------------------------------

TWO_STEPS_T = (60, 70, 80)  # "2 ขั้นตอน + ผลลัพธ์": levels 3-5 are thresholds


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (55, "2.0000"),  # below T3: the steps' 2
        ("59.99", "2.0000"),
        (60, "3.0000"),  # at T3
        (75, "4.5000"),
        (80, "5.0000"),
        (95, "5.0000"),
    ],
)
def test_hybrid_with_all_steps_done_scores_the_outcome_from_level_k_plus_one(result, expected):
    assert score_hybrid([True, True], result, TWO_STEPS_T) == D(expected)


def test_hybrid_lower_is_better():
    thresholds = (80, 70, 60)

    assert score_hybrid([True, True], 85, thresholds, higher_is_better=False) == D("2.0000")
    assert score_hybrid([True, True], 80, thresholds, higher_is_better=False) == D("3.0000")
    assert score_hybrid([True, True], 65, thresholds, higher_is_better=False) == D("4.5000")
    assert score_hybrid([True, True], 50, thresholds, higher_is_better=False) == D("5.0000")


@pytest.mark.parametrize(
    ("steps_done", "floor", "expected"),
    [
        ([True, False], 1, "1.0000"),
        ([False, True], 1, "1.0000"),
        ([False, True], 0, "0.0000"),
        ([False, False], 0, "0.0000"),
    ],
)
def test_hybrid_with_a_missing_step_ignores_the_result(steps_done, floor, expected):
    assert score_hybrid(steps_done, 100, TWO_STEPS_T, floor=floor) == D(expected)
    assert score_hybrid(steps_done, None, TWO_STEPS_T, floor=floor) == D(expected)


def test_hybrid_one_step_plus_target_178_plus_minus_10():
    # Mission-group KPI 2.1 (slide 9): "1 ขั้นตอน + ผลลัพธ์", 178 +/- 10; level 1 is the step.
    thresholds = thresholds_from_target(178, 10)[1:]

    assert thresholds == (168, 178, 188, 198)
    assert score_hybrid([True], 183, thresholds) == D("3.5000")
    assert score_hybrid([True], 160, thresholds) == D("1.0000")
    assert score_hybrid([False], 183, thresholds) == D("1.0000")


def test_hybrid_with_five_steps_is_a_milestone():
    assert score_hybrid([True, True, True, False, True], None, ()) == D("3.0000")
    assert score_hybrid([True] * 5, None, []) == D("5.0000")


@pytest.mark.parametrize(("floor", "expected"), [(1, "1.0000"), (0, "0.0000")])
def test_hybrid_with_no_steps_is_an_outcome(floor, expected):
    assert score_hybrid([], 67, T_RISING) == D("3.4000")
    assert score_hybrid([], 50, T_RISING, floor=floor) == D(expected)


def test_hybrid_needs_a_result_once_all_steps_are_done():
    with pytest.raises(InvalidResult) as excinfo:
        score_hybrid([True, True], None, TWO_STEPS_T)

    assert excinfo.value.code == "missing_result"


def test_hybrid_rejects_a_result_that_is_not_a_number_even_while_steps_are_missing():
    with pytest.raises(InvalidResult):
        score_hybrid([True, False], "abc", TWO_STEPS_T)
    with pytest.raises(InvalidResult) as excinfo:
        score_hybrid([], None, T_RISING)
    assert excinfo.value.code == "not_a_number"


def test_hybrid_rejects_bad_thresholds_even_while_steps_are_missing():
    with pytest.raises(InvalidCriteria) as excinfo:
        score_hybrid([True, False], None, (60, 70, 70))

    assert str(excinfo.value) == "thresholds must rise strictly: level 4 (70) and level 5 (70)"
    assert excinfo.value.levels == (4, 5)


@pytest.mark.parametrize(
    ("steps_done", "thresholds", "levels_text", "levels"),
    [
        ([True, True], (60, 70), "levels 3-5", (3, 4, 5)),
        ([True], (60, 70, 80), "levels 2-5", (2, 3, 4, 5)),
        ([], (60, 70, 80, 90), "levels 1-5", (1, 2, 3, 4, 5)),
    ],
)
def test_hybrid_rejects_a_threshold_count_that_does_not_fill_the_levels(
    steps_done, thresholds, levels_text, levels
):
    with pytest.raises(InvalidCriteria) as excinfo:
        score_hybrid(steps_done, 65, thresholds)

    assert levels_text in str(excinfo.value)
    assert excinfo.value.levels == levels


def test_hybrid_rejects_thresholds_when_all_levels_are_steps_and_more_than_five_steps():
    with pytest.raises(InvalidCriteria) as excinfo:
        score_hybrid([True] * 5, 65, (60,))
    assert excinfo.value.code == "no_thresholds_expected"

    with pytest.raises(InvalidCriteria) as excinfo:
        score_hybrid([True] * 6, 65, ())
    assert excinfo.value.code == "too_many_steps"


# --- composite and weighted totals --------------------------------------------------------------


def test_composite_is_the_weighted_average_of_sub_scores():
    # KPI 14: 14.1 (12 points), 14.2 (4), 14.3 (4).
    parts = [(12, "3.5"), (4, "2.25"), (4, 5)]

    assert score_composite(parts) == D("3.5500")
    assert weighted_score(parts) == D("3.5500")


def test_weighted_score_of_one_row_is_that_score():
    assert weighted_score([(D("2.5"), D("4.1234"))]) == D("4.1234")


def test_weighted_score_is_computed_from_scores_rounded_to_four_places():
    parts = [(1, D("1.00001")), (1, D("1.00005"))]
    from_unrounded = (D("1.00001") + D("1.00005")) / 2  # 1.00003

    assert from_unrounded.quantize(D("0.0001")) == D("1.0000")
    # Rounded first: (1.0000 + 1.0001) / 2 = 1.00005, which rounds half-up to 1.0001.
    assert weighted_score(parts) == D("1.0001")


def test_weighted_score_rounds_half_up():
    # (1.0000 + 1.0001) / 2 = 1.00005 exactly; half-even would keep 1.0000.
    assert weighted_score([(1, "1.0000"), (1, "1.0001")]) == D("1.0001")
    # 2 x 3.1234 + 1 x 4.1235 = 10.3703, / 3 = 3.45676... -> 3.4568
    assert weighted_score([(2, "3.1234"), (1, "4.1235")]) == D("3.4568")


@pytest.mark.parametrize("weight", [0, -1, "0", D("-0.5")])
def test_weighted_score_rejects_a_non_positive_weight_naming_its_row(weight):
    with pytest.raises(InvalidCriteria) as excinfo:
        weighted_score([(20, 3), (weight, 4)])

    assert excinfo.value.code == "weight_not_positive"
    assert "row 2" in str(excinfo.value)


def test_weighted_score_rejects_weights_summing_to_zero_and_no_rows():
    with pytest.raises(InvalidCriteria):
        weighted_score([(0, 3), (0, 4)])
    with pytest.raises(InvalidCriteria) as excinfo:
        weighted_score([])
    assert excinfo.value.code == "no_parts"
    with pytest.raises(InvalidCriteria):
        score_composite(iter(()))


def test_weighted_contribution_rounds_half_up_at_the_shown_precision():
    assert weighted_contribution("2.5", 5) == D("0.13")  # 0.125, shown as 0.13
    assert weighted_contribution(20, "3.4567") == D("0.69")
    assert weighted_contribution(20, "3.4567", places=4) == D("0.6913")


def test_weighted_contributions_add_up_to_the_weighted_total_when_weights_total_100():
    parts = [(45, "3.4000"), (15, "4.0000"), (20, "2.5000"), (20, "5.0000")]
    contributions = [weighted_contribution(w, s, places=4) for w, s in parts]

    assert sum(contributions) == weighted_score(parts) == D("3.6300")


def test_renormalised_weights_share_an_inactive_kpis_weight():
    weights = {"1.1.1": 20, "1.1.3": 30, "1.1.5": 50}

    assert renormalised_weights(weights, ["1.1.1", "1.1.3"]) == {"1.1.1": 40, "1.1.3": 60}
    assert renormalised_weights(weights, ["1.1.5"], total=20) == {"1.1.5": 20}


def test_renormalised_weights_round_half_up_and_leave_the_total_score_unchanged():
    weights = {"a": 10, "b": 10, "c": 10, "d": 70}
    renormalised = renormalised_weights(weights, ["c", "a", "b"])

    assert list(renormalised) == ["a", "b", "c"]  # the framework's order, not the caller's
    assert renormalised == {"a": D("33.3333"), "b": D("33.3333"), "c": D("33.3333")}
    scores = {"a": "2.0000", "b": "3.0000", "c": "5.0000"}
    assert weighted_score((renormalised[k], scores[k]) for k in renormalised) == weighted_score(
        (weights[k], scores[k]) for k in renormalised
    )


def test_renormalised_weights_reject_unknown_or_no_active_keys():
    with pytest.raises(InvalidCriteria) as excinfo:
        renormalised_weights({"a": 1}, ["a", "zz"])
    assert "zz" in str(excinfo.value)
    with pytest.raises(InvalidCriteria):
        renormalised_weights({"a": 1}, [])
    with pytest.raises(InvalidCriteria):
        renormalised_weights({"a": 1, "b": 0}, ["a"])


# --- framework adjustments ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "kwargs", "expected"),
    [
        ("3.5", {"deduction": D("0.2") * 3}, "2.9000"),  # three missed reports at 0.2 each
        ("1.1", {"deduction": "0.4"}, "1.0000"),  # a deduction stops at the floor
        ("1.1", {"deduction": "0.4", "floor": 0}, "0.7000"),
        ("4.9", {"bonus": "0.3"}, "5.0000"),  # a bonus is capped at 5
        ("3.0", {"bonus": "0.5", "deduction": "0.2"}, "3.3000"),
        ("0", {"deduction": 1}, "0.0000"),  # a floor-0 score is not lifted to 1
        ("80", {"bonus": 30, "cap": 100, "floor": 0}, "100.0000"),
    ],
)
def test_apply_adjustments(score, kwargs, expected):
    assert apply_adjustments(score, **kwargs) == D(expected)


@pytest.mark.parametrize(
    "kwargs", [{"deduction": -1}, {"bonus": "-0.1"}, {"cap": 0, "floor": 1}, {"bonus": "x"}]
)
def test_apply_adjustments_rejects_bad_rules(kwargs):
    with pytest.raises(InvalidCriteria):
        apply_adjustments(3, **kwargs)


# --- invalid criteria and results ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("thresholds", "higher_is_better", "message", "levels"),
    [
        (
            (40, 50, 60, 60, 70),
            True,
            "thresholds must rise strictly: level 3 (60) and level 4 (60)",
            (3, 4),
        ),
        (
            (40, 50, 60, 70, 65),
            True,
            "thresholds must rise strictly: level 4 (70) and level 5 (65)",
            (4, 5),
        ),
        (
            (70, 60, 60, 50, 40),
            False,
            "thresholds must fall strictly: level 2 (60) and level 3 (60)",
            (2, 3),
        ),
        (
            T_RISING,
            False,
            "thresholds must fall strictly: level 1 (55) and level 2 (60)",
            (1, 2),
        ),
        (
            (40, 50, 60, 70),
            True,
            "criteria for levels 1-5 need 5 thresholds, got 4",
            (1, 2, 3, 4, 5),
        ),
        (
            (40, 50, 60, 70, 80, 90),
            True,
            "criteria for levels 1-5 need 5 thresholds, got 6",
            (1, 2, 3, 4, 5),
        ),
    ],
)
def test_invalid_thresholds_name_the_offending_levels(
    thresholds, higher_is_better, message, levels
):
    with pytest.raises(InvalidCriteria) as excinfo:
        score_outcome(60, thresholds, higher_is_better=higher_is_better)

    error = excinfo.value
    assert str(error) == error.message == message
    assert error.levels == levels
    assert error.code in scoring.MESSAGES
    assert scoring.MESSAGES[error.code].format(**error.params) == message
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    "result",
    ["abc", "", "1,000", "NaN", "Infinity", "-inf", float("nan"), float("inf"), D("NaN"),
     D("sNaN"), D("-Infinity"), None, True, [67], object()],
)  # fmt: skip
def test_outcome_rejects_a_result_that_is_not_a_finite_number(result):
    with pytest.raises(InvalidResult) as excinfo:
        score_outcome(result, T_RISING)

    assert excinfo.value.code == "not_a_number"
    assert isinstance(excinfo.value, ValueError)
    assert not isinstance(excinfo.value, InvalidCriteria)


def test_a_threshold_that_is_not_a_number_is_both_a_criteria_and_a_result_error():
    with pytest.raises(InvalidCriteria) as excinfo:
        score_outcome(60, (55, 60, "NaN", 70, 75))

    assert isinstance(excinfo.value, InvalidResult)
    assert "level 3 threshold" in str(excinfo.value)


def test_every_error_is_a_scoring_error_with_a_known_code():
    with pytest.raises(ScoringError) as excinfo:
        weighted_score([])

    assert excinfo.value.code in scoring.MESSAGES
    assert excinfo.value.params == {}


# --- properties ---------------------------------------------------------------------------------


def decimals(low, high, places):
    return st.decimals(
        min_value=low, max_value=high, places=places, allow_nan=False, allow_infinity=False
    )


@st.composite
def rising_thresholds(draw, count=5):
    if count == 0:
        return ()
    values = [draw(decimals(-1000, 1000, 2))]
    for gap in draw(st.lists(decimals("0.01", 100, 2), min_size=count - 1, max_size=count - 1)):
        values.append(values[-1] + gap)
    return tuple(values)


@st.composite
def results_near(draw, thresholds):
    """Anywhere around the thresholds, often right on or next to one of them."""
    if not thresholds:
        return draw(decimals(-100, 100, 3))
    anchor = draw(st.sampled_from(thresholds))
    offset = draw(st.one_of(st.just(D(0)), decimals(-1, 1, 4), decimals(-300, 300, 3)))
    return anchor + offset


floors = st.sampled_from([D(0), D(1)])


def half_up(value: Fraction) -> Decimal:
    return Decimal(math.floor(value * 10_000 + Fraction(1, 2))).scaleb(-4)


def reference_outcome(result, thresholds, floor) -> Decimal:
    """DOMAIN.md's formula in exact fractions, higher is better."""
    x, t = Fraction(result), [Fraction(value) for value in thresholds]
    if x < t[0]:
        return half_up(Fraction(floor))
    if x >= t[4]:
        return half_up(Fraction(5))
    i = max(j for j in range(5) if t[j] <= x)
    return half_up(i + 1 + (x - t[i]) / (t[i + 1] - t[i]))


@PROPERTY_SETTINGS
@given(data=st.data(), thresholds=rising_thresholds(), floor=floors)
def test_property_outcome_matches_the_formula_in_exact_fractions(data, thresholds, floor):
    result = data.draw(results_near(thresholds))

    assert score_outcome(result, thresholds, floor=floor) == reference_outcome(
        result, thresholds, floor
    )


@PROPERTY_SETTINGS
@given(data=st.data(), thresholds=rising_thresholds(), floor=floors, higher=st.booleans())
def test_property_outcome_stays_within_floor_and_five(data, thresholds, floor, higher):
    result = data.draw(results_near(thresholds))
    ordered = thresholds if higher else tuple(reversed(thresholds))

    assert floor <= score_outcome(result, ordered, higher_is_better=higher, floor=floor) <= 5


@PROPERTY_SETTINGS
@given(data=st.data(), k=st.integers(0, 5), floor=floors, higher=st.booleans())
def test_property_hybrid_stays_within_floor_and_five(data, k, floor, higher):
    thresholds = data.draw(rising_thresholds(5 - k))
    ordered = thresholds if higher else tuple(reversed(thresholds))
    steps_done = data.draw(st.lists(st.booleans(), min_size=k, max_size=k))
    result = data.draw(results_near(thresholds))

    score = score_hybrid(steps_done, result, ordered, higher_is_better=higher, floor=floor)

    assert floor <= score <= 5
    if all(steps_done) and k:
        assert score >= k


@PROPERTY_SETTINGS
@given(data=st.data(), thresholds=rising_thresholds(), floor=floors)
def test_property_outcome_is_monotonic_in_the_result(data, thresholds, floor):
    low, high = sorted([data.draw(results_near(thresholds)), data.draw(results_near(thresholds))])

    assert score_outcome(low, thresholds, floor=floor) <= score_outcome(
        high, thresholds, floor=floor
    )


@PROPERTY_SETTINGS
@given(data=st.data(), k=st.integers(0, 4), floor=floors)
def test_property_hybrid_is_monotonic_in_the_result(data, k, floor):
    thresholds = data.draw(rising_thresholds(5 - k))
    low, high = sorted([data.draw(results_near(thresholds)), data.draw(results_near(thresholds))])
    steps_done = [True] * k

    assert score_hybrid(steps_done, low, thresholds, floor=floor) <= score_hybrid(
        steps_done, high, thresholds, floor=floor
    )


@PROPERTY_SETTINGS
@given(thresholds=rising_thresholds(), epsilon=decimals("0.000001", "0.001", 6))
def test_property_outcome_is_continuous_at_every_threshold(thresholds, epsilon):
    for level, threshold in enumerate(thresholds, start=1):
        assert score_outcome(threshold, thresholds) == level
        below = score_outcome(threshold - epsilon, thresholds)
        # Just below Ti the score is i minus the slope's share of epsilon, within the rounding.
        slope = 1 / (threshold - thresholds[level - 2]) if level > 1 else D(0)
        assert level - epsilon * slope - D("0.00005") <= below <= level


@PROPERTY_SETTINGS
@given(data=st.data(), thresholds=rising_thresholds(), floor=floors)
def test_property_lower_is_better_is_the_mirror_by_negation(data, thresholds, floor):
    result = data.draw(results_near(thresholds))
    mirrored = tuple(-value for value in thresholds)

    assert score_outcome(-result, mirrored, higher_is_better=False, floor=floor) == score_outcome(
        result, thresholds, floor=floor
    )


@PROPERTY_SETTINGS
@given(data=st.data(), k=st.integers(0, 5), floor=floors)
def test_property_hybrid_lower_is_better_is_the_mirror_by_negation(data, k, floor):
    thresholds = data.draw(rising_thresholds(5 - k))
    steps_done = data.draw(st.lists(st.booleans(), min_size=k, max_size=k))
    result = data.draw(results_near(thresholds))
    mirrored = tuple(-value for value in thresholds)

    assert score_hybrid(
        steps_done, -result, mirrored, higher_is_better=False, floor=floor
    ) == score_hybrid(steps_done, result, thresholds, floor=floor)


weighted_rows = st.lists(
    st.tuples(decimals("0.01", 100, 2), decimals(0, 5, 6)), min_size=1, max_size=12
)


@PROPERTY_SETTINGS
@given(data=st.data(), parts=weighted_rows)
def test_property_row_order_does_not_change_a_weighted_score(data, parts):
    shuffled = data.draw(st.permutations(parts))

    assert weighted_score(shuffled) == weighted_score(parts)


@PROPERTY_SETTINGS
@given(parts=weighted_rows)
def test_property_weighted_score_lies_between_the_rounded_scores(parts):
    rounded = [score.quantize(D("0.0001"), rounding=ROUND_HALF_UP) for _, score in parts]

    assert min(rounded) <= weighted_score(parts) <= max(rounded)
