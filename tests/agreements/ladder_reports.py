"""Permission ladder cases of the SAR pages: the lists, one SAR, its buttons and one KPI's result.

w.agreement (the Department of Health's) is signed by direct data and its SARs opened by the real
service (sar_world.sar_for); its one KPI is owned by the planning unit, so w.person (a data
collector there) enters its result and w.kpi_owner verifies it.
"""

from agreements.models import KPIResult
from tests.agreements.sar_world import sar_for
from tests.ladder import Case, World, post_ok


def sar(w: World) -> dict:
    return {"pk": sar_for(w).pk}


def result(w: World) -> dict:
    return {"pk": KPIResult.objects.get(sar=sar_for(w)).pk}


CASES = {
    # Everyone sees the SARs of the agreements they see; the outsider sees their own ministry's.
    "agreements:sar_list": Case(allowed=lambda w: w.unit_head, denied=None, outsider_status=200),
    # Whoever approves (planning staff) or reopens (admins) SARs chases the late ones.
    "agreements:sar_overdue": Case(allowed=lambda w: w.planner, outsider_status=200),
    "agreements:sar_detail": Case(kwargs=sar, allowed=lambda w: w.unit_head, denied=None),
    # Only an administrator reopens, with a reason; planning staff may not.
    "agreements:sar_act": Case(
        kwargs=lambda w: {**sar(w), "action": "reopen"},
        method="post",
        data=lambda w: {"comment": "ขยายเวลาตามหนังสือขอผ่อนผัน"},
        allowed=lambda w: w.admin,
        denied=lambda w: w.planner,
        ok_status=post_ok(),
    ),
    # Collectors of the KPI's owner unit enter it; planning staff see the SAR but do not.
    "agreements:result_edit": Case(
        kwargs=result, allowed=lambda w: w.person, denied=lambda w: w.planner
    ),
    "agreements:result_preview": Case(
        kwargs=result,
        method="post",
        data=lambda w: {"value": "62.5"},
        allowed=lambda w: w.person,
        denied=lambda w: w.planner,
    ),
    # The KPI owner of the owner unit verifies; the unit head sees the SAR but may not.
    "agreements:result_verify": Case(
        kwargs=result, allowed=lambda w: w.kpi_owner, denied=lambda w: w.unit_head
    ),
    # Planning staff decide whether a KPI is reported this round; data collectors do not.
    "agreements:result_participation": Case(
        kwargs=result, allowed=lambda w: w.planner, denied=lambda w: w.person
    ),
}
