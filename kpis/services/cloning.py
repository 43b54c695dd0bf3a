"""Copying a framework into another fiscal year."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from governance.errors import DomainError
from governance.models import FiscalYear, User
from kpis.models import KPI, Dimension, Framework, KPITemplate
from kpis.services._common import _require
from kpis.services.templates import TEMPLATE_FIELDS


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
