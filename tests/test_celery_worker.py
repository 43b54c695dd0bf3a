"""Tasks run by a real Celery worker on Redis against PostgreSQL (marked; run by .ci/run).

The fixture starts a worker process pointed at the test database and stops it by PID.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from config.celery import app
from governance.enums import Role
from governance.models import Milestone
from governance.tasks import send_milestone_reminders
from tests.conftest import make_person
from tests.factories import FiscalYearFactory, MilestoneFactory

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not settings.CELERY_BROKER_URL, reason="needs CELERY_BROKER_URL (Redis)"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def worker(db):
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database only on PostgreSQL")
    db_settings = connection.settings_dict
    database_url = (
        f"postgres://{db_settings['USER']}:{db_settings['PASSWORD']}@{db_settings['HOST'] or '127.0.0.1'}:"
        f"{db_settings['PORT'] or 5432}/{db_settings['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "false",
        "SECRET_KEY": "worker-test-key",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND or settings.CELERY_BROKER_URL,
    }
    app.conf.task_always_eager = False
    app.conf.broker_url = settings.CELERY_BROKER_URL
    app.conf.result_backend = env["CELERY_RESULT_BACKEND"]
    app.control.purge()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        _wait_for_worker()
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        app.conf.task_always_eager = True


def _wait_for_worker(timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.control.ping(timeout=1):
            return
    raise RuntimeError("the Celery worker did not answer within 30 s")


def test_reminder_task_runs_on_the_worker_once(worker, tree):
    planner = make_person(tree.department, Role.PLANNING, below=True, username="planner")
    fiscal_year = FiscalYearFactory(year=2570)
    milestone = MilestoneFactory(
        fiscal_year=fiscal_year,
        responsible=tree.planning_unit,
        starts_on=timezone.localdate() + timedelta(days=3),
        remind_days_before=7,
    )
    assert planner.email

    first = send_milestone_reminders.delay().get(timeout=60)
    second = send_milestone_reminders.delay().get(timeout=60)

    assert (first, second) == (1, 0)
    milestone.refresh_from_db()
    assert milestone.reminder_sent_at is not None
    assert Milestone.objects.filter(reminder_sent_at__isnull=False).count() == 1
