"""The KPIs of a draft framework: add, change and delete, with the checks they share."""

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from governance.errors import DomainError
from governance.models import Organisation, User
from kpis.models import KPI, Framework, KPITemplate
from kpis.services._common import MAX_WEIGHT, _require, _require_draft

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
