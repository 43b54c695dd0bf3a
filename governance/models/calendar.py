"""Fiscal years, their reporting rounds and the calendar of milestones."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance import fiscal
from governance.bilingual import BilingualNameMixin, in_english
from governance.enums import MILESTONE_OPEN_STATES, MilestoneState
from governance.models.committees import Committee
from governance.models.organisations import Organisation
from governance.models.transitions import TransitionRecord


class FiscalYear(models.Model):
    """A Thai fiscal year, 1 October - 30 September, named by its Buddhist-era year (FY 2552)."""

    year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"), unique=True)
    is_closed = models.BooleanField(_("closed"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2400) & Q(year__lte=2700), name="fiscal_year_be_range"
            )
        ]

    def __str__(self) -> str:
        return fiscal.fiscal_year_label(self.year, "en" if in_english() else "th")

    def get_absolute_url(self) -> str:
        return reverse("governance:fiscal_year_detail", args=[self.pk])

    @property
    def starts_on(self) -> date:
        return fiscal.fiscal_year_bounds(self.year)[0]

    @property
    def ends_on(self) -> date:
        return fiscal.fiscal_year_bounds(self.year)[1]


class ReportingRound(models.Model):
    """One of the three SAR rounds of a fiscal year (6, 9 and 12 months)."""

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("fiscal year")
    )
    months = models.PositiveSmallIntegerField(
        _("months"), choices=[(6, _("6 months")), (9, _("9 months")), (12, _("12 months"))]
    )
    period_end = models.DateField(_("period ends"))
    sar_deadline = models.DateField(_("SAR deadline"))
    has_site_visit = models.BooleanField(_("site visit"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["fiscal_year", "months"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "months"], name="round_unique_per_year"),
            models.CheckConstraint(
                condition=Q(sar_deadline__gte=models.F("period_end")),
                name="round_deadline_after_period_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} · {self.get_months_display()}"

    def clean(self) -> None:
        if self.period_end and self.sar_deadline and self.sar_deadline < self.period_end:
            raise ValidationError(
                {"sar_deadline": _("The SAR deadline cannot come before the end of the period.")}
            )


class Milestone(BilingualNameMixin, models.Model):
    """A dated step of the year's calendar (slides 37-39), with the body responsible for it."""

    fiscal_year = models.ForeignKey(
        FiscalYear,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("fiscal year"),
    )
    name_th = models.CharField(_("milestone (Thai)"), max_length=300)
    name_en = models.CharField(_("milestone (English)"), max_length=300, blank=True)
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    responsible = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="milestones",
        verbose_name=_("responsible organisation"),
    )
    responsible_committee = models.ForeignKey(
        Committee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("responsible committee"),
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=MilestoneState.choices,
        default=MilestoneState.PLANNED,
        editable=False,
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind days before"),
        default=7,
        help_text=_("Days before the date when the responsible staff get an e-mail reminder."),
    )
    reminder_sent_at = models.DateTimeField(
        _("reminder sent"), null=True, blank=True, editable=False
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["fiscal_year", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="milestone_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return (
            reverse("governance:fiscal_year_detail", args=[self.fiscal_year_id])
            + f"#milestone-{self.pk}"
        )

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date cannot come before the start date.")})

    @property
    def due_on(self) -> date:
        return self.ends_on or self.starts_on

    def is_overdue(self, today: date) -> bool:
        return self.state in MILESTONE_OPEN_STATES and self.due_on < today


class MilestoneTransition(TransitionRecord):
    subject_field = "milestone"

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=MilestoneState.choices)
    to_state = models.CharField(max_length=20, choices=MilestoneState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("milestone state change")
        verbose_name_plural = _("milestone state changes")
