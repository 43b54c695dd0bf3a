"""An administrator's recompute of a whole fiscal year's scores, with its progress bar.

The year's page shows where its stored scores stand (how many SARs, how many scores are current,
stale or missing) and the recent recomputes; its button queues a recompute job. The progress part
is polled by htmx every second while the job is queued or running; once it is done (or failed)
the fragment comes back without its trigger and the polling stops by itself (as the signing
ceremony's progress does). `manage.py recompute_scores` does the same work without a worker.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements.enums import JobState
from agreements.models import SAR, RecomputeJob
from agreements.services.scoring import recompute_job_start
from governance.errors import ActionForbidden, DomainError
from governance.selectors import fiscal_years_visible_to
from governance.views.base import ScopedTemplateView

PERMISSION = "agreements.recompute"
# Polling interval of the progress fragment (the htmx trigger reads it).
POLL_SECONDS = 1
RECENT_JOBS = 10
ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)


def with_duration(job: RecomputeJob) -> RecomputeJob:
    """The job with `seconds`: from being queued to finishing (None while it runs)."""
    finished = job.finished_at
    job.seconds = (finished - job.created_at).total_seconds() if finished else None
    return job


def year_status(fiscal_year) -> list[dict]:
    """Per reporting round: the SARs, and how many of their stored scores are current, stale,
    missing or official (one grouped query)."""
    has_score = Q(score__isnull=False)
    stale = has_score & ~Q(score__inputs_revision=F("inputs_revision"))
    rows = (
        SAR.objects.filter(round__fiscal_year=fiscal_year)
        .values("round__months")
        .annotate(
            sars=Count("pk"),
            missing=Count("pk", filter=Q(score__isnull=True)),
            stale=Count("pk", filter=stale),
            official=Count("pk", filter=Q(score__is_official=True)),
        )
        .order_by("round__months")
    )
    return [{**row, "current": row["sars"] - row["missing"] - row["stale"]} for row in rows]


class RecomputeYear(ScopedTemplateView):
    """GET: the year's score status and recent recomputes; POST: start a recompute."""

    template_name = "agreements/recompute_year.html"
    permission_required = PERMISSION

    def get_scoped_queryset(self):
        return fiscal_years_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        jobs = [
            with_duration(job)
            for job in self.object.recompute_jobs.select_related("started_by").order_by(
                "-created_at", "-pk"
            )[:RECENT_JOBS]
        ]
        rounds = year_status(self.object)
        totals = {
            key: sum(row[key] for row in rounds)
            for key in ("sars", "current", "stale", "missing", "official")
        }
        context.update(
            fiscal_year=self.object,
            rounds=rounds,
            totals=totals,
            jobs=jobs,
            # The newest recompute keeps its progress bar on the page (polling while it runs).
            job=jobs[0] if jobs else None,
            is_running=any(job.state in ACTIVE_STATES for job in jobs),
            poll_seconds=POLL_SECONDS,
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            recompute_job_start(actor=request.user, fiscal_year=self.object)
        except ActionForbidden as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The recompute of the fiscal year has started; its progress is shown below."),
            )
        return HttpResponseRedirect(reverse("agreements:recompute_year", args=[self.object.pk]))


class RecomputeProgress(ScopedTemplateView):
    """The progress bar of one recompute, polled by htmx; without its trigger once finished."""

    template_name = "agreements/recompute_progress.html"
    permission_required = PERMISSION

    def get_scoped_queryset(self):
        # Recomputes are of a whole (government-wide) fiscal year, as the years themselves are.
        return RecomputeJob.objects.select_related("fiscal_year", "started_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(job=with_duration(self.object), poll_seconds=POLL_SECONDS)
        return context
