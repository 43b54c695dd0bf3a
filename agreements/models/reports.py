"""Self-assessment reports (SAR): one per signed agreement and reporting round (6, 9, 12 months).

A SAR holds one result row per annex KPI of the signed version: what the data collectors entered
(a number and/or the steps done, the narrative, evidence files), and what the KPI owner unit made
of it in verification. The submitted value is never overwritten: an adjustment is kept beside it.
"""

import uuid
from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.enums import (
    SAR_EDITABLE_STATES,
    Participation,
    ResultStatus,
    SARState,
)
from agreements.models.agreements import Agreement, AgreementKPI, AgreementVersion
from governance.models import ReportingRound, TransitionRecord, User

FIGURE = {"max_digits": 18, "decimal_places": 4, "null": True, "blank": True}


class SAR(models.Model):
    """The self-assessment report of one agreement for one reporting round."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="sars", verbose_name=_("agreement")
    )
    # The signed version whose annex is reported on (an amendment signs a later version).
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="sars", verbose_name=_("version")
    )
    round = models.ForeignKey(
        ReportingRound,
        on_delete=models.PROTECT,
        related_name="sars",
        verbose_name=_("reporting round"),
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=SARState.choices,
        default=SARState.OPEN,
        editable=False,
    )
    # An administrator's reopening after the deadline gives this SAR a window of its own.
    reopened_until = models.DateField(_("reopened until"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    # Bumped (with an F() expression) by every write that changes an input of the scores, so a
    # stored score computed from an older revision is known to be stale.
    inputs_revision = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("self-assessment report")
        verbose_name_plural = _("self-assessment reports")
        ordering = ["agreement", "round__months"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "round"], name="sar_one_per_round")
        ]

    def __str__(self) -> str:
        return _("SAR %(months)s months · %(organisation)s") % {
            "months": self.round.months,
            "organisation": self.agreement.organisation,
        }

    def get_absolute_url(self) -> str:
        return reverse("agreements:sar_detail", args=[self.pk])

    @property
    def deadline(self) -> date:
        """The last day results may be entered and submitted: the round's, or the reopening's."""
        if self.reopened_until and self.reopened_until > self.round.sar_deadline:
            return self.reopened_until
        return self.round.sar_deadline

    def window_open(self, today: date | None = None) -> bool:
        return (today or timezone.localdate()) <= self.deadline

    @property
    def is_editable(self) -> bool:
        return self.state in SAR_EDITABLE_STATES and self.window_open()


class KPIResult(models.Model):
    """One annex KPI's result in a SAR: as entered, and as verified by the KPI owner unit."""

    sar = models.ForeignKey(SAR, on_delete=models.CASCADE, related_name="results")
    annex_kpi = models.ForeignKey(
        AgreementKPI, on_delete=models.PROTECT, related_name="results", verbose_name=_("KPI")
    )
    participation = models.CharField(
        _("in this round"),
        max_length=20,
        choices=Participation.choices,
        default=Participation.REPORTED,
    )
    participation_note = models.TextField(_("why not reported"), blank=True)
    # What the data collectors entered: a number (outcome levels) and/or the steps done.
    result = models.DecimalField(_("result"), **FIGURE)
    steps_done = models.JSONField(_("steps done"), default=list, blank=True)
    narrative_results = models.TextField(_("results"), blank=True)
    narrative_factors = models.TextField(_("supporting factors"), blank=True)
    narrative_obstacles = models.TextField(_("obstacles"), blank=True)
    narrative_suggestions = models.TextField(_("suggestions"), blank=True)
    entered_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    entered_at = models.DateTimeField(_("entered"), null=True, blank=True, editable=False)
    # The owner unit's verification; the entered values above stay as they were submitted.
    status = models.CharField(
        _("verification"),
        max_length=20,
        choices=ResultStatus.choices,
        default=ResultStatus.PENDING,
        editable=False,
    )
    verified_result = models.DecimalField(_("verified result"), **FIGURE)
    verified_steps = models.JSONField(_("verified steps"), null=True, blank=True)
    verification_comment = models.TextField(_("comment or justification"), blank=True)
    verified_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KPI result")
        verbose_name_plural = _("KPI results")
        ordering = ["sar", "annex_kpi__dimension_number", "annex_kpi__order", "annex_kpi__code"]
        constraints = [
            models.UniqueConstraint(fields=["sar", "annex_kpi"], name="result_one_per_kpi"),
            # An adjustment needs its written justification, and so does a return.
            models.CheckConstraint(
                condition=~Q(status__in=[ResultStatus.ADJUSTED, ResultStatus.RETURNED])
                | ~Q(verification_comment=""),
                name="result_adjust_or_return_has_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sar} · {self.annex_kpi.code}"

    def get_absolute_url(self) -> str:
        return reverse("agreements:result_edit", args=[self.pk])

    @property
    def is_reported(self) -> bool:
        return self.participation == Participation.REPORTED


def evidence_path(instance: "Evidence", filename: str) -> str:
    """A stored name that never comes from the user's file name (only its checked extension)."""
    extension = instance.extension or "bin"
    return f"evidence/{instance.result.sar.agreement_id}/{uuid.uuid4().hex}.{extension}"


class Evidence(models.Model):
    """An evidence file of a KPI result (for the result as a whole or one step)."""

    result = models.ForeignKey(KPIResult, on_delete=models.CASCADE, related_name="evidence")
    step = models.PositiveSmallIntegerField(
        _("step"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    # Shown to people and offered as the download name; never used to store the file.
    original_name = models.CharField(_("file name"), max_length=255)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["result", "step", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("agreements:evidence_download", args=[self.pk])


class SARTransition(TransitionRecord):
    subject_field = "sar"

    sar = models.ForeignKey(SAR, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=SARState.choices)
    to_state = models.CharField(max_length=20, choices=SARState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("SAR state change")
        verbose_name_plural = _("SAR state changes")


class SiteVisit(models.Model):
    """The working group's visit to the organisation in a round with site visits (6 and 12)."""

    sar = models.ForeignKey(SAR, on_delete=models.CASCADE, related_name="site_visits")
    visited_on = models.DateField(_("date of the visit"))
    members = models.ManyToManyField(
        User, blank=True, related_name="site_visits", verbose_name=_("working-group members")
    )
    other_members = models.TextField(
        _("other participants"), blank=True, help_text=_("One per line, with their positions.")
    )
    summary = models.TextField(_("summary of findings"), blank=True)
    follow_ups = models.TextField(_("follow-ups"), blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")
        ordering = ["sar", "visited_on", "id"]

    def __str__(self) -> str:
        return f"{self.sar} · {self.visited_on}"

    def get_absolute_url(self) -> str:
        return reverse("agreements:site_visit_detail", args=[self.pk])


class SiteVisitFinding(models.Model):
    """What the working group found about one KPI during a visit, and what should follow."""

    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="findings")
    result = models.ForeignKey(KPIResult, on_delete=models.CASCADE, related_name="findings")
    finding = models.TextField(_("finding"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)

    class Meta:
        verbose_name = _("site-visit finding")
        verbose_name_plural = _("site-visit findings")
        ordering = ["visit", "result"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "result"], name="finding_one_per_kpi")
        ]

    def __str__(self) -> str:
        return f"{self.visit} · {self.result.annex_kpi.code}"


class SARReminder(models.Model):
    """A reminder sent for one SAR N days before its deadline: claimed once, so sent once."""

    sar = models.ForeignKey(SAR, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.SmallIntegerField()
    deadline = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("SAR reminder")
        verbose_name_plural = _("SAR reminders")
        constraints = [
            # The deadline is part of the key: a reopened SAR gets its reminders again.
            models.UniqueConstraint(
                fields=["sar", "days_before", "deadline"], name="sar_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sar} · {self.days_before}"
