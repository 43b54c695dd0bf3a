"""Reads of the KPI app: what a person may see, with related rows joined."""

from django.db.models import Prefetch, QuerySet

from governance.models import User
from governance.selectors import organisations_visible_to
from kpis.models import KPI, Dimension, Framework, KPITemplate


def frameworks_visible_to(user: User) -> QuerySet[Framework]:
    return Framework.objects.filter(organisation__in=organisations_visible_to(user)).select_related(
        "fiscal_year", "organisation"
    )


def kpis_visible_to(user: User) -> QuerySet[KPI]:
    return KPI.objects.filter(framework__in=frameworks_visible_to(user)).select_related(
        "framework__fiscal_year",
        "framework__organisation",
        "dimension",
        "owner",
        "composite_parent",
        "parent_kpi",
        "strategic_issue",
    )


def templates_visible_to(user: User) -> QuerySet[KPITemplate]:
    return KPITemplate.objects.filter(kpi__in=kpis_visible_to(user)).select_related(
        "kpi__framework__fiscal_year",
        "kpi__framework__organisation",
        "kpi__owner",
        "kpi__dimension",
    )


def framework_kpis(framework: Framework) -> list[KPI]:
    """Every KPI of a framework with what the list page shows: a fixed number of queries.

    The latest template revision of each KPI is attached as `current_template`.
    """
    kpis = list(
        framework.kpis.select_related(
            "dimension", "owner", "composite_parent", "parent_kpi", "strategic_issue"
        )
        .prefetch_related(
            "supporting_units",
            Prefetch(
                "templates", queryset=KPITemplate.objects.order_by("-revision"), to_attr="revisions"
            ),
        )
        .order_by("order", "code")
    )
    for kpi in kpis:
        kpi.current_template = kpi.revisions[0] if kpi.revisions else None
    return sorted(kpis, key=lambda k: code_sort_key(k.code))


def framework_dimensions(framework: Framework) -> list[Dimension]:
    return list(framework.dimensions.order_by("number"))


def code_sort_key(code: str) -> tuple[int, ...]:
    """Sort 1.2 before 1.10 and 14 after 2, as people read KPI codes."""
    return tuple(int(part) for part in code.split(".") if part.isdigit())


def current_template(kpi: KPI) -> KPITemplate | None:
    return kpi.templates.order_by("-revision").first()


def approved_template(kpi: KPI) -> KPITemplate | None:
    return kpi.templates.filter(state="approved").order_by("-revision").first()
