"""The optional PAdES seal (pyHanko) with a self-signed development certificate.

Integrity is checked with pyHanko's `intact` (the signed bytes are unchanged), never `valid` or
`bottom_line`: those also ask whether the signer is trusted, and nobody trusts a development
certificate.
"""

import stat
from io import BytesIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from agreements import pdf, sealing, tasks
from agreements.verify import Outcome, verify_pdf
from tests.agreements.test_pdf import frozen_version


@pytest.fixture
def certificate(tmp_path):
    return sealing.generate_dev_certificate(tmp_path / "seal", common_name="กรมอนามัย (dev)")


@pytest.fixture
def sealing_on(settings, certificate):
    key_path, cert_path = certificate
    settings.AGREEMENT_SEAL_KEY = str(key_path)
    settings.AGREEMENT_SEAL_CERT = str(cert_path)
    return certificate


@pytest.fixture
def document(tree) -> bytes:
    return pdf.render_agreement_pdf(frozen_version(tree.department, kpi_count=2), language="th")


def seal_status(data: bytes, cert_path):
    (signature,) = PdfFileReader(BytesIO(data)).embedded_signatures
    # The development certificate as the one trust root: what a verifier who installed it sees.
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(cert_path))])
    return signature, validate_pdf_signature(signature, context)


def test_a_sealed_pdf_carries_an_intact_seal_over_the_whole_file(document, certificate):
    key_path, cert_path = certificate

    sealed = sealing.seal_pdf(document, key_path=key_path, cert_path=cert_path)

    signature, status = seal_status(sealed, cert_path)
    assert signature.field_name == "Seal"
    assert status.intact is True
    assert status.coverage.name == "ENTIRE_FILE"
    assert sealed.startswith(document)  # an incremental update: the rendered bytes are kept


def test_one_changed_byte_breaks_the_seal(document, certificate):
    key_path, cert_path = certificate
    sealed = bytearray(sealing.seal_pdf(document, key_path=key_path, cert_path=cert_path))
    sealed[12] ^= 0x01

    _signature, status = seal_status(bytes(sealed), cert_path)

    assert status.intact is False


def test_without_settings_sealing_is_skipped(settings, document):
    settings.AGREEMENT_SEAL_KEY = ""
    settings.AGREEMENT_SEAL_CERT = ""

    assert sealing.seal_configured() is False
    assert sealing.seal_if_configured(document) is document


def test_a_missing_key_file_is_a_configuration_error(document, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="Cannot load the seal key"):
        sealing.seal_pdf(document, key_path=tmp_path / "none.pem", cert_path=tmp_path / "c.pem")


def test_the_task_seals_before_hashing_so_the_stored_hash_is_the_sealed_files(tree, sealing_on):
    _key_path, cert_path = sealing_on
    version = frozen_version(tree.department, kpi_count=2)

    tasks.render_signed_pdf(version_id=version.pk)

    version.refresh_from_db()
    with default_storage.open(version.pdf.name, "rb") as stored:
        data = stored.read()
    default_storage.delete(version.pdf.name)
    _signature, status = seal_status(data, cert_path)
    assert status.intact is True
    result = verify_pdf(data)
    assert result.outcome == Outcome.ORIGINAL
    assert result.version == version


def test_make_dev_certificate_writes_a_private_key_and_a_certificate(tmp_path, capsys):
    directory = tmp_path / "seal"

    call_command("make_dev_certificate", directory=directory)

    key_path, cert_path = directory / "seal-key.pem", directory / "seal-cert.pem"
    assert key_path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert cert_path.read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert f"AGREEMENT_SEAL_KEY={key_path}" in capsys.readouterr().out


def test_make_dev_certificate_keeps_an_existing_pair_unless_forced(tmp_path):
    directory = tmp_path / "seal"
    call_command("make_dev_certificate", directory=directory)
    first_key = (directory / "seal-key.pem").read_bytes()

    with pytest.raises(CommandError, match="--force"):
        call_command("make_dev_certificate", directory=directory)
    assert (directory / "seal-key.pem").read_bytes() == first_key

    call_command("make_dev_certificate", directory=directory, force=True)
    assert (directory / "seal-key.pem").read_bytes() != first_key
