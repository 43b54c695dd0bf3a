"""Frameworks, dimensions, KPIs and their templates (รายละเอียดตัวชี้วัด / KPI Template)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.bilingual import BilingualNameMixin, pick
from governance.models import FiscalYear, Organisation, StrategicIssue, TransitionRecord, User
from kpis.enums import CriteriaType, FloorRule, FrameworkState, TemplateState

KPI_CODE = RegexValidator(
    r"^\d{1,3}(\.\d{1,3}){0,4}$",
    _("Use a hierarchical code of numbers and dots, e.g. 1.1.3 or 14.1."),
)
WEIGHT = {"max_digits": 7, "decimal_places": 4, "validators": [MinValueValidator(Decimal("0"))]}
FIGURE = {"max_digits": 18, "decimal_places": 4, "null": True, "blank": True}


class Framework(BilingualNameMixin, models.Model):
    """The KPI framework of one organisation for one fiscal year: dimensions, weights and KPIs."""

    fiscal_year = models.ForeignKey(
        FiscalYear,
        on_delete=models.PROTECT,
        related_name="frameworks",
        verbose_name=_("fiscal year"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="frameworks",
        verbose_name=_("organisation"),
    )
    name_th = models.CharField(_("name (Thai)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=FrameworkState.choices,
        default=FrameworkState.DRAFT,
        editable=False,
    )
    floor_rule = models.CharField(
        _("score below level 1"), max_length=10, choices=FloorRule.choices, default=FloorRule.ONE
    )
    target_level = models.PositiveSmallIntegerField(
        _("target level"),
        default=3,
        help_text=_("The level the “target ± step” shorthand puts the target on (usually 3)."),
    )
    rollup_own_weight = models.DecimalField(
        _("own agreement's share of the roll-up (%)"),
        max_digits=7,
        decimal_places=4,
        default=Decimal(50),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_(
            "How much the organisation's own agreement counts in its roll-up score; the "
            "organisations below share the rest equally."
        ),
    )
    cloned_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clones",
        verbose_name=_("cloned from"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KPI framework")
        verbose_name_plural = _("KPI frameworks")
        ordering = ["-fiscal_year__year", "organisation__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "organisation"], name="framework_one_per_organisation_year"
            ),
            models.CheckConstraint(
                condition=Q(target_level__gte=1) & Q(target_level__lte=5),
                name="framework_target_level_1_5",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("kpis:framework_detail", args=[self.pk])


class Dimension(BilingualNameMixin, models.Model):
    """A dimension (มิติ) of a framework with its weight; a framework's weights total 100."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="dimensions")
    number = models.PositiveSmallIntegerField(_("number"))
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    weight = models.DecimalField(_("weight"), **WEIGHT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="dimension_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class KPI(BilingualNameMixin, models.Model):
    """A weighted KPI of a framework; a sub-KPI belongs to a composite KPI and weighs within it."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="kpis")
    code = models.CharField(_("code"), max_length=20, validators=[KPI_CODE])
    name_th = models.CharField(_("name (Thai)"), max_length=500)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)
    unit_th = models.CharField(_("unit of measure (Thai)"), max_length=100, blank=True)
    unit_en = models.CharField(_("unit of measure (English)"), max_length=100, blank=True)
    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, related_name="kpis", verbose_name=_("dimension")
    )
    weight = models.DecimalField(
        _("weight"),
        **WEIGHT,
        help_text=_("For a sub-KPI, its weight within the composite KPI."),
    )
    composite_parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sub_kpis",
        verbose_name=_("part of composite KPI"),
    )
    parent_kpi = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cascaded_kpis",
        verbose_name=_("cascaded from KPI"),
        help_text=_("The KPI of the level above (same fiscal year) that this KPI serves."),
    )
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="owned_kpis",
        verbose_name=_("owner unit"),
    )
    supporting_units = models.ManyToManyField(
        Organisation, blank=True, related_name="supported_kpis", verbose_name=_("supporting units")
    )
    strategic_issue = models.ForeignKey(
        StrategicIssue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kpis",
        verbose_name=_("strategic issue"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords(m2m_fields=[supporting_units])

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="kpi_code_unique_per_framework"
            ),
            models.CheckConstraint(condition=Q(weight__gte=0), name="kpi_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("kpis:kpi_detail", args=[self.pk])

    @property
    def unit(self) -> str:
        return pick(self.unit_th, self.unit_en)

    @property
    def is_sub_kpi(self) -> bool:
        return self.composite_parent_id is not None


class CriteriaFields(models.Model):
    """The five-level criteria of a KPI, shared by template revisions and agreement annex rows.

    The scoring engine (kpis/scoring.py) reads them through kpis/criteria.py.
    """

    criteria_type = models.CharField(
        _("criteria type"),
        max_length=20,
        choices=CriteriaType.choices,
        default=CriteriaType.OUTCOME,
    )
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    step_count = models.PositiveSmallIntegerField(
        _("number of steps"),
        default=0,
        help_text=_("For steps-then-outcome criteria: how many of the five levels are steps."),
    )
    target = models.DecimalField(_("target"), **FIGURE)
    threshold_1 = models.DecimalField(_("level 1"), **FIGURE)
    threshold_2 = models.DecimalField(_("level 2"), **FIGURE)
    threshold_3 = models.DecimalField(_("level 3"), **FIGURE)
    threshold_4 = models.DecimalField(_("level 4"), **FIGURE)
    threshold_5 = models.DecimalField(_("level 5"), **FIGURE)
    step_1 = models.TextField(_("step of level 1"), blank=True)
    step_2 = models.TextField(_("step of level 2"), blank=True)
    step_3 = models.TextField(_("step of level 3"), blank=True)
    step_4 = models.TextField(_("step of level 4"), blank=True)
    step_5 = models.TextField(_("step of level 5"), blank=True)

    class Meta:
        abstract = True

    @property
    def thresholds(self) -> tuple:
        return (
            self.threshold_1,
            self.threshold_2,
            self.threshold_3,
            self.threshold_4,
            self.threshold_5,
        )

    @property
    def steps(self) -> tuple[str, ...]:
        return (self.step_1, self.step_2, self.step_3, self.step_4, self.step_5)


class KPITemplate(CriteriaFields):
    """One revision of a KPI's template. Approved revisions are locked; a change starts a new one."""

    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="templates")
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=TemplateState.choices,
        default=TemplateState.DRAFT,
        editable=False,
    )
    definition = models.TextField(_("definition"), blank=True)
    formula = models.TextField(_("formula"), blank=True)
    numerator = models.TextField(_("numerator"), blank=True)
    denominator = models.TextField(_("denominator"), blank=True)
    # Criteria fields come from CriteriaFields; the shorthand's step is the template's own.
    target_step = models.DecimalField(_("step between levels"), **FIGURE)
    conditions = models.TextField(_("conditions and notes"), blank=True)
    baseline_1 = models.DecimalField(_("baseline, three years before"), **FIGURE)
    baseline_2 = models.DecimalField(_("baseline, two years before"), **FIGURE)
    baseline_3 = models.DecimalField(_("baseline, the year before"), **FIGURE)
    data_source = models.TextField(_("data source"), blank=True)
    collection_method = models.TextField(_("collection method"), blank=True)
    reports_at_6 = models.BooleanField(_("reported at 6 months"), default=True)
    reports_at_9 = models.BooleanField(_("reported at 9 months"), default=True)
    reports_at_12 = models.BooleanField(_("reported at 12 months"), default=True)
    target_6 = models.CharField(_("target at 6 months"), max_length=200, blank=True)
    target_9 = models.CharField(_("target at 9 months"), max_length=200, blank=True)
    target_12 = models.CharField(_("target at 12 months"), max_length=200, blank=True)
    supervisor_name = models.CharField(_("KPI supervisor"), max_length=200, blank=True)
    supervisor_position = models.CharField(_("supervisor's position"), max_length=200, blank=True)
    supervisor_phone = models.CharField(_("supervisor's phone"), max_length=40, blank=True)
    collector_name = models.CharField(_("data collector"), max_length=200, blank=True)
    collector_position = models.CharField(_("collector's position"), max_length=200, blank=True)
    collector_phone = models.CharField(_("collector's phone"), max_length=40, blank=True)
    expected_evidence = models.TextField(_("expected evidence"), blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last saved"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KPI template")
        verbose_name_plural = _("KPI templates")
        ordering = ["kpi", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "revision"], name="template_revision_unique"),
            models.CheckConstraint(
                condition=Q(step_count__lte=5), name="template_step_count_at_most_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi.code} r{self.revision}"

    def get_absolute_url(self) -> str:
        return reverse("kpis:template_detail", args=[self.pk])

    @property
    def baseline_average(self) -> Decimal | None:
        values = [v for v in (self.baseline_1, self.baseline_2, self.baseline_3) if v is not None]
        if not values:
            return None
        return (sum(values) / len(values)).quantize(Decimal("0.01"))


class TemplateTransition(TransitionRecord):
    """The history of a template revision's state, with the reviewer's comments."""

    subject_field = "template"

    template = models.ForeignKey(KPITemplate, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=TemplateState.choices)
    to_state = models.CharField(max_length=20, choices=TemplateState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("template state change")
        verbose_name_plural = _("template state changes")


class FrameworkTransition(TransitionRecord):
    subject_field = "framework"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=FrameworkState.choices)
    to_state = models.CharField(max_length=20, choices=FrameworkState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("framework state change")
        verbose_name_plural = _("framework state changes")
