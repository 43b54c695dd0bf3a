"""`manage.py recompute_scores 2552 [--rollups-only]`: recompute a whole fiscal year's scores now.

The same work as the administrator's button (agreements.services.scoring.fiscal_year_recompute),
run in this process rather than by a worker: after a change of method, or with the broker down.
It records a recompute job like the button does, so the fiscal year's scores page lists it.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from agreements.enums import JobState
from agreements.models import RecomputeJob
from agreements.services.scoring import fiscal_year_recompute, rollups_recompute
from governance.models import FiscalYear


class Command(BaseCommand):
    help = "Recompute every SAR score and roll-up of a fiscal year (B.E.), synchronously."

    def add_arguments(self, parser):
        parser.add_argument(
            "year", type=int, help="The fiscal year in the Buddhist era, e.g. 2552."
        )
        parser.add_argument(
            "--rollups-only",
            action="store_true",
            help="Only recompute the roll-ups up the organisation tree from the stored scores.",
        )

    def handle(self, *args, year: int, rollups_only: bool, **options):
        fiscal_year = FiscalYear.objects.filter(year=year).first()
        if fiscal_year is None:
            raise CommandError(f"There is no fiscal year {year}.")
        started = time.perf_counter()
        if rollups_only:
            self._rollups(fiscal_year)
        else:
            self._everything(fiscal_year)
        took = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Done in {took:.2f} s."))

    def _rollups(self, fiscal_year: FiscalYear) -> None:
        for reporting_round in fiscal_year.rounds.order_by("months"):
            written = rollups_recompute(round_id=reporting_round.pk)
            self.stdout.write(f"Round {reporting_round.months} months: {written} roll-up scores.")

    def _everything(self, fiscal_year: FiscalYear) -> None:
        job = RecomputeJob.objects.create(fiscal_year=fiscal_year)
        self.stdout.write(f"Recomputing fiscal year {fiscal_year.year} (job {job.pk})…")

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  {done}/{total} agreements ({round(100 * done / total)}%)")

        try:
            count = fiscal_year_recompute(
                fiscal_year_id=fiscal_year.pk, job=job, on_progress=progress
            )
        except Exception as error:
            # Whatever stopped the run, the job must not stay "running" on the page.
            RecomputeJob.objects.filter(pk=job.pk).update(
                state=JobState.FAILED, error=str(error)[:2000], finished_at=timezone.now()
            )
            raise CommandError(f"The recompute failed: {error}") from error
        self.stdout.write(f"{count} agreements recomputed, then the roll-ups of every round.")
