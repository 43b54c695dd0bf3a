"""Faults during score recomputes, with real Celery workers on Redis and PostgreSQL (issue 5).

Marked celery_worker: .ci/run runs them with CELERY_BROKER_URL (Redis database 15) and
DATABASE_URL (PostgreSQL). Each test starts its own workers (tests.agreements.fault_worker: the
project's app with a short visibility timeout and small batches), pointed at the test database,
and stops them by their process id, whatever happens.

- A worker killed (SIGKILL) in the middle of a whole-year recompute: its message, never
  acknowledged (acks_late), is handed to the next worker, and the year completes.
- Redis stopped and started again: the app keeps serving pages and acting, and logs the
  recomputes it cannot queue (their scores show as missing or stale meanwhile); the worker rides
  out the outage, and once Redis is back the next recompute queued completes.
- PostgreSQL restarting, as the worker sees it: its connections are terminated
  (pg_terminate_backend; the shared cluster itself is never restarted) while it recomputes; the
  task retries and completes.

Each ends with the stored scores equal to those of a clean recompute. A worker is held in the
middle of a recompute deterministically: this test holds a row lock on one agreement, so the
worker waits on it (seen in pg_stat_activity) until the fault has been injected.
"""

import ctypes
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
import redis
from django.conf import settings
from django.db import connection
from django.urls import reverse
from kombu import pools as kombu_pools

from agreements.enums import JobState, SARState
from agreements.models import (
    SAR,
    Agreement,
    DimensionScore,
    KPIScore,
    RecomputeJob,
    RollupScore,
    SARScore,
)
from agreements.services import reports, scoring
from config.celery import app
from governance.enums import OrganisationKind, Role
from tests.agreements.scoring_world import (
    enter,
    put_in_state,
    signed_agreement,
    stored_scores,
    verify,
)
from tests.conftest import make_person
from tests.factories import OrganisationFactory

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 90
VISIBILITY_TIMEOUT = 4
BATCH_SIZE = 2
SPARE_REDIS_PORT = 6390
PR_SET_PDEATHSIG = 1

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not settings.CELERY_BROKER_URL, reason="needs CELERY_BROKER_URL (Redis)"),
    pytest.mark.django_db(transaction=True),
]


# --- Waiting ---------------------------------------------------------------------------------------


def wait_for(condition: Callable[[], object], what: str, timeout: float = WAIT_SECONDS, log=None):
    """Poll `condition` until it is true; fail naming `what` (and the worker's log) after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    tail = f"\n--- worker log ---\n{log()[-4000:]}" if log else ""
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}{tail}")


def die_with_this_process() -> None:
    """In a child before exec: let Linux kill it if the test run itself is killed (a CI timeout),
    so no worker or broker outlives the run."""
    # Not Linux: no such call, and the fixtures' own cleanup still stops them.
    with suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


# --- Workers ---------------------------------------------------------------------------------------


def worker_database_url(application_name: str) -> str:
    db = connection.settings_dict
    user, password = quote(db["USER"], safe=""), quote(db["PASSWORD"] or "", safe="")
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{user}:{password}@{host}:{port}/{db['NAME']}?application_name={application_name}"


class Worker:
    """One `celery worker --pool=solo` process on the test database, its output in a file.

    The solo pool runs tasks in the worker's own process, so SIGKILL kills the task with it. Its
    database connections carry an application_name of their own, to be found in pg_stat_activity.
    """

    def __init__(self, broker_url: str, log_dir: Path, tag: str):
        self.broker_url = broker_url
        self.name = f"fault-{tag}-{uuid.uuid4().hex[:6]}"
        self.application_name = f"kham-{self.name}"
        self.log_path = log_dir / f"{self.name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "Worker":
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DEBUG": "false",
            "SECRET_KEY": "worker-test-key",
            "DATABASE_URL": worker_database_url(self.application_name),
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_RESULT_BACKEND": self.broker_url,
            "FAULT_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "FAULT_BATCH_SIZE": str(BATCH_SIZE),
        }
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "tests.agreements.fault_worker",
                    "worker",
                    "--pool=solo",
                    "--loglevel=INFO",
                    "--without-mingle",
                    "--without-gossip",
                    "-n",
                    f"{self.name}@%h",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_this_process,
            )
        wait_for(lambda: " ready." in self.log(), f"worker {self.name} to be ready", log=self.log)
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, no cleanup."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if not self.alive:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=20)

    def backends(self, *, waiting_on_a_lock: bool = False) -> list[int]:
        sql = (
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name = %s"
        )
        if waiting_on_a_lock:
            sql += " AND wait_event_type = 'Lock'"
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.application_name])
            return [row[0] for row in cursor.fetchall()]

    def terminate_backends(self) -> int:
        """What a PostgreSQL restart looks like from the worker: its connections are cut."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND application_name = %s",
                [self.application_name],
            )
            return cursor.fetchone()[0]


CELERY_ENVIRONMENT = ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")
ORIGINAL_ENVIRONMENT = {name: os.environ.get(name) for name in CELERY_ENVIRONMENT}


def point_celery_at(broker_url: str | None) -> None:
    """Make this process publish to `broker_url` (None: back to eager, as the other tests run).

    Celery reads CELERY_BROKER_URL and CELERY_RESULT_BACKEND from the environment before its own
    configuration, so they are set too; the cached connection pools and backend are dropped.
    """
    kombu_pools.reset()  # closes and forgets every connection and producer pool
    app._after_fork()  # drops the app's references to them
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
    for name in CELERY_ENVIRONMENT:
        value = broker_url or ORIGINAL_ENVIRONMENT[name]
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    app.conf.task_always_eager = broker_url is None
    app.conf.broker_url = broker_url or settings.CELERY_BROKER_URL
    app.conf.result_backend = broker_url or settings.CELERY_RESULT_BACKEND


def clear_broker(broker_url: str) -> None:
    """Drop queued and unacknowledged messages an interrupted run may have left (only kombu's keys;
    the tests' Redis database is theirs, .ci/run flushes it before this step too)."""
    client = redis.Redis.from_url(broker_url)
    try:
        client.delete("celery", "unacked", "unacked_index", "unacked_mutex")
    finally:
        client.close()


@pytest.fixture
def workers(db, tmp_path) -> Iterator[Callable[..., Worker]]:
    """Start workers with `workers(tag, broker_url=...)`; all are stopped and their database
    connections closed at the end, whatever happened."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database only on PostgreSQL")
    started: list[Worker] = []

    def start(tag: str, *, broker_url: str = settings.CELERY_BROKER_URL) -> Worker:
        worker = Worker(broker_url, tmp_path, tag)
        started.append(worker)
        return worker.start()

    point_celery_at(settings.CELERY_BROKER_URL)
    clear_broker(settings.CELERY_BROKER_URL)
    try:
        yield start
    finally:
        for worker in started:
            worker.stop()
            # A killed worker's backend may still hold locks: the database must be flushable.
            worker.terminate_backends()
        clear_broker(settings.CELERY_BROKER_URL)
        point_celery_at(None)


@contextmanager
def row_lock_on(agreement: Agreement) -> Iterator[None]:
    """Hold a row lock on `agreement` from another connection, as a long edit would."""
    db = connection.settings_dict
    holder = psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"],
        dbname=db["NAME"],
        application_name="kham-fault-lock-holder",
        connect_timeout=10,
    )
    try:
        holder.execute(
            "SELECT id FROM agreements_agreement WHERE id = %s FOR UPDATE", [agreement.pk]
        )
        yield
    finally:
        holder.rollback()
        holder.close()


# --- The world --------------------------------------------------------------------------------------


@pytest.fixture
def year_with_stale_scores(tree, year) -> list[Agreement]:
    """Six agreements (two KPIs each) with every SAR scored, then every input changed since.

    The 6-month SARs are verified and half of them approved, so there are official totals and
    roll-ups; the stored scores (and roll-ups) all differ from what a recompute now gives.
    """
    units = [
        OrganisationFactory(parent=tree.department, kind=OrganisationKind.UNIT, code=f"U{n}")
        for n in range(2)
    ]
    organisations = [
        tree.department,
        tree.planning_unit,
        tree.secretary_office,
        *units,
        tree.other_department,
    ]
    agreements = sorted(
        (
            signed_agreement(organisation, year, rollup_own_weight=40)
            for organisation in organisations
        ),
        key=lambda agreement: agreement.pk,
    )

    def report(shift: int) -> None:
        for index, agreement in enumerate(agreements):
            for sar in agreement.sars.select_related("round"):
                values = {"1": (str(58 + index + shift), []), "2": (str(72 - index + shift), [])}
                enter(sar, values)
                if sar.round.months == 6:
                    verify(sar)

    report(0)
    for agreement in agreements[::2]:
        put_in_state(agreement.sars.get(round__months=6), SARState.APPROVED)
    scoring.fiscal_year_recompute(fiscal_year_id=year.pk)
    report(3)
    assert SARScore.objects.count() == 18
    assert RollupScore.objects.exists()
    return agreements


def clean_recompute(fiscal_year) -> dict:
    """Every score of the year as a recompute from nothing gives it (ids and times aside)."""
    for model in (KPIScore, DimensionScore, SARScore, RollupScore):
        model.objects.all().delete()
    scoring.fiscal_year_recompute(fiscal_year_id=fiscal_year.pk)
    return stored_scores(with_ids=False)


def is_current(sar: SAR) -> bool:
    score = SARScore.objects.filter(sar=sar).select_related("sar").first()
    return score is not None and not score.is_stale


# --- (a) A worker killed mid-recompute --------------------------------------------------------------


def test_worker_killed_mid_year_recompute_the_job_is_redelivered_and_completes(
    workers, year, year_with_stale_scores, department_admin
):
    agreements = year_with_stale_scores
    first = workers("killed")
    # The fourth agreement is in the second batch: the first batch commits, the second waits.
    with row_lock_on(agreements[3]):
        job = scoring.recompute_job_start(actor=department_admin, fiscal_year=year)
        wait_for(
            lambda: first.backends(waiting_on_a_lock=True),
            "the worker to wait on the locked agreement",
            log=first.log,
        )
        first.kill()
        first.terminate_backends()

    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (JobState.RUNNING, BATCH_SIZE, 6)
    # Half done: the first batch's scores are current, the rest still stale.
    assert all(is_current(sar) for sar in SAR.objects.filter(agreement__in=agreements[:2]))
    assert not any(is_current(sar) for sar in SAR.objects.filter(agreement__in=agreements[2:]))

    # Nothing is queued again: the unacknowledged message itself comes back to the new worker.
    second = workers("successor")
    wait_for(
        lambda: RecomputeJob.objects.filter(pk=job.pk, state=JobState.DONE).exists(),
        "the redelivered job to finish",
        log=second.log,
    )
    delivered = re.findall(
        r"agreements\.recompute_fiscal_year\[([0-9a-f-]+)\] received", first.log()
    )
    redelivered = re.findall(
        r"agreements\.recompute_fiscal_year\[([0-9a-f-]+)\] received", second.log()
    )
    assert len(delivered) == 1
    assert redelivered == delivered

    job.refresh_from_db()
    assert (job.done, job.total) == (6, 6)
    assert all(is_current(sar) for sar in SAR.objects.all())
    after_fault = stored_scores(with_ids=False)
    assert after_fault == clean_recompute(year)


# --- (b) Redis stopped and started again -------------------------------------------------------------


def free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError("no free port")


class SpareRedis:
    """A throw-away redis-server (in memory only) that a test stops and starts again at will.

    It runs as a child of this process (not daemonised), so it is stopped by its own process id
    and cannot outlive the test run.
    """

    def __init__(self, port: int, directory: Path):
        self.port = port
        self.logfile = directory / f"redis-{port}.log"
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def answers(self) -> bool:
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is needed to run a broker this test may stop"
        options = {"port": self.port, "bind": "127.0.0.1", "save": "", "appendonly": "no"}
        arguments = [part for key, value in options.items() for part in (f"--{key}", str(value))]
        with self.logfile.open("ab") as log:
            self.process = subprocess.Popen(
                [binary, *arguments],
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_this_process,
            )
        wait_for(self.answers, f"redis-server on port {self.port} to answer", timeout=30)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)
        wait_for(
            lambda: not self.answers(), f"redis-server on port {self.port} to stop", timeout=30
        )


@pytest.fixture
def spare_redis(tmp_path) -> Iterator[SpareRedis]:
    server = SpareRedis(free_port(SPARE_REDIS_PORT), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_redis_stopped_the_app_serves_pages_and_the_work_completes_once_it_is_back(
    workers, spare_redis, year, tree, department_admin, client, caplog
):
    agreement = signed_agreement(tree.department, year)
    head = make_person(tree.department, Role.UNIT_HEAD, username="doh_head")
    sar = agreement.sars.get(round__months=6)
    enter(sar)
    worker = workers("redis", broker_url=spare_redis.url)
    point_celery_at(spare_redis.url)
    client.force_login(department_admin)

    spare_redis.stop()

    # The pages answer while the broker is down.
    response = client.get(reverse("agreements:sar_detail", args=[sar.pk]))
    assert response.status_code == 200
    # A submission queues its recompute on commit: the broker is down, so it is logged, and
    # the submission stands (the stored score shows as missing until a recompute runs).
    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="agreements.services.scoring"):
        reports.sar_act(actor=head, sar=sar, action="submit")
        scoring.enqueue_recompute(agreement.pk)
    took = time.monotonic() - started
    assert took < 10, f"queuing with the broker down took {took:.1f} s"
    sar.refresh_from_db()
    assert sar.state == SARState.SUBMITTED
    assert (
        caplog.text.count(f"Could not enqueue the score recompute of agreement {agreement.pk}") == 2
    )
    assert not SARScore.objects.filter(sar=sar).exists()
    assert worker.alive, "the worker must ride out the outage"

    spare_redis.start()
    scoring.enqueue_recompute(agreement.pk)

    wait_for(lambda: is_current(sar), "the recompute queued after the restart", log=worker.log)
    assert worker.alive
    assert stored_scores(with_ids=False) == clean_recompute(year)


# --- (c) PostgreSQL restarting, as the worker sees it ----------------------------------------------


def test_database_connections_cut_mid_recompute_the_task_retries_and_completes(
    workers, year, year_with_stale_scores, department_admin
):
    agreements = year_with_stale_scores
    worker = workers("postgres")
    with row_lock_on(agreements[3]):
        job = scoring.recompute_job_start(actor=department_admin, fiscal_year=year)
        waiting = wait_for(
            lambda: worker.backends(waiting_on_a_lock=True),
            "the worker to wait on the locked agreement",
            log=worker.log,
        )
        assert worker.terminate_backends() >= 1
        wait_for(
            lambda: not set(waiting) & set(worker.backends()),
            "the worker's connection to go",
            log=worker.log,
        )

    wait_for(
        lambda: RecomputeJob.objects.filter(pk=job.pk, state=JobState.DONE).exists(),
        "the retried job to finish",
        log=worker.log,
    )
    log = worker.log()
    assert "retry: Retry in" in log
    assert "OperationalError" in log
    assert worker.alive

    # Cut again while the worker is idle (a restart between two tasks), then change one SAR:
    # the next task reconnects by itself.
    worker.terminate_backends()
    sar = agreements[1].sars.get(round__months=9)
    enter(sar, {"1": ("75", []), "2": ("55", [])})
    scoring.enqueue_recompute(agreements[1].pk)
    wait_for(lambda: is_current(sar), "the recompute after an idle cut", log=worker.log)

    assert stored_scores(with_ids=False) == clean_recompute(year)
