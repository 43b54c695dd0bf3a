"""`manage.py load_demo`: load the demo year FY 2552 and print the demo log-ins.

The governance loader runs first; then every app installed after governance that has a `demo`
module gets its turn, in INSTALLED_APPS order. Such a module offers
`load(*, report: DemoReport) -> list[str]`: it counts what it loads in `report` and returns notes
to print. Governance never imports the later apps (dependencies point one way).
"""

import importlib
import importlib.util
from collections.abc import Callable, Iterator

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from governance.demo import DEMO_PASSWORD, DEMO_YEAR, DemoReport, Login, load_demo
from governance.enums import Role
from governance.errors import DomainError


class Command(BaseCommand):
    help = (
        f"Load the demo year FY {DEMO_YEAR} (illustrative data from the Department of Health's "
        "deck). Safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help=f"Set every demo account's password back to {DEMO_PASSWORD}.",
        )

    def handle(self, *args, reset_passwords: bool = False, **options):
        try:
            # One transaction: a failing later loader leaves no half-loaded demo behind.
            with transaction.atomic():
                report = load_demo(reset_passwords=reset_passwords)
                notes = [note for load in later_demo_loaders() for note in load(report=report)]
        except DomainError as error:
            raise CommandError(f"The demo could not be loaded: {error}") from error
        self._print_summary(report)
        self._print_notes(notes)
        self._print_logins(report.logins)

    def _print_summary(self, report: DemoReport) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo year FY {DEMO_YEAR} loaded. ILLUSTRATIVE data built from the Department of "
                "Health's deck of 22 Dec 2551; the people are invented. Not official records."
            )
        )
        for what, total in report.total.items():
            self.stdout.write(f"  {what}: {total} ({report.created[what]} new)")

    def _print_notes(self, notes: list[str]) -> None:
        for note in notes:
            self.stdout.write(f"  {note}")

    def _print_logins(self, logins: list[Login]) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo log-ins"))
        self.stdout.write(f"  {'username':<11} {'role':<36} {'password':<12} organisation")
        for login in logins:
            if login.organisation is None:
                role, where = "superuser", "every organisation"
            else:
                role = f"{login.role} ({Role(login.role).label})"
                where = f"{login.organisation.name_en} ({login.organisation.abbreviation_th})"
                if login.includes_descendants:
                    where += " and the units below"
            # An existing account keeps the password its user gave it, unless reset.
            password = DEMO_PASSWORD if login.password_set else f"{DEMO_PASSWORD}*"
            self.stdout.write(f"  {login.username:<11} {role:<36} {password:<12} {where}")
        if not all(login.password_set for login in logins):
            self.stdout.write(
                f"  * unless changed since; run with --reset-passwords to set {DEMO_PASSWORD} again."
            )


def later_demo_loaders() -> Iterator[Callable[..., list[str]]]:
    """The `load` function of each app after governance that has a `demo` module."""
    names = [config.name for config in apps.get_app_configs()]
    for name in names[names.index("governance") + 1 :]:
        if importlib.util.find_spec(f"{name}.demo") is not None:
            yield importlib.import_module(f"{name}.demo").load
