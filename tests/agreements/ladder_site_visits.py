"""Permission ladder cases of the site-visit pages.

w.agreement's SARs are opened by sar_for(w); a visit of the 6-month round is made with direct data.
w.planner is planning staff of the Department of Health (agreements.record_site_visit); w.unit_head
heads the planning unit below it: they see the department's SARs and visits, but record none.
"""

from datetime import date

from agreements.models import SiteVisit
from tests.agreements.sar_world import sar_for
from tests.ladder import Case, World


def sar(w: World) -> dict:
    return {"pk": sar_for(w).pk}


def visit(w: World) -> dict:
    recorded = SiteVisit.objects.create(
        sar=sar_for(w),
        visited_on=date(2009, 4, 20),
        other_members="นายผู้สังเกตการณ์ ภายนอก",
        summary="ผลการดำเนินงานเป็นไปตามแผน",
        recorded_by=w.planner,
    )
    return {"pk": recorded.pk}


CASES = {
    "agreements:site_visit_create": Case(kwargs=sar, allowed=lambda w: w.planner),
    # Everyone who sees the SAR reads its visits.
    "agreements:site_visit_detail": Case(kwargs=visit, allowed=lambda w: w.unit_head, denied=None),
    "agreements:site_visit_edit": Case(kwargs=visit, allowed=lambda w: w.planner),
}
