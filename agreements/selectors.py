"""Reads of the agreements app: which agreements a person may see, with related rows joined."""

from django.db.models import Q, QuerySet

from agreements.models import Agreement, AgreementKPI, AgreementVersion
from governance.models import User
from governance.selectors import organisations_visible_to


def agreements_visible_to(user: User) -> QuerySet[Agreement]:
    """Agreements of visible organisations, plus those the person negotiates or signs."""
    if not user.is_authenticated:
        return Agreement.objects.none()
    return (
        Agreement.objects.filter(
            Q(organisation__in=organisations_visible_to(user))
            | Q(negotiation_committee__members__user=user)
            | Q(maker=user)
            | Q(receiver=user)
        )
        .distinct()
        .select_related("organisation", "fiscal_year", "framework", "negotiation_committee")
    )


def latest_version(agreement: Agreement) -> AgreementVersion | None:
    return agreement.versions.order_by("-number").first()


def signed_versions(agreement: Agreement) -> QuerySet[AgreementVersion]:
    return agreement.versions.exclude(pdf_sha256="").order_by("-number")


def annex(version: AgreementVersion) -> list[AgreementKPI]:
    """The annex rows of a version, in the order people read KPI codes."""
    from kpis.selectors import code_sort_key

    return sorted(
        version.kpis.all(), key=lambda row: (row.dimension_number, code_sort_key(row.code))
    )
