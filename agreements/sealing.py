"""An optional PAdES seal on the signed PDF, with the organisation's certificate (pyHanko).

When AGREEMENT_SEAL_KEY and AGREEMENT_SEAL_CERT name a PEM key and certificate, every signed PDF
is sealed before its hash is taken, so the stored hash is the hash of the sealed file and any
PDF reader can show that the file is intact. Without them the PDF is stored unsealed; the SHA-256
kept in the database (and the verify page) protect it either way.
`manage.py make_dev_certificate` makes a self-signed pair for development.
"""

from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SEAL_FIELD = "Seal"


def seal_configured() -> bool:
    return bool(settings.AGREEMENT_SEAL_KEY and settings.AGREEMENT_SEAL_CERT)


def seal_if_configured(data: bytes) -> bytes:
    """`data` sealed with the configured certificate, or unchanged when none is configured."""
    if not seal_configured():
        return data
    return seal_pdf(
        data,
        key_path=Path(settings.AGREEMENT_SEAL_KEY),
        cert_path=Path(settings.AGREEMENT_SEAL_CERT),
    )


def seal_pdf(data: bytes, *, key_path: Path, cert_path: Path) -> bytes:
    """`data` with a PAdES signature in a field named "Seal", added as an incremental update."""
    # Imported here: pyHanko is only needed by the workers that seal.
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load(str(key_path), str(cert_path))
    if signer is None:
        # pyHanko logs the reason and returns None rather than raising.
        raise ImproperlyConfigured(
            f"Cannot load the seal key {key_path} or certificate {cert_path}."
        )
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    writer = IncrementalPdfFileWriter(BytesIO(data))
    output = signers.PdfSigner(metadata, signer=signer).sign_pdf(writer)
    return output.getvalue()


def generate_dev_certificate(
    directory: Path, *, common_name: str, days: int = 365, overwrite: bool = False
) -> tuple[Path, Path]:
    """A self-signed seal key and certificate (PEM) in `directory`: for development only.

    Nobody trusts a self-signed certificate, so a PDF reader shows the seal as intact but of
    unknown origin; production uses the organisation's certificate from a recognised CA.
    """
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key_path = directory / "seal-key.pem"
    cert_path = directory / "seal-cert.pem"
    if not overwrite and (key_path.exists() or cert_path.exists()):
        raise FileExistsError(f"{key_path} or {cert_path} exists already")
    directory.mkdir(parents=True, exist_ok=True)

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "kham-rabrong development"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # The key is a secret even in development: readable by its owner only.
    key_path.touch(mode=0o600, exist_ok=True)
    key_path.chmod(0o600)
    key_path.write_bytes(key_bytes)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path
