"""Reads of the agreements app: which agreements a person may see, with related rows joined,
and whom and what a person may name when drafting one."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from agreements.models import SAR, Agreement, AgreementKPI, AgreementVersion, KPIResult
from governance.enums import CommitteeKind, Role
from governance.models import Committee, User
from governance.selectors import (
    committees_visible_to,
    organisations_in_scope,
    organisations_visible_to,
    people_visible_to,
)
from kpis.enums import FrameworkState
from kpis.models import Framework
from kpis.selectors import frameworks_visible_to


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


# --- Choices offered by the agreement forms --------------------------------------------------------


def signatory_choices(user: User, *, keep: tuple[int | None, ...] = ()) -> QuerySet[User]:
    """People who may be named as a party: active members of organisations the user can see.

    The receiver usually sits in the organisation above (the ministry's Permanent Secretary), which
    is visible as an ancestor; admins also see people without a role yet. `keep` holds the parties
    already named, so an edit never drops them from the choices.
    """
    return (
        User.objects.filter(
            Q(memberships__organisation__in=organisations_visible_to(user))
            | Q(pk__in=people_visible_to(user).values("pk"))
            | Q(pk__in=[pk for pk in keep if pk])
        )
        .filter(is_active=True)
        .distinct()
        .order_by("name_th", "username")
    )


def negotiation_committees(user: User, *, keep: int | None = None) -> QuerySet[Committee]:
    """Negotiation committees the user can see, which may be named to negotiate an agreement.

    Only committees of the negotiation kind; `keep` holds the committee already named, so an edit
    never drops it from the choices.
    """
    return (
        Committee.objects.filter(
            Q(pk__in=committees_visible_to(user).values("pk")) | Q(pk=keep or 0),
            kind=CommitteeKind.NEGOTIATION,
        )
        .select_related("organisation")
        .order_by("organisation__path", "name_th")
    )


def draftable_frameworks(user: User) -> QuerySet[Framework]:
    """Frameworks an agreement may be drafted from: published, of an organisation the user prepares
    for (planning or admin role), whose organisation has no agreement for that fiscal year yet."""
    return (
        frameworks_visible_to(user)
        .filter(
            state=FrameworkState.PUBLISHED,
            organisation__in=organisations_in_scope(user, roles=[Role.PLANNING, Role.ADMIN]),
        )
        .exclude(
            Exists(
                Agreement.objects.filter(
                    organisation=OuterRef("organisation"), fiscal_year=OuterRef("fiscal_year")
                )
            )
        )
        .order_by("-fiscal_year__year", "organisation__path")
    )


# --- Self-assessment reports ---------------------------------------------------------------------


def sars_visible_to(user: User) -> QuerySet[SAR]:
    """SARs of the agreements the person may see, with what a list or a page header shows."""
    return SAR.objects.filter(
        agreement__in=agreements_visible_to(user).values("pk")
    ).select_related(
        "agreement__organisation",
        "agreement__fiscal_year",
        "agreement__framework",
        "round__fiscal_year",
        "version",
    )


def sar_results(sar: SAR) -> list[KPIResult]:
    """The SAR's result rows in the order people read KPI codes, with their annex row, the KPI's
    owner unit and the evidence files joined (a constant number of queries for any KPI count)."""
    from kpis.selectors import code_sort_key

    rows = (
        sar.results.select_related("annex_kpi__kpi__owner", "verified_by", "entered_by")
        .prefetch_related("evidence")
        .all()
    )
    for row in rows:
        row.sar = sar  # the caller's SAR: predicates and templates read it without a query
    return sorted(
        rows, key=lambda row: (row.annex_kpi.dimension_number, code_sort_key(row.annex_kpi.code))
    )
