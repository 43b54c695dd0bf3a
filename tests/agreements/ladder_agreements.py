"""Permission-ladder cases of the agreement pages and the negotiation pages.

Agreements are read by everyone whose scope reaches the organisation, by the negotiation committee
and by the two parties; planners draft and edit them, the committee negotiates, and the table
decides each button. w.agreement is a draft with version 1 and one annex row (code "1").
"""

from agreements.models import AgreementVersion
from tests.ladder import Case, World, post_ok


def _agreement(w: World) -> dict:
    return {"pk": w.agreement.pk}


def _second_version(w: World) -> dict:
    """A diff needs two versions: a copy of version 1 is added here (arranging, not a service)."""
    first = w.agreement.versions.get(number=1)
    AgreementVersion.objects.get_or_create(
        agreement=w.agreement, number=2, defaults={"clauses_th": first.clauses_th}
    )
    return {"pk": w.agreement.pk, "number": 2}


def _annex_row(w: World) -> dict:
    return {"pk": w.agreement.versions.get(number=1).kpis.get(code="1").pk}


CASES = {
    "agreements:agreement_list": Case(
        allowed=lambda w: w.unit_head, denied=None, outsider_status=200
    ),
    # Not about one row: the other ministry's admin may draft agreements in their own scope.
    "agreements:agreement_create": Case(allowed=lambda w: w.planner, outsider_status=200),
    "agreements:agreement_detail": Case(
        kwargs=_agreement, allowed=lambda w: w.unit_head, denied=None
    ),
    "agreements:agreement_edit": Case(kwargs=_agreement, allowed=lambda w: w.planner),
    # The world's weights do not reconcile: proposing is refused with a message, still a 302.
    "agreements:agreement_act": Case(
        kwargs=lambda w: {"pk": w.agreement.pk, "action": "propose"},
        method="post",
        allowed=lambda w: w.planner,
        ok_status=post_ok(),
    ),
    "agreements:version_detail": Case(
        kwargs=lambda w: {"pk": w.agreement.pk, "number": 1},
        allowed=lambda w: w.unit_head,
        denied=None,
    ),
    # A committee member may start a round; in a draft that is refused with a message (a 302).
    "agreements:round_start": Case(
        kwargs=_agreement,
        method="post",
        allowed=lambda w: w.person,
        denied=lambda w: w.planner,
        ok_status=post_ok(),
    ),
    "agreements:version_diff": Case(
        kwargs=_second_version, allowed=lambda w: w.unit_head, denied=None
    ),
    # Planners change the annex of a draft; a committee member may not (not negotiating yet).
    "agreements:annex_kpi_edit": Case(
        kwargs=_annex_row, allowed=lambda w: w.planner, denied=lambda w: w.person
    ),
    "agreements:kpi_thread": Case(
        kwargs=lambda w: {"pk": w.agreement.pk, "code": "1"},
        allowed=lambda w: w.unit_head,
        denied=None,
    ),
}
