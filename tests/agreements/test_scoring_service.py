"""Stored scores (agreements.services.scoring and the recompute tasks), on the database.

The agreement is the conftest's Department of Health agreement with its five KPIs, signed by
direct data and its SARs opened by the real service (sar_world.open_sars). Results are entered and
verified by direct data (scoring_world), except in the journey test, which goes through the
services and lets the on-commit recompute run the (eager) Celery task.
"""

import logging
from decimal import Decimal
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from kombu.exceptions import OperationalError as BrokerError

from agreements import tasks
from agreements.enums import JobState, SARState, VerificationDecision
from agreements.models import (
    SAR,
    AgreementKPI,
    DimensionScore,
    KPIScore,
    RecomputeJob,
    RollupScore,
    SARScore,
)
from agreements.scorecard import fingerprint
from agreements.services import reports, scoring
from governance.enums import Role
from governance.errors import ActionForbidden
from tests.agreements.sar_world import open_sars
from tests.agreements.scoring_world import (
    ENTRIES,
    TOTAL,
    enter,
    put_in_state,
    signed_agreement,
    stored_scores,
    verify,
)
from tests.conftest import make_person
from tests.factories import (
    AgreementFactory,
    AgreementVersionFactory,
    FrameworkFactory,
    SARFactory,
)

D = Decimal


@pytest.fixture
def sars(agreement) -> dict[int, SAR]:
    return open_sars(agreement)


@pytest.fixture
def sar(sars) -> SAR:
    return sars[6]


def recompute(agreement, **kwargs):
    return scoring.agreement_scores_recompute(agreement_id=agreement.pk, **kwargs)


def score_of(sar: SAR) -> SARScore:
    return SARScore.objects.select_related("sar").get(sar=sar)


# --- What a recompute writes ---------------------------------------------------------------------


def test_recompute_writes_the_cards_kpi_dimension_and_sar_rows(agreement, sar):
    enter(sar)
    verify(sar, adjusted={"1.1": "70"})

    recompute(agreement)

    sar.refresh_from_db()
    rows, card = scoring.sar_card(sar)
    lines = {
        score.annex_kpi_id: (
            score.weight,
            score.self_score,
            score.verified_score,
            score.self_weighted,
            score.verified_weighted,
            score.level,
        )
        for score in KPIScore.objects.filter(sar=sar)
    }
    assert lines == {
        line.key: (
            line.weight,
            line.self_score,
            line.verified_score,
            line.self_weighted,
            line.verified_weighted,
            line.level,
        )
        for line in card.lines.values()
    }
    assert list(
        DimensionScore.objects.filter(sar=sar).values_list(
            "number", "weight", "self_subtotal", "verified_subtotal"
        )
    ) == [
        (s.number, s.weight, s.self_subtotal, s.verified_subtotal) for s in card.dimensions.values()
    ]
    score = score_of(sar)
    assert (score.self_total, score.verified_total) == (TOTAL, D("3.1570"))
    assert (score.self_total, score.verified_total) == (card.self_total, card.verified_total)
    assert score.inputs_sha256 == fingerprint(rows)
    assert score.inputs_revision == sar.inputs_revision


def test_recompute_writes_a_line_per_annex_kpi_with_the_engines_numbers(agreement, sar):
    enter(sar)

    recompute(agreement)

    by_code = {
        score.annex_kpi.code: (score.weight, score.self_score, score.self_weighted, score.level)
        for score in KPIScore.objects.filter(sar=sar).select_related("annex_kpi")
    }
    assert by_code == {
        "1.1": (D(25), D("3.4000"), D("0.8500"), 3),
        "1.2": (D(20), D("2.0000"), D("0.4000"), 2),
        "2.1": (D(15), D("3.5000"), D("0.5250"), 3),
        "3.1": (D(20), D("2.6600"), D("0.5320"), 2),
        "4.1": (D(20), D("3.5000"), D("0.7000"), 3),
    }


def test_recompute_scores_every_sar_of_the_agreement_even_with_nothing_entered(agreement, sars):
    enter(sars[6])

    recompute(agreement)

    totals = dict(
        SARScore.objects.filter(sar__agreement=agreement).values_list(
            "sar__round__months", "self_total"
        )
    )
    assert totals == {6: TOTAL, 9: None, 12: None}
    assert KPIScore.objects.filter(sar=sars[9], self_score__isnull=True).count() == len(ENTRIES)


def test_score_is_not_official_before_the_sar_is_approved(agreement, sar):
    enter(sar)
    verify(sar)
    put_in_state(sar, SARState.VERIFIED)

    recompute(agreement)

    score = score_of(sar)
    assert score.verified_total == TOTAL
    assert (score.is_official, score.official_total) == (False, None)
    assert not RollupScore.objects.exists()


def test_score_becomes_official_once_the_sar_is_approved(agreement, sar):
    enter(sar)
    verify(sar)
    put_in_state(sar, SARState.VERIFIED)
    recompute(agreement)

    put_in_state(sar, SARState.APPROVED)
    changed = recompute(agreement)

    score = score_of(sar)
    assert (score.is_official, score.official_total) == (True, TOTAL)
    assert changed == {(agreement.organisation_id, sar.round_id)}


def test_reopening_an_approved_sar_takes_its_score_out_of_the_rollups(agreement, sar):
    enter(sar)
    verify(sar)
    put_in_state(sar, SARState.APPROVED)
    recompute(agreement)
    scoring.rollups_recompute(round_id=sar.round_id)

    put_in_state(sar, SARState.OPEN)
    changed = recompute(agreement)

    assert score_of(sar).is_official is False
    # The roll-up still holds the old official total: it is named for the roll-ups to redo.
    assert changed == {(agreement.organisation_id, sar.round_id)}
    scoring.rollups_recompute(round_id=sar.round_id, organisation_ids=[agreement.organisation_id])
    assert not RollupScore.objects.exists()


# --- Idempotence and staleness --------------------------------------------------------------------


def test_rerunning_a_recompute_gives_the_very_same_rows(agreement, sars):
    enter(sars[6])
    verify(sars[6], adjusted={"3.1": "70"})
    put_in_state(sars[6], SARState.APPROVED)
    recompute(agreement)
    scoring.rollups_recompute(round_id=sars[6].round_id)
    first = stored_scores()

    recompute(agreement)
    assert stored_scores() == first
    recompute(agreement, force=True)
    scoring.rollups_recompute(round_id=sars[6].round_id)

    assert stored_scores() == first
    assert len(first["kpi"]) == 3 * len(ENTRIES)
    assert len(first["rollup"]) == 3  # the department, the ministry and OPDC


def test_a_forced_rerun_keeps_the_row_ids_and_only_moves_the_computed_time(agreement, sar):
    enter(sar)
    recompute(agreement)
    before = score_of(sar)

    recompute(agreement, force=True)

    after = score_of(sar)
    assert (after.pk, after.self_total) == (before.pk, before.self_total)
    assert after.computed_at > before.computed_at


def test_score_is_stale_once_an_input_changes_and_current_after_a_recompute(agreement, sar):
    enter(sar)
    recompute(agreement)
    assert score_of(sar).is_stale is False

    SAR.objects.filter(pk=sar.pk).update(inputs_revision=F("inputs_revision") + 1)

    assert score_of(sar).is_stale is True
    recompute(agreement)
    assert score_of(sar).is_stale is False


def test_recompute_catches_a_change_the_revision_missed_by_the_fingerprint(agreement, sar):
    enter(sar)
    recompute(agreement)

    # A direct data fix without a revision bump: the inputs' fingerprint still tells.
    sar.results.filter(annex_kpi__code="1.1").update(result=D(75))
    recompute(agreement)

    assert score_of(sar).self_total == D("3.4070")  # (25×5 + 40 + 52.5 + 53.2 + 70) / 100


def test_recompute_skips_the_sars_whose_inputs_did_not_change(agreement, sars):
    enter(sars[6])
    with CaptureQueriesContext(connection) as first:
        recompute(agreement)

    with CaptureQueriesContext(connection) as second:
        recompute(agreement)

    assert len(second) < len(first)
    writes = [q["sql"] for q in second if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []


def test_recompute_of_one_changed_sar_rewrites_only_that_sar(agreement, sars):
    recompute(agreement)
    untouched = {months: score_of(sars[months]).computed_at for months in (9, 12)}

    enter(sars[6])
    recompute(agreement)

    assert score_of(sars[6]).self_total == TOTAL
    assert {months: score_of(sars[months]).computed_at for months in (9, 12)} == untouched


def test_recompute_drops_lines_and_subtotals_the_card_no_longer_has(agreement, sar, year):
    enter(sar)
    recompute(agreement)
    other_version = AgreementVersionFactory(agreement=agreement, number=9)
    foreign = AgreementKPI.objects.create(
        version=other_version,
        code="9.9",
        name_th="ตัวชี้วัดที่ถูกตัดออก",
        dimension_number=9,
        dimension_name_th="มิติที่ถูกตัดออก",
        dimension_weight=0,
        weight=5,
    )
    KPIScore.objects.create(sar=sar, annex_kpi=foreign, weight=5)
    DimensionScore.objects.create(sar=sar, number=9, weight=5)

    recompute(agreement, force=True)

    assert not KPIScore.objects.filter(annex_kpi=foreign).exists()
    assert list(DimensionScore.objects.filter(sar=sar).values_list("number", flat=True)) == [
        1,
        2,
        3,
        4,
    ]


def test_recompute_of_an_agreement_without_sars_writes_nothing(agreement):
    assert recompute(agreement) == set()
    assert not SARScore.objects.exists()


# --- Roll-ups up the tree -------------------------------------------------------------------------


def official(organisation, total: str, year, *, own_weight=50, is_official=True) -> SAR:
    """A SAR of the 6-month round of `organisation` with a stored verified total."""
    framework = FrameworkFactory(
        organisation=organisation, fiscal_year=year, rollup_own_weight=D(own_weight)
    )
    agreement = AgreementFactory(framework=framework)
    sar = SARFactory(version=AgreementVersionFactory(agreement=agreement, number=1))
    SARScore.objects.create(
        sar=sar,
        self_total=D(total),
        verified_total=D(total),
        is_official=is_official,
        inputs_revision=0,
        inputs_sha256="0" * 64,
    )
    return sar


def rollups(round_id) -> dict[str, tuple]:
    return {
        rollup.organisation.code: (
            rollup.own_total,
            rollup.children_mean,
            rollup.children_count,
            rollup.own_weight,
            rollup.score,
        )
        for rollup in RollupScore.objects.filter(round_id=round_id).select_related("organisation")
    }


@pytest.fixture
def ministry_scores(tree, year) -> SAR:
    """PLAN 3, SEC 4 and the department 2 (its framework gives its own agreement 60%)."""
    official(tree.planning_unit, "3", year)
    official(tree.secretary_office, "4", year)
    # Not approved: never part of a roll-up.
    official(tree.other_department, "5", year, is_official=False)
    return official(tree.department, "2", year, own_weight=60)


def test_rollups_weigh_a_department_with_its_units_up_to_the_ministry(ministry_scores):
    round_id = ministry_scores.round_id

    written = scoring.rollups_recompute(round_id=round_id)

    assert written == 5
    assert rollups(round_id) == {
        "PLAN": (D(3), None, 0, D(50), D(3)),
        "SEC": (D(4), None, 0, D(50), D(4)),
        # (60 × 2 + 40 × mean(3, 4)) / 100 = (120 + 140) / 100
        "DOH": (D(2), D("3.5"), 2, D(60), D("2.6")),
        # Only children: their mean is the score.
        "MOPH": (None, D("2.6"), 1, D(50), D("2.6")),
        "OPDC": (None, D("2.6"), 1, D(50), D("2.6")),
    }


def test_rollups_count_only_official_totals(ministry_scores, tree):
    SARScore.objects.filter(sar__agreement__organisation=tree.planning_unit).update(
        is_official=False
    )

    scoring.rollups_recompute(round_id=ministry_scores.round_id)

    result = rollups(ministry_scores.round_id)
    assert "PLAN" not in result
    assert "TRD" not in result
    assert "MOF" not in result
    # (60 × 2 + 40 × 4) / 100
    assert result["DOH"] == (D(2), D(4), 1, D(60), D("2.8"))


def test_rollups_of_some_organisations_rewrite_them_and_those_above_only(ministry_scores, tree):
    round_id = ministry_scores.round_id
    scoring.rollups_recompute(round_id=round_id)
    plan_before = RollupScore.objects.get(organisation=tree.planning_unit, round_id=round_id)
    SARScore.objects.filter(sar__agreement__organisation=tree.secretary_office).update(
        verified_total=D(5)
    )

    written = scoring.rollups_recompute(
        round_id=round_id, organisation_ids=[tree.secretary_office.pk]
    )

    assert written == 4  # SEC, DOH, MOPH, OPDC
    # (60 × 2 + 40 × mean(3, 5)) / 100 = 2.8
    assert rollups(round_id)["DOH"] == (D(2), D(4), 2, D(60), D("2.8"))
    assert rollups(round_id)["OPDC"][4] == D("2.8")
    plan_after = RollupScore.objects.get(organisation=tree.planning_unit, round_id=round_id)
    assert plan_after.computed_at == plan_before.computed_at


@pytest.mark.parametrize(("own_weight", "expected"), [(100, "2"), (0, "3.5"), (25, "3.125")])
def test_rollup_own_weight_decides_the_share_of_the_own_agreement(
    ministry_scores, tree, own_weight, expected
):
    from kpis.models import Framework

    Framework.objects.filter(organisation=tree.department).update(rollup_own_weight=own_weight)

    scoring.rollups_recompute(round_id=ministry_scores.round_id)

    assert rollups(ministry_scores.round_id)["DOH"][4] == D(expected)


def test_rollups_are_deleted_when_nothing_is_left_to_roll_up(ministry_scores, tree):
    round_id = ministry_scores.round_id
    scoring.rollups_recompute(round_id=round_id)

    SARScore.objects.update(is_official=False)
    scoring.rollups_recompute(round_id=round_id, organisation_ids=[tree.planning_unit.pk])
    assert set(rollups(round_id)) == {"SEC", "DOH", "MOPH", "OPDC"}
    scoring.rollups_recompute(round_id=round_id)

    assert not RollupScore.objects.exists()


def test_rollups_of_an_unknown_organisation_write_nothing(ministry_scores):
    assert scoring.rollups_recompute(round_id=ministry_scores.round_id, organisation_ids=[]) == 0


# --- A whole fiscal year --------------------------------------------------------------------------


@pytest.fixture
def two_agreements(agreement, sars, tree, year):
    """The department's agreement and the planning unit's, both with their SARs."""
    return [agreement, signed_agreement(tree.planning_unit, year)]


def test_fiscal_year_recompute_updates_the_jobs_progress_after_each_batch(
    two_agreements, year, cast, monkeypatch
):
    job = RecomputeJob.objects.create(fiscal_year=year, started_by=cast.admin)
    seen = []
    real = scoring.scores_recompute

    def watched(**kwargs):
        seen.append(RecomputeJob.objects.values_list("state", "done", "total").get(pk=job.pk))
        return real(**kwargs)

    monkeypatch.setattr(scoring, "BATCH_SIZE", 1)
    monkeypatch.setattr(scoring, "scores_recompute", watched)
    progress = []

    count = scoring.fiscal_year_recompute(
        fiscal_year_id=year.pk,
        job=job,
        on_progress=lambda done, total: progress.append((done, total)),
    )

    assert count == 2
    assert seen == [(JobState.RUNNING, 0, 2), (JobState.RUNNING, 1, 2)]
    assert progress == [(1, 2), (2, 2)]
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.percent) == (JobState.DONE, 2, 2, 100)
    assert job.finished_at is not None
    assert SARScore.objects.count() == 6


def test_fiscal_year_recompute_rewrites_every_score_and_rollup(two_agreements, sars, year, tree):
    enter(sars[6])
    verify(sars[6])
    put_in_state(sars[6], SARState.APPROVED)

    scoring.fiscal_year_recompute(fiscal_year_id=year.pk)

    assert score_of(sars[6]).official_total == TOTAL
    assert rollups(sars[6].round_id)["DOH"] == (TOTAL, None, 0, D(50), TOTAL)
    first = stored_scores()
    scoring.fiscal_year_recompute(fiscal_year_id=year.pk)
    assert stored_scores() == first


def test_recompute_job_start_queues_the_year_after_the_commit(
    two_agreements, year, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = scoring.recompute_job_start(actor=cast.admin, fiscal_year=year)
        assert job.state == JobState.QUEUED
        assert not SARScore.objects.exists()

    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.started_by) == (JobState.DONE, 2, 2, cast.admin)
    assert SARScore.objects.count() == 6


def test_recompute_job_start_needs_an_administrator(year, cast):
    with pytest.raises(ActionForbidden):
        scoring.recompute_job_start(actor=cast.planner, fiscal_year=year)
    assert not RecomputeJob.objects.exists()


def test_recompute_job_start_marks_the_job_failed_when_the_broker_is_down(
    year, cast, django_capture_on_commit_callbacks, caplog
):
    with (
        mock.patch.object(tasks.recompute_fiscal_year, "delay", side_effect=BrokerError("down")),
        django_capture_on_commit_callbacks(execute=True),
        caplog.at_level(logging.ERROR, logger="agreements.services.scoring"),
    ):
        job = scoring.recompute_job_start(actor=cast.admin, fiscal_year=year)

    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "down" in job.error
    assert job.finished_at is not None
    assert f"Could not enqueue the recompute job {job.pk}" in caplog.text


# --- The tasks and the on-commit enqueue -----------------------------------------------------------


def test_enqueue_on_commit_runs_the_task_and_writes_the_scores(
    agreement, sar, django_capture_on_commit_callbacks
):
    enter(sar)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        transaction.on_commit(lambda: scoring.enqueue_recompute(agreement.pk))
        assert not SARScore.objects.exists()

    assert len(callbacks) == 1
    assert score_of(sar).self_total == TOTAL


def test_enqueue_logs_instead_of_failing_when_the_broker_is_down(agreement, sar, caplog):
    with (
        mock.patch.object(
            tasks.recompute_agreement_scores, "delay", side_effect=BrokerError("refused")
        ),
        caplog.at_level(logging.ERROR, logger="agreements.services.scoring"),
    ):
        scoring.enqueue_recompute(agreement.pk)

    assert f"Could not enqueue the score recompute of agreement {agreement.pk}" in caplog.text
    assert not SARScore.objects.exists()


def test_task_retries_a_transient_database_error(agreement, sar):
    enter(sar)
    calls = []
    real = scoring.agreement_scores_recompute

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    # throw=False: as a worker does, the retry runs instead of surfacing (eager tests propagate).
    with mock.patch.object(scoring, "agreement_scores_recompute", side_effect=flaky):
        result = tasks.recompute_agreement_scores.apply(
            kwargs={"agreement_id": agreement.pk}, throw=False
        )

    assert result.successful()
    assert calls == [{"agreement_id": agreement.pk}] * 2
    assert score_of(sar).self_total == TOTAL


def test_task_does_not_retry_a_programming_error(agreement):
    with (
        mock.patch.object(scoring, "agreement_scores_recompute", side_effect=ValueError("bug")),
        pytest.raises(ValueError, match="bug"),
    ):
        tasks.recompute_agreement_scores.delay(agreement_id=agreement.pk)


def test_task_queues_the_rollups_of_a_newly_official_score(agreement, sar):
    enter(sar)
    verify(sar)
    put_in_state(sar, SARState.APPROVED)

    assert tasks.recompute_agreement_scores.delay(agreement_id=agreement.pk).get() == 1

    assert rollups(sar.round_id) == {
        "DOH": (TOTAL, None, 0, D(50), TOTAL),
        "MOPH": (None, TOTAL, 1, D(50), TOTAL),
        "OPDC": (None, TOTAL, 1, D(50), TOTAL),
    }


def test_a_rerun_after_the_scores_but_before_the_rollups_still_does_the_rollups(agreement, sar):
    enter(sar)
    verify(sar)
    put_in_state(sar, SARState.APPROVED)
    # A worker killed between the scores' commit and the roll-ups' enqueue.
    recompute(agreement)
    assert not RollupScore.objects.exists()

    tasks.recompute_agreement_scores.delay(agreement_id=agreement.pk)

    assert RollupScore.objects.get(organisation=agreement.organisation).score == TOTAL


def test_task_computes_the_rollups_itself_when_it_cannot_queue_them(agreement, sar, caplog):
    enter(sar)
    verify(sar)
    put_in_state(sar, SARState.APPROVED)

    with mock.patch.object(tasks.recompute_rollups, "delay", side_effect=BrokerError("gone")):
        tasks.recompute_agreement_scores.delay(agreement_id=agreement.pk)

    assert RollupScore.objects.get(organisation=agreement.organisation).score == TOTAL
    assert "computed inline" in caplog.text


def test_fiscal_year_task_marks_its_job_failed_on_an_error(year, cast):
    job = RecomputeJob.objects.create(fiscal_year=year, started_by=cast.admin)

    with (
        mock.patch.object(scoring, "fiscal_year_recompute", side_effect=ValueError("bug")),
        pytest.raises(ValueError, match="bug"),
    ):
        tasks.recompute_fiscal_year.delay(job_id=job.pk)

    job.refresh_from_db()
    assert (job.state, job.error) == (JobState.FAILED, "bug")


def test_fiscal_year_task_retries_a_transient_error_and_leaves_the_job_to_the_retry(year, cast):
    job = RecomputeJob.objects.create(fiscal_year=year, started_by=cast.admin)
    failing = mock.Mock(side_effect=OperationalError("the database system is starting up"))

    with mock.patch.object(scoring, "fiscal_year_recompute", failing), pytest.raises(Retry):
        tasks.recompute_fiscal_year.apply(kwargs={"job_id": job.pk})

    job.refresh_from_db()
    assert job.state == JobState.QUEUED


def test_fiscal_year_task_marks_its_job_failed_when_the_last_retry_fails(year, cast):
    job = RecomputeJob.objects.create(fiscal_year=year, started_by=cast.admin)
    failing = mock.Mock(side_effect=OperationalError("the database system is starting up"))
    last = tasks.recompute_fiscal_year.max_retries

    with (
        mock.patch.object(scoring, "fiscal_year_recompute", failing),
        pytest.raises(OperationalError),
    ):
        tasks.recompute_fiscal_year.apply(kwargs={"job_id": job.pk}, retries=last)

    job.refresh_from_db()
    assert (job.state, job.error) == (JobState.FAILED, "the database system is starting up")


def test_fiscal_year_task_of_a_deleted_job_does_nothing(db):
    assert tasks.recompute_fiscal_year.delay(job_id=987654).get() == 0


# --- The journey through the services ------------------------------------------------------------


def test_scores_follow_a_sar_from_entry_to_approval(
    agreement, sar, cast, tree, django_capture_on_commit_callbacks
):
    collector = make_person(tree.department, Role.DATA_COLLECTOR, username="doh_collector")
    head = make_person(tree.department, Role.UNIT_HEAD, username="doh_head")
    owner = make_person(tree.department, Role.KPI_OWNER, username="doh_owner")
    results = list(sar.results.select_related("annex_kpi"))

    with django_capture_on_commit_callbacks(execute=True):
        for result in results:
            value, steps = ENTRIES[result.annex_kpi.code]
            reports.kpi_result_update(
                actor=collector,
                result=result,
                value=None if value is None else D(value),
                steps_done=steps,
            )
    # Entry alone queues no recompute: the score is stale until the next one.
    assert not SARScore.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        reports.sar_act(actor=head, sar=sar, action="submit")
    score = score_of(sar)
    assert (score.self_total, score.verified_total, score.is_official) == (TOTAL, None, False)

    with django_capture_on_commit_callbacks(execute=True):
        for result in results:
            reports.kpi_result_verify(
                actor=owner, result=result, decision=VerificationDecision.ACCEPT
            )
    score = score_of(sar)
    assert (score.verified_total, score.is_official, score.is_stale) == (TOTAL, False, False)
    assert not RollupScore.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        reports.sar_act(actor=cast.planner, sar=sar, action="approve")

    score = score_of(sar)
    assert (score.official_total, score.is_official, score.is_stale) == (TOTAL, True, False)
    assert RollupScore.objects.get(organisation=agreement.organisation).score == TOTAL
    assert RollupScore.objects.get(organisation=tree.ministry).score == TOTAL
