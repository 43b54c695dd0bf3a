"""Predicates of the KPI app: planning staff own frameworks, KPI owners fill templates."""

import rules

from governance.enums import Role
from governance.rules import has_role_anywhere, has_role_over
from kpis.enums import TEMPLATE_EDITABLE_STATES, FrameworkState
from kpis.models import KPI, Framework, KPITemplate

PLANNERS = {Role.PLANNING, Role.ADMIN}


def framework_of(obj) -> Framework | None:
    if isinstance(obj, Framework):
        return obj
    if isinstance(obj, KPI):
        return obj.framework
    if isinstance(obj, KPITemplate):
        return obj.kpi.framework
    return None


@rules.predicate
def is_framework_planner(user, obj=None) -> bool:
    """Planning staff or admins over the framework's organisation (anywhere, for a new one)."""
    if not user.is_authenticated:
        return False
    framework = framework_of(obj)
    if framework is None:
        return has_role_anywhere(user, PLANNERS)
    return has_role_over(user, framework.organisation, PLANNERS)


@rules.predicate
def is_framework_draft(user, obj=None) -> bool:
    framework = framework_of(obj)
    return framework is None or framework.state == FrameworkState.DRAFT


@rules.predicate
def is_kpi_owner(user, obj=None) -> bool:
    """KPI owners (เจ้าภาพ) of the KPI's owner unit."""
    if not user.is_authenticated or obj is None:
        return False
    kpi = obj.kpi if isinstance(obj, KPITemplate) else obj
    return has_role_over(user, kpi.owner, {Role.KPI_OWNER})


@rules.predicate
def is_template_editable(user, obj=None) -> bool:
    return isinstance(obj, KPITemplate) and obj.state in TEMPLATE_EDITABLE_STATES


rules.add_perm("kpis.manage_framework", is_framework_planner)
rules.add_perm("kpis.change_kpis", is_framework_planner & is_framework_draft)
# Owners fill their KPI's template; planning staff may fill it for them.
rules.add_perm("kpis.edit_template", (is_kpi_owner | is_framework_planner))
rules.add_perm("kpis.change_template", (is_kpi_owner | is_framework_planner) & is_template_editable)
rules.add_perm("kpis.review_template", is_framework_planner)
