"""Stored scores: recomputing an agreement's SAR scores and the roll-ups up the organisation tree.

Scores are derived data. Every recompute reads the inputs under row locks, computes every card with
the pure agreements.scorecard, and writes all rows of the agreement in one transaction (upserts on
natural keys), so a killed worker leaves the old scores or the new ones, never a mix, and running
it again gives the very same rows. Writes are skipped where the stored fingerprint already matches
the inputs, unless forced (a whole-year recompute after a change of method).
"""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from agreements.enums import VERIFIED_RESULT_STATUSES, JobState, SARState
from agreements.models import (
    SAR,
    Agreement,
    AgreementKPI,
    DimensionScore,
    KPIResult,
    KPIScore,
    RecomputeJob,
    RollupScore,
    SARScore,
)
from agreements.scorecard import Card, Entry, Row, compute, fingerprint
from governance.models import Organisation, ReportingRound
from kpis import scoring
from kpis.criteria import Criteria, engine_message
from kpis.enums import CriteriaType, FloorRule
from kpis.explain import explain
from kpis.models import Framework

logger = logging.getLogger(__name__)

# Agreements recomputed per transaction in a whole-year run: large enough to read in bulk, small
# enough that the progress bar moves and a lock is never held for long.
BATCH_SIZE = 25


# --- Inputs ---------------------------------------------------------------------------------------


def _entered(result: KPIResult) -> Entry | None:
    if result.entered_at is None:
        return None
    return Entry(result.result, tuple(bool(step) for step in result.steps_done or ()))


def _verified(result: KPIResult) -> Entry | None:
    if result.status not in VERIFIED_RESULT_STATUSES:
        return None
    steps = result.verified_steps if result.verified_steps is not None else result.steps_done
    return Entry(result.verified_result, tuple(bool(step) for step in steps or ()))


def card_rows(
    annex: Iterable[AgreementKPI], results: Iterable[KPIResult], *, floor_rule: str
) -> list[Row]:
    """The scorecard's input rows for one SAR: every annex row with its result (if any)."""
    by_annex = {result.annex_kpi_id: result for result in results}
    rows = []
    for kpi in annex:
        result = by_annex.get(kpi.pk)
        rows.append(
            Row(
                key=kpi.pk,
                code=kpi.code,
                dimension=kpi.dimension_number,
                weight=kpi.weight,
                criteria=Criteria.of(kpi, floor_rule=floor_rule),
                composite_code=kpi.composite_code,
                reported=result.is_reported if result is not None else True,
                entered=_entered(result) if result is not None else None,
                verified=_verified(result) if result is not None else None,
            )
        )
    return rows


def sar_card(sar: SAR) -> tuple[list[Row], Card]:
    """Compute one SAR's card from the database as it is now (no write)."""
    annex = list(sar.version.kpis.all())
    results = list(sar.results.all())
    rows = card_rows(annex, results, floor_rule=sar.agreement.framework.floor_rule)
    return rows, compute(rows)


# --- The live score on the entry form -------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    score: Decimal | None = None
    level: int | None = None
    error: str = ""
    explanation: str = ""


def result_preview(
    *, result: KPIResult, value: Decimal | None, steps_done: Sequence[bool]
) -> Preview:
    """The self-assessed score of what is typed, with its working, as the engine computes it."""
    kpi = result.annex_kpi
    floor_rule = result.sar.agreement.framework.floor_rule
    criteria = Criteria.of(kpi, floor_rule=floor_rule or FloorRule.ONE)
    if criteria.criteria_type == CriteriaType.OUTCOME and value is None:
        return Preview(explanation=_("Type the result to see its score."))
    steps = [bool(step) for step in steps_done]
    try:
        score = criteria.score(result=value, steps_done=steps[: criteria.steps_in_use])
    except scoring.ScoringError as error:
        return Preview(error=engine_message(error))
    level, working = explain(criteria, value, steps, score)
    return Preview(score=score, level=level, explanation=working)


# --- Recomputing an agreement's scores ------------------------------------------------------------


def _write_cards(cards: list[tuple[SAR, Card, str]], now) -> None:
    """Upsert the lines, subtotals and totals of a batch's cards: three statements for the batch,
    not three or more per SAR (a whole year is 900 SARs, and each round trip counts)."""
    if not cards:
        return
    KPIScore.objects.bulk_create(
        [
            KPIScore(
                sar=sar,
                annex_kpi_id=line.key,
                weight=line.weight,
                self_score=line.self_score,
                verified_score=line.verified_score,
                self_weighted=line.self_weighted,
                verified_weighted=line.verified_weighted,
                level=line.level,
            )
            for sar, card, _digest in cards
            for line in card.lines.values()
        ],
        update_conflicts=True,
        unique_fields=["sar", "annex_kpi"],
        update_fields=[
            "weight",
            "self_score",
            "verified_score",
            "self_weighted",
            "verified_weighted",
            "level",
        ],
    )
    DimensionScore.objects.bulk_create(
        [
            DimensionScore(
                sar=sar,
                number=subtotal.number,
                weight=subtotal.weight,
                self_subtotal=subtotal.self_subtotal,
                verified_subtotal=subtotal.verified_subtotal,
            )
            for sar, card, _digest in cards
            for subtotal in card.dimensions.values()
        ],
        update_conflicts=True,
        unique_fields=["sar", "number"],
        update_fields=["weight", "self_subtotal", "verified_subtotal"],
    )
    SARScore.objects.bulk_create(
        [
            SARScore(
                sar=sar,
                self_total=card.self_total,
                verified_total=card.verified_total,
                # Only approved results count in official scores (DOMAIN.md §6).
                is_official=sar.state == SARState.APPROVED and card.verified_total is not None,
                inputs_revision=sar.inputs_revision,
                inputs_sha256=digest,
                computed_at=now,
            )
            for sar, card, digest in cards
        ],
        update_conflicts=True,
        unique_fields=["sar"],
        update_fields=[
            "self_total",
            "verified_total",
            "is_official",
            "inputs_revision",
            "inputs_sha256",
            "computed_at",
        ],
    )


def scores_recompute(*, agreement_ids: Sequence[int], force: bool = False) -> set[tuple[int, int]]:
    """Recompute the stored scores of these agreements' SARs, all in one transaction.

    Returns the (organisation id, round id) pairs whose roll-up is behind the stored official
    total, for the roll-ups. The agreements and their SARs are locked first (in id order, so two
    runs cannot deadlock), which also serialises a recompute with the services that change results.
    """
    with transaction.atomic():
        agreements = {
            agreement.pk: agreement
            for agreement in Agreement.objects.select_for_update(of=("self",))
            .select_related("framework")
            .filter(pk__in=agreement_ids)
            .order_by("pk")
        }
        # The SARs (and their inputs revision) are read before the results: a result changed
        # in between would make the stored score look stale, never look current while it is not.
        sars = list(
            SAR.objects.select_for_update(of=("self",))
            .filter(agreement_id__in=agreements)
            .select_related("score")
            .order_by("pk")
        )
        if not sars:
            return set()
        annex_by_version: dict[int, list[AgreementKPI]] = defaultdict(list)
        for kpi in AgreementKPI.objects.filter(version_id__in={sar.version_id for sar in sars}):
            annex_by_version[kpi.version_id].append(kpi)
        results_by_sar: dict[int, list[KPIResult]] = defaultdict(list)
        # No ORDER BY: the model's ordering joins six tables to sort rows card_rows keys by id.
        for result in KPIResult.objects.filter(sar__in=sars).order_by():
            results_by_sar[result.sar_id].append(result)
        written: dict[int, frozenset[int]] = {}
        cards: list[tuple[SAR, Card, str]] = []
        now = timezone.now()
        for sar in sars:
            agreement = agreements[sar.agreement_id]
            rows = card_rows(
                annex_by_version[sar.version_id],
                results_by_sar[sar.pk],
                floor_rule=agreement.framework.floor_rule,
            )
            digest = fingerprint(rows)
            stored = getattr(sar, "score", None)
            official = sar.state == SARState.APPROVED
            if (
                not force
                and stored is not None
                and stored.inputs_sha256 == digest
                and stored.inputs_revision == sar.inputs_revision
                and stored.is_official == (official and stored.verified_total is not None)
            ):
                continue
            card = compute(rows)
            cards.append((sar, card, digest))
            written[sar.pk] = frozenset(card.dimensions)
        _write_cards(cards, now)
        _delete_stale_lines(written)
        changed = _rollups_behind(sars, agreements)
    return changed


def _delete_stale_lines(written: dict[int, frozenset[int]]) -> None:
    """Drop the lines and subtotals a rewritten card no longer has (a SAR moved to an amended
    version), in a few statements for a whole batch."""
    if not written:
        return
    KPIScore.objects.filter(sar_id__in=written).exclude(
        annex_kpi__version_id=F("sar__version_id")
    ).delete()
    by_dimensions: dict[frozenset[int], list[int]] = defaultdict(list)
    for sar_id, numbers in written.items():
        by_dimensions[numbers].append(sar_id)
    for numbers, sar_ids in by_dimensions.items():
        DimensionScore.objects.filter(sar_id__in=sar_ids).exclude(number__in=numbers).delete()


def _rollups_behind(sars: list[SAR], agreements: dict[int, Agreement]) -> set[tuple[int, int]]:
    """The (organisation, round) pairs whose roll-up does not hold the official total stored now.

    Read from the stored rows, not from what this run changed: a run redelivered after its scores
    were committed but before its roll-ups were queued (a killed worker, a broker outage) still
    finds the roll-ups it owes, so the work is never lost.
    """
    pairs = {(agreements[sar.agreement_id].organisation_id, sar.round_id) for sar in sars}
    official = {
        (organisation_id, round_id): total
        for organisation_id, round_id, total in SARScore.objects.filter(
            sar__in=sars, is_official=True
        ).values_list("sar__agreement__organisation_id", "sar__round_id", "verified_total")
    }
    rolled = {
        (organisation_id, round_id): own
        for organisation_id, round_id, own in RollupScore.objects.filter(
            organisation_id__in={organisation_id for organisation_id, _ in pairs},
            round_id__in={round_id for _, round_id in pairs},
        ).values_list("organisation_id", "round_id", "own_total")
    }
    return {pair for pair in pairs if official.get(pair) != rolled.get(pair)}


def agreement_scores_recompute(*, agreement_id: int, force: bool = False) -> set[tuple[int, int]]:
    """Recompute one agreement's SAR scores (the task run after a SAR change)."""
    return scores_recompute(agreement_ids=[agreement_id], force=force)


def enqueue_recompute(agreement_id: int) -> None:
    """Queue the recompute of an agreement's scores (call it from transaction.on_commit)."""
    from agreements.tasks import recompute_agreement_scores

    try:
        recompute_agreement_scores.delay(agreement_id=agreement_id)
    except Exception:
        # The change stands; the stored score shows as stale until a recompute runs.
        logger.exception("Could not enqueue the score recompute of agreement %s", agreement_id)


# --- Roll-ups up the tree -------------------------------------------------------------------------


def _own_weights(organisation_ids: Iterable[int], fiscal_year_id: int) -> dict[int, Decimal]:
    return dict(
        Framework.objects.filter(
            organisation_id__in=list(organisation_ids), fiscal_year_id=fiscal_year_id
        ).values_list("organisation_id", "rollup_own_weight")
    )


def _combine(own: Decimal | None, children: list[Decimal], own_weight: Decimal) -> Decimal | None:
    """(own share × own + rest × mean of the children) / 100; one side alone is the score."""
    mean = scoring.weighted_score((1, score) for score in children) if children else None
    if own is None:
        return mean
    if mean is None or own_weight >= 100:
        return own
    if own_weight <= 0:
        return mean
    return scoring.weighted_score(((own_weight, own), (Decimal(100) - own_weight, mean)))


def rollups_recompute(*, round_id: int, organisation_ids: Iterable[int] | None = None) -> int:
    """Recompute the roll-up scores of a round for these organisations and every one above them.

    With no organisations given, the whole tree is recomputed. Nodes are done deepest first, so
    each node reads its children's fresh roll-ups. Returns the number of nodes written.
    """
    reporting_round = ReportingRound.objects.get(pk=round_id)
    if organisation_ids is None:
        nodes = list(Organisation.objects.all())
    else:
        starts = list(Organisation.objects.filter(pk__in=list(organisation_ids)))
        paths = {path for node in starts for path in (*node.ancestor_paths, node.path)}
        nodes = list(Organisation.objects.filter(path__in=paths))
    if not nodes:
        return 0
    with transaction.atomic():
        # Roll-ups of two sibling units both rewrite their common ancestors. Each run locks its
        # nodes first (in id order, so two runs cannot deadlock) and reads the stored scores only
        # then, so the later run sees the earlier one's rows instead of a stale view of them.
        list(
            Organisation.objects.select_for_update()
            .filter(pk__in=[node.pk for node in nodes])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        own_totals = dict(
            SARScore.objects.filter(
                sar__round_id=round_id,
                is_official=True,
                sar__agreement__organisation_id__in=[node.pk for node in nodes],
            ).values_list("sar__agreement__organisation_id", "verified_total")
        )
        weights = _own_weights((node.pk for node in nodes), reporting_round.fiscal_year_id)
        # Children's current roll-ups: those of the nodes above are read after being rewritten.
        scores = dict(
            RollupScore.objects.filter(
                round_id=round_id, organisation__parent_id__in=[node.pk for node in nodes]
            ).values_list("organisation_id", "score")
        )
        children_of: dict[int, list[int]] = defaultdict(list)
        for child_id, parent_id in Organisation.objects.filter(
            parent_id__in=[node.pk for node in nodes]
        ).values_list("pk", "parent_id"):
            children_of[parent_id].append(child_id)
        rows: list[RollupScore] = []
        empty: list[int] = []
        now = timezone.now()
        for node in sorted(nodes, key=lambda n: -len(n.path)):
            children = [
                scores[child] for child in children_of[node.pk] if scores.get(child) is not None
            ]
            own = own_totals.get(node.pk)
            own_weight = weights.get(node.pk, Decimal(50))
            score = _combine(own, children, own_weight)
            scores[node.pk] = score
            if score is None and own is None:
                empty.append(node.pk)
                continue
            rows.append(
                RollupScore(
                    organisation_id=node.pk,
                    round_id=round_id,
                    own_total=own,
                    children_mean=(
                        scoring.weighted_score((1, s) for s in children) if children else None
                    ),
                    children_count=len(children),
                    own_weight=own_weight,
                    score=score,
                    computed_at=now,
                )
            )
        # Two statements for the whole tree, not one or two per node (a ministry has hundreds).
        if empty:
            RollupScore.objects.filter(round_id=round_id, organisation_id__in=empty).delete()
        RollupScore.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["organisation", "round"],
            update_fields=[
                "own_total",
                "children_mean",
                "children_count",
                "own_weight",
                "score",
                "computed_at",
            ],
        )
    return len(rows)


# --- A whole fiscal year --------------------------------------------------------------------------


def recompute_job_start(*, actor, fiscal_year) -> RecomputeJob:
    """Record an administrator's whole-year recompute and queue it (after the commit)."""
    if not actor.has_perm("agreements.recompute"):
        from governance.errors import ActionForbidden

        raise ActionForbidden(_("You do not have permission to do this."))
    total = Agreement.objects.filter(fiscal_year=fiscal_year, sars__isnull=False).distinct().count()
    job = RecomputeJob.objects.create(fiscal_year=fiscal_year, total=total, started_by=actor)

    def enqueue() -> None:
        from agreements.tasks import recompute_fiscal_year

        try:
            recompute_fiscal_year.delay(job_id=job.pk)
        except BrokerError as error:
            # The broker is down: say so on the job instead of leaving it queued for ever (and
            # instead of an error page for the administrator).
            logger.exception("Could not enqueue the recompute job %s", job.pk)
            RecomputeJob.objects.filter(pk=job.pk).update(
                state=JobState.FAILED,
                error=_("The recompute could not be queued: %(error)s") % {"error": error},
                finished_at=timezone.now(),
            )

    transaction.on_commit(enqueue)
    return job


def fiscal_year_recompute(
    *,
    fiscal_year_id: int,
    job: RecomputeJob | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute every agreement of a fiscal year in batches, then every roll-up of its rounds.

    Each batch is its own transaction; the job's progress is written after each, so the page
    polling it moves, and `on_progress(done, total)` is called (the management command prints
    it). Returns the number of agreements recomputed.
    """
    ids = list(
        Agreement.objects.filter(fiscal_year_id=fiscal_year_id, sars__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if job is not None:
        RecomputeJob.objects.filter(pk=job.pk).update(
            state=JobState.RUNNING, total=len(ids), done=0
        )
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        scores_recompute(agreement_ids=batch, force=True)
        if job is not None:
            RecomputeJob.objects.filter(pk=job.pk).update(done=start + len(batch))
        if on_progress is not None:
            on_progress(start + len(batch), len(ids))
    for round_id in ReportingRound.objects.filter(fiscal_year_id=fiscal_year_id).values_list(
        "pk", flat=True
    ):
        rollups_recompute(round_id=round_id)
    if job is not None:
        RecomputeJob.objects.filter(pk=job.pk).update(
            state=JobState.DONE, done=len(ids), finished_at=timezone.now()
        )
    return len(ids)
