"""Stored scores: what the recompute task wrote for each SAR, and the roll-ups up the tree.

Scores are derived data, always rewritten whole by agreements.services.scoring in one
transaction. Each SAR's score records the inputs revision and a fingerprint of the inputs it was
computed from, so a page can tell a stale score from a current one.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.enums import JobState
from agreements.models.agreements import AgreementKPI
from agreements.models.reports import SAR
from governance.models import FiscalYear, Organisation, ReportingRound, User

SCORE = {"max_digits": 9, "decimal_places": 4, "null": True, "blank": True}
WEIGHT = {"max_digits": 9, "decimal_places": 4}


class SARScore(models.Model):
    """A SAR's totals: self-assessed (as submitted) and verified (as the KPI owners left them).

    The verified total is official only once the planning unit has approved the SAR.
    """

    sar = models.OneToOneField(SAR, on_delete=models.CASCADE, related_name="score")
    self_total = models.DecimalField(_("self-assessed total"), **SCORE)
    verified_total = models.DecimalField(_("verified total"), **SCORE)
    is_official = models.BooleanField(_("official"), default=False)
    inputs_revision = models.PositiveIntegerField()
    inputs_sha256 = models.CharField(max_length=64)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("SAR score")
        verbose_name_plural = _("SAR scores")

    def __str__(self) -> str:
        return f"{self.sar}: {self.verified_total or self.self_total}"

    @property
    def official_total(self):
        return self.verified_total if self.is_official else None

    @property
    def is_stale(self) -> bool:
        return self.inputs_revision != self.sar.inputs_revision


class KPIScore(models.Model):
    """One annex KPI's line on the e-SAR card: its weight this round and its scores."""

    sar = models.ForeignKey(SAR, on_delete=models.CASCADE, related_name="kpi_scores")
    annex_kpi = models.ForeignKey(AgreementKPI, on_delete=models.CASCADE, related_name="+")
    # The weight after renormalisation (KPIs not reported this round give theirs to the rest);
    # for a sub-KPI, its weight within the composite KPI. Zero when not reported.
    weight = models.DecimalField(_("weight this round"), **WEIGHT)
    self_score = models.DecimalField(_("self-assessed score"), **SCORE)
    verified_score = models.DecimalField(_("verified score"), **SCORE)
    self_weighted = models.DecimalField(_("self-assessed weighted score"), **SCORE)
    verified_weighted = models.DecimalField(_("verified weighted score"), **SCORE)
    level = models.PositiveSmallIntegerField(_("level reached"), null=True, blank=True)

    class Meta:
        verbose_name = _("KPI score")
        verbose_name_plural = _("KPI scores")
        constraints = [
            models.UniqueConstraint(fields=["sar", "annex_kpi"], name="kpi_score_one_per_sar")
        ]

    def __str__(self) -> str:
        return f"{self.sar_id} · {self.annex_kpi_id}: {self.verified_score or self.self_score}"


class DimensionScore(models.Model):
    sar = models.ForeignKey(SAR, on_delete=models.CASCADE, related_name="dimension_scores")
    number = models.PositiveSmallIntegerField(_("dimension"))
    weight = models.DecimalField(_("weight this round"), **WEIGHT)
    self_subtotal = models.DecimalField(_("self-assessed subtotal"), **SCORE)
    verified_subtotal = models.DecimalField(_("verified subtotal"), **SCORE)

    class Meta:
        verbose_name = _("dimension score")
        verbose_name_plural = _("dimension scores")
        ordering = ["sar", "number"]
        constraints = [
            models.UniqueConstraint(fields=["sar", "number"], name="dimension_score_one_per_sar")
        ]

    def __str__(self) -> str:
        return f"{self.sar_id} · {self.number}"


class RollupScore(models.Model):
    """An organisation's score for a round, rolled up from its own agreement and those below.

    score = (own share × own total + rest × mean of the children's roll-ups) / 100, where the
    own share is the organisation's framework's `rollup_own_weight`; with only one side present,
    that side is the score. Only official (approved) totals take part.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="rollup_scores"
    )
    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="rollups")
    own_total = models.DecimalField(_("own agreement"), **SCORE)
    children_mean = models.DecimalField(_("organisations below"), **SCORE)
    children_count = models.PositiveIntegerField(_("organisations below with a score"), default=0)
    own_weight = models.DecimalField(_("own agreement's share"), **WEIGHT)
    score = models.DecimalField(_("roll-up score"), **SCORE)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("roll-up score")
        verbose_name_plural = _("roll-up scores")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "round"], name="rollup_one_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} · {self.round_id}: {self.score}"


class RecomputeJob(models.Model):
    """An administrator's recompute of a whole fiscal year, with the progress a page polls."""

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="recompute_jobs"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    total = models.PositiveIntegerField(_("agreements"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recompute")
        verbose_name_plural = _("recomputes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.fiscal_year} · {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)
