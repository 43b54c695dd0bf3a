"""Permission ladder cases of signing, the signed PDF, the verify page and the signing ceremonies.

w.agreement is a draft with version 1; the pages that need more move it along here, with direct
data (arranging the ladder, not testing the transitions): the version frozen, the state set.
"""

import hashlib
from datetime import date

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from agreements.enums import AgreementState
from agreements.models import Agreement, AgreementVersion, Ceremony
from agreements.snapshot import build_snapshot, content_hash
from tests.ladder import Case, World, post_ok

PDF_BYTES = b"%PDF-1.7\n% ladder\n%%EOF\n"


def approved(w: World) -> Agreement:
    """w.agreement approved: its version 1 frozen with the snapshot and its hash."""
    version = w.agreement.versions.get(number=1)
    if not version.is_frozen:
        content = build_snapshot(version)
        AgreementVersion.objects.filter(pk=version.pk).update(
            content=content, content_sha256=content_hash(content), frozen_at=timezone.now()
        )
    Agreement.objects.filter(pk=w.agreement.pk).update(state=AgreementState.APPROVED)
    return w.agreement


def with_pdf(w: World) -> dict:
    """w.agreement signed, with a stored PDF for version 1."""
    agreement = approved(w)
    Agreement.objects.filter(pk=agreement.pk).update(state=AgreementState.SIGNED)
    name = default_storage.save(
        f"agreements/signed/ladder-{agreement.pk}.pdf", ContentFile(PDF_BYTES)
    )
    AgreementVersion.objects.filter(agreement=agreement, number=1).update(
        pdf=name, pdf_sha256=hashlib.sha256(PDF_BYTES).hexdigest(), pdf_rendered_at=timezone.now()
    )
    return {"pk": agreement.pk, "number": 1}


def ceremony(w: World) -> dict:
    """A ceremony of the Department of Health with its approved agreement."""
    agreement = approved(w)
    held = Ceremony.objects.create(
        fiscal_year=w.fiscal_year,
        organisation=w.tree.department,
        name_th="พิธีลงนามคำรับรองการปฏิบัติราชการ กรมอนามัย",
        held_on=date(2008, 11, 28),
        created_by=w.admin,
    )
    held.agreements.add(agreement)
    return {"pk": held.pk}


CASES = {
    # Only the two parties sign; the unit head sees the agreement (it is their department's).
    "agreements:agreement_sign": Case(
        kwargs=lambda w: {"pk": approved(w).pk}, allowed=lambda w: w.maker
    ),
    # Anyone who sees the agreement downloads its signed PDF.
    "agreements:signed_pdf": Case(kwargs=with_pdf, allowed=lambda w: w.unit_head, denied=None),
    # Any logged-in person may check a PDF; it is not a page about a row.
    "agreements:verify": Case(allowed=lambda w: w.unit_head, denied=None, outsider_status=200),
    "agreements:ceremony_list": Case(
        allowed=lambda w: w.unit_head, denied=None, outsider_status=200
    ),
    # Planning staff and admins arrange ceremonies; the outsider is an admin of their own ministry.
    "agreements:ceremony_create": Case(allowed=lambda w: w.planner, outsider_status=200),
    "agreements:ceremony_detail": Case(kwargs=ceremony, allowed=lambda w: w.unit_head, denied=None),
    "agreements:ceremony_progress": Case(
        kwargs=ceremony, allowed=lambda w: w.unit_head, denied=None
    ),
    "agreements:ceremony_render": Case(
        kwargs=ceremony, method="post", allowed=lambda w: w.planner, ok_status=post_ok()
    ),
}
