"""`manage.py make_dev_certificate`: a self-signed key and certificate to seal PDFs in development.

Writes var/seal/seal-key.pem and var/seal/seal-cert.pem (var/ is not committed) and prints the two
settings that switch sealing on. Never use it in production: nobody trusts a self-signed seal.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agreements.sealing import generate_dev_certificate


class Command(BaseCommand):
    help = "Generate a self-signed seal key and certificate for development (var/seal/)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            type=Path,
            default=Path(settings.BASE_DIR) / "var" / "seal",
            help="Where to write seal-key.pem and seal-cert.pem (default: var/seal/).",
        )
        parser.add_argument(
            "--common-name",
            default="kham-rabrong development seal",
            help="The certificate's common name.",
        )
        parser.add_argument("--days", type=int, default=365, help="Validity in days.")
        parser.add_argument(
            "--force", action="store_true", help="Replace an existing key and certificate."
        )

    def handle(self, *args, directory: Path, common_name: str, days: int, force: bool, **options):
        try:
            key_path, cert_path = generate_dev_certificate(
                directory, common_name=common_name, days=days, overwrite=force
            )
        except FileExistsError as error:
            raise CommandError(f"{error}; add --force to replace them.") from error
        self.stdout.write(self.style.SUCCESS(f"Wrote {key_path} and {cert_path}."))
        self.stdout.write("To seal signed PDFs, put these in .env:")
        self.stdout.write(f"AGREEMENT_SEAL_KEY={key_path}")
        self.stdout.write(f"AGREEMENT_SEAL_CERT={cert_path}")
