"""Frameworks and their dimensions: create, update, reweigh, reconcile, publish or reopen."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from governance.errors import DomainError
from governance.models import FiscalYear, Organisation, User
from governance.workflows import transition
from kpis.enums import DEFAULT_DIMENSIONS, CriteriaType
from kpis.models import KPI, Dimension, Framework, FrameworkTransition
from kpis.reconciliation import DimensionRow, KPIRow, reconcile
from kpis.selectors import framework_kpis
from kpis.services._common import MAX_WEIGHT, _require, _require_draft
from kpis.workflows import FRAMEWORK_WORKFLOW


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
