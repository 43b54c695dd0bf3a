"""kpis.reconciliation: the weight balance of a framework, pure arithmetic on plain rows."""

from decimal import Decimal

import pytest
from django.utils.translation import override

from kpis.reconciliation import DimensionBalance, DimensionRow, KPIRow, reconcile

D = Decimal


@pytest.fixture(autouse=True)
def english():
    # The messages are compared word for word: read them in the source language.
    with override("en"):
        yield


def four_dimensions(*weights: str) -> list[DimensionRow]:
    names = ("Effectiveness", "Service quality", "Efficiency", "Organisational development")
    weights = weights or ("45", "15", "20", "20")
    return [
        DimensionRow(n, name, D(w))
        for n, (name, w) in enumerate(zip(names, weights, strict=True), 1)
    ]


def balanced_kpis() -> list[KPIRow]:
    """The deck's department framework in miniature: every dimension's KPIs add up to it."""
    return [
        KPIRow("1", 1, D("20")),
        KPIRow("2", 1, D("10")),
        KPIRow("3", 1, D("15")),
        KPIRow("4", 2, D("15")),
        KPIRow("8", 3, D("20")),
        KPIRow("14", 4, D("20"), is_composite=True),
        KPIRow("14.1", 4, D("3"), composite_code="14"),
        KPIRow("14.2", 4, D("2"), composite_code="14"),
    ]


def test_a_balanced_framework_has_no_problems():
    result = reconcile(four_dimensions(), balanced_kpis())

    assert result.ok is True
    assert result.problems == []
    assert result.dimension_total == D("100")
    assert result.kpi_total == D("100")
    assert result.missing == D("0")
    assert [(b.number, b.weight, b.kpi_total, b.balanced) for b in result.dimensions] == [
        (1, D("45"), D("45"), True),
        (2, D("15"), D("15"), True),
        (3, D("20"), D("20"), True),
        (4, D("20"), D("20"), True),
    ]


def test_sub_kpi_weights_count_within_their_composite_not_in_the_dimension():
    result = reconcile(four_dimensions(), balanced_kpis())

    # 14.1 and 14.2 weigh 5 together, yet dimension 4 totals 20: only KPI 14 counts there.
    assert result.dimensions[3].kpi_total == D("20")


def test_dimension_weights_not_totalling_100_are_named_with_the_total_without_trailing_zeros():
    kpis = [*balanced_kpis()[:3], KPIRow("4", 2, D("10")), *balanced_kpis()[4:]]

    result = reconcile(four_dimensions("45.0000", "10.0000", "20", "20"), kpis)

    assert result.ok is False
    assert result.dimension_total == D("95")
    assert result.missing == D("5")
    assert result.problems == ["The dimension weights total 95, not 100."]


def test_a_dimension_whose_kpis_fall_short_names_the_dimension_and_its_kpis():
    kpis = [k for k in balanced_kpis() if k.code != "3"]

    result = reconcile(four_dimensions(), kpis)

    assert result.problems == [
        "Dimension 1 “Effectiveness” weighs 45 but its KPIs (1, 2) total 30."
    ]
    balance = result.dimensions[0]
    assert balance.difference == D("-15")
    assert balance.balanced is False


def test_a_dimension_whose_kpis_weigh_too_much_has_a_positive_difference():
    kpis = [*balanced_kpis(), KPIRow("5", 2, D("2.5"))]

    result = reconcile(four_dimensions(), kpis)

    assert result.problems == [
        "Dimension 2 “Service quality” weighs 15 but its KPIs (4, 5) total 17.5."
    ]
    assert result.dimensions[1].difference == D("2.5")
    assert result.kpi_total == D("102.5")


def test_a_dimension_without_kpis_says_so():
    kpis = [k for k in balanced_kpis() if k.dimension_number != 3]

    result = reconcile(four_dimensions(), kpis)

    assert result.problems == ["Dimension 3 “Efficiency” weighs 20 but its KPIs (no KPIs) total 0."]


def test_a_dimension_of_weight_zero_without_kpis_is_balanced():
    dimensions = four_dimensions("45", "15", "40", "0")
    kpis = [KPIRow("1", 1, D("45")), KPIRow("4", 2, D("15")), KPIRow("8", 3, D("40"))]

    result = reconcile(dimensions, kpis)

    assert result.ok is True


def test_a_kpi_without_weight_is_named():
    kpis = [*balanced_kpis(), KPIRow("9", 3, D("0"))]

    result = reconcile(four_dimensions(), kpis)

    assert result.problems == ["KPI 9 has no weight."]


def test_a_composite_kpi_without_sub_kpis_is_named():
    kpis = [k for k in balanced_kpis() if k.composite_code is None]

    result = reconcile(four_dimensions(), kpis)

    assert result.problems == ["Composite KPI 14 has no sub-KPIs."]


def test_a_sub_kpi_without_weight_is_named_with_its_composite():
    kpis = [*balanced_kpis(), KPIRow("14.3", 4, D("0"), composite_code="14")]

    result = reconcile(four_dimensions(), kpis)

    assert result.problems == ["Sub-KPI 14.3 of 14 needs a positive weight."]


def test_every_problem_is_listed_in_order():
    dimensions = four_dimensions("50", "15", "20", "20")
    kpis = [
        KPIRow("1", 1, D("45")),
        KPIRow("4", 2, D("15")),
        KPIRow("8", 3, D("20")),
        KPIRow("9", 3, D("0")),
        KPIRow("14", 4, D("20"), is_composite=True),
    ]

    result = reconcile(dimensions, kpis)

    assert result.problems == [
        "The dimension weights total 105, not 100.",
        "Dimension 1 “Effectiveness” weighs 50 but its KPIs (1) total 45.",
        "KPI 9 has no weight.",
        "Composite KPI 14 has no sub-KPIs.",
    ]
    assert result.missing == D("-5")


def test_no_dimensions_and_no_kpis_total_zero():
    result = reconcile([], [])

    assert result.dimension_total == D("0")
    assert result.kpi_total == D("0")
    assert result.problems == ["The dimension weights total 0, not 100."]


def test_fractional_weights_reconcile_exactly():
    dimensions = four_dimensions("33.3333", "33.3333", "33.3334", "0")
    kpis = [
        KPIRow("1", 1, D("33.3333")),
        KPIRow("2", 2, D("33.3333")),
        KPIRow("3", 3, D("33.3334")),
    ]

    result = reconcile(dimensions, kpis)

    assert result.ok is True


def test_dimension_balance_difference_sign():
    assert DimensionBalance(1, "x", D("45"), D("40")).difference == D("-5")
    assert DimensionBalance(1, "x", D("45"), D("50")).difference == D("5")
    assert DimensionBalance(1, "x", D("45.0000"), D("45")).balanced is True
