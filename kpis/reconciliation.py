"""Weight reconciliation of a framework: pure arithmetic on plain rows, no ORM.

Dimension weights must total 100, the KPIs of a dimension must add up to its weight, and every
composite KPI needs positive sub-weights. The framework page shows every line of this, and
publishing refuses while any problem remains, naming the rows.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from kpis.enums import WEIGHT_TOTAL


@dataclass(frozen=True)
class DimensionRow:
    number: int
    name: str
    weight: Decimal


@dataclass(frozen=True)
class KPIRow:
    code: str
    dimension_number: int
    weight: Decimal
    composite_code: str | None = None  # the composite KPI this row is a part of
    is_composite: bool = False


@dataclass
class DimensionBalance:
    number: int
    name: str
    weight: Decimal
    kpi_total: Decimal

    @property
    def difference(self) -> Decimal:
        """Positive when the KPIs weigh more than the dimension, negative when less."""
        return self.kpi_total - self.weight

    @property
    def balanced(self) -> bool:
        return self.difference == 0


@dataclass
class Reconciliation:
    dimensions: list[DimensionBalance]
    dimension_total: Decimal
    kpi_total: Decimal
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def missing(self) -> Decimal:
        return WEIGHT_TOTAL - self.dimension_total


def _fmt(value: Decimal) -> str:
    normalised = value.normalize()
    return f"{normalised:f}"


def reconcile(dimensions: Iterable[DimensionRow], kpis: Iterable[KPIRow]) -> Reconciliation:
    dimensions = list(dimensions)
    kpis = list(kpis)
    top_level = [k for k in kpis if k.composite_code is None]
    by_dimension: dict[int, list[KPIRow]] = defaultdict(list)
    for row in top_level:
        by_dimension[row.dimension_number].append(row)

    balances = [
        DimensionBalance(
            d.number, d.name, d.weight, sum((k.weight for k in by_dimension[d.number]), Decimal(0))
        )
        for d in dimensions
    ]
    dimension_total = sum((d.weight for d in dimensions), Decimal(0))
    kpi_total = sum((k.weight for k in top_level), Decimal(0))
    problems: list[str] = []
    if dimension_total != WEIGHT_TOTAL:
        problems.append(
            _("The dimension weights total %(total)s, not 100.") % {"total": _fmt(dimension_total)}
        )
    for balance in balances:
        if balance.balanced:
            continue
        codes = ", ".join(k.code for k in by_dimension[balance.number]) or _("no KPIs")
        problems.append(
            _(
                "Dimension %(number)s “%(name)s” weighs %(weight)s but its KPIs (%(codes)s) total %(total)s."
            )
            % {
                "number": balance.number,
                "name": balance.name,
                "weight": _fmt(balance.weight),
                "codes": codes,
                "total": _fmt(balance.kpi_total),
            }
        )
    for row in top_level:
        if row.weight <= 0:
            problems.append(_("KPI %(code)s has no weight.") % {"code": row.code})
    parts: dict[str, list[KPIRow]] = defaultdict(list)
    for row in kpis:
        if row.composite_code is not None:
            parts[row.composite_code].append(row)
    for row in top_level:
        if row.is_composite and not parts[row.code]:
            problems.append(_("Composite KPI %(code)s has no sub-KPIs.") % {"code": row.code})
    for composite_code, rows in parts.items():
        for row in rows:
            if row.weight <= 0:
                problems.append(
                    _("Sub-KPI %(code)s of %(composite)s needs a positive weight.")
                    % {"code": row.code, "composite": composite_code}
                )
    return Reconciliation(balances, dimension_total, kpi_total, problems)
