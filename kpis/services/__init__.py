"""Every write of the KPI app: frameworks, dimensions, KPIs and template revisions.

One module per sub-domain; every service is importable from here
(`from kpis import services; services.framework_create(...)`).
"""

from kpis.selectors import framework_kpis  # importable from here, as before the split
from kpis.services._common import MAX_WEIGHT
from kpis.services.cloning import framework_clone
from kpis.services.frameworks import (
    dimensions_update,
    framework_act,
    framework_create,
    framework_reconciliation,
    framework_update,
)
from kpis.services.kpis import KPI_FIELDS, kpi_create, kpi_delete, kpi_update
from kpis.services.templates import (
    TEMPLATE_FIELDS,
    check_criteria,
    expand_shorthand,
    template_act,
    template_new_revision,
    template_save,
)

__all__ = [
    "KPI_FIELDS",
    "MAX_WEIGHT",
    "TEMPLATE_FIELDS",
    "check_criteria",
    "dimensions_update",
    "expand_shorthand",
    "framework_act",
    "framework_clone",
    "framework_create",
    "framework_kpis",
    "framework_reconciliation",
    "framework_update",
    "kpi_create",
    "kpi_delete",
    "kpi_update",
    "template_act",
    "template_new_revision",
    "template_save",
]
