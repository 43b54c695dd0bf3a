"""Evidence files of KPI results: adding one (checked by content) and removing one.

Files live in the default storage (a local folder or S3) under a name made from a UUID and the
checked extension; the person's file name is kept only to show and to offer on download. Evidence
is not an input of the scores, so nothing here touches SAR.inputs_revision.
"""

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from agreements.models import SAR, Evidence, KPIResult
from agreements.services._common import require

# One rule for a result's values and its evidence: the SAR open for entry within its window, the
# KPI reported in this round, and the result not accepted or adjusted by its owner.
from agreements.services.reports import _require_editable as require_result_editable
from agreements.uploads import check_upload, megabytes
from governance.errors import DomainError
from governance.models import User
from kpis.criteria import Criteria

ENTER_RESULTS = "agreements.enter_results"
DESCRIPTION_MAX_LENGTH = Evidence._meta.get_field("description").max_length


def evidence_steps(result: KPIResult) -> list[tuple[int, str]]:
    """The steps of the result's KPI a file may be attached to: (level, the step's text)."""
    row = result.annex_kpi
    count = Criteria.of(row).steps_in_use
    return [(level, row.steps[level - 1]) for level in range(1, count + 1)]


def evidence_can_change(result: KPIResult) -> bool:
    """Whether the result's evidence may change now: exactly when its values may
    (kpi_result_update's rule), so the page never offers what the service refuses."""
    try:
        require_result_editable(result.sar, result)
    except DomainError:
        return False
    return True


def _lock(result_id: int) -> tuple[SAR, KPIResult]:
    """The result and its SAR re-read under the SAR's row lock: the SAR's state, and its total of
    evidence, cannot change between the checks and the write."""
    result = KPIResult.objects.select_related("annex_kpi").get(pk=result_id)
    sar = (
        SAR.objects.select_for_update(of=("self",))
        .select_related("round", "agreement")
        .get(pk=result.sar_id)
    )
    result.sar = sar
    return sar, result


def _check_step(result: KPIResult, step: int | None) -> None:
    if step is None:
        return
    steps = [level for level, _text in evidence_steps(result)]
    if not steps:
        raise DomainError(
            _("This KPI has no steps; attach the file to the result as a whole."), field="step"
        )
    if step not in steps:
        raise DomainError(
            _("Choose a step from 1 to %(count)s.") % {"count": len(steps)}, field="step"
        )


def _check_total(sar: SAR, size: int) -> None:
    stored = Evidence.objects.filter(result__sar=sar).aggregate(total=Sum("size"))["total"] or 0
    limit = settings.EVIDENCE_SAR_MAX_BYTES
    if stored + size > limit:
        raise DomainError(
            _(
                "This file would bring the report’s evidence to %(total)s MB, more than the "
                "%(limit)s MB one report may hold. Remove files that are no longer needed first."
            )
            % {"total": megabytes(stored + size), "limit": megabytes(limit)},
            field="file",
            code="sar_total",
        )


def evidence_add(
    *,
    actor: User,
    result: KPIResult,
    upload: File,
    step: int | None = None,
    description: str = "",
) -> Evidence:
    """Store an evidence file for a result (or one of its steps) after checking its content.

    The file is written to storage inside the transaction, so its name can be saved with the row;
    if anything after that fails, the stored file is deleted again.
    """
    require(actor, ENTER_RESULTS, result)
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise DomainError(
            _("Keep the description to %(limit)s characters.") % {"limit": DESCRIPTION_MAX_LENGTH},
            field="description",
        )
    # Reading the whole file happens before the lock is taken.
    checked = check_upload(upload, max_bytes=settings.EVIDENCE_MAX_BYTES)
    stored_name = ""
    try:
        with transaction.atomic():
            sar, result = _lock(result.pk)
            require_result_editable(sar, result)
            _check_step(result, step)
            _check_total(sar, checked.size)
            evidence = Evidence(
                result=result,
                step=step,
                original_name=checked.original_name,
                extension=checked.extension,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                description=description,
                uploaded_by=actor,
            )
            # evidence_path names the stored file; the name passed here is never used.
            evidence.file.save(f"upload.{checked.extension}", upload, save=False)
            stored_name = evidence.file.name
            evidence.save()
    except BaseException:
        if stored_name:
            default_storage.delete(stored_name)
        raise
    return evidence


def evidence_remove(*, actor: User, evidence: Evidence) -> None:
    """Delete an evidence file: the row now, the stored file once the deletion is committed."""
    require(actor, ENTER_RESULTS, evidence)
    with transaction.atomic():
        sar, result = _lock(evidence.result_id)
        require_result_editable(sar, result)
        stored = Evidence.objects.filter(pk=evidence.pk).first()
        if stored is None:
            # Deleted a moment ago (a double click): there is nothing left to do.
            return
        name = stored.file.name
        stored.delete()
        transaction.on_commit(lambda: default_storage.delete(name))
