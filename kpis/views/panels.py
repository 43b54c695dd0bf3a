"""Presentation rows of the framework pages: the weight reconciliation panel, KPIs by dimension."""

from dataclasses import dataclass

from kpis.enums import WEIGHT_TOTAL
from kpis.forms.frameworks import plain_decimal
from kpis.models import KPI, Dimension, Framework
from kpis.reconciliation import DimensionBalance, Reconciliation


@dataclass(frozen=True)
class BalanceLine:
    """One line of the reconciliation panel, with words beside the colour."""

    number: int
    name: str
    weight: str
    kpi_total: str
    status: str  # "ok", "missing" or "over": the CSS modifier and the icon
    gap: str  # how much is missing or over, without a sign

    @classmethod
    def of(cls, balance: DimensionBalance) -> "BalanceLine":
        difference = balance.difference
        status = "ok" if difference == 0 else ("over" if difference > 0 else "missing")
        return cls(
            number=balance.number,
            name=balance.name,
            weight=plain_decimal(balance.weight),
            kpi_total=plain_decimal(balance.kpi_total),
            status=status,
            gap=plain_decimal(abs(difference)),
        )


@dataclass(frozen=True)
class ReconciliationPanel:
    lines: list[BalanceLine]
    dimension_total: str
    kpi_total: str
    status: str
    gap: str
    problems: list[str]
    ok: bool

    @classmethod
    def of(cls, result: Reconciliation) -> "ReconciliationPanel":
        # The total is balanced only when the dimensions and the KPIs both come to 100; the
        # dimensions are named first because the KPIs are measured against them.
        difference = result.dimension_total - WEIGHT_TOTAL
        if difference == 0:
            difference = result.kpi_total - WEIGHT_TOTAL
        return cls(
            lines=[BalanceLine.of(balance) for balance in result.dimensions],
            dimension_total=plain_decimal(result.dimension_total),
            kpi_total=plain_decimal(result.kpi_total),
            status="ok" if difference == 0 else ("over" if difference > 0 else "missing"),
            gap=plain_decimal(abs(difference)),
            problems=result.problems,
            ok=result.ok,
        )


@dataclass(frozen=True)
class KPILine:
    kpi: KPI
    is_sub: bool


@dataclass(frozen=True)
class DimensionSection:
    dimension: Dimension
    balance: BalanceLine | None
    lines: list[KPILine]


def dimension_sections(
    dimensions: list[Dimension], kpis: list[KPI], panel: ReconciliationPanel
) -> list[DimensionSection]:
    """KPIs by dimension in code order, each composite followed by its sub-KPIs."""
    parts: dict[int, list[KPI]] = {}
    for kpi in kpis:
        if kpi.composite_parent_id:
            parts.setdefault(kpi.composite_parent_id, []).append(kpi)
    balances = {line.number: line for line in panel.lines}
    sections = []
    for dimension in dimensions:
        lines = []
        for kpi in kpis:
            if kpi.composite_parent_id is None and kpi.dimension_id == dimension.pk:
                lines.append(KPILine(kpi, is_sub=False))
                lines.extend(KPILine(part, is_sub=True) for part in parts.get(kpi.pk, []))
        sections.append(DimensionSection(dimension, balances.get(dimension.number), lines))
    return sections


@dataclass(frozen=True)
class FrameworkRow:
    framework: Framework
    kpi_count: int
    balanced: bool
