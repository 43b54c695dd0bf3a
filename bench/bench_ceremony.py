"""A signing ceremony for real: 300 signed PDFs rendered by 2 Celery worker processes.

The issue's target: "a ceremony of 300 agreements: all PDFs rendered by 2 Celery worker processes
in under 3 minutes, memory per worker under 300 MB".

On a throwaway PostgreSQL test database the benchmark builds 300 frozen, signed versions of 20
KPIs each, starts 2 worker processes (`celery worker --pool=solo`, the base settings, a file-system
storage in a temporary MEDIA_ROOT) on a queue of its own on Redis (db 14, flushed first), enqueues
agreements.render_signed_pdf for every version and polls the database until each version has its
pdf_sha256. Wall time runs from the first enqueue to the last recorded PDF, with both workers
already answering (a ceremony's workers are up before it starts). Each worker's peak memory is its
VmHWM from /proc, read before it is stopped by PID.

Needs PostgreSQL (DATABASE_URL) and Redis on 127.0.0.1:6379; without them it reports a skip.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from django.db import connection, transaction
from django.test.utils import setup_test_environment, teardown_test_environment

from bench.run import Figure

ROOT = Path(__file__).resolve().parent.parent
AGREEMENTS = 300
WORKERS = 2
KPIS = 20
BROKER_URL = "redis://127.0.0.1:6379/14"
TIMEOUT = 600  # seconds to wait for all PDFs
NAME = "ceremony"


def run() -> list[Figure]:
    reason = _skip_reason()
    if reason:
        return [Figure(NAME, "skipped", 0, "", reason)]
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    media_root = Path(tempfile.mkdtemp(prefix="bench-ceremony-media-"))
    try:
        return _measure(media_root)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        shutil.rmtree(media_root, ignore_errors=True)


def _skip_reason() -> str:
    if connection.vendor != "postgresql":
        return (
            f"needs PostgreSQL (DATABASE_URL); the database is {connection.vendor}, "
            "which the workers cannot share"
        )
    try:
        import redis

        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    except Exception as error:  # any failure means "no Redis"
        return f"needs Redis at {BROKER_URL}: {type(error).__name__}: {error}"
    return ""


def _build_versions() -> list[int]:
    """300 frozen, signed 20-KPI versions, each of its own department (one agreement a year)."""
    from governance.enums import OrganisationKind
    from tests.agreements.test_pdf import frozen_version
    from tests.factories import OrganisationFactory

    ids = []
    # One transaction: the ~40 rows of each version are committed together, not one by one.
    with transaction.atomic():
        ministry = OrganisationFactory(code="BENCH", kind=OrganisationKind.MINISTRY)
        for number in range(AGREEMENTS):
            department = OrganisationFactory(
                parent=ministry, code=f"D{number:03d}", kind=OrganisationKind.DEPARTMENT
            )
            ids.append(frozen_version(department, kpi_count=KPIS).pk)
    return ids


def _database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def _start_workers(queue: str, media_root: Path, logs: Path) -> list[tuple[str, subprocess.Popen]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "false",
        "SECRET_KEY": "bench-ceremony-key",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_RESULT_BACKEND": BROKER_URL,
        "STORAGE_BACKEND": "local",
        "MEDIA_ROOT": str(media_root),
        "LOG_LEVEL": "WARNING",
    }
    host = socket.gethostname()
    workers = []
    for number in range(1, WORKERS + 1):
        log = open(logs / f"worker{number}.log", "wb")  # noqa: SIM115 - the child keeps its own copy
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--loglevel=WARNING",
                "-Q",
                queue,
                "-n",
                f"bench{number}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        workers.append((f"bench{number}@{host}", process))
    return workers


def _wait_for_workers(app, names: list[str], processes, timeout: float = 60) -> None:
    answered: set[str] = set()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"a worker exited with code {process.returncode} on start")
        for reply in app.control.ping(destination=names, timeout=1) or []:
            answered.update(reply)
        if answered >= set(names):
            return
    raise RuntimeError(f"workers did not answer within {timeout:.0f} s: {set(names) - answered}")


def _peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    return float("nan")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _measure(media_root: Path) -> list[Figure]:
    import redis

    from agreements.models import AgreementVersion
    from agreements.tasks import render_signed_pdf
    from config.celery import app

    started_build = time.perf_counter()
    ids = _build_versions()
    build_time = time.perf_counter() - started_build

    redis.Redis.from_url(BROKER_URL).flushdb()
    saved_conf = {
        key: app.conf[key]
        for key in ("task_always_eager", "broker_url", "result_backend", "task_ignore_result")
    }
    app.conf.task_always_eager = False
    app.conf.broker_url = BROKER_URL
    app.conf.result_backend = BROKER_URL
    app.conf.task_ignore_result = True
    queue = f"bench-ceremony-{uuid.uuid4().hex[:12]}"
    logs = media_root.parent / f"{media_root.name}-logs"
    logs.mkdir()
    workers = _start_workers(queue, media_root, logs)
    names = [name for name, _ in workers]
    peaks: dict[str, float] = {}
    tasks_done: dict[str, int] = {}
    problem = ""
    try:
        _wait_for_workers(app, names, [process for _, process in workers])
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        for version_id in ids:
            render_signed_pdf.apply_async(kwargs={"version_id": version_id}, queue=queue)
        done = 0
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            done = AgreementVersion.objects.filter(pk__in=ids).exclude(pdf_sha256="").count()
            if done == len(ids):
                break
            if any(process.poll() is not None for _, process in workers):
                problem = "a worker died during the ceremony"
                break
            time.sleep(0.25)
        wall = time.perf_counter() - started
        load_after = os.getloadavg()[0]
        if done < len(ids) and not problem:
            problem = f"timed out after {TIMEOUT} s"
        try:
            stats = app.control.inspect(destination=names, timeout=2).stats() or {}
            for name in names:
                tasks_done[name] = sum((stats.get(name) or {}).get("total", {}).values())
        except Exception:  # the task counts are only a note
            pass
        for name, process in workers:
            if process.poll() is None:
                peaks[name] = _peak_memory_mb(process.pid)
    finally:
        for _, process in workers:
            _stop(process)
        app.conf.update(saved_conf)
        redis.Redis.from_url(BROKER_URL).flushdb()
    files = list((media_root / "agreements" / "signed").glob("*.pdf"))
    size_kib = sum(f.stat().st_size for f in files) / 1024 / max(len(files), 1)
    if problem:
        for number in range(1, WORKERS + 1):
            tail = (logs / f"worker{number}.log").read_text(errors="replace")[-2000:]
            print(f"--- worker {number} log (tail) ---\n{tail}", file=sys.stderr)
    shutil.rmtree(logs, ignore_errors=True)

    cores = os.cpu_count() or 0
    note = (
        f"target < 180 s; load avg (1 min) {load_before:.2f} before, {load_after:.2f} after, "
        f"{cores} CPUs"
    )
    if problem:
        note = f"{problem}: {done}/{len(ids)} PDFs; " + note
    figures = [
        Figure(
            NAME,
            f"build {AGREEMENTS} frozen signed {KPIS}-KPI versions",
            build_time,
            "s",
            "setup, not measured against the target",
        ),
        Figure(NAME, f"ceremony of {AGREEMENTS} PDFs, {WORKERS} Celery workers", wall, "s", note),
    ]
    for number, name in enumerate(names, start=1):
        count = tasks_done.get(name)
        figures.append(
            Figure(
                NAME,
                f"peak memory, worker {number}",
                peaks.get(name, float("nan")),
                "MB",
                "VmHWM; target < 300 MB" + (f"; {count} tasks" if count is not None else ""),
            )
        )
    figures.append(
        Figure(
            NAME,
            "PDFs per second",
            done / wall if wall else 0.0,
            "PDF/s",
            f"{len(files)} files stored, {size_kib:.0f} KiB each on average",
        )
    )
    return figures
