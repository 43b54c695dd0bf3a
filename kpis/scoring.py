"""The OPDC scoring method: pure arithmetic on Decimals, no Django, no database.

DOMAIN.md §4 is the specification. Scores run 1.0000-5.0000; each KPI score is rounded half-up to
4 decimals and weighted totals are computed from those rounded scores, so that a reader can redo an
e-SAR card by hand. Numbers may be Decimal, int or str (a float is read through ``str``); anything
else, NaN and infinity raise :class:`InvalidResult`. Criteria that break the method's rules raise
:class:`InvalidCriteria`, whose message names the offending levels.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

SCORE_PLACES = 4
LEVEL_COUNT = 5

# One English template per error code. ``message`` is this text filled in; a Django layer keeps a
# translatable copy keyed by ``code`` and fills it from ``params`` in the user's language.
MESSAGES = {
    "not_a_number": "{name} must be a finite number, got {value}",
    "not_a_step_answer": "step {level} must be True (done) or False (not done), got {value}",
    "missing_result": "a result is needed once all {steps} steps are done",
    "thresholds_not_rising": "thresholds must rise strictly: level {lower} ({lower_value}) and level {upper} ({upper_value})",
    "thresholds_not_falling": "thresholds must fall strictly: level {lower} ({lower_value}) and level {upper} ({upper_value})",
    "threshold_count": "criteria for levels {first}-{last} need {expected} thresholds, got {count}",
    "no_thresholds_expected": "criteria whose levels are all steps take no thresholds, got {count}",
    "step_count": "milestone criteria need {expected} steps (levels 1-{expected}), got {count}",
    "too_many_steps": "hybrid criteria have at most {expected} steps (levels 1-{expected}), got {count}",
    "step_not_positive": "the step between levels must be positive, got {step}",
    "target_level": "the target must sit on one of levels 1-5, got {level}",
    "floor_out_of_range": "the floor must lie between 0 and level 1's score ({first_value}), got {floor}",
    "scale_empty": "a scale needs at least one level",
    "scale_not_rising": "scale values must rise strictly: level {lower} ({lower_value}) and level {upper} ({upper_value})",
    "weight_not_positive": "weights must be positive: {item} has weight {weight}",
    "no_parts": "a weighted score needs at least one (weight, score) row",
    "no_active_keys": "renormalising weights needs at least one active KPI",
    "unknown_key": "active KPI {key} has no weight",
    "adjustment_negative": "the {name} must not be negative, got {value}",
    "cap_below_floor": "the cap ({cap}) must not be below the floor ({floor})",
}


class ScoringError(ValueError):
    """A plain-English ``message`` plus ``code``, ``levels`` and ``params`` for translation."""

    def __init__(self, code: str, *, levels: Iterable[int] = (), **params: object) -> None:
        self.code, self.levels, self.params = code, tuple(levels), params
        self.message = MESSAGES[code].format(**params)
        super().__init__(self.message)


class InvalidCriteria(ScoringError):
    """The criteria (thresholds, steps, weights, scale) break the method's rules: a data error."""


class InvalidResult(ScoringError):
    """A reported value is unusable: not a finite number, not a step answer, or missing."""


class InvalidCriteriaNumber(InvalidCriteria, InvalidResult):
    """A criteria value that is not a finite number: callers catching either kind see it."""


def _exact_arithmetic(func):
    # Sums and products of KPI figures fit in 60 digits, so they are exact; a quotient that does not
    # terminate is truncated, not rounded, so the one half-up rounding at the end still sees which
    # side of the half it lies on (no double rounding).
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with localcontext(prec=60, rounding=ROUND_DOWN):
            return func(*args, **kwargs)

    return wrapper


def _number(value: object, name: str, error: type[ScoringError] = InvalidResult) -> Decimal:
    if isinstance(value, Decimal | int | float | str) and not isinstance(value, bool):
        try:
            # Through str(): 63.3 means 63.3, not the binary float 63.2999999999999971578...
            number = Decimal(str(value) if isinstance(value, float) else value)
        except InvalidOperation:
            number = None
        if number is not None and number.is_finite():
            return number
    raise error("not_a_number", name=name, value=repr(value))


def _criteria_number(value: object, name: str) -> Decimal:
    return _number(value, name, InvalidCriteriaNumber)


def _positive_weight(value: object, item: object) -> Decimal:
    weight = _criteria_number(value, f"the weight of {item}")
    if weight <= 0:
        raise InvalidCriteria("weight_not_positive", item=str(item), weight=str(weight))
    return weight


def _rounded(value: Decimal, places: int = SCORE_PLACES) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _checked_floor(floor: object, first_value: Decimal = Decimal(1)) -> Decimal:
    value = _criteria_number(floor, "the floor")
    if not 0 <= value <= first_value:
        params = {"first_value": str(first_value), "floor": str(value)}
        raise InvalidCriteria("floor_out_of_range", levels=(1,), **params)
    return value


def _require_strict(numbers: Sequence[Decimal], *, rising: bool, first_level: int, code: str):
    for level, (lower, upper) in enumerate(itertools.pairwise(numbers), start=first_level):
        if (upper <= lower) if rising else (upper >= lower):
            params = {"lower_value": str(lower), "upper_value": str(upper)}
            raise InvalidCriteria(
                code, levels=(level, level + 1), lower=level, upper=level + 1, **params
            )


def _oriented_thresholds(
    thresholds: Iterable[object], *, higher_is_better: bool, first_level: int = 1, count: int
) -> tuple[Decimal, ...]:
    """Check count and strict monotony; return the thresholds negated when lower is better.

    Negating result and thresholds turns "lower is better" into "higher is better" exactly, so one
    interpolation serves both directions and the mirror symmetry holds by construction.
    """
    values = tuple(thresholds)
    if len(values) != count:
        last = first_level + count - 1
        levels = range(first_level, last + 1)
        params = {"first": first_level, "last": last, "expected": count, "count": len(values)}
        raise InvalidCriteria(
            "threshold_count" if count else "no_thresholds_expected", levels=levels, **params
        )
    numbers = tuple(
        _criteria_number(value, f"the level {level} threshold")
        for level, value in enumerate(values, start=first_level)
    )
    code = "thresholds_not_rising" if higher_is_better else "thresholds_not_falling"
    _require_strict(numbers, rising=higher_is_better, first_level=first_level, code=code)
    return numbers if higher_is_better else tuple(-number for number in numbers)


def _oriented_result(result: object, *, higher_is_better: bool) -> Decimal:
    number = _number(result, "the result")
    return number if higher_is_better else -number


def _interpolate(x, thresholds, values, *, below: Decimal, interpolate: bool = True) -> Decimal:
    """Reaching ``thresholds[j]`` earns ``values[j]``; in between, a straight line (OPDC)."""
    if x < thresholds[0]:
        return below
    if x >= thresholds[-1]:
        return values[-1]
    j = max(j for j, threshold in enumerate(thresholds) if threshold <= x)
    if not interpolate:
        return values[j]
    fraction = (x - thresholds[j]) / (thresholds[j + 1] - thresholds[j])
    return values[j] + fraction * (values[j + 1] - values[j])


@dataclass(frozen=True)
class Level:
    name: str
    value: Decimal


@dataclass(frozen=True)
class Scale:
    """Levels in rising order, each with the score it earns; ``floor`` is scored below level 1.

    The deck's scale is :data:`FIVE_LEVEL_SCALE`. OPDC's three target levels (FY 2567 points) are
    ``Scale((Level("basic", 50), Level("standard", 70), Level("advanced", 100)), floor=0)``;
    with ``interpolate=False`` a result between two levels scores the lower one.
    """

    levels: tuple[Level, ...]
    floor: Decimal = Decimal(0)
    interpolate: bool = True

    def __post_init__(self) -> None:
        levels = tuple(
            Level(level.name, _criteria_number(level.value, f"the value of level {number}"))
            for number, level in enumerate(self.levels, start=1)
        )
        if not levels:
            raise InvalidCriteria("scale_empty")
        values = [level.value for level in levels]
        _require_strict(values, rising=True, first_level=1, code="scale_not_rising")
        object.__setattr__(self, "levels", levels)
        object.__setattr__(self, "floor", _checked_floor(self.floor, values[0]))


FIVE_LEVEL_SCALE = Scale(tuple(Level(str(n), Decimal(n)) for n in range(1, 6)), floor=Decimal(1))


@_exact_arithmetic
def thresholds_from_target(
    target: object, step: object, *, higher_is_better: bool = True, target_level: int = 3
) -> tuple[Decimal, ...]:
    """Expand the "target ± step" shorthand into T1..T5, with the target on ``target_level``.

    (65, 5) gives (55, 60, 65, 70, 75), lower is better (75, 70, 65, 60, 55); the published
    "target at level 4, ± 1 per level" is (6, 1, target_level=4), giving (3, 4, 5, 6, 7).
    """
    if isinstance(target_level, bool) or target_level not in range(1, LEVEL_COUNT + 1):
        raise InvalidCriteria("target_level", level=repr(target_level))
    target_value = _criteria_number(target, "the target")
    step_value = _criteria_number(step, "the step")
    if step_value <= 0:
        raise InvalidCriteria("step_not_positive", step=str(step_value))
    signed_step = step_value if higher_is_better else -step_value
    levels = range(1, LEVEL_COUNT + 1)
    return tuple(target_value + (level - target_level) * signed_step for level in levels)


@_exact_arithmetic
def score_on_scale(
    result: object, thresholds: Iterable[object], scale: Scale, *, higher_is_better: bool = True
) -> Decimal:
    """Outcome score on any :class:`Scale`: one threshold per level, in the stated direction."""
    count = len(scale.levels)
    oriented = _oriented_thresholds(thresholds, higher_is_better=higher_is_better, count=count)
    x = _oriented_result(result, higher_is_better=higher_is_better)
    values = [level.value for level in scale.levels]
    score = _interpolate(x, oriented, values, below=scale.floor, interpolate=scale.interpolate)
    return _rounded(score)


def score_outcome(
    result: object,
    thresholds: Iterable[object],
    *,
    higher_is_better: bool = True,
    floor: object = Decimal(1),
) -> Decimal:
    """Outcome (ผลลัพธ์) score on the 1-5 scale.

    X >= T5 gives 5, X = T1 gives 1, below T1 the floor; otherwise, with Ti the highest threshold not
    above X, i + (X - Ti) / (Ti+1 - Ti). With T = 55/60/65/70/75, X = 67 gives 3.4000 and 63.3 gives
    2.6600. Lower is better mirrors this (T1 > ... > T5).
    """
    scale = replace(FIVE_LEVEL_SCALE, floor=floor)
    return score_on_scale(result, thresholds, scale, higher_is_better=higher_is_better)


@_exact_arithmetic
def score_outcome_from_zero(
    result: object,
    level0_threshold: object,
    thresholds: Iterable[object],
    *,
    higher_is_better: bool = True,
) -> Decimal:
    """Outcome score for frameworks that publish a level-0 threshold T0.

    From T0 to T1 the score rises from 0 to 1 like any other level; short of T0 it is 0.
    With T0..T5 = 50/55/60/65/70/75, X = 52 gives 0.4000.
    """
    oriented = _oriented_thresholds(
        (level0_threshold, *thresholds), higher_is_better=higher_is_better, first_level=0, count=6
    )
    x = _oriented_result(result, higher_is_better=higher_is_better)
    values = [Decimal(level) for level in range(6)]
    return _rounded(_interpolate(x, oriented, values, below=Decimal(0)))


def _step_answers(steps_done: Iterable[object], *, code: str, exact: bool) -> tuple[bool, ...]:
    answers = tuple(steps_done)
    if len(answers) > LEVEL_COUNT or (exact and len(answers) != LEVEL_COUNT):
        levels = range(1, max(len(answers), LEVEL_COUNT) + 1)
        raise InvalidCriteria(code, levels=levels, expected=LEVEL_COUNT, count=len(answers))
    for level, answer in enumerate(answers, start=1):
        # 0/1 are accepted because spreadsheets and some databases store ticks that way.
        if not (isinstance(answer, bool) or (isinstance(answer, int) and answer in (0, 1))):
            raise InvalidResult(
                "not_a_step_answer", levels=(level,), level=level, value=repr(answer)
            )
    return tuple(bool(answer) for answer in answers)


@_exact_arithmetic
def score_hybrid(
    steps_done: Iterable[object],
    result: object,
    thresholds: Iterable[object],
    *,
    higher_is_better: bool = True,
    floor: object = Decimal(1),
) -> Decimal:
    """Hybrid ("k ขั้นตอน + ผลลัพธ์") score: levels 1..k are steps, levels k+1..5 thresholds.

    ``steps_done`` holds k booleans and ``thresholds`` 5 - k values. Until all k steps are done the
    score is the milestone score and ``result`` may be None. Then X short of T(k+1) gives k, and
    from T(k+1) on the score interpolates as an outcome. With 2 steps done and T3..T5 = 60/70/80:
    X = 55 gives 2.0000, X = 60 gives 3.0000, X = 75 gives 4.5000.
    """
    floor_value = _checked_floor(floor)
    answers = _step_answers(steps_done, code="too_many_steps", exact=False)
    k = len(answers)
    # Check the thresholds even while steps are missing, so a data error shows at once.
    oriented = _oriented_thresholds(
        thresholds, higher_is_better=higher_is_better, first_level=k + 1, count=LEVEL_COUNT - k
    )
    # A result given is checked even if unused; None is fine until the steps are all done.
    x = (
        None
        if result is None and k
        else _oriented_result(result, higher_is_better=higher_is_better)
    )
    # A step done out of order earns nothing: a level needs its step and all lower steps.
    reached = next((level for level, done in enumerate(answers) if not done), k)
    if reached < k or k == LEVEL_COUNT:
        return _rounded(Decimal(reached) if reached else floor_value)
    if x is None:
        raise InvalidResult("missing_result", levels=range(1, k + 1), steps=k)
    # With k = 0 this is a plain outcome (the floor below T1). With k >= 1 the steps already earn k
    # and level k+1 starts at T(k+1) itself: a jump from k to k+1, unlike the T1 edge of an outcome.
    below = floor_value if k == 0 else Decimal(k)
    values = [Decimal(level) for level in range(k + 1, LEVEL_COUNT + 1)]
    return _rounded(_interpolate(x, oriented, values, below=below))


def score_milestone(steps_done: Iterable[object], *, floor: object = Decimal(1)) -> Decimal:
    """Milestone (ขั้นตอน) score: the highest level whose step and all lower steps are done.

    ``steps_done`` holds five booleans, level 1 first. (True, True, False, True, False) gives
    2.0000; no step done gives the floor. There is no interpolation.
    """
    answers = _step_answers(steps_done, code="step_count", exact=True)
    return score_hybrid(answers, None, (), floor=floor)


@_exact_arithmetic
def weighted_score(parts: Iterable[tuple[object, object]]) -> Decimal:
    """sum(weight × score) / sum(weights), from scores rounded to 4 decimals, rounded half-up.

    The agreement total and each dimension's subtotal. Scores are rounded before weighting, as on
    the e-SAR card: (1, 1.00001) and (1, 1.00005) give 1.0001, not 1.0000 (from 1.00003).
    Weights must be positive, so their sum cannot be zero.
    """
    rows = [
        (
            _positive_weight(weight, f"row {row}"),
            _rounded(_number(score, f"the score in row {row}")),
        )
        for row, (weight, score) in enumerate(parts, start=1)
    ]
    if not rows:
        raise InvalidCriteria("no_parts")
    return _rounded(sum(w * s for w, s in rows) / sum(w for w, _ in rows))


def score_composite(parts: Iterable[tuple[object, object]]) -> Decimal:
    """A composite KPI's score: its sub-KPIs' (sub-weight, score) rows, weighted as above."""
    return weighted_score(parts)


@_exact_arithmetic
def renormalised_weights(
    weights_by_key: Mapping[Hashable, object],
    active_keys: Iterable[Hashable],
    *,
    total: object = None,
    places: int = SCORE_PLACES,
) -> dict[Hashable, Decimal]:
    """Share the weights of KPIs not active in a round (started later, cancelled) among the rest.

    Active weights are scaled to ``total`` (default: the sum of all weights, usually 100) and
    rounded half-up to ``places``: {a: 20, b: 30, c: 50} with a, b active gives {a: 40, b: 60}.
    Rounding can leave the sum a little off the total (3 × 33.3333); weighted_score divides by
    the actual sum, so the total score does not depend on it.
    """
    weights = {key: _positive_weight(value, key) for key, value in weights_by_key.items()}
    active = set(active_keys)
    unknown = sorted(str(key) for key in active if key not in weights)
    if unknown:
        raise InvalidCriteria("unknown_key", key=unknown[0])
    if not active:
        raise InvalidCriteria("no_active_keys")
    target = sum(weights.values()) if total is None else _positive_weight(total, "the total")
    active_sum = sum(weights[key] for key in active)
    return {
        key: _rounded(weight * target / active_sum, places)
        for key, weight in weights.items()
        if key in active
    }


@_exact_arithmetic
def apply_adjustments(
    score: object,
    *,
    deduction: object = 0,
    bonus: object = 0,
    cap: object = 5,
    floor: object = Decimal(1),
) -> Decimal:
    """A framework's deduction (e.g. 0.2 per missed report) and bonus, applied after scoring.

    A deduction stops at the floor and a bonus at the cap; a score already outside them is not
    pulled in. Reports show the adjustment beside the KPI score, not merged into it.
    4.9 with a 0.3 bonus gives 5.0000; 1.1 with a 0.4 deduction gives 1.0000.
    """
    value = _rounded(_number(score, "the score"))
    amounts = {"deduction": deduction, "bonus": bonus, "cap": cap, "floor": floor}
    minus, plus, top, bottom = (_criteria_number(v, f"the {k}") for k, v in amounts.items())
    for name, amount in (("deduction", minus), ("bonus", plus)):
        if amount < 0:
            raise InvalidCriteria("adjustment_negative", name=name, value=str(amount))
    if top < bottom:
        raise InvalidCriteria("cap_below_floor", cap=str(top), floor=str(bottom))
    adjusted = min(value - minus + plus, max(top, value))
    return _rounded(max(adjusted, min(bottom, value)))


@_exact_arithmetic
def weighted_contribution(weight: object, score: object, *, places: int = 2) -> Decimal:
    """One KPI's weighted score as reports show it: score × weight / 100, rounded half-up.

    Weights are in %, so with weights totalling 100 these add up to the weighted total (give or
    take the display rounding). 5 × 2.5 / 100 = 0.125 is shown as 0.13.
    """
    weight_value = _positive_weight(weight, "the KPI")
    return _rounded(_rounded(_number(score, "the score")) * weight_value / 100, places)
