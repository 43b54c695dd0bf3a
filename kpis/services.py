"""Every write of the KPI app: frameworks, dimensions, KPIs and template revisions."""

import itertools
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.errors import ActionForbidden, DomainError
from governance.models import FiscalYear, Organisation, User
from governance.workflows import transition
from kpis import scoring
from kpis.criteria import Criteria, engine_message, threshold_field
from kpis.enums import DEFAULT_DIMENSIONS, CriteriaType, FrameworkState, TemplateState
from kpis.models import (
    KPI,
    Dimension,
    Framework,
    FrameworkTransition,
    KPITemplate,
    TemplateTransition,
)
from kpis.reconciliation import DimensionRow, KPIRow, reconcile
from kpis.selectors import framework_kpis
from kpis.workflows import FRAMEWORK_WORKFLOW, TEMPLATE_WORKFLOW

MAX_WEIGHT = Decimal("100")


def _require(actor: User, permission: str, obj: Any = None) -> None:
    if not actor.has_perm(permission, obj):
        raise ActionForbidden(_("You do not have permission to do this."))


def _require_draft(framework: Framework) -> None:
    if framework.state != FrameworkState.DRAFT:
        raise DomainError(
            _("The framework is published: reopen it before changing its KPIs or weights.")
        )


# --- Frameworks and dimensions --------------------------------------------------------------------


@transaction.atomic
def framework_create(
    *,
    actor: User,
    fiscal_year: FiscalYear,
    organisation: Organisation,
    name_th: str,
    name_en: str = "",
    floor_rule: str = "one",
    target_level: int = 3,
) -> Framework:
    """A framework with the four OPDC dimensions at their default weights (45/15/20/20)."""
    _require(actor, "kpis.manage_framework", Framework(organisation=organisation))
    if Framework.objects.filter(fiscal_year=fiscal_year, organisation=organisation).exists():
        raise DomainError(
            _("%(organisation)s already has a framework for %(year)s.")
            % {"organisation": organisation, "year": fiscal_year},
            field="organisation",
        )
    framework = Framework.objects.create(
        fiscal_year=fiscal_year,
        organisation=organisation,
        name_th=name_th,
        name_en=name_en,
        floor_rule=floor_rule,
        target_level=target_level,
    )
    Dimension.objects.bulk_create(
        Dimension(framework=framework, number=n, name_th=th, name_en=en, weight=w)
        for n, th, en, w in DEFAULT_DIMENSIONS
    )
    return framework


def framework_update(*, actor: User, framework: Framework, **fields: Any) -> Framework:
    _require(actor, "kpis.manage_framework", framework)
    allowed = {"name_th", "name_en", "floor_rule", "target_level"}
    if set(fields) - allowed:
        raise TypeError(f"framework_update got unexpected fields {sorted(set(fields) - allowed)}")
    if {"floor_rule", "target_level"} & set(fields):
        _require_draft(framework)
    changed = [name for name, value in fields.items() if getattr(framework, name) != value]
    for name in changed:
        setattr(framework, name, fields[name])
    if changed:
        framework.save(update_fields=changed)
    return framework


@transaction.atomic
def dimensions_update(
    *, actor: User, framework: Framework, rows: dict[int, dict[str, Any]]
) -> list[Dimension]:
    """Rename and reweigh dimensions; `rows` maps a dimension number to name_th, name_en, weight.

    The total need not be 100 while drafting (the page shows what is missing); publishing checks.
    """
    _require(actor, "kpis.manage_framework", framework)
    _require_draft(framework)
    dimensions = {d.number: d for d in framework.dimensions.select_for_update()}
    for number, values in rows.items():
        dimension = dimensions.get(number)
        if dimension is None:
            raise DomainError(_("Unknown dimension %(number)s.") % {"number": number})
        weight = values.get("weight", dimension.weight)
        if weight < 0 or weight > MAX_WEIGHT:
            raise DomainError(
                _("A dimension weight must lie between 0 and 100 (dimension %(number)s).")
                % {"number": number},
                field=f"weight_{number}",
            )
        for name, value in values.items():
            setattr(dimension, name, value)
        dimension.save()
    return sorted(dimensions.values(), key=lambda d: d.number)


def framework_reconciliation(framework: Framework, kpis: list[KPI] | None = None, dimensions=None):
    """The weight balance of a framework; pass already-loaded rows to save queries."""
    dimensions = (
        dimensions if dimensions is not None else list(framework.dimensions.order_by("number"))
    )
    # framework_kpis attaches each KPI's current template, which tells a composite KPI apart.
    kpis = kpis if kpis is not None else framework_kpis(framework)
    composite_ids = {k.composite_parent_id for k in kpis if k.composite_parent_id}
    return reconcile(
        (DimensionRow(d.number, d.name, d.weight) for d in dimensions),
        (
            KPIRow(
                code=k.code,
                dimension_number=k.dimension.number,
                weight=k.weight,
                composite_code=k.composite_parent.code if k.composite_parent_id else None,
                is_composite=k.pk in composite_ids or _is_composite(k),
            )
            for k in kpis
        ),
    )


def _is_composite(kpi: KPI) -> bool:
    template = getattr(kpi, "current_template", None)
    return template is not None and template.criteria_type == CriteriaType.COMPOSITE


def framework_act(
    *, actor: User, framework: Framework, action: str, comment: str = ""
) -> Framework:
    """Publish (only when the weights reconcile) or reopen a framework."""

    def check_weights(locked: Framework) -> list[str]:
        if action == "publish":
            result = framework_reconciliation(locked)
            if not result.ok:
                raise DomainError(
                    _("The framework cannot be published yet: %(problems)s")
                    % {"problems": " ".join(result.problems)}
                )
        return []

    return transition(
        FRAMEWORK_WORKFLOW,
        instance=framework,
        action_name=action,
        actor=actor,
        comment=comment,
        apply=check_weights,
        record=FrameworkTransition.record,
    )


# --- KPIs ----------------------------------------------------------------------------------------

KPI_FIELDS = {
    "code",
    "name_th",
    "name_en",
    "unit_th",
    "unit_en",
    "dimension",
    "weight",
    "composite_parent",
    "parent_kpi",
    "owner",
    "strategic_issue",
    "order",
}


def _check_kpi(framework: Framework, fields: dict[str, Any], kpi: KPI | None = None) -> None:
    code = fields.get("code")
    if code is not None:
        clash = framework.kpis.filter(code=code)
        if kpi is not None:
            clash = clash.exclude(pk=kpi.pk)
        if clash.exists():
            raise DomainError(
                _("The code %(code)s is already used in this framework.") % {"code": code},
                field="code",
            )
    weight = fields.get("weight")
    if weight is not None and not (0 <= weight <= MAX_WEIGHT):
        raise DomainError(_("A weight must lie between 0 and 100."), field="weight")
    dimension = fields.get("dimension")
    if dimension is not None and dimension.framework_id != framework.pk:
        raise DomainError(_("Choose a dimension of this framework."), field="dimension")
    composite = fields.get("composite_parent")
    if composite is not None:
        if composite.framework_id != framework.pk:
            raise DomainError(
                _("A sub-KPI belongs to a KPI of the same framework."), field="composite_parent"
            )
        # One level of parts only: a sub-KPI cannot have parts, and a KPI cannot be its own part.
        if kpi is not None and (composite.pk == kpi.pk or kpi.sub_kpis.exists()):
            raise DomainError(
                _(
                    "A KPI cannot be a part of itself, and a KPI with sub-KPIs cannot become a sub-KPI."
                ),
                field="composite_parent",
            )
        if composite.composite_parent_id is not None:
            raise DomainError(
                _("%(code)s is itself a sub-KPI; sub-KPIs cannot have parts.")
                % {"code": composite.code},
                field="composite_parent",
            )
        if dimension is not None and dimension.pk != composite.dimension_id:
            raise DomainError(
                _("A sub-KPI sits in the dimension of its composite KPI."), field="dimension"
            )
    parent = fields.get("parent_kpi")
    if parent is not None:
        above = framework.organisation.parent
        parent_framework = parent.framework
        if parent_framework.fiscal_year_id != framework.fiscal_year_id:
            raise DomainError(
                _("The cascaded-from KPI must belong to the same fiscal year."), field="parent_kpi"
            )
        if (
            above is None
            or not framework.organisation.is_within(parent_framework.organisation)
            or (parent_framework.organisation_id == framework.organisation_id)
        ):
            raise DomainError(
                _(
                    "The cascaded-from KPI must belong to a framework of a level above this organisation."
                ),
                field="parent_kpi",
            )


@transaction.atomic
def kpi_create(
    *, actor: User, framework: Framework, supporting_units: list[Organisation] = (), **fields: Any
) -> KPI:
    """Add a KPI to a draft framework, with an empty first template for its owner to fill."""
    unknown = set(fields) - KPI_FIELDS
    if unknown:
        raise TypeError(f"kpi_create got unexpected fields {sorted(unknown)}")
    _require(actor, "kpis.change_kpis", framework)
    _require_draft(framework)
    composite = fields.get("composite_parent")
    if composite is not None and fields.get("dimension") is None:
        fields["dimension"] = composite.dimension
    _check_kpi(framework, fields)
    if "order" not in fields:
        fields["order"] = (framework.kpis.aggregate(m=Max("order"))["m"] or 0) + 10
    kpi = KPI.objects.create(framework=framework, **fields)
    kpi.supporting_units.set(supporting_units)
    KPITemplate.objects.create(kpi=kpi, revision=1, created_by=actor)
    return kpi


@transaction.atomic
def kpi_update(
    *, actor: User, kpi: KPI, supporting_units: list[Organisation] | None = None, **fields: Any
) -> KPI:
    unknown = set(fields) - KPI_FIELDS
    if unknown:
        raise TypeError(f"kpi_update got unexpected fields {sorted(unknown)}")
    _require(actor, "kpis.change_kpis", kpi)
    _require_draft(kpi.framework)
    _check_kpi(kpi.framework, fields, kpi)
    changed = [name for name, value in fields.items() if getattr(kpi, name) != value]
    for name in changed:
        setattr(kpi, name, fields[name])
    if changed:
        kpi.save(update_fields=changed)
    if "dimension" in changed:
        # Parts follow their composite into the new dimension.
        kpi.sub_kpis.update(dimension=kpi.dimension)
    if supporting_units is not None:
        kpi.supporting_units.set(supporting_units)
    return kpi


def kpi_delete(*, actor: User, kpi: KPI) -> None:
    _require(actor, "kpis.change_kpis", kpi)
    _require_draft(kpi.framework)
    if kpi.cascaded_kpis.exists():
        raise DomainError(
            _("KPIs of the level below are cascaded from %(code)s; unlink them first.")
            % {"code": kpi.code}
        )
    kpi.delete()


# --- Templates -------------------------------------------------------------------------------------

TEMPLATE_FIELDS = {
    "definition",
    "formula",
    "numerator",
    "denominator",
    "criteria_type",
    "higher_is_better",
    "step_count",
    "target",
    "target_step",
    "threshold_1",
    "threshold_2",
    "threshold_3",
    "threshold_4",
    "threshold_5",
    "step_1",
    "step_2",
    "step_3",
    "step_4",
    "step_5",
    "conditions",
    "baseline_1",
    "baseline_2",
    "baseline_3",
    "data_source",
    "collection_method",
    "reports_at_6",
    "reports_at_9",
    "reports_at_12",
    "target_6",
    "target_9",
    "target_12",
    "supervisor_name",
    "supervisor_position",
    "supervisor_phone",
    "collector_name",
    "collector_position",
    "collector_phone",
    "expected_evidence",
}


def expand_shorthand(fields: dict[str, Any], *, target_level: int) -> dict[str, Any]:
    """Fill empty thresholds from "target ± step" (DOMAIN.md §4), keeping any typed thresholds."""
    target, step = fields.get("target"), fields.get("target_step")
    thresholds = [fields.get(threshold_field(level)) for level in range(1, 6)]
    if target is None or step is None or any(value is not None for value in thresholds):
        return fields
    try:
        expanded = scoring.thresholds_from_target(
            target,
            step,
            higher_is_better=fields.get("higher_is_better", True),
            target_level=target_level,
        )
    except scoring.ScoringError as error:
        raise DomainError(engine_message(error), field="target_step") from error
    return {
        **fields,
        **{threshold_field(level): value for level, value in enumerate(expanded, start=1)},
    }


def check_criteria(template: KPITemplate, *, complete: bool, floor_rule: str = "one") -> None:
    """Refuse criteria the engine cannot score; a draft may leave thresholds empty."""
    criteria = Criteria.of(template, floor_rule=floor_rule)
    if criteria.criteria_type == CriteriaType.HYBRID and not 1 <= template.step_count <= 4:
        raise DomainError(_("Steps-then-outcome criteria have 1 to 4 steps."), field="step_count")
    if criteria.criteria_type == CriteriaType.COMPOSITE:
        if complete and not template.kpi.sub_kpis.exists():
            raise DomainError(
                _("A composite KPI needs sub-KPIs: add them to the framework first."),
                field="criteria_type",
            )
        return
    filled = [v for v in criteria.thresholds_in_use if v is not None]
    if not complete and len(filled) < len(criteria.thresholds_in_use):
        # Check the order of what is filled in, so a mistake shows at once, not at submission.
        in_use = criteria.thresholds_in_use
        first = criteria.steps_in_use + 1
        pairs = [(lvl, v) for lvl, v in enumerate(in_use, start=first) if v is not None]
        for (lower, a), (upper, b) in itertools.pairwise(pairs):
            if (b <= a) if criteria.higher_is_better else (b >= a):
                code = (
                    "thresholds_not_rising"
                    if criteria.higher_is_better
                    else "thresholds_not_falling"
                )
                error = scoring.InvalidCriteria(
                    code,
                    levels=(lower, upper),
                    lower=lower,
                    upper=upper,
                    lower_value=str(a),
                    upper_value=str(b),
                )
                raise DomainError(engine_message(error), field=threshold_field(upper)) from None
        return
    try:
        criteria.validate()
    except scoring.ScoringError as error:
        level = error.levels[-1] if error.levels else None
        field = (
            threshold_field(level)
            if level and criteria.criteria_type != CriteriaType.MILESTONE
            else None
        )
        raise DomainError(engine_message(error), field=field) from error
    if criteria.criteria_type in (CriteriaType.MILESTONE, CriteriaType.HYBRID) and complete:
        for level in range(1, criteria.steps_in_use + 1):
            if not getattr(template, f"step_{level}").strip():
                raise DomainError(
                    _("Describe the step of level %(level)s.") % {"level": level},
                    field=f"step_{level}",
                )


@transaction.atomic
def template_save(*, actor: User, template: KPITemplate, **fields: Any) -> KPITemplate:
    """Save a draft (or returned) revision; incomplete criteria are fine until submission."""
    unknown = set(fields) - TEMPLATE_FIELDS
    if unknown:
        raise TypeError(f"template_save got unexpected fields {sorted(unknown)}")
    template = (
        KPITemplate.objects.select_for_update().select_related("kpi__framework").get(pk=template.pk)
    )
    _require(actor, "kpis.edit_template", template)
    if template.state not in (TemplateState.DRAFT, TemplateState.RETURNED):
        raise DomainError(
            _("This revision is %(state)s and locked; start a new revision to change it.")
            % {"state": template.get_state_display()}
        )
    framework = template.kpi.framework
    fields = expand_shorthand(fields, target_level=framework.target_level)
    for name, value in fields.items():
        setattr(template, name, value)
    check_criteria(template, complete=False, floor_rule=framework.floor_rule)
    template.updated_at = timezone.now()
    template.save()
    return template


def template_act(
    *, actor: User, template: KPITemplate, action: str, comment: str = ""
) -> KPITemplate:
    """Submit, return or approve a template revision (TEMPLATE_WORKFLOW)."""

    def check_complete(locked: KPITemplate) -> list[str]:
        if action in ("submit", "approve"):
            check_criteria(locked, complete=True, floor_rule=locked.kpi.framework.floor_rule)
        return []

    return transition(
        TEMPLATE_WORKFLOW,
        instance=template,
        action_name=action,
        actor=actor,
        comment=comment,
        apply=check_complete,
        record=TemplateTransition.record,
    )


@transaction.atomic
def template_new_revision(*, actor: User, template: KPITemplate) -> KPITemplate:
    """Start a draft revision from an approved one; the approved revision stays as it was."""
    _require(actor, "kpis.edit_template", template)
    latest = template.kpi.templates.order_by("-revision").first()
    if latest.pk != template.pk:
        raise DomainError(_("A newer revision exists already: change that one."))
    if template.state != TemplateState.APPROVED:
        raise DomainError(
            _("Only an approved revision needs a new revision; edit this one directly.")
        )
    copy = KPITemplate(kpi=template.kpi, revision=template.revision + 1, created_by=actor)
    for name in TEMPLATE_FIELDS:
        setattr(copy, name, getattr(template, name))
    copy.save()
    return copy


@transaction.atomic
def framework_clone(
    *,
    actor: User,
    framework: Framework,
    fiscal_year: FiscalYear,
    results: dict[str, Decimal] | None = None,
) -> Framework:
    """Copy a framework into another fiscal year: dimensions, KPIs and their latest templates.

    Baselines move one year back and the newest baseline year takes this year's result (from
    `results`, keyed by KPI code, once results are reported; otherwise it stays empty). Cascade
    links point to the KPI with the same code in the next year's framework above, when there is one.
    The new templates are drafts: a new year is negotiated again.
    """
    _require(actor, "kpis.manage_framework", framework)
    if fiscal_year.pk == framework.fiscal_year_id:
        raise DomainError(_("Choose another fiscal year to clone into."), field="fiscal_year")
    if Framework.objects.filter(
        fiscal_year=fiscal_year, organisation=framework.organisation
    ).exists():
        raise DomainError(
            _("%(organisation)s already has a framework for %(year)s.")
            % {"organisation": framework.organisation, "year": fiscal_year},
            field="fiscal_year",
        )
    results = results or {}
    clone = Framework.objects.create(
        fiscal_year=fiscal_year,
        organisation=framework.organisation,
        name_th=framework.name_th,
        name_en=framework.name_en,
        floor_rule=framework.floor_rule,
        target_level=framework.target_level,
        cloned_from=framework,
    )
    dimensions = {
        d.pk: Dimension.objects.create(
            framework=clone, number=d.number, name_th=d.name_th, name_en=d.name_en, weight=d.weight
        )
        for d in framework.dimensions.all()
    }
    # KPIs of the next year's frameworks above, by (organisation, code), to relink the cascade.
    above = {
        (k.framework.organisation_id, k.code): k
        for k in KPI.objects.filter(framework__fiscal_year=fiscal_year).select_related("framework")
    }
    old_kpis = list(
        framework.kpis.select_related("parent_kpi__framework")
        .prefetch_related("supporting_units")
        .order_by("composite_parent_id", "order")
    )
    new_by_old: dict[int, KPI] = {}
    # Composite KPIs first (composite_parent_id NULL sorts first), so parts find their new parent.
    for old in sorted(old_kpis, key=lambda k: k.composite_parent_id is not None):
        parent = None
        if old.parent_kpi_id:
            parent = above.get((old.parent_kpi.framework.organisation_id, old.parent_kpi.code))
        new = KPI.objects.create(
            framework=clone,
            code=old.code,
            name_th=old.name_th,
            name_en=old.name_en,
            unit_th=old.unit_th,
            unit_en=old.unit_en,
            dimension=dimensions[old.dimension_id],
            weight=old.weight,
            composite_parent=new_by_old.get(old.composite_parent_id),
            parent_kpi=parent,
            owner_id=old.owner_id,
            strategic_issue=None,
            order=old.order,
        )
        new.supporting_units.set(old.supporting_units.all())
        new_by_old[old.pk] = new
        source = old.templates.order_by("-revision").first()
        template = KPITemplate(kpi=new, revision=1, created_by=actor)
        if source is not None:
            for name in TEMPLATE_FIELDS:
                setattr(template, name, getattr(source, name))
            template.baseline_1, template.baseline_2 = source.baseline_2, source.baseline_3
            template.baseline_3 = results.get(old.code)
        template.save()
    return clone
