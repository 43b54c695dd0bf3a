"""Agreements, their versions (negotiation rounds and amendments), annex rows, signatures, PDFs."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.enums import AgreementState, Party, VersionKind
from governance.bilingual import pick
from governance.models import Committee, FiscalYear, Organisation, TransitionRecord, User
from kpis.models import KPI, CriteriaFields, Framework


class Agreement(models.Model):
    """The performance agreement of one organisation for one fiscal year (คำรับรองการปฏิบัติราชการ).

    Its content lives in versions: the latest is the one being worked on; a signed version is
    frozen forever, and an amendment starts a new version that is approved and signed again.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("organisation"),
    )
    fiscal_year = models.ForeignKey(
        FiscalYear,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("fiscal year"),
    )
    framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("KPI framework"),
    )
    negotiation_committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("negotiation committee"),
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        default=AgreementState.DRAFT,
        editable=False,
        choices=AgreementState.choices,
    )
    maker = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements_made",
        verbose_name=_("maker (person who signs)"),
    )
    maker_name_th = models.CharField(_("maker's name (Thai)"), max_length=200)
    maker_name_en = models.CharField(_("maker's name (English)"), max_length=200, blank=True)
    maker_position_th = models.CharField(_("maker's position (Thai)"), max_length=300)
    maker_position_en = models.CharField(
        _("maker's position (English)"), max_length=300, blank=True
    )
    receiver = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements_received",
        verbose_name=_("receiver (person who signs)"),
    )
    receiver_name_th = models.CharField(_("receiver's name (Thai)"), max_length=200)
    receiver_name_en = models.CharField(_("receiver's name (English)"), max_length=200, blank=True)
    receiver_position_th = models.CharField(_("receiver's position (Thai)"), max_length=300)
    receiver_position_en = models.CharField(
        _("receiver's position (English)"), max_length=300, blank=True
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("performance agreement")
        verbose_name_plural = _("performance agreements")
        ordering = ["-fiscal_year__year", "organisation__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year"], name="agreement_one_per_organisation_year"
            )
        ]

    def __str__(self) -> str:
        return _("Agreement of %(organisation)s, %(year)s") % {
            "organisation": self.organisation,
            "year": self.fiscal_year,
        }

    def get_absolute_url(self) -> str:
        return reverse("agreements:agreement_detail", args=[self.pk])

    @property
    def maker_name(self) -> str:
        return pick(self.maker_name_th, self.maker_name_en)

    @property
    def maker_position(self) -> str:
        return pick(self.maker_position_th, self.maker_position_en)

    @property
    def receiver_name(self) -> str:
        return pick(self.receiver_name_th, self.receiver_name_en)

    @property
    def receiver_position(self) -> str:
        return pick(self.receiver_position_th, self.receiver_position_en)


class AgreementVersion(models.Model):
    """One version of an agreement's content: the original, a negotiation round or an amendment.

    Approval freezes it: `content` holds the canonical snapshot (parties, clauses, KPIs, weights,
    targets, criteria) and `content_sha256` its hash, which every signature records. The signed
    PDF is rendered once from the snapshot and stored with its own hash.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    kind = models.CharField(
        _("kind"),
        max_length=20,
        default=VersionKind.ORIGINAL,
        choices=VersionKind.choices,
    )
    note = models.TextField(_("note"), blank=True)
    clauses_th = models.TextField(_("clauses (Thai)"))
    clauses_en = models.TextField(_("clauses (English)"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # The committee's approval (มติ) of this version.
    resolution = models.TextField(_("committee resolution"), blank=True)
    resolution_date = models.DateField(_("resolution date"), null=True, blank=True)
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Frozen at approval; never changed afterwards.
    content = models.JSONField(_("frozen content"), null=True, blank=True, editable=False)
    content_sha256 = models.CharField(
        _("content SHA-256"), max_length=64, blank=True, editable=False
    )
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True, editable=False)
    # The signed PDF: rendered once after both signatures, never re-rendered.
    pdf = models.FileField(
        _("signed PDF"), upload_to="agreements/signed/", blank=True, editable=False
    )
    pdf_sha256 = models.CharField(
        _("PDF SHA-256"), max_length=64, blank=True, db_index=True, editable=False
    )
    pdf_rendered_at = models.DateTimeField(_("PDF rendered"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="agreement_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(content_sha256="") | Q(content__isnull=False),
                name="agreement_version_hash_needs_content",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} · v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def clauses(self) -> str:
        return pick(self.clauses_th, self.clauses_en)


class AgreementKPI(CriteriaFields):
    """A KPI row of a version's annex: what was agreed for this KPI in this version.

    Copied from the framework's KPI and its approved template when the agreement is drafted, then
    changed by negotiation; the KPI link survives for reporting, the copy is what was agreed.
    """

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="kpis")
    kpi = models.ForeignKey(
        KPI, on_delete=models.SET_NULL, null=True, blank=True, related_name="agreement_rows"
    )
    code = models.CharField(_("code"), max_length=20)
    name_th = models.CharField(_("name (Thai)"), max_length=500)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)
    unit_th = models.CharField(_("unit of measure (Thai)"), max_length=100, blank=True)
    unit_en = models.CharField(_("unit of measure (English)"), max_length=100, blank=True)
    dimension_number = models.PositiveSmallIntegerField(_("dimension"))
    dimension_name_th = models.CharField(_("dimension (Thai)"), max_length=200)
    dimension_name_en = models.CharField(_("dimension (English)"), max_length=200, blank=True)
    dimension_weight = models.DecimalField(_("dimension weight"), max_digits=7, decimal_places=4)
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=4)
    composite_code = models.CharField(_("part of composite KPI"), max_length=20, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("annex KPI")
        verbose_name_plural = _("annex KPIs")
        ordering = ["version", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="agreement_kpi_code_unique"),
            models.CheckConstraint(
                condition=Q(weight__gte=0), name="agreement_kpi_weight_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return pick(self.name_th, self.name_en)

    @property
    def unit(self) -> str:
        return pick(self.unit_th, self.unit_en)

    @property
    def dimension_name(self) -> str:
        return pick(self.dimension_name_th, self.dimension_name_en)


class KPIComment(models.Model):
    """A comment in the negotiation thread of one KPI (by code, across versions)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="comments")
    kpi_code = models.CharField(_("KPI code"), max_length=20)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("KPI comment")
        verbose_name_plural = _("KPI comments")
        ordering = ["agreement", "kpi_code", "created_at", "id"]
        indexes = [models.Index(fields=["agreement", "kpi_code"], name="comment_thread_idx")]

    def __str__(self) -> str:
        return f"{self.kpi_code}: {self.text[:40]}"


class Signature(models.Model):
    """One party's signature on a frozen version, with where and how it was given."""

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    party = models.CharField(
        _("party"),
        max_length=10,
        choices=Party.choices,
    )
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="signatures")
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=300)
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=500, blank=True)
    content_sha256 = models.CharField(_("content SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["version", "signed_at"]
        constraints = [
            # One signature per party per version: a double click cannot sign twice.
            models.UniqueConstraint(fields=["version", "party"], name="signature_once_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.get_party_display()} · {self.name}"


class AgreementTransition(TransitionRecord):
    subject_field = "agreement"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="transitions")
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_state = models.CharField(max_length=20, choices=AgreementState.choices)
    to_state = models.CharField(max_length=20, choices=AgreementState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("agreement state change")
        verbose_name_plural = _("agreement state changes")

    @classmethod
    def record(cls, *, instance, action, from_state, to_state, actor, comment, at) -> None:
        """Write the history row, naming the version the agreement stands on after the change.

        Called inside the transition, after `apply`: an amendment or a revision has already
        created its new version, and an approval has frozen the version it names.
        """
        cls.objects.create(
            agreement=instance,
            version=instance.versions.order_by("-number").first(),
            action=action,
            from_state=from_state,
            to_state=to_state,
            actor=actor,
            comment=comment,
            created_at=at,
        )


class Ceremony(models.Model):
    """A signing ceremony: several approved agreements signed on the same day (DOMAIN.md §3)."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="ceremonies")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="ceremonies",
        verbose_name=_("host organisation"),
    )
    name_th = models.CharField(_("name (Thai)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    held_on = models.DateField(_("date"))
    agreements = models.ManyToManyField(
        Agreement, related_name="ceremonies", verbose_name=_("agreements")
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("signing ceremony")
        verbose_name_plural = _("signing ceremonies")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return pick(self.name_th, self.name_en)

    def get_absolute_url(self) -> str:
        return reverse("agreements:ceremony_detail", args=[self.pk])
