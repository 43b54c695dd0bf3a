"""How a score came about, in words: the working shown by the what-if calculator and the SAR.

"3 + (67 − 65) / (70 − 65) = 3.4000": the level reached and the interpolation, in the active
language, for a score the engine (kpis/scoring.py) computed. Pure: no ORM.
"""

from decimal import Decimal

from django.utils.translation import gettext

from kpis import scoring
from kpis.criteria import Criteria
from kpis.enums import CriteriaType


def plain_number(value: Decimal | None, *, grouped: bool = False) -> str:
    """45 not 45.0000, 2.5 not 2.5000, 100 not 1E+2; with thousands commas when `grouped`."""
    if value is None:
        return ""
    normalised = value.normalize()
    if normalised == 0:
        normalised = Decimal(0)
    return f"{normalised:,f}" if grouped else f"{normalised:f}"


def score_text(value: Decimal) -> str:
    """Scores always show 4 decimals (3.4000)."""
    return f"{value.quantize(Decimal('0.0001')):f}"


def _leading_done(steps_done: list[bool], count: int) -> int:
    reached = 0
    for done in steps_done[:count]:
        if not done:
            break
        reached += 1
    return reached


def _steps_working(reached: int, score: Decimal) -> str:
    if reached == 0:
        return gettext("No step is done from level 1 up: the score is %(score)s.") % {
            "score": score_text(score)
        }
    if reached == 1:
        return gettext("Step 1 is done: level 1, score %(score)s.") % {"score": score_text(score)}
    return gettext("Steps 1 to %(level)s are done: level %(level)s, score %(score)s.") % {
        "level": reached,
        "score": score_text(score),
    }


def explain(
    criteria: Criteria, result: Decimal | None, steps_done: list[bool], score: Decimal
) -> tuple[int, str]:
    """The level reached and the working of a score the engine computed (DOMAIN.md §4)."""
    kind = criteria.criteria_type
    steps = criteria.steps_in_use
    if kind in (CriteriaType.MILESTONE, CriteriaType.HYBRID):
        reached = _leading_done(steps_done, steps)
        if reached < steps or kind == CriteriaType.MILESTONE:
            working = _steps_working(reached, score)
            if kind == CriteriaType.HYBRID:
                working += " " + gettext("The result counts once all %(steps)s steps are done.") % {
                    "steps": steps
                }
            return reached, working
    thresholds = criteria.thresholds_in_use
    first = steps + 1
    better = criteria.higher_is_better

    def reaches(value: Decimal) -> bool:
        return result >= value if better else result <= value

    x = plain_number(result, grouped=True)
    if not reaches(thresholds[0]):
        below = gettext(
            "The result %(result)s is short of level %(level)s (%(threshold)s): the score is %(score)s."
        ) % {
            "result": x,
            "level": first,
            "threshold": plain_number(thresholds[0], grouped=True),
            "score": score_text(score),
        }
        return first - 1, below
    if reaches(thresholds[-1]):
        top = gettext(
            "The result %(result)s reaches level %(level)s (%(threshold)s): the score is %(score)s."
        ) % {
            "result": x,
            "level": scoring.LEVEL_COUNT,
            "threshold": plain_number(thresholds[-1], grouped=True),
            "score": score_text(score),
        }
        return scoring.LEVEL_COUNT, top
    index = max(i for i, value in enumerate(thresholds) if reaches(value))
    level = first + index
    low, high = (plain_number(v, grouped=True) for v in thresholds[index : index + 2])
    if better:
        formula = f"{level} + ({x} − {low}) / ({high} − {low}) = {score_text(score)}"
    else:
        formula = f"{level} + ({low} − {x}) / ({low} − {high}) = {score_text(score)}"
    return level, formula
