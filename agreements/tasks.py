"""Background work of the agreements app: the signed PDF, rendered once per version.

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
from django.db import OperationalError
from django.utils import timezone

from agreements.models import AgreementVersion
from agreements.pdf import render_agreement_pdf
from agreements.sealing import seal_if_configured

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
