"""The e-SAR card: one page per agreement and round, read from the stored scores.

Every number the card shows comes from the rows agreements.services.scoring wrote (SARScore,
KPIScore, DimensionScore), never from a computation of its own, so the card and the official
scores cannot disagree; the annex rows and the results give the words around the numbers (criteria,
results as entered and verified, why a KPI was not reported). `sar_card_context` reads all of it
with a fixed number of queries, whatever the number of KPIs, for the HTML page and the PDF alike.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext, pgettext

from agreements.enums import ResultStatus, SARState
from agreements.models import SAR, AgreementKPI, DimensionScore, KPIResult, KPIScore, SARScore
from kpis import scoring
from kpis.criteria import Criteria
from kpis.enums import CriteriaType
from kpis.explain import plain_number, score_text
from kpis.selectors import code_sort_key
from kpis.views.templates import CriteriaRow, criteria_rows

# Levels shown in the legend: 0 only exists where a framework scores 0 below level 1.
LEVELS = range(0, scoring.LEVEL_COUNT + 1)


class ScoreStatus:
    """What the card's scores are worth, from the strongest to none at all."""

    OFFICIAL = "official"  # verified and the SAR approved by the planning unit
    VERIFIED = "verified"  # verified by the KPI owners, not yet approved
    SELF = "self"  # self-assessed only
    NONE = "none"  # not computed yet


@dataclass(frozen=True)
class Note:
    """A footnote of the card: a KPI not reported this round, or a result the owner adjusted."""

    mark: str
    code: str
    text: str


@dataclass
class CardLine:
    """One KPI's line: its criteria, result and scores as stored."""

    code: str
    name: str
    unit: str
    agreed_weight: str
    weight: str  # this round's weight ("" when the KPI is not reported or not scored yet)
    weight_changed: bool
    parent_code: str  # the composite KPI this line is part of
    is_composite: bool
    higher_is_better: bool
    levels: list[CriteriaRow]
    reported: bool
    participation: str  # the label when the KPI is not reported this round
    entered: str
    verified: str  # the verified result, only when the KPI owner adjusted it
    status: str
    status_label: str
    self_score: str = ""
    verified_score: str = ""
    self_weighted: str = ""
    verified_weighted: str = ""
    level: int | None = None
    marks: list[str] = field(default_factory=list)

    @property
    def is_sub(self) -> bool:
        return bool(self.parent_code)

    @property
    def is_adjusted(self) -> bool:
        return self.status == ResultStatus.ADJUSTED


@dataclass
class CardDimension:
    number: int
    name: str
    agreed_weight: str
    weight: str  # the sum of this round's weights of its reported KPIs
    weight_changed: bool
    self_subtotal: str = ""
    verified_subtotal: str = ""
    lines: list[CardLine] = field(default_factory=list)


@dataclass(frozen=True)
class Working:
    """A total worked out by hand: Σ(weight × score) ÷ Σ weight = total."""

    products: str
    weights: str
    total: str


def _score(value: Decimal | None) -> str:
    return score_text(value) if value is not None else ""


def _weight(value: Decimal | None) -> str:
    return plain_number(value) if value is not None else ""


def steps_text(steps: list | None, count: int) -> str:
    """The steps ticked among the criteria's first `count`, as "steps 1, 2, 4 of 5"."""
    done = [str(level) for level, ticked in enumerate(steps or [], start=1) if ticked][:count]
    if not done:
        return gettext("no step of %(count)s") % {"count": count}
    return gettext("steps %(done)s of %(count)s") % {"done": ", ".join(done), "count": count}


def result_text(row: AgreementKPI, value: Decimal | None, steps: list | None) -> str:
    """A result as the card prints it: the steps done, then the number (its unit has a column)."""
    criteria = Criteria.of(row)
    parts = []
    if criteria.steps_in_use:
        parts.append(steps_text(steps, criteria.steps_in_use))
    if criteria.thresholds_in_use and value is not None:
        parts.append(plain_number(value, grouped=True))
    return " · ".join(parts)


def _verified_steps(result: KPIResult) -> list | None:
    return result.verified_steps if result.verified_steps is not None else result.steps_done


def card_order(rows: list[AgreementKPI]) -> list[AgreementKPI]:
    """Annex rows by dimension and code, each composite KPI followed by its sub-KPIs."""
    codes = {row.code for row in rows}
    parts: dict[str, list[AgreementKPI]] = {}
    top = []
    for row in rows:
        if row.composite_code and row.composite_code in codes:
            parts.setdefault(row.composite_code, []).append(row)
        else:
            top.append(row)  # a sub-KPI whose composite is missing still shows, on its own
    ordered = []
    for row in sorted(top, key=lambda r: (r.dimension_number, code_sort_key(r.code), r.code)):
        ordered.append(row)
        ordered.extend(sorted(parts.get(row.code, []), key=lambda r: code_sort_key(r.code)))
    return ordered


def _line(
    row: AgreementKPI, result: KPIResult | None, score: KPIScore | None, target_level: int
) -> CardLine:
    reported = result.is_reported if result is not None else True
    status = result.status if result is not None else ""
    entered = verified = ""
    if result is not None and result.entered_at is not None:
        entered = result_text(row, result.result, result.steps_done)
    if result is not None and status == ResultStatus.ADJUSTED:
        verified = result_text(row, result.verified_result, _verified_steps(result))
    line = CardLine(
        code=row.code,
        name=row.name,
        unit=row.unit,
        agreed_weight=_weight(row.weight),
        weight="",
        weight_changed=False,
        parent_code=row.composite_code,
        is_composite=row.criteria_type == CriteriaType.COMPOSITE,
        higher_is_better=row.higher_is_better,
        levels=criteria_rows(row, target_level),
        reported=reported,
        participation=result.get_participation_display() if not reported else "",
        entered=entered,
        verified=verified,
        status=status,
        status_label=result.get_status_display() if result is not None else "",
    )
    if result is None and line.is_composite and score is not None and score.weight <= 0:
        # A composite KPI none of whose sub-KPIs is reported gives its weight away as well.
        line.reported = False
        line.participation = gettext("None of its sub-KPIs is reported in this round")
    if score is not None and score.weight > 0:
        line.weight = _weight(score.weight)
        line.weight_changed = score.weight != row.weight
        line.self_score = _score(score.self_score)
        line.verified_score = _score(score.verified_score)
        line.self_weighted = _score(score.self_weighted)
        line.verified_weighted = _score(score.verified_weighted)
        line.level = score.level
    return line


def _notes(
    lines: list[CardLine], rows: dict[str, AgreementKPI], results: dict[int, KPIResult]
) -> list[Note]:
    """Footnotes, numbered in the card's order: why a KPI is not reported, and adjustments."""
    notes: list[Note] = []
    for line in lines:
        row = rows[line.code]
        result = results.get(row.pk)
        if not line.reported:
            among = (
                gettext("the other sub-KPIs of %(code)s") % {"code": line.parent_code}
                if line.is_sub
                else gettext("the other KPIs reported in this round")
            )
            text = gettext(
                "%(code)s is not reported in this round (%(reason)s). Its weight of %(weight)s "
                "was shared among %(among)s in proportion to their weights."
            ) % {
                "code": line.code,
                "reason": line.participation,
                "weight": line.agreed_weight,
                "among": among,
            }
            if result is not None and result.participation_note:
                text = f"{text} {result.participation_note}"
            notes.append(Note(str(len(notes) + 1), line.code, text))
            line.marks.append(notes[-1].mark)
        if result is not None and line.is_adjusted:
            text = gettext(
                "%(code)s: the KPI owner adjusted the result from %(entered)s to %(verified)s. "
                "Justification: %(comment)s"
            ) % {
                "code": line.code,
                "entered": line.entered or "—",
                "verified": line.verified or "—",
                "comment": result.verification_comment,
            }
            notes.append(Note(str(len(notes) + 1), line.code, text))
            line.marks.append(notes[-1].mark)
    return notes


def _working(pairs: list[tuple[Decimal, Decimal | None]], total: Decimal | None) -> Working | None:
    """Σ(weight × score) and Σ weight of the stored lines, beside the stored total."""
    if total is None or not pairs or any(score is None for _, score in pairs):
        return None
    products = sum((weight * score for weight, score in pairs), Decimal(0))
    weights = sum((weight for weight, _ in pairs), Decimal(0))
    return Working(plain_number(products), plain_number(weights), score_text(total))


def _is_part(row: AgreementKPI, rows_by_code: dict[str, AgreementKPI]) -> bool:
    """A sub-KPI of a composite KPI of the annex: it counts within the composite, not the total."""
    return bool(row.composite_code) and row.composite_code in rows_by_code


def score_status(score: SARScore | None) -> str:
    if score is None or (score.self_total is None and score.verified_total is None):
        return ScoreStatus.NONE
    if score.is_official:
        return ScoreStatus.OFFICIAL
    if score.verified_total is not None:
        return ScoreStatus.VERIFIED
    return ScoreStatus.SELF


def sar_card_context(sar: SAR) -> dict[str, Any]:
    """Everything the e-SAR card shows, in the active language (five queries for any KPI count).

    `sar` should come with its agreement (organisation, fiscal year, framework), round and version
    joined, as selectors.sars_visible_to gives it.
    """
    annex = list(AgreementKPI.objects.filter(version_id=sar.version_id))
    results = {result.annex_kpi_id: result for result in KPIResult.objects.filter(sar=sar)}
    scores = {score.annex_kpi_id: score for score in KPIScore.objects.filter(sar=sar)}
    subtotals = {d.number: d for d in DimensionScore.objects.filter(sar=sar)}
    stored = SARScore.objects.filter(sar=sar).first()
    if stored is not None:
        stored.sar = sar  # is_stale compares with this SAR's revision, without a query

    target_level = sar.agreement.framework.target_level
    ordered = card_order(annex)
    lines = [_line(row, results.get(row.pk), scores.get(row.pk), target_level) for row in ordered]
    rows_by_code = {row.code: row for row in annex}
    notes = _notes(lines, rows_by_code, results)

    dimensions: dict[int, CardDimension] = {}
    for row, line in zip(ordered, lines, strict=True):
        number = row.dimension_number
        if number not in dimensions:
            subtotal = subtotals.get(number)
            weight = subtotal.weight if subtotal is not None else None
            dimensions[number] = CardDimension(
                number=number,
                name=row.dimension_name,
                agreed_weight=_weight(row.dimension_weight),
                weight=_weight(weight),
                weight_changed=weight is not None and weight != row.dimension_weight,
                self_subtotal=_score(subtotal.self_subtotal) if subtotal else "",
                verified_subtotal=_score(subtotal.verified_subtotal) if subtotal else "",
            )
        dimensions[number].lines.append(line)

    # The lines the totals are made of: top-level KPIs with a weight this round.
    counted = [
        scores[row.pk]
        for row in annex
        if not _is_part(row, rows_by_code) and row.pk in scores and scores[row.pk].weight > 0
    ]
    self_total = stored.self_total if stored is not None else None
    verified_total = stored.verified_total if stored is not None else None
    status = score_status(stored)
    return {
        "sar": sar,
        "agreement": sar.agreement,
        "organisation": sar.agreement.organisation,
        "version": sar.version,
        "score": stored,
        "score_status": status,
        "score_status_label": _status_label(status),
        # A card with no score at all, or one computed from older inputs, says so on top.
        "is_stale": stored is None or stored.is_stale,
        "is_approved": sar.state == SARState.APPROVED,
        "dimensions": sorted(dimensions.values(), key=lambda d: d.number),
        "kpi_count": sum(1 for row in annex if not row.composite_code),
        "notes": notes,
        "weights_renormalised": any(line.weight_changed for line in lines),
        "not_reported": [line for line in lines if not line.reported],
        "self_total": _score(self_total),
        "verified_total": _score(verified_total),
        "agreed_total_weight": _weight(
            sum((row.weight for row in annex if not _is_part(row, rows_by_code)), Decimal(0))
        ),
        "total_weight": _weight(sum((s.weight for s in counted), Decimal(0))) if counted else "",
        "self_working": _working([(s.weight, s.self_score) for s in counted], self_total),
        "verified_working": _working(
            [(s.weight, s.verified_score) for s in counted], verified_total
        ),
        "levels": list(LEVELS),
        "target_level": target_level,
    }


def _status_label(status: str) -> str:
    return {
        ScoreStatus.OFFICIAL: pgettext("e-SAR card", "Official: verified and approved"),
        ScoreStatus.VERIFIED: pgettext("e-SAR card", "Verified, awaiting approval"),
        ScoreStatus.SELF: pgettext("e-SAR card", "Self-assessed only"),
        ScoreStatus.NONE: pgettext("e-SAR card", "Not computed yet"),
    }[status]
