"""Arranging scores for the scoring tests: results entered and verified by direct data, more signed
agreements with their SARs, and a snapshot of every stored score to compare two recomputes.

Direct data arranges a test (as sar_world does); the services themselves are exercised in the
journey test of test_scoring_service and in the services' own tests.
"""

from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from agreements.enums import ResultStatus
from agreements.models import (
    SAR,
    Agreement,
    DimensionScore,
    KPIResult,
    KPIScore,
    RollupScore,
    SARScore,
)
from governance.models import FiscalYear, Organisation
from kpis.enums import CriteriaType
from tests.agreements.sar_world import open_sars
from tests.factories import (
    AgreementFactory,
    AgreementKPIFactory,
    AgreementVersionFactory,
    FrameworkFactory,
    UserFactory,
)

D = Decimal
DONE, NOT_DONE = True, False

# What the conftest framework's KPIs report in the tests: 3.4, 2, 3.5, 2.66 and 3.5, so the
# card's total is (85 + 40 + 52.5 + 53.2 + 70) / 100 = 3.0070 (see test_scorecard).
ENTRIES: dict[str, tuple[str | None, list[bool]]] = {
    "1.1": ("67", []),
    "1.2": (None, [DONE, DONE, NOT_DONE, DONE, NOT_DONE]),
    "2.1": ("17.5", []),
    "3.1": ("63.3", []),
    "4.1": ("82.5", [DONE, DONE]),
}
TOTAL = D("3.0070")


def _bump(sar: SAR) -> None:
    SAR.objects.filter(pk=sar.pk).update(inputs_revision=F("inputs_revision") + 1)


def enter(sar: SAR, entries: dict[str, tuple[str | None, list[bool]]] | None = None) -> None:
    """Enter results by KPI code (ENTRIES by default; a code not given reports 67)."""
    entries = ENTRIES if entries is None else entries
    now = timezone.now()
    for result in sar.results.select_related("annex_kpi"):
        value, steps = entries.get(result.annex_kpi.code, ("67", []))
        KPIResult.objects.filter(pk=result.pk).update(
            result=None if value is None else D(value), steps_done=steps, entered_at=now
        )
    _bump(sar)


def verify(sar: SAR, adjusted: dict[str, str] | None = None) -> None:
    """Accept every result as entered, or adjust the numbers given by KPI code."""
    adjusted = adjusted or {}
    for result in sar.results.select_related("annex_kpi"):
        code = result.annex_kpi.code
        KPIResult.objects.filter(pk=result.pk).update(
            status=ResultStatus.ADJUSTED if code in adjusted else ResultStatus.ACCEPTED,
            verification_comment="ปรับตามหลักฐาน" if code in adjusted else "",
            verified_result=D(adjusted[code]) if code in adjusted else F("result"),
            verified_steps=result.steps_done,
            verified_at=timezone.now(),
        )
    _bump(sar)


def put_in_state(sar: SAR, state: str) -> SAR:
    """Put a SAR in `state` directly (arranging a test, not a transition)."""
    SAR.objects.filter(pk=sar.pk).update(state=state, inputs_revision=F("inputs_revision") + 1)
    sar.refresh_from_db()
    return sar


def signed_agreement(
    organisation: Organisation,
    fiscal_year: FiscalYear,
    *,
    weights: tuple[int, ...] = (60, 40),
    rollup_own_weight: int = 50,
) -> Agreement:
    """A signed agreement of `organisation` with outcome KPIs "1", "2"… (55-75) and its SARs."""
    framework = FrameworkFactory(
        organisation=organisation, fiscal_year=fiscal_year, rollup_own_weight=rollup_own_weight
    )
    agreement = AgreementFactory(framework=framework, maker=UserFactory(), receiver=UserFactory())
    version = AgreementVersionFactory(agreement=agreement, number=1)
    for number, weight in enumerate(weights, start=1):
        AgreementKPIFactory(
            version=version,
            code=str(number),
            weight=weight,
            dimension_number=1 if number % 2 else 2,
            criteria_type=CriteriaType.OUTCOME,
            order=number,
        )
    open_sars(agreement)
    return agreement


def stored_scores(*, with_ids: bool = True, fiscal_year: FiscalYear | None = None) -> dict:
    """Every stored score value (without the times they were computed), sorted."""
    sars = SARScore.objects.all()
    kpis = KPIScore.objects.all()
    dimensions = DimensionScore.objects.all()
    rollups = RollupScore.objects.all()
    if fiscal_year is not None:
        sars = sars.filter(sar__round__fiscal_year=fiscal_year)
        kpis = kpis.filter(sar__round__fiscal_year=fiscal_year)
        dimensions = dimensions.filter(sar__round__fiscal_year=fiscal_year)
        rollups = rollups.filter(round__fiscal_year=fiscal_year)
    identity = ("id",) if with_ids else ()
    return {
        "sar": sorted(
            sars.values_list(
                *identity,
                "sar_id",
                "self_total",
                "verified_total",
                "is_official",
                "inputs_revision",
                "inputs_sha256",
            )
        ),
        "kpi": sorted(
            kpis.values_list(
                *identity,
                "sar_id",
                "annex_kpi_id",
                "weight",
                "self_score",
                "verified_score",
                "self_weighted",
                "verified_weighted",
                "level",
            )
        ),
        "dimension": sorted(
            dimensions.values_list(
                *identity, "sar_id", "number", "weight", "self_subtotal", "verified_subtotal"
            )
        ),
        "rollup": sorted(
            rollups.values_list(
                *identity,
                "organisation_id",
                "round_id",
                "own_total",
                "children_mean",
                "children_count",
                "own_weight",
                "score",
            )
        ),
    }
