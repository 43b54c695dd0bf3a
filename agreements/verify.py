"""Is this PDF the signed original of one of our agreements?

The answer rests on the SHA-256 of the file: equal to a stored `pdf_sha256` means the very file
we rendered (and sealed). Otherwise the metadata tells what the file claims to be: when it names
an agreement version we hold a signed PDF for, the file is an altered copy of it; anything else
is unknown to us. The metadata is only a claim (anybody can write it), so it never makes a file
"original"; it only names the agreement a doubtful copy pretends to be.
"""

import hashlib
import logging
from dataclasses import dataclass
from io import BytesIO

from django.db import models
from django.utils.translation import gettext, pgettext_lazy

from agreements.models import AgreementVersion
from agreements.pdf import Claim, parse_keywords
from governance.errors import DomainError

logger = logging.getLogger(__name__)

MAX_SIZE = 20 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


class Outcome(models.TextChoices):
    ORIGINAL = "original", pgettext_lazy("PDF verification", "Signed original")
    ALTERED = "altered", pgettext_lazy("PDF verification", "Altered copy")
    UNKNOWN = "unknown", pgettext_lazy("PDF verification", "Unknown document")


@dataclass(frozen=True)
class Verification:
    outcome: str
    sha256: str
    # The signed version the file is (original) or claims to be (altered); None when unknown.
    version: AgreementVersion | None = None
    claim: Claim | None = None

    @property
    def is_original(self) -> bool:
        return self.outcome == Outcome.ORIGINAL


def verify_pdf(data: bytes) -> Verification:
    """Compare an uploaded PDF with the signed PDFs we store. Refuses what is not a PDF."""
    if len(data) > MAX_SIZE:
        raise DomainError(
            gettext("The file is larger than %(size)s MB.") % {"size": MAX_SIZE // (1024 * 1024)},
            field="file",
            code="too_large",
        )
    if not data.startswith(PDF_MAGIC):
        raise DomainError(gettext("This file is not a PDF."), field="file", code="not_pdf")

    sha256 = hashlib.sha256(data).hexdigest()
    signed = AgreementVersion.objects.exclude(pdf_sha256="").select_related(
        "agreement__organisation", "agreement__fiscal_year"
    )
    original = signed.filter(pdf_sha256=sha256).first()
    if original is not None:
        return Verification(Outcome.ORIGINAL, sha256, original, read_claim(data))

    claim = read_claim(data)
    if claim is not None:
        claimed = signed.filter(
            agreement_id=claim.agreement_id, number=claim.version_number
        ).first()
        if claimed is not None:
            return Verification(Outcome.ALTERED, sha256, claimed, claim)
    return Verification(Outcome.UNKNOWN, sha256, None, claim)


def read_claim(data: bytes) -> Claim | None:
    """The agreement version named in the PDF's /Keywords, read leniently (the file may be damaged)."""
    from pypdf import PdfReader

    try:
        metadata = PdfReader(BytesIO(data), strict=False).metadata
        keywords = str(metadata.get("/Keywords", "")) if metadata else ""
    except Exception:  # any damage to the file just means "no readable claim"
        logger.info("unreadable PDF metadata", exc_info=True)
        keywords = ""
    # A damaged cross-reference table can hide the metadata from pypdf; an uncompressed
    # information dictionary can still be found in the raw bytes.
    return parse_keywords(keywords) or parse_keywords(data)
