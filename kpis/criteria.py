"""The bridge between a KPI template's criteria fields and the pure scoring engine.

It names the engine's errors in the user's language (the engine speaks plain English with a code)
and scores a template for the what-if calculator, the SAR and the e-SAR card alike.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from kpis import scoring
from kpis.enums import CriteriaType, FloorRule

# One translatable message per engine error code, filled from the error's params.
ENGINE_MESSAGES = {
    "not_a_number": _("%(name)s must be a number."),
    "not_a_step_answer": _("Step %(level)s must be ticked or not."),
    "missing_result": _("Type the result: all %(steps)s steps are done, so the outcome counts."),
    "thresholds_not_rising": _(
        "Thresholds must rise strictly when higher is better: level %(lower)s (%(lower_value)s) "
        "and level %(upper)s (%(upper_value)s)."
    ),
    "thresholds_not_falling": _(
        "Thresholds must fall strictly when lower is better: level %(lower)s (%(lower_value)s) "
        "and level %(upper)s (%(upper_value)s)."
    ),
    "threshold_count": _(
        "Levels %(first)s-%(last)s need %(expected)s thresholds; %(count)s are filled in."
    ),
    "no_thresholds_expected": _("Criteria made only of steps take no thresholds."),
    "step_count": _("Milestone criteria need %(expected)s steps; %(count)s are described."),
    "too_many_steps": _("At most %(expected)s levels can be steps."),
    "step_not_positive": _("The step between levels must be positive (it is %(step)s)."),
    "target_level": _("The target must sit on one of levels 1-5."),
    "floor_out_of_range": _("The floor must lie between 0 and level 1's score."),
    "scale_empty": _("A scale needs at least one level."),
    "scale_not_rising": _("Scale values must rise strictly."),
    "weight_not_positive": _("Weights must be positive: %(item)s has weight %(weight)s."),
    "no_parts": _("A composite KPI needs at least one sub-KPI."),
    "no_active_keys": _("At least one KPI must be reported in this round."),
    "unknown_key": _("KPI %(key)s has no weight."),
    "adjustment_negative": _("The %(name)s must not be negative."),
    "cap_below_floor": _("The cap must not be below the floor."),
}


def engine_message(error: scoring.ScoringError) -> str:
    """The engine's error in the active language, naming the same levels."""
    template = ENGINE_MESSAGES.get(error.code)
    if template is None:
        return error.message
    return str(template) % {key: value for key, value in error.params.items()}


def threshold_field(level: int) -> str:
    return f"threshold_{level}"


@dataclass(frozen=True)
class Criteria:
    """The scoring-relevant part of a template, as plain values."""

    criteria_type: str
    higher_is_better: bool
    step_count: int
    thresholds: tuple[Decimal | None, ...]
    floor: Decimal = Decimal(1)

    @classmethod
    def of(cls, template, *, floor_rule: str = FloorRule.ONE) -> "Criteria":
        return cls(
            criteria_type=template.criteria_type,
            higher_is_better=template.higher_is_better,
            step_count=template.step_count,
            thresholds=tuple(template.thresholds),
            floor=Decimal(0) if floor_rule == FloorRule.ZERO else Decimal(1),
        )

    @property
    def steps_in_use(self) -> int:
        if self.criteria_type == CriteriaType.MILESTONE:
            return scoring.LEVEL_COUNT
        if self.criteria_type == CriteriaType.HYBRID:
            return self.step_count
        return 0

    @property
    def thresholds_in_use(self) -> tuple[Decimal | None, ...]:
        """The thresholds of the levels that are outcome levels (k+1..5 for hybrid)."""
        if self.criteria_type in (CriteriaType.MILESTONE, CriteriaType.COMPOSITE):
            return ()
        return self.thresholds[self.steps_in_use :]

    def validate(self) -> None:
        """Raise scoring.InvalidCriteria when the criteria cannot be scored."""
        if self.criteria_type == CriteriaType.COMPOSITE:
            return
        if self.criteria_type == CriteriaType.HYBRID and not 1 <= self.step_count <= 4:
            raise scoring.InvalidCriteria(
                "too_many_steps", levels=(), expected=4, count=self.step_count
            )
        thresholds = self.thresholds_in_use
        first_level = self.steps_in_use + 1
        for value in thresholds:
            if value is None:
                raise scoring.InvalidCriteria(
                    "threshold_count",
                    levels=range(first_level, 6),
                    first=first_level,
                    last=5,
                    expected=len(thresholds),
                    count=sum(v is not None for v in thresholds),
                )
        # Scoring a value at level 1's threshold exercises the engine's own checks.
        if self.criteria_type == CriteriaType.OUTCOME:
            scoring.score_outcome(
                thresholds[0], thresholds, higher_is_better=self.higher_is_better, floor=self.floor
            )
        elif self.criteria_type == CriteriaType.HYBRID:
            scoring.score_hybrid(
                [True] * self.step_count,
                thresholds[0],
                thresholds,
                higher_is_better=self.higher_is_better,
                floor=self.floor,
            )

    def score(self, *, result=None, steps_done: Sequence[bool] = ()) -> Decimal:
        """The score of a result and/or the steps done; raises scoring.ScoringError."""
        kind = self.criteria_type
        if kind == CriteriaType.OUTCOME:
            return scoring.score_outcome(
                result,
                self.thresholds_in_use,
                higher_is_better=self.higher_is_better,
                floor=self.floor,
            )
        if kind == CriteriaType.MILESTONE:
            steps = list(steps_done)[: scoring.LEVEL_COUNT]
            steps += [False] * (scoring.LEVEL_COUNT - len(steps))
            return scoring.score_milestone(steps, floor=self.floor)
        if kind == CriteriaType.HYBRID:
            steps = list(steps_done)[: self.step_count]
            steps += [False] * (self.step_count - len(steps))
            return scoring.score_hybrid(
                steps,
                result,
                self.thresholds_in_use,
                higher_is_better=self.higher_is_better,
                floor=self.floor,
            )
        raise scoring.InvalidCriteria("no_parts")
