"""An organisation's strategic issues for a fiscal year."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.bilingual import BilingualNameMixin
from governance.models.calendar import FiscalYear
from governance.models.organisations import Organisation


class StrategicIssue(BilingualNameMixin, models.Model):
    """A strategic issue (ประเด็นยุทธศาสตร์) of an organisation's year, with its owner unit."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="strategic_issues"
    )
    fiscal_year = models.ForeignKey(
        FiscalYear,
        on_delete=models.CASCADE,
        related_name="strategic_issues",
        verbose_name=_("fiscal year"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name_th = models.CharField(_("strategic issue (Thai)"), max_length=500)
    name_en = models.CharField(_("strategic issue (English)"), max_length=500, blank=True)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="owned_strategic_issues",
        verbose_name=_("owner unit"),
        null=True,
        blank=True,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("strategic issue")
        verbose_name_plural = _("strategic issues")
        ordering = ["organisation", "fiscal_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year", "number"],
                name="strategic_issue_number_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"
