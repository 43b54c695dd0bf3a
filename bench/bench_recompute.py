"""Score recomputes at ministry scale: a whole fiscal year, its SQL floor, and one agreement.

On a throwaway test database (a temporary SQLite file, or test_<name> on PostgreSQL when
DATABASE_URL says so) bench.generate_year builds 20 departments × 15 units = 300 agreements of 20
annex KPIs, 900 SARs and 17,700 results. Then:

(a) agreements.services.scoring.fiscal_year_recompute over the year: KPI lines, dimension
    subtotals, SAR totals and the roll-ups of the 3 rounds. The first run inserts every row; the
    figure compared with the targets is the best of 3 runs over existing rows (what an
    administrator's recompute does), with its query count.
(b) The floor: FLOOR_SQL, one query computing every SAR's self-assessed and verified totals
    straight from the annex rows and results, best of 5. Its totals are checked against the stored
    SARScore rows; the ratio (a) / (b) is reported. The query covers everything the totals depend
    on: outcome interpolation in both directions, milestone and hybrid steps counted from the JSON
    (leading steps done, out-of-order steps earn nothing), the framework's floor below level 1,
    KPIs not reported in a round (weights renormalised and rounded to 4 places as the engine does),
    composite KPIs (the weighted mean of their reported sub-KPIs, the composite counted only when
    one of them is reported), rounding half-up to 4 places of each score and each total. It
    computes totals only: no KPI lines, no dimension subtotals, no roll-ups, no writes, so the
    floor is a lower bound on the work, not the same work. On PostgreSQL numeric arithmetic is
    exact up to the division's 20 significant digits; on SQLite the decimals are REAL floats, so a
    total whose exact value ends in 5 at the fifth decimal may round the other way (the mismatch
    count says how often).
(c) One SAR change: one verified outcome result of an approved SAR is changed (its entered and
    verified values, and SAR.inputs_revision + 1, as kpi_result_update / kpi_result_verify do),
    then agreement_scores_recompute runs as the Celery task does (unforced: the 2 unchanged SARs
    are skipped by their fingerprints). 20 changes: median and p95. Then the roll-up of the
    changed organisation's path, as the task queues it.
(d) The query counts of (c).

Targets (issue 5): the whole year under 10 s and within 3× of the floor; one agreement under 100 ms.
Run: `.venv/bin/python bench/run.py bench_recompute` (add DATABASE_URL=postgres://... for PostgreSQL).
"""

import os
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from django.db import connection
from django.db.models import F
from django.test.utils import (
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)

from bench.run import Figure, timed

NAME = "recompute"
YEAR = 2566
DEPARTMENTS, UNITS, KPIS = 20, 15, 20
CHANGES = 20
FOUR = Decimal("0.0001")


def run() -> list[Figure]:
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    temporary = None
    if connection.vendor == "sqlite":
        # A file, not the in-memory test database: the figures should be those of the real thing.
        temporary = Path(tempfile.mkdtemp(prefix="bench-recompute-")) / "bench.sqlite3"
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(temporary)
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        return _measure()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        if temporary is not None:
            for path in temporary.parent.glob("*"):
                path.unlink()
            temporary.parent.rmdir()


# --- (b) The floor --------------------------------------------------------------------------------


def _step(column: str, index: int) -> str:
    """1 when step `index` (0-based) of a JSON list of booleans is done, else 0."""
    if connection.vendor == "postgresql":
        return f"CASE WHEN ({column} ->> {index}) = 'true' THEN 1 ELSE 0 END"
    return f"CASE WHEN json_extract({column}, '$[{index}]') = 1 THEN 1 ELSE 0 END"


def _leading_steps(column: str) -> str:
    """How many steps are done before the first one not done (of 5; missing ones are not done)."""
    whens = " ".join(f"WHEN {_step(column, i)} = 0 THEN {i}" for i in range(5))
    return f"CASE {whens} ELSE 5 END"


def _score(has: str, x: str, lead: str) -> str:
    """The engine's score of one entry (kpis.criteria.Criteria.score), before rounding.

    Each quotient is multiplied by 1.0 first: SQLite stores 61.0000 as the integer 61 and would
    divide integers (a no-op on PostgreSQL's numeric).
    """
    first = "CASE WHEN kind = 'hybrid' THEN k + 1 ELSE 1 END"
    first_threshold = (
        f"CASE {first} WHEN 1 THEN t1 WHEN 2 THEN t2 WHEN 3 THEN t3 WHEN 4 THEN t4 ELSE t5 END"
    )
    return f"""CASE
        WHEN {has} = 0 OR kind NOT IN ('outcome', 'milestone', 'hybrid') THEN NULL
        WHEN kind = 'milestone' THEN CASE WHEN {lead} = 0 THEN floor ELSE {lead} END
        WHEN kind = 'hybrid' AND {lead} < k THEN CASE WHEN {lead} = 0 THEN floor ELSE {lead} END
        WHEN {x} IS NULL THEN NULL
        WHEN sign * {x} < sign * ({first_threshold})
            THEN CASE WHEN kind = 'hybrid' AND k > 0 THEN k ELSE floor END
        WHEN sign * {x} >= sign * t5 THEN 5
        WHEN {first} <= 4 AND sign * {x} >= sign * t4 THEN 4 + 1.0 * ({x} - t4) / (t5 - t4)
        WHEN {first} <= 3 AND sign * {x} >= sign * t3 THEN 3 + 1.0 * ({x} - t3) / (t4 - t3)
        WHEN {first} <= 2 AND sign * {x} >= sign * t2 THEN 2 + 1.0 * ({x} - t2) / (t3 - t2)
        ELSE 1 + 1.0 * ({x} - t1) / (t2 - t1)
    END"""


def floor_sql() -> str:
    """Every SAR's (self-assessed, verified) totals of one fiscal year, in one query."""
    verified_steps = "COALESCE(r.verified_steps, r.steps_done)"
    return f"""
WITH lines AS (
    SELECT s.id AS sar_id, k.code, k.composite_code, k.criteria_type AS kind, k.weight,
        CASE WHEN k.higher_is_better THEN 1 ELSE -1 END AS sign, k.step_count AS k,
        k.threshold_1 AS t1, k.threshold_2 AS t2, k.threshold_3 AS t3, k.threshold_4 AS t4,
        k.threshold_5 AS t5,
        CASE WHEN f.floor_rule = 'zero' THEN 0 ELSE 1 END AS floor,
        CASE WHEN r.id IS NULL OR r.participation = 'reported' THEN 1 ELSE 0 END AS reported,
        CASE WHEN r.entered_at IS NOT NULL THEN 1 ELSE 0 END AS has_e,
        r.result AS x_e,
        {_leading_steps("r.steps_done")} AS lead_e,
        CASE WHEN r.status IN ('accepted', 'adjusted') THEN 1 ELSE 0 END AS has_v,
        r.verified_result AS x_v,
        {_leading_steps(verified_steps)} AS lead_v
    FROM agreements_sar s
    JOIN agreements_agreement a ON a.id = s.agreement_id
    JOIN kpis_framework f ON f.id = a.framework_id
    JOIN agreements_agreementkpi k ON k.version_id = s.version_id
    LEFT JOIN agreements_kpiresult r ON r.sar_id = s.id AND r.annex_kpi_id = k.id
    WHERE a.fiscal_year_id = %s AND k.weight > 0
),
scored AS (
    SELECT sar_id, code, composite_code, kind, weight, reported,
        ROUND({_score("has_e", "x_e", "lead_e")}, 4) AS score_e,
        ROUND({_score("has_v", "x_v", "lead_v")}, 4) AS score_v
    FROM lines
),
parts AS (
    SELECT sar_id, composite_code, score_e, score_v,
        ROUND(1.0 * weight * SUM(weight) OVER (PARTITION BY sar_id, composite_code)
            / SUM(reported * weight) OVER (PARTITION BY sar_id, composite_code), 4) AS w
    FROM scored
    WHERE composite_code <> '' AND reported = 1
),
composites AS (
    SELECT sar_id, composite_code AS code,
        CASE WHEN COUNT(score_e) = COUNT(*) THEN ROUND(1.0 * SUM(w * score_e) / SUM(w), 4) END
            AS score_e,
        CASE WHEN COUNT(score_v) = COUNT(*) THEN ROUND(1.0 * SUM(w * score_v) / SUM(w), 4) END
            AS score_v
    FROM parts
    WHERE w > 0
    GROUP BY sar_id, composite_code
),
top AS (
    SELECT s.sar_id, s.weight,
        CASE WHEN s.kind = 'composite' THEN
            CASE WHEN s.reported = 1 AND c.code IS NOT NULL THEN 1 ELSE 0 END
        ELSE s.reported END AS active,
        CASE WHEN s.kind = 'composite' THEN c.score_e ELSE s.score_e END AS score_e,
        CASE WHEN s.kind = 'composite' THEN c.score_v ELSE s.score_v END AS score_v
    FROM scored s
    LEFT JOIN composites c ON c.sar_id = s.sar_id AND c.code = s.code
    WHERE s.composite_code = ''
),
weighted AS (
    SELECT sar_id, active, score_e, score_v,
        ROUND(1.0 * weight * SUM(weight) OVER (PARTITION BY sar_id)
            / NULLIF(SUM(active * weight) OVER (PARTITION BY sar_id), 0), 4) AS w
    FROM top
)
SELECT sar_id,
    CASE WHEN COUNT(score_e) = COUNT(*) THEN ROUND(1.0 * SUM(w * score_e) / SUM(w), 4) END,
    CASE WHEN COUNT(score_v) = COUNT(*) THEN ROUND(1.0 * SUM(w * score_v) / SUM(w), 4) END
FROM weighted
WHERE active = 1 AND w > 0
GROUP BY sar_id
"""


def floor_totals(fiscal_year_id: int) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(floor_sql(), [fiscal_year_id])
        return cursor.fetchall()


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    # SQLite hands back REAL floats: their shortest repr is the decimal they stand for.
    return Decimal(repr(value) if isinstance(value, float) else value).quantize(FOUR)


def floor_mismatches(fiscal_year_id: int) -> tuple[int, int, list]:
    """(SARs compared, SARs whose floor totals differ from the stored ones, a few examples)."""
    from agreements.models import SAR

    computed = {sar_id: (_decimal(s), _decimal(v)) for sar_id, s, v in floor_totals(fiscal_year_id)}
    stored = SAR.objects.filter(agreement__fiscal_year_id=fiscal_year_id).values_list(
        "pk", "score__self_total", "score__verified_total"
    )
    wrong = [
        (sar_id, (s, v), computed.get(sar_id, (None, None)))
        for sar_id, s, v in stored
        if computed.get(sar_id, (None, None)) != (s, v)
    ]
    return len(stored), len(wrong), wrong[:5]


# --- The measures ---------------------------------------------------------------------------------


def _one_change_case(fiscal_year_id: int):
    """An approved SAR's verified outcome result in an agreement with a composite KPI."""
    from agreements.models import KPIResult

    return (
        KPIResult.objects.filter(
            sar__agreement__fiscal_year_id=fiscal_year_id,
            sar__state="approved",
            sar__round__months=6,
            status="accepted",
            annex_kpi__criteria_type="outcome",
            sar__version__kpis__criteria_type="composite",
        )
        .select_related("sar__agreement")
        .order_by("sar__agreement_id", "pk")
        .distinct()
        .first()
    )


def _measure() -> list[Figure]:
    from agreements.models import SAR, KPIResult
    from agreements.services import scoring
    from bench.generate_year import generate

    started = time.perf_counter()
    summary = generate(
        year=YEAR, departments=DEPARTMENTS, units=UNITS, kpis=KPIS, seed=YEAR, scores=False
    )
    build = time.perf_counter() - started
    year_id = summary.fiscal_year_id
    scale = f"{summary.agreements} agreements, {summary.sars} SARs, {summary.results} results"

    def whole_year() -> None:
        scoring.fiscal_year_recompute(fiscal_year_id=year_id)

    started = time.perf_counter()
    whole_year()
    first = time.perf_counter() - started
    with CaptureQueriesContext(connection) as year_queries:
        whole_year()
    recompute = timed(whole_year, repeat=3)

    floor = timed(lambda: floor_totals(year_id), repeat=5)
    compared, mismatches, examples = floor_mismatches(year_id)
    if examples:
        print(f"floor mismatches (sar, stored, floor): {examples}")

    # (c) One SAR change, recomputed as the task does.
    result = _one_change_case(year_id)
    agreement = result.sar.agreement

    def change(number: int) -> None:
        value = result.result + Decimal(number % 7 + 1) * Decimal("0.37")
        KPIResult.objects.filter(pk=result.pk).update(result=value, verified_result=value)
        SAR.objects.filter(pk=result.sar_id).update(inputs_revision=F("inputs_revision") + 1)

    times = []
    for number in range(CHANGES):
        change(number)
        started = time.perf_counter()
        scoring.agreement_scores_recompute(agreement_id=agreement.pk)
        times.append(time.perf_counter() - started)
    change(CHANGES)
    with CaptureQueriesContext(connection) as change_queries:
        changed = scoring.agreement_scores_recompute(agreement_id=agreement.pk)
    times_ms = sorted(t * 1000 for t in times)
    p95 = times_ms[min(len(times_ms) - 1, round(0.95 * len(times_ms)) - 1)]

    round_id = result.sar.round_id
    with CaptureQueriesContext(connection) as rollup_queries:
        scoring.rollups_recompute(round_id=round_id, organisation_ids=[agreement.organisation_id])
    rollup = timed(
        lambda: scoring.rollups_recompute(
            round_id=round_id, organisation_ids=[agreement.organisation_id]
        ),
        repeat=5,
    )

    vendor = connection.vendor
    # Other work on the machine moves these figures: say how busy it was.
    load = f"load avg {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
    return [
        Figure(NAME, f"generate the year ({vendor})", build, "s", f"{scale}; target < 60 s"),
        Figure(NAME, "(a) whole year, first compute", first, "s", "inserts every score row"),
        Figure(
            NAME,
            "(a) whole year recompute",
            recompute,
            "s",
            f"best of 3; {len(year_queries)} queries; target < 10 s; {load}",
        ),
        Figure(NAME, "(b) floor: one SQL query", floor * 1000, "ms", "SAR totals only; best of 5"),
        Figure(NAME, "(b) recompute / floor", recompute / floor, "×", "target ≤ 3"),
        Figure(
            NAME,
            "(b) floor totals ≠ stored",
            mismatches,
            "SARs",
            f"of {compared} compared (self and verified totals)",
        ),
        Figure(
            NAME,
            "(c) one SAR change, median",
            statistics.median(times_ms),
            "ms",
            f"agreement_scores_recompute, {len(times_ms)} changes; target < 100 ms",
        ),
        Figure(NAME, "(c) one SAR change, p95", p95, "ms"),
        Figure(
            NAME,
            "(d) queries of (c)",
            len(change_queries),
            "queries",
            f"{len(changed)} roll-up path(s) changed",
        ),
        Figure(
            NAME,
            "(c) then its roll-up path",
            rollup * 1000,
            "ms",
            f"rollups_recompute unit → ministry; {len(rollup_queries)} queries",
        ),
    ]
