"""Throughput of the pure scoring engine: how many KPI scores and weighted totals per second."""

from decimal import Decimal

from bench.run import Figure, timed
from kpis import scoring

THRESHOLDS = tuple(Decimal(v) for v in (55, 60, 65, 70, 75))
RESULTS = [Decimal(50) + Decimal(i) / 100 for i in range(3000)]
PARTS = [(Decimal(5), Decimal("3.4000"))] * 20


def run() -> list[Figure]:
    outcome = timed(lambda: [scoring.score_outcome(x, THRESHOLDS) for x in RESULTS])
    hybrid = timed(lambda: [scoring.score_hybrid([True, True], x, THRESHOLDS[2:]) for x in RESULTS])
    totals = timed(lambda: [scoring.weighted_score(PARTS) for _ in range(1000)])
    return [
        Figure("scoring", "outcome scores", len(RESULTS) / outcome, "per s"),
        Figure("scoring", "hybrid scores", len(RESULTS) / hybrid, "per s"),
        Figure("scoring", "20-KPI weighted totals", 1000 / totals, "per s"),
    ]
