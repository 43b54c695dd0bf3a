"""verify_pdf: the signed original, an altered copy of it, a document we do not know, not a PDF."""

import copy

import pytest
from django.core.files.storage import default_storage
from weasyprint import HTML

from agreements import pdf, tasks
from agreements.models import AgreementVersion
from agreements.verify import MAX_SIZE, Outcome, verify_pdf
from governance.errors import DomainError
from tests.agreements.test_pdf import frozen_version


@pytest.fixture
def signed(tree) -> tuple[AgreementVersion, bytes]:
    """A version whose signed PDF was rendered and stored by the task, with that PDF's bytes."""
    version = frozen_version(tree.department, kpi_count=3)
    tasks.render_signed_pdf(version_id=version.pk)
    version.refresh_from_db()
    with default_storage.open(version.pdf.name, "rb") as stored:
        data = stored.read()
    yield version, data
    default_storage.delete(version.pdf.name)


def test_the_stored_pdf_is_the_signed_original(signed):
    version, data = signed

    result = verify_pdf(data)

    assert result.outcome == Outcome.ORIGINAL
    assert result.is_original
    assert result.version == version
    assert result.sha256 == version.pdf_sha256
    assert result.claim == pdf.Claim(version.agreement_id, 1, version.content_sha256)


def test_one_flipped_byte_makes_an_altered_copy_of_the_same_version(signed):
    version, data = signed
    altered = bytearray(data)
    altered[12] ^= 0x01  # inside the binary comment under the header: still a readable PDF

    result = verify_pdf(bytes(altered))

    assert result.outcome == Outcome.ALTERED
    assert not result.is_original
    assert result.version == version


def test_a_rerender_with_one_changed_character_is_altered(signed):
    version, data = signed
    content = copy.deepcopy(version.content)
    content["kpis"][0]["weight"] = "6"  # one character, same metadata and content hash
    forged = pdf.render_snapshot_pdf(
        content,
        signatures=pdf.signature_lines(version),
        language="th",
        content_sha256=version.content_sha256,
    )

    result = verify_pdf(forged)

    assert forged != data
    assert result.outcome == Outcome.ALTERED
    assert result.version == version


def test_a_pdf_claiming_a_version_that_was_never_signed_is_unknown(tree):
    unsigned = frozen_version(tree.department, kpi_count=1, signed=False)

    result = verify_pdf(pdf.render_agreement_pdf(unsigned, language="th"))

    assert result.outcome == Outcome.UNKNOWN
    assert result.version is None
    assert result.claim.agreement_id == unsigned.agreement_id


def test_any_other_pdf_is_unknown(db):
    result = verify_pdf(HTML(string="<p>ใบเสร็จรับเงิน</p>").write_pdf())

    assert result.outcome == Outcome.UNKNOWN
    assert result.version is None
    assert result.claim is None


def test_a_claim_naming_an_agreement_we_do_not_have_is_unknown(db):
    html = (
        '<meta name="keywords" content="kham-rabrong:agreement=999999;version=1;'
        f'content={"0" * 64}"><p>x</p>'
    )

    result = verify_pdf(HTML(string=html).write_pdf())

    assert result.outcome == Outcome.UNKNOWN
    assert result.claim == pdf.Claim(999999, 1, "0" * 64)


def test_a_pdf_cut_in_half_no_longer_says_what_it_is_and_is_unknown(signed):
    _version, data = signed

    result = verify_pdf(data[: len(data) // 2])

    # The metadata sits at the end of the file, so the claim is gone with it: never "original".
    assert result.outcome == Outcome.UNKNOWN
    assert result.claim is None


@pytest.mark.parametrize("data", [b"", b"hello", b"PK\x03\x04 a zip file", b" %PDF-1.7"])
def test_what_is_not_a_pdf_is_refused(db, data):
    with pytest.raises(DomainError) as refused:
        verify_pdf(data)

    assert refused.value.code == "not_pdf"
    assert refused.value.field == "file"


def test_a_file_over_20_mb_is_refused_before_it_is_read(db):
    with pytest.raises(DomainError) as refused:
        verify_pdf(b"%PDF-1.7\n" + b"0" * MAX_SIZE)

    assert refused.value.code == "too_large"
    assert "20" in refused.value.message
