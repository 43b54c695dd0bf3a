"""People who log in and their roles in organisations."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.bilingual import pick
from governance.enums import Role
from governance.models.organisations import Organisation


class User(AbstractUser):
    """A person who logs in. Names are bilingual because documents are printed in both languages."""

    name_th = models.CharField(_("full name (Thai)"), max_length=200, blank=True)
    name_en = models.CharField(_("full name (English)"), max_length=200, blank=True)
    position_th = models.CharField(_("position (Thai)"), max_length=200, blank=True)
    position_en = models.CharField(_("position (English)"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("governance:person_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return pick(self.name_th, self.name_en) or self.get_full_name() or self.username

    @property
    def position(self) -> str:
        return pick(self.position_th, self.position_en)


class Membership(models.Model):
    """A person's role in an organisation, optionally covering every unit below it."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    includes_descendants = models.BooleanField(
        _("includes the units below"),
        default=False,
        help_text=_("The role then applies to this organisation and every organisation under it."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__path", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"

    def covers(self, organisation: Organisation) -> bool:
        if self.includes_descendants:
            return organisation.is_within(self.organisation)
        return organisation.pk == self.organisation_id
