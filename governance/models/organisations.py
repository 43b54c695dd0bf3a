"""The organisation tree (a materialised path) and each organisation's missions and core values."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.bilingual import BilingualNameMixin, pick
from governance.enums import OrganisationKind

# Each level of the materialised path is the row's id, zero-padded so that string order is tree
# order and "this node and everything below" is one indexed prefix query.
PATH_STEP = 10


def path_segment(pk: int) -> str:
    return f"{pk:0{PATH_STEP - 1}d}/"


class Organisation(BilingualNameMixin, models.Model):
    """A node of the government tree: OPDC, ministry, mission group, department or unit.

    We keep both a parent column and a materialised path: the parent lets the database enforce
    "codes are unique among siblings", the path answers subtree queries with one indexed LIKE.
    Services keep them consistent (organisation_create, organisation_move).
    """

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organisation"),
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    code = models.CharField(
        _("code"),
        max_length=20,
        help_text=_("Unique among the organisations under the same parent."),
    )
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    abbreviation_th = models.CharField(_("abbreviation (Thai)"), max_length=40, blank=True)
    abbreviation_en = models.CharField(_("abbreviation (English)"), max_length=40, blank=True)
    vision_th = models.TextField(_("vision (Thai)"), blank=True)
    vision_en = models.TextField(_("vision (English)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "code"], name="organisation_code_unique_per_parent"
            ),
            # NULL parents are distinct in a unique index, so roots need their own rule.
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(parent__isnull=True),
                name="organisation_root_code_unique",
            ),
        ]

    def __str__(self) -> str:
        abbreviation = self.abbreviation
        return f"{self.name} ({abbreviation})" if abbreviation else self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:organisation_detail", args=[self.pk])

    @property
    def abbreviation(self) -> str:
        return pick(self.abbreviation_th, self.abbreviation_en)

    @property
    def vision(self) -> str:
        return pick(self.vision_th, self.vision_en)

    @property
    def depth(self) -> int:
        return len(self.path) // PATH_STEP

    @property
    def ancestor_paths(self) -> list[str]:
        """Paths of every ancestor, root first (without this node)."""
        return [self.path[: i * PATH_STEP] for i in range(1, self.depth)]

    def is_within(self, other: "Organisation") -> bool:
        """True when this node is `other` or lies below it."""
        return self.path.startswith(other.path)


class Mission(models.Model):
    """One of an organisation's missions (พันธกิจ), as published with its vision."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="missions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text_th = models.TextField(_("mission (Thai)"))
    text_en = models.TextField(_("mission (English)"), blank=True)

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["organisation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="mission_number_unique")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return pick(self.text_th, self.text_en)


class CoreValue(BilingualNameMixin, models.Model):
    """A core value (ค่านิยม); the Department of Health spells "HEALTH" with its six letters."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="core_values"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    letter = models.CharField(_("letter"), max_length=4, blank=True)
    name_th = models.CharField(_("value (Thai)"), max_length=255)
    name_en = models.CharField(_("value (English)"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("core value")
        verbose_name_plural = _("core values")
        ordering = ["organisation", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "order"], name="core_value_order_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name
