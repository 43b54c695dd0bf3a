"""The whole-year recompute: its page, its progress fragment and `manage.py recompute_scores`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.enums import JobState, SARState
from agreements.models import SAR, RecomputeJob, RollupScore, SARScore
from agreements.services import scoring
from tests.agreements.sar_world import open_sars
from tests.agreements.scoring_world import TOTAL, enter, put_in_state, signed_agreement, verify


@pytest.fixture
def sars(agreement):
    return open_sars(agreement)


def year_url(year) -> str:
    return reverse("agreements:recompute_year", args=[year.pk])


def progress_url(job) -> str:
    return reverse("agreements:recompute_progress", args=[job.pk])


# --- The year's page -----------------------------------------------------------------------------


def test_year_page_counts_current_stale_and_missing_scores_by_round(
    client, cast, year, agreement, sars, english
):
    enter(sars[6])
    verify(sars[6])
    put_in_state(sars[6], SARState.APPROVED)
    scoring.agreement_scores_recompute(agreement_id=agreement.pk)
    # The 9-month score goes stale, the 12-month one is missing.
    SAR.objects.filter(pk=sars[9].pk).update(inputs_revision=F("inputs_revision") + 1)
    SARScore.objects.filter(sar=sars[12]).delete()
    client.force_login(cast.admin)

    response = client.get(year_url(year))

    assert response.status_code == 200
    assert response.context["rounds"] == [
        {"round__months": 6, "sars": 1, "missing": 0, "stale": 0, "official": 1, "current": 1},
        {"round__months": 9, "sars": 1, "missing": 0, "stale": 1, "official": 0, "current": 0},
        {"round__months": 12, "sars": 1, "missing": 1, "stale": 0, "official": 0, "current": 0},
    ]
    assert response.context["totals"] == {
        "sars": 3,
        "current": 1,
        "stale": 1,
        "missing": 1,
        "official": 1,
    }
    assert "Recompute the whole year" in response.text
    assert 'id="round-total"' in response.text


def test_year_page_without_sars_says_so(client, cast, year, english):
    client.force_login(cast.admin)

    response = client.get(year_url(year))

    assert response.context["rounds"] == []
    assert "No SAR has been opened in this year yet." in response.text
    assert "have not been recomputed as a whole yet" in response.text
    assert 'id="recompute-progress"' not in response.text


def test_year_page_queries_do_not_grow_with_the_agreements(
    client, cast, year, tree, agreement, sars
):
    for _round in range(2):
        RecomputeJob.objects.create(fiscal_year=year, started_by=cast.admin)
    client.force_login(cast.admin)
    client.get(year_url(year))  # warm the session and the memberships
    with CaptureQueriesContext(connection) as one:
        client.get(year_url(year))

    signed_agreement(tree.planning_unit, year)
    signed_agreement(tree.secretary_office, year)
    scoring.fiscal_year_recompute(fiscal_year_id=year.pk)
    with CaptureQueriesContext(connection) as three:
        response = client.get(year_url(year))

    assert response.context["totals"]["sars"] == 9
    assert len(three) == len(one)


def test_year_page_lists_recent_jobs_and_follows_the_newest(client, cast, year, english):
    old = RecomputeJob.objects.create(
        fiscal_year=year,
        state=JobState.DONE,
        total=3,
        done=3,
        started_by=cast.admin,
        created_at=timezone.now() - timezone.timedelta(hours=1, seconds=4),
        finished_at=timezone.now() - timezone.timedelta(hours=1),
    )
    running = RecomputeJob.objects.create(
        fiscal_year=year, state=JobState.RUNNING, total=4, done=1, started_by=cast.admin
    )
    client.force_login(cast.admin)

    response = client.get(year_url(year))

    assert [job.pk for job in response.context["jobs"]] == [running.pk, old.pk]
    assert response.context["job"] == running
    assert response.context["is_running"] is True
    assert f'id="recompute-job-{old.pk}"' in response.text
    assert "4.0 s" in response.text
    assert 'hx-trigger="every 1s"' in response.text
    assert f'hx-get="{progress_url(running)}"' in response.text
    # The button asks before starting a second recompute while one runs.
    assert "data-confirm=" in response.text


def test_starting_a_recompute_runs_it_after_the_commit_and_shows_its_progress(
    client, cast, year, agreement, sars, django_capture_on_commit_callbacks, english
):
    enter(sars[6])
    client.force_login(cast.admin)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(year_url(year))

    assert response.status_code == 302
    assert response.url == year_url(year)
    assert len(callbacks) == 1
    job = RecomputeJob.objects.get()
    assert (job.state, job.done, job.total, job.started_by) == (JobState.DONE, 1, 1, cast.admin)
    assert SARScore.objects.get(sar=sars[6]).self_total == TOTAL
    page = client.get(response.url)
    assert "The recompute of the fiscal year has started" in page.text
    assert page.context["job"] == job
    assert 'data-progress-percent="100"' in page.text
    assert "hx-trigger" not in page.text


def test_a_unit_head_cannot_start_a_recompute(client, unit_head, year):
    client.force_login(unit_head)

    response = client.post(year_url(year))

    assert response.status_code == 403
    assert not RecomputeJob.objects.exists()


def test_a_planner_cannot_open_the_page(client, cast, year):
    client.force_login(cast.planner)

    assert client.get(year_url(year)).status_code == 403


def test_an_unknown_year_is_not_found(client, cast, year):
    client.force_login(cast.admin)

    response = client.get(reverse("agreements:recompute_year", args=[year.pk + 1000]))

    assert response.status_code == 404


# --- The progress fragment -----------------------------------------------------------------------


@pytest.mark.parametrize("state", [JobState.QUEUED, JobState.RUNNING])
def test_progress_of_an_unfinished_job_keeps_polling_every_second(
    client, cast, year, state, english
):
    job = RecomputeJob.objects.create(
        fiscal_year=year, state=state, total=8, done=2, started_by=cast.admin
    )
    client.force_login(cast.admin)

    response = client.get(progress_url(job))

    assert response.status_code == 200
    text = response.text
    assert text.lstrip().startswith('<div id="recompute-progress"')
    assert f'hx-get="{progress_url(job)}"' in text
    assert 'hx-trigger="every 1s"' in text
    assert 'hx-swap="outerHTML"' in text
    assert 'aria-valuenow="25"' in text
    assert 'data-progress-percent="25"' in text
    assert "progress-bar-animated" in text
    assert "2 of 8 agreements recomputed" in text
    assert "<html" not in text


def test_progress_of_a_finished_job_stops_polling(client, cast, year, english):
    now = timezone.now()
    job = RecomputeJob.objects.create(
        fiscal_year=year,
        state=JobState.DONE,
        total=8,
        done=8,
        started_by=cast.admin,
        created_at=now - timezone.timedelta(seconds=12.5),
        finished_at=now,
    )
    client.force_login(cast.admin)

    response = client.get(progress_url(job))

    text = response.text
    assert "hx-trigger" not in text
    assert "hx-get" not in text
    assert 'data-progress-percent="100"' in text
    assert "bg-success" in text
    assert "Finished in 12.5 s, roll-ups included." in text


def test_progress_of_a_failed_job_shows_the_error_and_stops_polling(client, cast, year, english):
    job = RecomputeJob.objects.create(
        fiscal_year=year,
        state=JobState.FAILED,
        total=8,
        done=3,
        error="connection to server was lost",
        started_by=cast.admin,
        finished_at=timezone.now(),
    )
    client.force_login(cast.admin)

    text = client.get(progress_url(job)).text

    assert "hx-trigger" not in text
    assert "bg-danger" in text
    assert "The recompute stopped." in text
    assert "connection to server was lost" in text


def test_progress_is_for_administrators_only(client, unit_head, year, cast):
    job = RecomputeJob.objects.create(fiscal_year=year, started_by=cast.admin)
    client.force_login(unit_head)

    assert client.get(progress_url(job)).status_code == 403


# --- The management command ----------------------------------------------------------------------


def test_command_recomputes_the_year_printing_progress_and_time(
    year, agreement, sars, tree, monkeypatch
):
    enter(sars[6])
    verify(sars[6])
    put_in_state(sars[6], SARState.APPROVED)
    signed_agreement(tree.planning_unit, year)
    monkeypatch.setattr(scoring, "BATCH_SIZE", 1)
    out = StringIO()

    call_command("recompute_scores", "2552", stdout=out)

    lines = out.getvalue().splitlines()
    job = RecomputeJob.objects.get()
    assert lines[0] == f"Recomputing fiscal year 2552 (job {job.pk})…"
    assert lines[1:4] == [
        "  1/2 agreements (50%)",
        "  2/2 agreements (100%)",
        "2 agreements recomputed, then the roll-ups of every round.",
    ]
    assert lines[4].startswith("Done in ")
    assert lines[4].endswith(" s.")
    assert (job.state, job.done, job.total, job.started_by) == (JobState.DONE, 2, 2, None)
    assert SARScore.objects.count() == 6
    assert RollupScore.objects.get(organisation=agreement.organisation).score == TOTAL


def test_command_rollups_only_recomputes_the_rollups_from_the_stored_scores(year, agreement, sars):
    enter(sars[6])
    verify(sars[6])
    put_in_state(sars[6], SARState.APPROVED)
    scoring.agreement_scores_recompute(agreement_id=agreement.pk)
    out = StringIO()

    call_command("recompute_scores", "2552", "--rollups-only", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[:3] == [
        "Round 6 months: 3 roll-up scores.",
        "Round 9 months: 0 roll-up scores.",
        "Round 12 months: 0 roll-up scores.",
    ]
    assert lines[3].startswith("Done in ")
    assert not RecomputeJob.objects.exists()
    assert RollupScore.objects.get(organisation=agreement.organisation).score == TOTAL


def test_command_refuses_an_unknown_year(db):
    with pytest.raises(CommandError, match=r"There is no fiscal year 2599\."):
        call_command("recompute_scores", "2599", stdout=StringIO())


def test_command_marks_its_job_failed_when_the_recompute_fails(year, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(
        "agreements.management.commands.recompute_scores.fiscal_year_recompute", broken
    )

    with pytest.raises(CommandError, match="The recompute failed: disk full"):
        call_command("recompute_scores", "2552", stdout=StringIO())

    job = RecomputeJob.objects.get()
    assert (job.state, job.error) == (JobState.FAILED, "disk full")
