"""The e-SAR card's arithmetic, free of the ORM: from annex rows and results to every number.

Given the annex rows of a signed version and what was entered and verified for one round, it
works out each KPI's weight this round (renormalised when KPIs are not reported), its score by the
engine (kpis.scoring through kpis.criteria), the weighted score shown on the card
(score × weight / 100), each dimension's subtotal and the total. Two columns run side by side:
self-assessed (the values as entered) and verified (as the KPI owners accepted or adjusted them).

The method (DOMAIN.md §4): each KPI score is rounded half-up to 4 decimals; a composite KPI is the
weighted mean of its sub-KPIs; a subtotal or a total is Σ(weight × score) / Σ weight over the
KPIs reported this round, with the weights shown on the card, so a reader can recompute the card
by hand. A total exists only when every reported KPI has a score in that column.
"""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from kpis import scoring
from kpis.criteria import Criteria
from kpis.enums import CriteriaType

FOUR = Decimal("0.0001")


@dataclass(frozen=True)
class Entry:
    """A result as entered or as verified: the number and the steps done."""

    value: Decimal | None
    steps: tuple[bool, ...] = ()


@dataclass(frozen=True)
class Row:
    """One annex KPI with its criteria and what the round holds for it."""

    key: int
    code: str
    dimension: int
    weight: Decimal
    criteria: Criteria
    composite_code: str = ""  # the composite KPI this row is a part of, if any
    reported: bool = True
    entered: Entry | None = None  # None: nothing entered yet
    verified: Entry | None = None  # None: not verified (yet)

    @property
    def is_composite(self) -> bool:
        return self.criteria.criteria_type == CriteriaType.COMPOSITE


@dataclass
class Line:
    """A KPI's line on the card."""

    key: int
    weight: Decimal  # this round's weight (0 when not reported)
    self_score: Decimal | None = None
    verified_score: Decimal | None = None
    self_weighted: Decimal | None = None
    verified_weighted: Decimal | None = None
    reported: bool = True

    @property
    def level(self) -> int | None:
        """The level the (verified, else self-assessed) score reached, for the card's colours."""
        score = self.verified_score if self.verified_score is not None else self.self_score
        if score is None:
            return None
        return max(0, min(scoring.LEVEL_COUNT, int(score)))


@dataclass
class Subtotal:
    number: int
    weight: Decimal
    self_subtotal: Decimal | None = None
    verified_subtotal: Decimal | None = None


@dataclass
class Card:
    lines: dict[int, Line] = field(default_factory=dict)
    dimensions: dict[int, Subtotal] = field(default_factory=dict)
    self_total: Decimal | None = None
    verified_total: Decimal | None = None


def score_entry(criteria: Criteria, entry: Entry | None) -> Decimal | None:
    """The engine's score of an entry, or None when there is nothing to score (yet)."""
    if entry is None:
        return None
    try:
        return criteria.score(result=entry.value, steps_done=entry.steps)
    except scoring.ScoringError:
        # An outcome without its number, or criteria that cannot be scored: no score, no total.
        return None


def _weighted_mean(parts: Sequence[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    if not parts or any(score is None for _, score in parts):
        return None
    return scoring.weighted_score(parts)


def _weighted_column(weight: Decimal, score: Decimal | None) -> Decimal | None:
    if score is None or weight <= 0:
        return None
    return scoring.weighted_contribution(weight, score, places=scoring.SCORE_PLACES)


def _renormalise(rows: Sequence[Row], active: set[int]) -> dict[int, Decimal]:
    """Weights this round: the active rows share the weight of the others (DOMAIN.md §4)."""
    weights = {row.key: row.weight for row in rows if row.weight > 0}
    active_keys = [key for key in weights if key in active]
    if not active_keys:
        return {}
    if len(active_keys) == len(weights):
        return dict(weights)  # nothing to share: the card shows the agreed weights unchanged
    return scoring.renormalised_weights(weights, active_keys)


def compute(rows: Iterable[Row]) -> Card:
    """Every number of one SAR's card."""
    rows = list(rows)
    parts: dict[str, list[Row]] = {}
    for row in rows:
        if row.composite_code:
            parts.setdefault(row.composite_code, []).append(row)
    top = [row for row in rows if not row.composite_code]
    card = Card()

    # Composite KPIs first: their scores are the weighted means of their reported parts.
    composite_scores: dict[str, tuple[Decimal | None, Decimal | None]] = {}
    composite_active: dict[str, bool] = {}
    for code, members in parts.items():
        active = {row.key for row in members if row.reported}
        weights = _renormalise(members, active)
        for row in members:
            weight = weights.get(row.key, Decimal(0))
            card.lines[row.key] = Line(
                key=row.key,
                weight=weight,
                self_score=score_entry(row.criteria, row.entered) if weight else None,
                verified_score=score_entry(row.criteria, row.verified) if weight else None,
                reported=bool(weight),
            )
        scored = [card.lines[row.key] for row in members if weights.get(row.key)]
        composite_active[code] = bool(scored)
        composite_scores[code] = (
            _weighted_mean([(line.weight, line.self_score) for line in scored]),
            _weighted_mean([(line.weight, line.verified_score) for line in scored]),
        )

    def is_active(row: Row) -> bool:
        if row.is_composite:
            return row.reported and composite_active.get(row.code, False)
        return row.reported

    weights = _renormalise(top, {row.key for row in top if is_active(row)})
    for row in top:
        weight = weights.get(row.key, Decimal(0))
        if row.is_composite:
            self_score, verified_score = composite_scores.get(row.code, (None, None))
        else:
            self_score = score_entry(row.criteria, row.entered)
            verified_score = score_entry(row.criteria, row.verified)
        if not weight:
            self_score = verified_score = None
        card.lines[row.key] = Line(
            key=row.key,
            weight=weight,
            self_score=self_score,
            verified_score=verified_score,
            self_weighted=_weighted_column(weight, self_score),
            verified_weighted=_weighted_column(weight, verified_score),
            reported=bool(weight),
        )

    counted = [card.lines[row.key] for row in top if card.lines[row.key].reported]
    for number in sorted({row.dimension for row in top}):
        lines = [card.lines[row.key] for row in top if row.dimension == number]
        lines = [line for line in lines if line.reported]
        card.dimensions[number] = Subtotal(
            number=number,
            weight=sum((line.weight for line in lines), Decimal(0)),
            self_subtotal=_weighted_mean([(line.weight, line.self_score) for line in lines]),
            verified_subtotal=_weighted_mean(
                [(line.weight, line.verified_score) for line in lines]
            ),
        )
    card.self_total = _weighted_mean([(line.weight, line.self_score) for line in counted])
    card.verified_total = _weighted_mean([(line.weight, line.verified_score) for line in counted])
    return card


def fingerprint(rows: Iterable[Row]) -> str:
    """A SHA-256 of every input of the card, so a stored score names what it was computed from."""

    def entry(value: Entry | None):
        if value is None:
            return None
        return [None if value.value is None else str(value.value), list(value.steps)]

    canonical = [
        [
            row.key,
            row.code,
            row.dimension,
            str(row.weight),
            row.composite_code,
            row.reported,
            row.criteria.criteria_type,
            row.criteria.higher_is_better,
            row.criteria.step_count,
            [None if t is None else str(t) for t in row.criteria.thresholds],
            str(row.criteria.floor),
            entry(row.entered),
            entry(row.verified),
        ]
        for row in sorted(rows, key=lambda r: r.key)
    ]
    data = json.dumps(canonical, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()
