"""Committees and their members."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.bilingual import BilingualNameMixin, pick
from governance.enums import CommitteeKind, CommitteePosition
from governance.models.organisations import Organisation
from governance.models.people import User


class Committee(BilingualNameMixin, models.Model):
    """One of the four bodies that negotiate, draft, evaluate and audit agreements (slide 6)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="committees",
        verbose_name=_("organisation served"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CommitteeKind.choices)
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    appointed_by_th = models.CharField(_("appointing authority (Thai)"), max_length=255)
    appointed_by_en = models.CharField(
        _("appointing authority (English)"), max_length=255, blank=True
    )
    appointing_committee = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointed_committees",
        verbose_name=_("appointed by committee"),
    )
    order_reference = models.CharField(_("order number"), max_length=100, blank=True)
    appointed_on = models.DateField(_("appointment date"))
    duties_th = models.TextField(_("duties (Thai)"), blank=True)
    duties_en = models.TextField(_("duties (English)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["organisation__path", "kind", "name_th"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:committee_detail", args=[self.pk])

    @property
    def appointed_by(self) -> str:
        return pick(self.appointed_by_th, self.appointed_by_en)

    @property
    def duties(self) -> str:
        return pick(self.duties_th, self.duties_en)


class CommitteeMember(models.Model):
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="members", verbose_name=_("committee")
    )
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="committee_seats", verbose_name=_("person")
    )
    position = models.CharField(_("position"), max_length=20, choices=CommitteePosition.choices)
    capacity_th = models.CharField(
        _("capacity (Thai)"),
        max_length=255,
        blank=True,
        help_text=_("Why the person sits on the committee, e.g. a qualified expert."),
    )
    capacity_en = models.CharField(_("capacity (English)"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], name="committee_member_once"),
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(position=CommitteePosition.CHAIR),
                name="committee_one_chair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_position_display()}"

    @property
    def capacity(self) -> str:
        return pick(self.capacity_th, self.capacity_en)
