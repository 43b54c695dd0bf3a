"""Background work of the agreements app: signed PDFs, score recomputes, SAR reminders.

The signed PDF is rendered once per version.

A worker may be killed at any point and the message redelivered (acks_late), so the task is built
to be run again safely: the file is written first, under a name derived from its hash, and only
then does one conditional UPDATE point the version at it. A crash in between leaves at most an
unreferenced file; the retry finds the version still without a PDF and finishes the job, and two
workers racing each other end with one PDF and one hash.
"""

import hashlib
import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, InterfaceError, OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from agreements.enums import JobState
from agreements.models import AgreementVersion, RecomputeJob
from agreements.pdf import render_agreement_pdf
from agreements.sealing import seal_if_configured
from agreements.services import scoring

logger = logging.getLogger(__name__)

SIGNED_FOLDER = "agreements/signed"


def signed_pdf_name(version: AgreementVersion, sha256: str) -> str:
    return f"{SIGNED_FOLDER}/{version.agreement_id}-v{version.number}-{sha256[:16]}.pdf"


def _stored_hash(name: str) -> str | None:
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as existing:
        return hashlib.sha256(existing.read()).hexdigest()


def _store(name: str, data: bytes, sha256: str) -> str:
    """Write `data` under `name` and return the name it got.

    A file already there with the same hash is the very same PDF, left by a worker that died
    before recording it: it is adopted instead of written a second time. A file there with other
    bytes is a write that a killed worker never finished (the name carries our hash): it is
    replaced, so no torn file stays behind.
    """
    stored = _stored_hash(name)
    if stored == sha256:
        return name
    if stored is not None:
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(data))


def _record(version_id: int, name: str, sha256: str) -> bool:
    """Point the version at its PDF, unless another worker did first (then False)."""
    updated = AgreementVersion.objects.filter(pk=version_id, pdf_sha256="").update(
        pdf=name, pdf_sha256=sha256, pdf_rendered_at=timezone.now()
    )
    return updated == 1


@shared_task(
    name="agreements.render_signed_pdf",
    bind=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    # The soft limit must not exceed the hard one (the project default of 240 s would), or
    # Celery refuses to enqueue the task at all.
    soft_time_limit=100,
    time_limit=120,
    acks_late=True,
)
def render_signed_pdf(self, *, version_id: int) -> str:
    """Render, (optionally) seal, store and record the signed Thai PDF of a version.

    Returns the PDF's SHA-256; a version that already has one is left alone.
    """
    version = AgreementVersion.objects.select_related("agreement").filter(pk=version_id).first()
    if version is None:
        logger.warning("agreement version %s is gone; no PDF rendered", version_id)
        return ""
    if version.pdf_sha256:
        return version.pdf_sha256
    if not version.content_sha256:
        logger.warning("agreement version %s is not frozen; no PDF rendered", version_id)
        return ""

    data = seal_if_configured(render_agreement_pdf(version, language="th"))
    sha256 = hashlib.sha256(data).hexdigest()
    name = _store(signed_pdf_name(version, sha256), data, sha256)
    if _record(version_id, name, sha256):
        logger.info("signed PDF of agreement version %s stored as %s", version_id, name)
        return sha256

    # Another worker recorded its PDF first. Ours goes, unless it is the very file the winner
    # recorded (the same bytes give the same name).
    winner = AgreementVersion.objects.values_list("pdf", "pdf_sha256").get(pk=version_id)
    if winner[0] != name:
        default_storage.delete(name)
    return winner[1]


# --- Scores ---------------------------------------------------------------------------------------
# Recomputes are idempotent (upserts on natural keys, one transaction per agreement batch), so a
# redelivered or retried message is harmless; transient database errors (a restart, a dropped
# connection) are retried with backoff. Nobody waits for their return values (the stored scores and
# the job row are the results), so none is stored: queuing one then touches only the broker. With
# a result backend, a web process queuing while Redis is down waited ~20 s on the backend's
# reconnects and was left unable to queue anything until restarted.
TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)


@shared_task(
    name="agreements.recompute_agreement_scores",
    ignore_result=True,
    autoretry_for=TRANSIENT_DB_ERRORS,
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=10,
    soft_time_limit=50,
    time_limit=60,
    acks_late=True,
)
def recompute_agreement_scores(*, agreement_id: int) -> int:
    """Recompute one agreement's SAR scores, then queue the roll-ups behind its official totals."""
    changed = scoring.agreement_scores_recompute(agreement_id=agreement_id)
    by_round: dict[int, set[int]] = {}
    for organisation_id, round_id in changed:
        by_round.setdefault(round_id, set()).add(organisation_id)
    for round_id, organisation_ids in by_round.items():
        try:
            recompute_rollups.delay(round_id=round_id, organisation_ids=sorted(organisation_ids))
        except BrokerError:
            # The broker went away after this message arrived: do the roll-ups here rather than
            # leave them behind the scores.
            logger.warning("broker unreachable; roll-ups of round %s computed inline", round_id)
            scoring.rollups_recompute(round_id=round_id, organisation_ids=organisation_ids)
    return len(changed)


@shared_task(
    name="agreements.recompute_rollups",
    ignore_result=True,
    autoretry_for=TRANSIENT_DB_ERRORS,
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=10,
    soft_time_limit=110,
    time_limit=120,
    acks_late=True,
)
def recompute_rollups(*, round_id: int, organisation_ids: list[int] | None = None) -> int:
    """Recompute a round's roll-ups for these organisations and those above them."""
    return scoring.rollups_recompute(round_id=round_id, organisation_ids=organisation_ids)


@shared_task(
    name="agreements.recompute_fiscal_year",
    ignore_result=True,
    bind=True,
    autoretry_for=TRANSIENT_DB_ERRORS,
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=10,
    soft_time_limit=1700,
    time_limit=1800,
    acks_late=True,
)
def recompute_fiscal_year(self, *, job_id: int) -> int:
    """An administrator's recompute of a whole fiscal year, reporting progress on its job row."""
    job = RecomputeJob.objects.filter(pk=job_id).first()
    if job is None:
        return 0
    try:
        return scoring.fiscal_year_recompute(fiscal_year_id=job.fiscal_year_id, job=job)
    except TRANSIENT_DB_ERRORS as error:
        if self.request.retries >= self.max_retries:
            # The last attempt: the page polling the job must learn that it stopped.
            _job_failed(job_id, error)
        raise  # retried by Celery; the rerun starts the year again, which is harmless
    except Exception as error:
        _job_failed(job_id, error)
        raise


def _job_failed(job_id: int, error: Exception) -> None:
    try:
        RecomputeJob.objects.filter(pk=job_id).update(
            state=JobState.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
    except DatabaseError:
        # The database is what failed: the job keeps its last state, the error is in the log.
        logger.exception("recompute job %s failed and could not be marked so", job_id)


# --- Reminders ------------------------------------------------------------------------------------


@shared_task(name="agreements.send_sar_reminders", soft_time_limit=300, time_limit=330)
def send_sar_reminders() -> int:
    """E-mail the SAR reminders due today (the beat schedule runs it every morning)."""
    from agreements.services.reminders import sar_reminders_send

    return sar_reminders_send()
