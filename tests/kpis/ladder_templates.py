"""Permission-ladder cases of the KPI template pages (collected by tests/test_permission_ladder.py).

Anyone who sees the framework sees a template and may try the calculator; the KPI owner (or
planning staff) fills it in and submits it; a unit head of the same unit may only read it.
"""

from tests.ladder import Case, post_ok

CASES = {
    "kpis:template_detail": Case(
        kwargs=lambda w: {"pk": w.template.pk}, allowed=lambda w: w.unit_head, denied=None
    ),
    "kpis:template_edit": Case(
        kwargs=lambda w: {"pk": w.template.pk}, allowed=lambda w: w.kpi_owner
    ),
    "kpis:template_what_if": Case(
        kwargs=lambda w: {"pk": w.template.pk},
        query="?result=67",
        allowed=lambda w: w.unit_head,
        denied=None,
    ),
    # The draft's criteria are empty, so the submission is refused with a message: still a redirect.
    "kpis:template_act": Case(
        kwargs=lambda w: {"pk": w.template.pk, "action": "submit"},
        method="post",
        allowed=lambda w: w.kpi_owner,
        ok_status=post_ok(),
    ),
    "kpis:template_revise": Case(
        kwargs=lambda w: {"pk": w.template.pk},
        method="post",
        allowed=lambda w: w.kpi_owner,
        ok_status=post_ok(),
    ),
}
