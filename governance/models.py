"""Organisations, people and their roles, committees, fiscal years and the calendar."""

from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance import fiscal
from governance.bilingual import BilingualNameMixin, in_english, pick
from governance.enums import (
    MILESTONE_OPEN_STATES,
    CommitteeKind,
    CommitteePosition,
    MilestoneState,
    OrganisationKind,
    Role,
)

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


class TransitionRecord(models.Model):
    """A history row of a workflow: who moved the subject, from what, to what, why and when.

    Each workflow has its own table (a subclass naming its subject), written only by
    `governance.workflows.transition` through `record`.
    """

    subject_field: str = ""

    action = models.CharField(max_length=30)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        subject_id = getattr(self, f"{self.subject_field}_id")
        return f"{subject_id}: {self.from_state} → {self.to_state}"

    @classmethod
    def record(cls, *, instance, action, from_state, to_state, actor, comment, at) -> None:
        cls.objects.create(
            **{cls.subject_field: instance},
            action=action,
            from_state=from_state,
            to_state=to_state,
            actor=actor,
            comment=comment,
            created_at=at,
        )


class MilestoneTransition(TransitionRecord):
    subject_field = "milestone"

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=MilestoneState.choices)
    to_state = models.CharField(max_length=20, choices=MilestoneState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("milestone state change")
        verbose_name_plural = _("milestone state changes")


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
