"""Permission-ladder cases of the framework and KPI pages (collected by tests/test_permission_ladder).

Frameworks are read by everyone whose scope reaches the organisation (unit heads cascade from the
department's KPIs); planning staff and admins change them; a KPI owner fills templates but may not
change the KPI itself.
"""

from tests.ladder import Case, post_ok


def _framework(w) -> dict:
    return {"pk": w.framework.pk}


def _kpi(w) -> dict:
    return {"pk": w.kpi.pk}


CASES = {
    "kpis:framework_list": Case(allowed=lambda w: w.unit_head, denied=None, outsider_status=200),
    # Not about one row: the other ministry's admin may create frameworks in their own scope.
    "kpis:framework_create": Case(allowed=lambda w: w.planner, outsider_status=200),
    "kpis:framework_detail": Case(kwargs=_framework, allowed=lambda w: w.unit_head, denied=None),
    "kpis:framework_edit": Case(kwargs=_framework, allowed=lambda w: w.planner),
    "kpis:framework_dimensions": Case(
        kwargs=_framework, allowed=lambda w: w.planner, denied=lambda w: w.kpi_owner
    ),
    # The world's framework does not reconcile: publishing is refused with a message, still a 302.
    "kpis:framework_act": Case(
        kwargs=lambda w: {"pk": w.framework.pk, "action": "publish"},
        method="post",
        allowed=lambda w: w.planner,
        ok_status=post_ok(),
    ),
    "kpis:framework_clone": Case(kwargs=_framework, allowed=lambda w: w.admin),
    "kpis:kpi_create": Case(
        kwargs=_framework, allowed=lambda w: w.planner, denied=lambda w: w.kpi_owner
    ),
    "kpis:kpi_detail": Case(kwargs=_kpi, allowed=lambda w: w.kpi_owner, denied=None),
    "kpis:kpi_edit": Case(kwargs=_kpi, allowed=lambda w: w.planner, denied=lambda w: w.kpi_owner),
    "kpis:kpi_delete": Case(
        kwargs=_kpi,
        method="post",
        allowed=lambda w: w.planner,
        denied=lambda w: w.unit_head,
        ok_status=post_ok(),
    ),
}
