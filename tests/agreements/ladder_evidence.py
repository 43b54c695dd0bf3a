"""Permission ladder cases of evidence files: upload, download, delete.

w.agreement's SAR is opened by the real service (sar_world.sar_for); its one KPI is owned by the
planning unit, so w.person (a data collector there) uploads and removes its evidence, w.planner
(planning staff of the department) sees the SAR but may not, and whoever sees the SAR downloads.
"""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements.models import Evidence, KPIResult
from tests.agreements.sar_world import sar_for
from tests.ladder import Case, World, post_ok

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def result(w: World) -> KPIResult:
    return KPIResult.objects.select_related("sar__agreement").get(sar=sar_for(w))


def evidence(w: World) -> dict:
    """A stored evidence file of the ladder's result (direct data, not the service)."""
    row = Evidence(
        result=result(w),
        original_name="รายงานผลการดำเนินงาน.pdf",
        extension="pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
        uploaded_by=w.person,
    )
    row.file.save("ignored.pdf", ContentFile(PDF_BYTES), save=False)
    row.save()
    return {"pk": row.pk}


def upload(w: World) -> dict:
    return {
        "file": SimpleUploadedFile("รายงานผลการดำเนินงาน.pdf", PDF_BYTES, "application/pdf"),
        "description": "สรุปผลไตรมาสที่ 2",
    }


CASES = {
    # Collectors of the KPI's owner unit add evidence; planning staff see the SAR but do not.
    "agreements:evidence_upload": Case(
        kwargs=lambda w: {"pk": result(w).pk},
        method="post",
        data=upload,
        allowed=lambda w: w.person,
        denied=lambda w: w.planner,
        ok_status=post_ok(),
    ),
    # Anyone who sees the SAR downloads its evidence.
    "agreements:evidence_download": Case(
        kwargs=evidence, allowed=lambda w: w.unit_head, denied=None
    ),
    "agreements:evidence_delete": Case(
        kwargs=evidence,
        method="post",
        allowed=lambda w: w.person,
        denied=lambda w: w.planner,
        ok_status=post_ok(),
    ),
}
